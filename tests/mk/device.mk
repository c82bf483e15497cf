UNIT_TESTS += device
TEST_device := kernel/core/device.c kernel/core/dt.c kernel/core/errors.c \
	kernel/drivers/fixed_clock.c kernel/lib/printf.c
