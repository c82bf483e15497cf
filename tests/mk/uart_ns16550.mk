# The 16550 driver against a register-level model (tests/uart_ns16550_test.c),
# through the driver core and the console layer.
UNIT_TESTS += uart_ns16550
TEST_uart_ns16550 := kernel/drivers/uart_ns16550.c kernel/core/console.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
