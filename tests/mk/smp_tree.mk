# The /cpus parser behind SMP bring-up (kernel/core/smp_tree.c), on trees the
# test builds with libfdt.
UNIT_TESTS += smp_tree
TEST_smp_tree := kernel/core/smp_tree.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
