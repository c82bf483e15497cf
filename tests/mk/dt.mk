UNIT_TESTS += dt
TEST_dt := kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
