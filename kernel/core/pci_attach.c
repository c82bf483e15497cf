/* The PCI core, part four (pci.h): enumerated functions become devices of
 * the driver core.
 *
 * A function is named by a tree node when a child of its bus's node (the
 * host bridge's, or a bridge's own node) has a config-space reg with its
 * device and function number (PCI bus binding; the bus number in reg is not
 * compared: buses are numbered at enumeration). That node's device, created
 * by devtree_init and waiting since, becomes the function's device, keeping
 * its properties (clock-frequency, interrupts, status ...). Other functions
 * get a new device named "0000:bb:dd.f" with node -1.
 *
 * reg[] are the function's implemented BARs in BAR order, as CPU addresses
 * (an I/O BAR through the host's I/O window), all or none: one unassigned BAR
 * leaves the device without reg (reg_err). Interrupts: a named node's own
 * `interrupts` (resolved by the driver core; none means the driver runs
 * polled); a function no node names gets its pin's INTx (pci_irq.c).
 * Drivers: pci_match tables (IDs, then classes), then a named node's
 * compatible. A function that will get a driver has its BARs mapped and its
 * decoding and bus mastering enabled, bridges above included. */
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/pci.h>
#include <plinth/printk.h>

#define PATH_LEN 128

/* The child of the bus's node naming f, or -1. */
static int find_node(const struct pci_host *h, const struct pci_func *f)
{
	int parent = f->up ? f->up->node : h->node, child;

	if (parent < 0)
		return -1;
	fdt_for_each_subnode(child, h->fdt, parent) {
		int v = dt_pci_devfn(h->fdt, child);

		if (v >= 0 && (v & 0xff) == f->devfn)
			return child;
	}
	return -1;
}

/* The BARs replace whatever a naming node's own reg gave (a config-space
 * address, which does not translate). */
static void set_regs(struct pci_func *f, struct device *dev)
{
	struct dev_reg *reg;
	unsigned n = 0;

	dev->nreg = 0;
	dev->reg_err = 0;
	if (!f->nbar)
		return;
	/* Room for every BAR (at most PCI_MAX_BARS), the unimplemented too. */
	if (!(reg = kzalloc(f->nbar * sizeof(*reg)))) {
		dev->reg_err = -PLINTH_ENOMEM;
		return;
	}
	for (unsigned r = PCI_RES_BAR0; r < PCI_RES_BAR0 + f->nbar; r++) {
		const struct pci_res *x = &f->res[r];

		if (!x->size)
			continue;
		if (!x->assigned) {
			dev->reg_err = -PLINTH_ENOTMAPPED;
			return;
		}
		reg[n] = (struct dev_reg){ x->cpu, x->size };
		f->reg_res[n++] = (uint8_t)r;
	}
	dev->reg = reg;
	dev->nreg = n;
}

static void set_irq(struct pci_host *h, struct devtree *dt, struct pci_func *f, struct device *dev)
{
	char b[16];

	if (f->node >= 0) {	/* the node's own interrupts, resolved by devtree_init */
		f->intx_err = dev->nirq ? 0 : dev->irq_err < 0 ? dev->irq_err : -PLINTH_ENOENT;
		if (dev->nirq)
			f->intx = dev->irq[0].spec;
		return;
	}
	f->intx_err = pci_intx(h, f, &f->intx);
	if (f->intx_err == 0 && !(dev->irq = kzalloc(sizeof(*dev->irq))))
		f->intx_err = -PLINTH_ENOMEM;
	if (f->intx_err == 0) {
		dev->irq[0] = (struct dev_irq){ f->intx, devtree_find(dt, f->intx.ctrl) };
		dev->nirq = 1;
	} else if (f->intx_err != -PLINTH_ENOENT) {
		dev->irq_err = f->intx_err;
		kprintf("pci: %s: INT%c not routable: %s\n", pci_bdf(f, b, sizeof(b)), 'A' + f->pin - 1,
			plinth_strerror(f->intx_err));
	}
}

static void map_regs(struct pci_func *f, struct device *dev)
{
	char b[16];

	for (unsigned i = 0; i < dev->nreg; i++) {
		int rc = ioremap(dev->reg[i].addr, dev->reg[i].size);

		if (rc < 0) {
			kprintf("pci: %s: ioremap 0x%llx+0x%llx failed (%s)\n", pci_bdf(f, b, sizeof(b)),
				(unsigned long long)dev->reg[i].addr,
				(unsigned long long)dev->reg[i].size, plinth_strerror(rc));
			dev->reg_err = rc;
			dev->nreg = 0;
			return;
		}
	}
}

