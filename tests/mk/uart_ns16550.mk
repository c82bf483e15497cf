# The 16550 driver against a register-level model (tests/uart_ns16550_test.c),
# through the driver core and the console layer; its receive interrupt
# through a mock controller (tests/mock_intc.c); parse and probe through
# tests/probe_harness.c.
UNIT_TESTS += uart_ns16550
TEST_uart_ns16550 := kernel/drivers/uart_ns16550.c kernel/core/console.c kernel/core/irq.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c \
	tests/mock_intc.c tests/probe_harness.c
