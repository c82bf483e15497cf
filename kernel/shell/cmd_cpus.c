/* `cpus`: each CPU's MPIDR and state, then "N online" (smp_list in
 * core/smp.c). */
#include <plinth/shell.h>
#include <plinth/smp.h>

static int cmd_cpus(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	smp_list();
	return 0;
}

SHELL_CMD(cpus_cmd) = {
	.name = "cpus",
	.usage = "cpus",
	.help = "list the CPUs with their MPIDR and state",
	.fn = cmd_cpus,
};
