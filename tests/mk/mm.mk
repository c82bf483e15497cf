# Range sets, the page allocator and kzalloc (kernel/core/mm.c); pmm_init
# reads the tree through the dt.h helpers.
UNIT_TESTS += mm
TEST_mm := kernel/core/mm.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
