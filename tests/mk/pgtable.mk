# The arm64 translation table builder (kernel/arch/arm64/pgtable.c).
UNIT_TESTS += pgtable
TEST_pgtable := kernel/arch/arm64/pgtable.c
