# The ACPI converter's FADT -> /psci (loader/acpi_fadt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_fadt
TEST_acpi_fadt := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
