# The ACPI converter's SPCR -> the console (loader/acpi_spcr.c, acpi_uart.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_spcr
TEST_acpi_spcr := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
