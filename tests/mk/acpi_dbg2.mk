# The ACPI converter's DBG2 -> a console when the SPCR is absent (loader/acpi_dbg2.c), on
# the ASL fixtures make compiles into build/host/acpi/ (loader/convert.mk).
UNIT_TESTS += acpi_dbg2
TEST_acpi_dbg2 := $(sort $(wildcard loader/acpi_*.c)) kernel/lib/printf.c kernel/core/errors.c \
	tests/acpi_test_util.c
