# The ACPI converter's MADT -> /cpus, the GIC, ITS and v2m frames (loader/acpi_madt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_madt
TEST_acpi_madt := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
