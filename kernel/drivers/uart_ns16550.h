/* NS16550-family UART: the plain configuration parse() derives from the node
 * (uart_ns16550.c). Shared with tests/uart_ns16550_test.c so parse can be
 * checked without hardware. */
#ifndef PLINTH_UART_NS16550_H
#define PLINTH_UART_NS16550_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/ring.h>

struct ns16550_config {
	uint64_t base;		/* CPU physical address of register 0 (incl. reg-offset) */
	uint32_t reg_shift;	/* register n lives at base + (n << reg_shift) */
	uint32_t io_width;	/* access width in bytes: 1 or 4 */
	uint64_t clock_hz;	/* 0 = unknown */
	uint32_t baud;		/* 0 = unknown: keep the firmware's divisor */
	char parity;		/* 'n', 'o', 'e' (used only when baud is programmed) */
	uint8_t bits;		/* 5..8 */
	bool fifo;		/* variant has a usable FIFO (16550A and later) */
	bool is_stdout;		/* /chosen/stdout-path names this node */
};

/* Runtime state (dev->priv; the console's ctx). */
struct ns16550_state {
	const struct ns16550_config *c;
	int intid;		/* receive interrupt; < 0: polled input, the reason */
	struct byte_ring rx;	/* filled by the interrupt handler */
};

#endif
