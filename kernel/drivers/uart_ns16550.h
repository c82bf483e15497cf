/* NS16550-family UART: the plain configuration parse() derives from the node
 * (uart_ns16550.c). Shared with tests/uart_ns16550_test.c so parse can be
 * checked without hardware. */
#ifndef PLINTH_UART_NS16550_H
#define PLINTH_UART_NS16550_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/ring.h>

struct ns16550_config {
	uint64_t base;		/* CPU physical address of register 0 (incl. reg-offset) */
	uint32_t reg_shift;	/* register n lives at base + (n << reg_shift) */
	uint32_t io_width;	/* access width in bytes: 1 or 4 */
	uint64_t clock_hz;	/* 0 = unknown */
	struct uart_line line;	/* baud 0: keep the firmware's divisor (dev_uart_line) */
	bool fifo;		/* variant has a usable FIFO (16550A and later) */
};

/* Runtime state (dev->priv; the console's ctx). */
struct ns16550_state {
	const struct ns16550_config *c;
	int intid;		/* receive interrupt; < 0: polled input, the reason */
	struct byte_ring rx;	/* filled by the interrupt handler */
};

#endif
