# The DTS printer behind the shell's `dt` command.
UNIT_TESTS += dt_print
TEST_dt_print := kernel/shell/dt_print.c
