# The ACPI converter's IORT -> msi-map / msi-parent on the PCIe host bridges (loader/acpi_iort.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk) and a raw IORT.
UNIT_TESTS += acpi_iort
TEST_acpi_iort := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
