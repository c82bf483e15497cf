/* Phase 2: the machine description as a tree, written once in its final
 * order with libfdt's sequential-write API (fdt_create ... fdt_finish).
 * Nothing is looked up or moved: each node is written whole, its properties
 * in the order the bindings' examples give them, and the phandles and labels
 * are the ones the parsers assigned. The order, top to bottom:
 *   /            cells (docs/design.md, tree contract), model, compatible,
 *                interrupt-parent
 *   chosen       stdout-path
 *   aliases      serial0, serial1, ...
 *   psci, cpus, the GIC (ITS and v2m frames under it), pmu, timer,
 *   pcie@...     in MCFG order,
 *   clock-uart<n> and serial@... in alias order,
 *   __symbols__  last, where dtc -@ puts it. */
#include <libfdt.h>
#include <plinth/printk.h>
#include "acpi.h"

struct emit {
	void *fdt;
	unsigned nodes;
};

static int begin(struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int begin(struct emit *e, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -FDT_ERR_BADVALUE;
	e->nodes++;
	return fdt_begin_node(e->fdt, name);
}

static int u32(struct emit *e, const char *name, uint32_t v)
{
	return fdt_property_u32(e->fdt, name, v);
}

static int str(struct emit *e, const char *name, const char *v)
{
	return fdt_property_string(e->fdt, name, v);
}

static int flag(struct emit *e, const char *name)
{
	return fdt_property(e->fdt, name, NULL, 0);
}

/* A property's value starts 4-byte aligned in the structure block. */
static int cells(struct emit *e, const char *name, const uint32_t *v, unsigned n)
{
	fdt32_t *p;
	int err = fdt_property_placeholder(e->fdt, name, (int)(4 * n), (void **)&p);

	for (unsigned i = 0; i < n && err >= 0; i++)
		p[i] = cpu_to_fdt32(v[i]);
	return err;
}

/* reg with the root's 2/2 cells: (address, size) pairs. */
static int reg(struct emit *e, const uint64_t *pairs, unsigned npairs)
{
	fdt32_t *p;		/* 4-byte aligned only: two cells per value */
	int err = fdt_property_placeholder(e->fdt, "reg", (int)(16 * npairs), (void **)&p);

	for (unsigned i = 0; i < 2 * npairs && err >= 0; i++) {
		p[2 * i] = cpu_to_fdt32((uint32_t)(pairs[i] >> 32));
		p[2 * i + 1] = cpu_to_fdt32((uint32_t)pairs[i]);
	}
	return err;
}

static int irq(struct emit *e, const struct acpi_irq *q)
{
	return q->present ? cells(e, "interrupts", q->spec, 3) : 0;
}

static int end(struct emit *e)
{
	return fdt_end_node(e->fdt);
}

#define TRY(x) do { int _e = (x); if (_e < 0) return _e; } while (0)

static int psci(struct emit *e, const struct acpi_machine *m)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	if (!m->psci.present)
		return 0;
	TRY(begin(e, "psci"));
	TRY(fdt_property(e->fdt, "compatible", compat, sizeof(compat)));
	TRY(str(e, "method", m->psci.hvc ? "hvc" : "smc"));
	TRY(u32(e, "phandle", m->psci.phandle));
	return end(e);
}

static int cpus(struct emit *e, const struct acpi_machine *m)
{
	const struct acpi_cpus *c = &m->cpus;

	if (!c->present)
		return 0;
	TRY(begin(e, "cpus"));
	TRY(u32(e, "#address-cells", c->cells));
	TRY(u32(e, "#size-cells", 0));
	TRY(u32(e, "phandle", c->phandle));
	for (unsigned i = 0; i < c->n; i++) {
		TRY(begin(e, "cpu@%llx", (unsigned long long)c->mpidr[i]));
		TRY(str(e, "device_type", "cpu"));
		TRY(str(e, "compatible", "arm,armv8"));
		if (c->cells == 2)
			TRY(fdt_property_u64(e->fdt, "reg", c->mpidr[i]));
		else
			TRY(u32(e, "reg", (uint32_t)c->mpidr[i]));
		if (m->psci.present)
			TRY(str(e, "enable-method", "psci"));
		TRY(end(e));
	}
	return end(e);
}

#define ITS_SIZE	0x20000
#define V2M_SIZE	0x1000