static void match(struct pci_func *f, struct device *dev)
{
	const struct pci_match *m = dev_match_pci(dev, f->vendor, f->device, f->class);

	if (m && m->vendor != PCI_ANY_ID)
		ksnprintf(f->compat, sizeof(f->compat), "pci%x,%x", f->vendor, f->device);
	else if (m)
		ksnprintf(f->compat, sizeof(f->compat), "pciclass,%06x", f->class);
	if (m)
		dev->compatible = f->compat;
}

/* Returns 1 when a driver was matched. */
static int attach_one(struct pci_host *h, struct devtree *dt, struct pci_func *f)
{
	struct device *dev = devtree_find(dt, f->node);
	char b[16], path[PATH_LEN];

	if (!dev) {
		f->node = -1;
		if (!(dev = kzalloc(sizeof(*dev)))) {
			kprintf("pci: %s: no memory for a device\n", pci_bdf(f, b, sizeof(b)));
			return 0;
		}
		dev->node = -1;
		dev->name = f->name;
		dev->state = DEV_NO_DRIVER;
		devtree_add(dt, dev);
	}
	if (dev->pci)
		return 0;	/* already some function's (a second host naming the same node) */
	dev->pci = f;
	f->dev = dev;
	if (dev->state == DEV_DISABLED)
		return 0;
	set_regs(f, dev);
	set_irq(h, dt, f, dev);
	match(f, dev);
	dev->err = 0;
	dev->reason[0] = '\0';
	dev->state = dev->drv ? DEV_PENDING : DEV_NO_DRIVER;
	if (f->node >= 0)
		kprintf("pci: %s is %s\n", pci_bdf(f, b, sizeof(b)), dt_path(h->fdt, f->node, path, sizeof(path)));
	if (!dev->drv)
		return 0;
	map_regs(f, dev);
	pci_enable(h, f);
	return 1;
}

/* Is node below the host bridge's node? */
static bool under(const void *fdt, int node, int host)
{
	for (int p = fdt_parent_offset(fdt, node); p >= 0; p = fdt_parent_offset(fdt, p))
		if (p == host)
			return true;
	return false;
}

/* Nodes under this host that name no function found: say so, stop waiting. */
static void unclaimed(struct pci_host *h, struct devtree *dt)
{
	char path[PATH_LEN];

	for (struct device *d = dt->first; d; d = d->next) {
		int v;

		if (d->node < 0 || d->pci || d->drv || d->state != DEV_DEFERRED ||
		    (v = dt_pci_devfn(h->fdt, d->node)) < 0 || !under(h->fdt, d->node, h->node))
			continue;
		dev_fail(d, -PLINTH_ENODEV, "no PCI function %02x.%u found on its bus", PCI_SLOT(v & 0xff),
			 PCI_FUNC(v & 0xff));
		d->state = DEV_FAILED;
		kprintf("pci: %s: %s\n", dt_path(h->fdt, d->node, path, sizeof(path)), d->reason);
	}
}

int pci_attach(struct pci_host *h, struct devtree *dt)
{
	int matched = 0;

	/* Scan order puts a bridge before what is behind it: its node is known
	 * when its children look for theirs. */
	for (struct pci_func *f = h->funcs; f; f = f->next)
		f->node = find_node(h, f);
	for (struct pci_func *f = h->funcs; f; f = f->next)
		matched += attach_one(h, dt, f);
	unclaimed(h, dt);
	return matched;
}

/* Command bits for what f decodes: I/O and memory for its assigned BARs (or
 * a bridge's windows), bus mastering always. */
static uint16_t wanted(const struct pci_func *f)
{
	uint16_t cmd = PCI_CMD_MASTER;

	for (unsigned r = 0; r < PCI_NRES; r++) {
		const struct pci_res *x = &f->res[r];

		if (x->assigned && x->size)
			cmd |= x->flags & PCI_RES_IO ? PCI_CMD_IO : PCI_CMD_MEM;
	}
	return cmd;
}

static void enable_one(struct pci_host *h, struct pci_func *f, bool intx)
{
	uint16_t cmd = (uint16_t)pci_read(h, f, PCI_COMMAND), want = cmd | wanted(f);
	char b[16];

	/* Firmware may have masked INTx; a driver using it needs it unmasked. */
	if (intx)
		want &= (uint16_t)~PCI_CMD_INTX_DISABLE;
	if (want == cmd)
		return;
	pci_write_command(h, f, want);
	kprintf("pci: %s: command 0x%04x -> 0x%04x (%s%sbus master)\n", pci_bdf(f, b, sizeof(b)),
		cmd, want, want & PCI_CMD_IO ? "io, " : "", want & PCI_CMD_MEM ? "memory, " : "");
}

void pci_enable(struct pci_host *h, struct pci_func *f)
{
	enable_one(h, f, f->intx_err == 0);
	for (struct pci_func *up = f->up; up; up = up->up)
		enable_one(h, up, false);
}
