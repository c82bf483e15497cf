# The ACPI converter's the AML walker and the DSDT/SSDT UART scan (loader/acpi_aml.c, acpi_dsdt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_dsdt
TEST_acpi_dsdt := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