static int msi_frame(struct emit *e, const struct acpi_msi_frame *f)
{
	uint64_t r[2] = { f->base, f->its ? ITS_SIZE : V2M_SIZE };

	if (f->its) {
		TRY(begin(e, "msi-controller@%llx", (unsigned long long)f->base));
		TRY(str(e, "compatible", "arm,gic-v3-its"));
		TRY(reg(e, r, 1));
		TRY(flag(e, "msi-controller"));
		TRY(u32(e, "#msi-cells", 1));
	} else {
		TRY(begin(e, "v2m@%llx", (unsigned long long)f->base));
		TRY(str(e, "compatible", "arm,gic-v2m-frame"));
		TRY(reg(e, r, 1));
		TRY(flag(e, "msi-controller"));
		if (f->spi_select) {
			TRY(u32(e, "arm,msi-base-spi", f->spi_base));
			TRY(u32(e, "arm,msi-num-spis", f->spi_count));
		}
	}
	if (f->phandle)
		TRY(u32(e, "phandle", f->phandle));
	return end(e);
}

static int gic(struct emit *e, const struct acpi_machine *m)
{
	const struct acpi_gic *g = &m->gic;

	if (!g->present)
		return 0;
	TRY(begin(e, "interrupt-controller@%llx", (unsigned long long)g->base));
	TRY(str(e, "compatible", g->version == 2 ? "arm,cortex-a15-gic" : "arm,gic-v3"));
	TRY(u32(e, "#interrupt-cells", 3));
	TRY(flag(e, "interrupt-controller"));
	TRY(u32(e, "#address-cells", 2));
	TRY(u32(e, "#size-cells", 2));
	TRY(flag(e, "ranges"));
	TRY(reg(e, g->reg, g->nreg));
	TRY(u32(e, "phandle", g->phandle));
	if (g->nredist > 1)
		TRY(u32(e, "#redistributor-regions", g->nredist));
	TRY(irq(e, &g->maint));
	for (const struct acpi_msi_frame *f = g->frames; f; f = f->next)
		TRY(msi_frame(e, f));
	return end(e);
}

static int pmu(struct emit *e, const struct acpi_machine *m)
{
	if (!m->pmu.present)
		return 0;
	TRY(begin(e, "pmu"));
	TRY(str(e, "compatible", "arm,armv8-pmuv3"));
	TRY(irq(e, &m->pmu));
	return end(e);
}

static int timer(struct emit *e, const struct acpi_machine *m)
{
	if (!m->timer.present)
		return 0;
	TRY(begin(e, "timer"));
	TRY(str(e, "compatible", "arm,armv8-timer"));
	TRY(cells(e, "interrupts", m->timer.spec, 12));
	TRY(u32(e, "phandle", m->timer.phandle));
	if (m->timer.always_on)
		TRY(flag(e, "always-on"));
	return end(e);
}

static int pcie(struct emit *e, const struct acpi_pcie *p)
{
	static const uint32_t mask[4] = { DT_PCI_DEV_MASK, 0, 0, 7 };
	uint32_t bus[2] = { p->bus_start, p->bus_end };

	TRY(begin(e, "pcie@%llx", (unsigned long long)p->reg[0]));
	TRY(str(e, "compatible", "pci-host-ecam-generic"));
	TRY(u32(e, "#address-cells", 3));
	TRY(u32(e, "#size-cells", 2));
	TRY(reg(e, p->reg, 1));
	TRY(cells(e, "bus-range", bus, 2));
	TRY(u32(e, "linux,pci-domain", p->seg));
	TRY(u32(e, "phandle", p->phandle));
	if (p->dma_coherent)
		TRY(flag(e, "dma-coherent"));
	if (p->nranges)
		TRY(cells(e, "ranges", p->ranges, 7 * p->nranges));
	if (p->nimap) {
		TRY(cells(e, "interrupt-map", p->imap, 10 * p->nimap));
		TRY(cells(e, "interrupt-map-mask", mask, 4));
		TRY(u32(e, "#interrupt-cells", 1));
	}
	TRY(p->enabled ? str(e, "device_type", "pci") : str(e, "status", "disabled"));
	if (p->nmsi_map)
		TRY(cells(e, "msi-map", p->msi_map, p->nmsi_map));
	if (p->msi_parent)
		TRY(u32(e, "msi-parent", p->msi_parent));
	return end(e);
}

