/* `mem`: physical memory as the page allocator sees it. */
#include <plinth/mm.h>
#include <plinth/shell.h>

static int cmd_mem(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pmm_dump();
	return 0;
}

SHELL_CMD(mem_cmd) = {
	.name = "mem",
	.usage = "mem",
	.help = "show /memory, the reserved ranges and free memory",
	.fn = cmd_mem,
};
