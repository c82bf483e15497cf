# The PL011 / SBSA UART driver against a register model (tests/uart_pl011_test.c),
# its receive interrupt through a mock controller (tests/mock_intc.c); parse
# and probe through tests/probe_harness.c.
UNIT_TESTS += uart_pl011
TEST_uart_pl011 := kernel/drivers/uart_pl011.c kernel/core/console.c kernel/core/irq.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c \
	tests/mock_intc.c tests/probe_harness.c