static int serial(struct emit *e, const struct acpi_serial *s)
{
	static const char pl011[] = "arm,pl011\0arm,primecell", names[] = "uartclk\0apb_pclk";
	const struct acpi_uart *u = s->u;

	if (s->kind == UART_PL011) {
		uint32_t clocks[2] = { s->clock_phandle, s->clock_phandle };

		TRY(begin(e, "clock-uart%u", s->n));
		TRY(str(e, "compatible", "fixed-clock"));
		TRY(u32(e, "#clock-cells", 0));
		TRY(u32(e, "clock-frequency", u->clock_hz));
		TRY(u32(e, "phandle", s->clock_phandle));
		TRY(end(e));
		TRY(begin(e, "serial@%llx", (unsigned long long)u->base));
		TRY(fdt_property(e->fdt, "compatible", pl011, sizeof(pl011)));
		TRY(cells(e, "clocks", clocks, 2));
		TRY(fdt_property(e->fdt, "clock-names", names, sizeof(names)));
	} else if (s->kind == UART_SBSA) {
		TRY(begin(e, "serial@%llx", (unsigned long long)u->base));
		TRY(str(e, "compatible", "arm,sbsa-uart"));
		TRY(u32(e, "current-speed", s->speed));
	} else {
		TRY(begin(e, "serial@%llx", (unsigned long long)u->base));
		TRY(str(e, "compatible", "ns16550a"));
		if (u->clock_hz)
			TRY(u32(e, "clock-frequency", u->clock_hz));
		if (u->reg_shift >= 0) {
			TRY(u32(e, "reg-shift", (uint32_t)u->reg_shift));
			TRY(u32(e, "reg-io-width", (uint32_t)u->io_width));
		}
	}
	TRY(reg(e, s->reg, 1));
	TRY(irq(e, &s->irq));
	TRY(u32(e, "phandle", s->phandle));
	return end(e);
}

static int chosen_aliases(struct emit *e, const struct acpi_machine *m)
{
	TRY(begin(e, "chosen"));
	if (m->stdout_path[0])
		TRY(str(e, "stdout-path", m->stdout_path));
	TRY(end(e));
	TRY(begin(e, "aliases"));
	for (const struct acpi_serial *s = m->serial; s; s = s->next) {
		char alias[16], path[40];

		ksnprintf(alias, sizeof(alias), "serial%u", s->n);
		ksnprintf(path, sizeof(path), "/serial@%llx", (unsigned long long)s->u->base);
		TRY(str(e, alias, path));
	}
	return end(e);
}

static int symbols(struct emit *e, const struct acpi_machine *m)
{
	TRY(begin(e, "__symbols__"));
	for (const struct acpi_sym *s = m->syms; s; s = s->next)
		if (!s->dead)
			TRY(str(e, s->name, s->path));
	return end(e);
}

static int root(struct emit *e, const struct acpi_machine *m)
{
	TRY(begin(e, "%s", ""));
	TRY(u32(e, "#address-cells", 2));
	TRY(u32(e, "#size-cells", 2));
	TRY(str(e, "model", m->model));
	TRY(str(e, "compatible", "plinth,acpi"));
	if (m->gic.present)
		TRY(u32(e, "interrupt-parent", m->gic.phandle));
	TRY(chosen_aliases(e, m));
	TRY(psci(e, m));
	TRY(cpus(e, m));
	TRY(gic(e, m));
	TRY(pmu(e, m));
	TRY(timer(e, m));
	for (const struct acpi_pcie *p = m->pcie; p; p = p->next)
		TRY(pcie(e, p));
	for (const struct acpi_serial *s = m->serial; s; s = s->next)
		TRY(serial(e, s));
	TRY(symbols(e, m));
	return end(e);
}

int acpi_emit(const struct acpi_machine *m, void *buf, size_t size, unsigned *nodes)
{
	struct emit e = { buf, 0 };
	int err;

	if (size > 0x7fffffff)
		size = 0x7fffffff;
	if ((err = fdt_create_with_flags(buf, (int)size, FDT_CREATE_FLAG_NO_NAME_DEDUP)) < 0 || (err = fdt_finish_reservemap(buf)) < 0 ||
	    (err = root(&e, m)) < 0 || (err = fdt_finish(buf)) < 0)
		return err;
	*nodes = e.nodes;
	return 0;
}
