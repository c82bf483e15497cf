/* `irqs`: every registered interrupt with its controller, INTID, kind,
 * trigger, owning device and per-CPU counts (irq_list in core/irq.c). */
#include <plinth/irq.h>
#include <plinth/shell.h>

static int cmd_irqs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	irq_list();
	return 0;
}

SHELL_CMD(irqs_cmd) = {
	.name = "irqs",
	.usage = "irqs",
	.help = "list registered interrupts with per-CPU counts",
	.fn = cmd_irqs,
};
