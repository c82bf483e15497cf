/* `help`: every command with its usage and help line, sorted by name. */
#include <string.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

extern const struct shell_cmd __start_plinth_cmds[];
extern const struct shell_cmd __stop_plinth_cmds[];

#define HELP_MAX_CMDS 64

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *sorted[HELP_MAX_CMDS];
	unsigned n = 0;
	int width = 0;
	(void)argc;
	(void)argv;
	/* The bounds of one linker section, not two objects. */
	/* cppcheck-suppress comparePointers */
	for (const struct shell_cmd *c = __start_plinth_cmds; c < __stop_plinth_cmds; c++) {
		if (n == HELP_MAX_CMDS) {
			kprintf("help: more than %d commands, the rest not listed\n", HELP_MAX_CMDS);
			break;
		}
		/* insertion sort: a few dozen entries at most */
		unsigned i = n++;
		/* sorted[0..n-1] are set: cppcheck does not follow the sort. */
		/* cppcheck-suppress uninitvar */
		while (i > 0 && strcmp(sorted[i - 1]->name, c->name) > 0) {
			sorted[i] = sorted[i - 1];
			i--;
		}
		sorted[i] = c;
		int w = (int)strlen(c->usage);
		if (w > width)
			width = w;
	}
	for (unsigned i = 0; i < n; i++) {
		/* pad by hand: kprintf has no '*' width */
		char pad[48];
		int np = width - (int)strlen(sorted[i]->usage);
		if (np > (int)sizeof(pad) - 1)
			np = (int)sizeof(pad) - 1;
		memset(pad, ' ', (size_t)np);
		pad[np] = 0;
		kprintf("  %s%s  %s\n", sorted[i]->usage, pad, sorted[i]->help);
	}
	return 0;
}

SHELL_CMD(help_cmd) = {
	.name = "help",
	.usage = "help",
	.help = "list the commands",
	.fn = cmd_help,
};
