/* ARM PL011 / SBSA generic UART: the plain configuration parse() derives
 * from the node (uart_pl011.c), shared with tests/uart_pl011_test.c. */
#ifndef PLINTH_UART_PL011_H
#define PLINTH_UART_PL011_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/ring.h>

struct pl011_config {
	uint64_t base;		/* CPU physical address of the register block */
	bool sbsa;		/* SBSA generic UART: no baud/line/control registers */
	uint64_t clock_hz;	/* UARTCLK, 0 = unknown */
	struct uart_line line;	/* baud 0: keep the firmware's setting (dev_uart_line) */
};

/* Runtime state (dev->priv; the console's ctx). */
struct pl011_state {
	const struct pl011_config *c;
	int intid;		/* receive interrupt; < 0: polled input, the reason */
	struct byte_ring rx;	/* filled by the interrupt handler */
};

#endif
