/* `pci`: every PCI host bridge and the functions found under it (pci.h):
 * bus:dev.fn, vendor:device, class, the bridge's buses and windows, BARs with
 * their CPU addresses (I/O BARs with their port too), the interrupt, MSI
 * capabilities with the controller and ID they would use, the bound driver. */
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/irq.h>
#include <plinth/pci.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

#define PATH_LEN 128

static const char *const space_name[] = { "config", "io", "mem", "mem64" };

static void print_host(const struct pci_host *h)
{
	const struct pci_host_config *c = &h->cfg;
	struct pci_func root = { .bus = c->bus_start };
	char path[PATH_LEN];
	uint32_t id;
	int ctrl;

	kprintf("%s: domain %04x, buses %02x-%02x used of %02x-%02x, %s\n",
		dt_path(h->fdt, h->node, path, sizeof(path)), c->domain, c->bus_start, h->last_bus,
		c->bus_start, c->bus_end,
		c->probe_only ? "probe-only (firmware's assignment kept)" : "assigned by the kernel");
	for (unsigned i = 0; i < c->nwin; i++)
		kprintf("  window %s%s 0x%llx-0x%llx at cpu 0x%llx\n", space_name[c->win[i].space],
			c->win[i].pref ? " pref" : "", (unsigned long long)c->win[i].bus,
			(unsigned long long)(c->win[i].bus + (c->win[i].size - 1)),
			(unsigned long long)c->win[i].cpu);
	if (pci_msi(h, &root, &ctrl, &id) == 0)
		kprintf("  MSI: %s (%s), not enabled: drivers use INTx\n",
			dt_path(h->fdt, ctrl, path, sizeof(path)), pci_msi_kind(h->fdt, ctrl));
	else
		kprintf("  MSI: no msi-map or msi-parent\n");
}

/* "INTA -> INTID 37", "irq INTID 37" (a node's own), "-" ... */
static void print_irq(const struct pci_func *f)
{
	const struct device *dev = f->dev;
	struct device *chip = dev && dev->nirq ? dev->irq[0].ctrl : NULL;
	const struct irq_chip_ops *ops = chip ? chip->provider : NULL;
	struct irq_hw hw;
	char path[PATH_LEN];

	if (f->pin && f->node < 0)
		kprintf("INT%c", 'A' + f->pin - 1);
	else
		kprintf("irq");
	if (f->intx_err == -PLINTH_ENOENT) {
		kprintf(f->pin && f->node >= 0 ? " - (node has none: polled)" : " -");
		return;
	}
	if (f->intx_err < 0) {
		kprintf(" unrouted (%s)", plinth_strerror(f->intx_err));
		return;
	}
	if (ops && ops->magic == IRQ_CHIP_MAGIC && ops->xlate(chip, &f->intx, &hw) == 0) {
		kprintf(" -> INTID %u", hw.intid);
		return;
	}
	kprintf(" -> %s <", dt_path(f->host->fdt, f->intx.ctrl, path, sizeof(path)));
	for (unsigned i = 0; i < f->intx.ncells && i < DT_MAX_IRQ_CELLS; i++)
		kprintf(i ? " 0x%x" : "0x%x", f->intx.cells[i]);
	kprintf(">");
}

static void print_driver(const struct pci_func *f)
{
	const struct device *dev = f->dev;

	if (!dev || !dev->drv) {
		kprintf("driver -");
	} else {
		kprintf("driver %s", dev->drv->name);
		if (dev->state != DEV_BOUND)
			kprintf(" (%s)", dev_state_name(dev->state));
	}
	if (dev && (console_flags(dev) & CONSOLE_PRIMARY))
		kprintf(" [console]");
	else if (dev && (console_flags(dev) & CONSOLE_MIRROR))
		kprintf(" [console mirror]");
}

static void print_res(const struct pci_func *f, unsigned r)
{
	static const char *const names[PCI_NRES] = {
		"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "window", "window", "window",
	};
	const struct pci_res *x = &f->res[r];
	const char *kind = x->flags & PCI_RES_IO ? "io" : x->flags & PCI_RES_64 ? "mem64" : "mem";

	kprintf("        %s %s%s ", names[r], kind, x->flags & PCI_RES_PREF ? " pref" : "");
	if (!x->assigned) {
		kprintf("size 0x%llx unassigned\n", (unsigned long long)x->size);
		return;
	}
	kprintf("0x%llx-0x%llx", (unsigned long long)x->cpu, (unsigned long long)(x->cpu + x->size - 1));
	if (x->flags & PCI_RES_IO)
		kprintf(" (port 0x%llx)", (unsigned long long)x->bus);
	else if (x->bus != x->cpu)
		kprintf(" (bus 0x%llx)", (unsigned long long)x->bus);
	kprintf("%s\n", x->firmware ? " firmware's" : "");
}

static void print_func(const struct pci_func *f)
{
	char b[16], path[PATH_LEN];
	uint32_t id;
	int ctrl;

	kprintf("%s %04x:%04x class %06x %s", pci_bdf(f, b, sizeof(b)), f->vendor, f->device,
		f->class, pci_class_name(f->class));
	if (f->bridge)
		kprintf(", bus %02x-%02x", f->secondary, f->subordinate);
	kprintf("  ");
	print_irq(f);
	kprintf("  ");
	print_driver(f);
	kprintf("\n");
	if (f->node >= 0)
		kprintf("        node %s\n", dt_path(f->host->fdt, f->node, path, sizeof(path)));
	if (f->caps) {
		kprintf("        %s%s", f->caps & PCI_HAS_MSI ? "msi " : "",
			f->caps & PCI_HAS_MSIX ? "msi-x " : "");
		if (pci_msi(f->host, f, &ctrl, &id) == 0)
			kprintf("-> %s, ID 0x%x (not enabled)", pci_msi_kind(f->host->fdt, ctrl), id);
		kprintf("\n");
	}
	for (unsigned r = 0; r < PCI_NRES; r++)
		if (f->res[r].size)
			print_res(f, r);
}

static int cmd_pci(int argc, char **argv)
{
	unsigned n = 0;

	(void)argc;
	(void)argv;
	for (const struct pci_host *h = pci_hosts(); h; h = h->next) {
		print_host(h);
		for (const struct pci_func *f = h->funcs; f; f = f->next, n++)
			print_func(f);
	}
	if (!pci_hosts())
		kprintf("pci: no PCI host bridge bound\n");
	else
		kprintf("%u function(s)\n", n);
	return 0;
}

SHELL_CMD(pci_cmd) = {
	.name = "pci",
	.usage = "pci",
	.help = "list PCI functions: IDs, class, BARs (CPU addresses), IRQ, driver",
	.fn = cmd_pci,
};
