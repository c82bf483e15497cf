# The ACPI converter's MCFG -> PCIe host bridges, with _CRS / _PRT (loader/acpi_mcfg.c, acpi_dsdt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_mcfg
TEST_acpi_mcfg := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
