/* Generic PCI host bridge with ECAM config space (`pci-host-ecam-generic`,
 * Linux binding pci/host-generic-pci.yaml): QEMU virt's PCIe, and what the
 * loader builds from an MCFG entry.
 *
 * ECAM (PCI Express Base 4.0, 7.2.2): function devfn of bus b has 4 KiB of
 * config space at base + ((b - bus_start) << 20 | devfn << 12); reg covers
 * bus-range, one MiB a bus. Accesses are 32-bit and aligned; a bus outside
 * what reg covers reads as all ones.
 *
 * parse: reg, bus-range, ranges, probe-only (pci_host_parse), no hardware.
 * probe: enumerate, assign (all, or what firmware left with
 * linux,pci-probe-only), report the MSI controller, then hand the functions
 * to the driver core (pci_attach), which probes them in its later passes. */
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/mmio.h>
#include <plinth/pci.h>
#include <plinth/printk.h>

#define ECAM_BUS_SIZE (1u << 20)

struct ecam_config {
	uint64_t base, size;
	struct pci_host_config host;
};

struct ecam {
	uint64_t base;
	uint8_t bus_start, bus_end;	/* what reg covers, inside bus-range */
	struct pci_host host;
};

static uint64_t ecam_addr(const struct ecam *e, uint8_t bus, uint8_t devfn, uint16_t reg)
{
	return e->base + ((uint64_t)(bus - e->bus_start) << 20 | (uint64_t)devfn << 12 | (reg & 0xffc));
}

static uint32_t ecam_read(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg)
{
	const struct ecam *e = ctx;

	if (bus < e->bus_start || bus > e->bus_end || reg > 0xffc)
		return 0xffffffffu;
	return mmio_read32((uintptr_t)ecam_addr(e, bus, devfn, reg));
}

static void ecam_write(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg, uint32_t v)
{
	const struct ecam *e = ctx;

	if (bus < e->bus_start || bus > e->bus_end || reg > 0xffc)
		return;
	mmio_write32((uintptr_t)ecam_addr(e, bus, devfn, reg), v);
}

static const struct pci_ops ecam_ops = { .read = ecam_read, .write = ecam_write };

static int ecam_parse(struct device *dev)
{
	struct ecam_config *c = dev->config;
	int rc;

	if (dev->nreg == 0)
		return dev_fail(dev, dev->reg_err < 0 ? dev->reg_err : -PLINTH_ENOENT,
				"ECAM reg %s", dev->reg_err < 0 ? "not translatable" : "missing");
	c->base = dev->reg[0].addr;
	c->size = dev->reg[0].size;
	rc = pci_host_parse(dev->fdt, dev->node, &c->host);
	if (rc < 0)
		return dev_fail(dev, rc, "bad bus-range or ranges (see log)");
	if (c->size < ECAM_BUS_SIZE)
		return dev_fail(dev, -PLINTH_ERANGE, "ECAM reg 0x%llx bytes: not even one bus",
				(unsigned long long)c->size);
	return 0;
}

static void log_windows(const struct device *dev, const struct ecam *e)
{
	const struct pci_host_config *c = &e->host.cfg;

	kprintf("pci: %s: ECAM 0x%llx, buses %02x-%02x, %s\n", dev->name,
		(unsigned long long)e->base, e->bus_start, e->bus_end,
		c->probe_only ? "probe-only: keeping firmware's assignment"
			      : "assigning BARs and bridge windows");
	for (unsigned i = 0; i < c->nwin; i++) {
		const struct pci_window *w = &c->win[i];
		static const char *const space[] = { "config", "io", "mem", "mem64" };

		kprintf("pci:   window %s%s bus 0x%llx-0x%llx -> cpu 0x%llx\n", space[w->space],
			w->pref ? " pref" : "", (unsigned long long)w->bus,
			(unsigned long long)(w->bus + (w->size - 1)), (unsigned long long)w->cpu);
	}
}

/* The MSI controller the host's functions would use (all share the host's
 * msi-map / msi-parent; the ID is the root bus's first function's). */
static void log_msi(const struct device *dev, struct pci_host *h)
{
	struct pci_func root = { .bus = h->cfg.bus_start };
	char path[128];
	uint32_t id;
	int ctrl, rc = pci_msi(h, &root, &ctrl, &id);

	if (rc == -PLINTH_ENOENT) {
		kprintf("pci: %s: no msi-map or msi-parent: INTx only\n", dev->name);
		return;
	}
	if (rc < 0) {
		kprintf("pci: %s: msi-map/msi-parent unusable: %s\n", dev->name, plinth_strerror(rc));
		return;
	}
	kprintf("pci: %s: MSI would go to %s (%s), not enabled: INTx used\n", dev->name,
		dt_path(h->fdt, ctrl, path, sizeof(path)), pci_msi_kind(h->fdt, ctrl));
}

static int ecam_probe(struct device *dev)
{
	const struct ecam_config *c = dev->config;
	struct ecam *e = dev->priv ? dev->priv : kzalloc(sizeof(*e));
	uint64_t nbus = c->size / ECAM_BUS_SIZE;
	int n, failed, bound;

	if (!e)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for the host state");
	dev->priv = e;
	e->base = c->base;
	e->bus_start = c->host.bus_start;
	e->bus_end = c->host.bus_end;
	/* reg may cover fewer buses than bus-range says: only those are reachable. */
	if ((uint64_t)e->bus_end - e->bus_start + 1 > nbus) {
		kprintf("pci: %s: reg covers %llu buses, bus-range %02x-%02x: using %02x-%02x\n",
			dev->name, (unsigned long long)nbus, c->host.bus_start, c->host.bus_end,
			e->bus_start, (unsigned)(e->bus_start + nbus - 1));
		e->bus_end = (uint8_t)(e->bus_start + nbus - 1);
	}
	e->host = (struct pci_host){ .cfg = c->host, .ops = &ecam_ops, .ctx = e,
				     .fdt = dev->fdt, .node = dev->node };
	e->host.cfg.bus_end = e->bus_end;
	log_windows(dev, e);
	n = pci_scan(&e->host);
	failed = pci_assign(&e->host);
	log_msi(dev, &e->host);
	pci_host_register(&e->host);
	bound = dev->tree ? pci_attach(&e->host, dev->tree) : 0;
	kprintf("pci: %s: %d function(s) on buses %02x-%02x, %d with a driver%s\n", dev->name, n,
		e->bus_start, e->host.last_bus, bound,
		failed ? ", some resources unassigned (see above)" : "");
	return 0;
}

static const struct dt_match ecam_match[] = {
	{ "pci-host-ecam-generic", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(pci_ecam_driver) = {
	.name = "pci-ecam",
	.match = ecam_match,
	.config_size = sizeof(struct ecam_config),
	.parse = ecam_parse,
	.probe = ecam_probe,
};
