# The PL011 / SBSA UART driver against a register model (tests/uart_pl011_test.c).
UNIT_TESTS += uart_pl011
TEST_uart_pl011 := kernel/drivers/uart_pl011.c kernel/core/console.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
