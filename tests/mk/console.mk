# The log ring and console selection (kernel/core/console.c).
UNIT_TESTS += console
TEST_console := kernel/core/console.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
