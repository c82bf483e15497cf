# Console routing (kernel/core/console.c): primary, mirrors, where input comes from.
UNIT_TESTS += console_routing
TEST_console_routing := kernel/core/console.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
