# The console shell: line input, splitting, dispatch, help.
UNIT_TESTS += shell
TEST_shell := kernel/shell/shell.c kernel/shell/cmd_help.c
