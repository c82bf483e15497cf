# kvsnprintf / ksnprintf / kprintf (kernel/lib/printf.c).
UNIT_TESTS += printf
TEST_printf := kernel/lib/printf.c
