# The ACPI converter's table checks, dispatch and the tree rewrite (loader/acpi_tables.c, acpi_fdt.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_tables
TEST_acpi_tables := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
