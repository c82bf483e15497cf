/* `devices`: every node of the kernel's tree with its state, its translated
 * `reg` and its resolved interrupts (struct device, driver.h). */
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

static void print_state(const struct device *d)
{
	switch (d->state) {
	case DEV_BOUND:
		kprintf("bound to driver %s (%s)", d->drv ? d->drv->name : "?",
			d->compatible ? d->compatible : "?");
		break;
	case DEV_DEFERRED:
		kprintf("deferred: %s", d->reason[0] ? d->reason : plinth_strerror(d->err));
		break;
	case DEV_FAILED:
		kprintf("failed: %s (%s)", d->reason[0] ? d->reason : "no reason given",
			plinth_strerror(d->err));
		break;
	case DEV_PENDING:
		kprintf("pending: driver %s not tried yet", d->drv ? d->drv->name : "?");
		break;
	case DEV_NO_DRIVER:
		kprintf("no driver");
		break;
	case DEV_DISABLED:
		kprintf("disabled");
		break;
	default:
		kprintf("state %d", (int)d->state);
	}
}

static void print_resources(const struct device *d)
{
	char path[128], why[96];
	for (unsigned i = 0; i < d->nreg; i++)
		kprintf("    reg[%u] 0x%llx size 0x%llx\n", i, (unsigned long long)d->reg[i].addr,
			(unsigned long long)d->reg[i].size);
	if (d->reg_err < 0) {
		dev_reg_reason(d, why, sizeof(why));
		kprintf("    %s (%s)\n", why, plinth_strerror(d->reg_err));
	}
	for (unsigned i = 0; i < d->nirq; i++) {
		const struct dt_irq *q = &d->irq[i].spec;
		kprintf("    irq[%u] %s <", i, dt_path(d->fdt, q->ctrl, path, sizeof(path)));
		for (unsigned c = 0; c < q->ncells && c < DT_MAX_IRQ_CELLS; c++)
			kprintf(c ? " 0x%x" : "0x%x", q->cells[c]);
		kprintf(">%s\n", d->irq[i].ctrl ? "" : " (controller has no device)");
	}
	if (d->irq_err < 0) {
		dev_irq_reason(d, why, sizeof(why));
		kprintf("    %s (%s)\n", why, plinth_strerror(d->irq_err));
	}
}

/* The console a device is (console.h): the primary keeps the plain mark;
 * mirrors get the same output; input is read from one of them. */
static const char *console_mark(const struct device *d)
{
	unsigned f = console_flags(d);

	if (f & CONSOLE_PRIMARY)
		return f & CONSOLE_INPUT ? " [console]" : " [console, output only]";
	if (f & CONSOLE_MIRROR)
		return f & CONSOLE_INPUT ? " [console mirror, input]" : " [console mirror]";
	return "";
}

static int cmd_devices(int argc, char **argv)
{
	struct devtree *dt = devtree_kernel();
	char path[128];
	unsigned n = 0, bound = 0, consoles = 0;
	(void)argc;
	(void)argv;
	if (!dt) {
		kprintf("devices: no device list\n");
		return -PLINTH_ENOENT;
	}
	for (struct device *d = dt->first; d; d = d->next) {
		/* A PCI function no node names goes by its address. */
		kprintf("%s: ", d->node >= 0 ? dt_path(d->fdt, d->node, path, sizeof(path)) : d->name);
		print_state(d);
		kprintf("%s\n", console_mark(d));
		consoles += console_flags(d) != 0;
		print_resources(d);
		n++;
		bound += d->state == DEV_BOUND;
	}
	kprintf("%u nodes, %u bound\n", n, bound);
	kprintf("%u console(s) active: output goes to all of them\n", consoles);
	return 0;
}

SHELL_CMD(devices_cmd) = {
	.name = "devices",
	.usage = "devices",
	.help = "list every node: driver state, translated reg, resolved interrupts",
	.fn = cmd_devices,
};
