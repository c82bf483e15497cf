# The ACPI converter's GTDT -> /timer (loader/acpi_gtdt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_gtdt
TEST_acpi_gtdt := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
