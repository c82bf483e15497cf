/* GICv3/v4 interrupt controller (arm,gic-v3.yaml): distributor with affinity
 * routing, one redistributor per CPU found by affinity (gic_find_redist), and
 * the system-register CPU interface. Also the ITS child (arm,gic-v3-its),
 * reported only until MSI delivery arrives. Register map: ARM IHI 0069,
 * 12.8 (GICD), 12.10-12.11 (GICR), 12.19 (GITS). */
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_ENABLE	0x13u	/* ARE_NS | EnableGrp1A | EnableGrp1 (12.9.4) */
#define GICD_TYPER		0x0004
#define GICD_TYPER_ESPI		(1u << 8)
#define GICD_PIDR2		0xffe8
/* Register blocks, as offsets of the SPI (or ESPI: `E`) variant. */
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_IGROUPRE		0x1000
#define GICD_ISENABLERE		0x1200
#define GICD_ICENABLERE		0x1400
#define GICD_ICPENDRE		0x1800
#define GICD_ICACTIVERE		0x1c00
#define GICD_IPRIORITYRE	0x2000
#define GICD_ICFGRE		0x3000
#define GICD_IROUTERE		0x8000

#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1u << 3)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1u << 1)	/* ProcessorSleep */
#define GICR_WAKER_ASLEEP	(1u << 2)	/* ChildrenAsleep */
#define GICR_SGI		0x10000		/* SGI_base frame; banked SGI/PPI/EPPI regs */

#define GITS_TYPER		0x0008
#define GITS_PIDR2		0xffe8

#define GICD_MIN_SIZE		0x10000
#define GIC_PRIO		0xa0a0a0a0u
#define GIC_PMR_ALL		0xf0
#define GIC_MAX_LINES		1020
#define POLL_LIMIT		1000000

struct gic_v3 {
	const struct gic_v3_config *c;
	uintptr_t dist;
	unsigned nlines;		/* SPIs: INTIDs 32..nlines-1 */
	unsigned nespi;			/* extended SPIs: 4096..4096+nespi-1 */
	unsigned neppi;			/* extended PPIs of the boot CPU's redistributor */
	uint64_t route;			/* GICD_IROUTER value: the boot CPU, IRM = 0 */
	uint64_t rd[IRQ_MAX_CPUS];	/* RD_base of each CPU index (0 = not found) */
};

/* ------------------------------------------------------------ parse ---- */

/* #redistributor-regions (default 1), checked against the reg list: GICD
 * and then one entry per region. */
static int redist_count(const struct device *dev, uint32_t *n, char *why, size_t len)
{
	int err = dt_read_u32(dev->fdt, dev->node, "#redistributor-regions", n);

	if (err == -PLINTH_ENOENT) {
		*n = 1;
	} else if (err < 0) {
		ksnprintf(why, len, "#redistributor-regions unreadable: %s", plinth_strerror(err));
		return err;
	}
	if (*n < 1) {
		ksnprintf(why, len, "#redistributor-regions 0: at least one region is needed");
		return -PLINTH_EINVAL;
	}
	if (dev->nreg < 1 || dev->nreg - 1 < *n) {
		ksnprintf(why, len, "reg has %u entries, needs GICD + %u redistributor regions",
			  dev->nreg, *n);
		return -PLINTH_EINVAL;
	}
	return 0;
}

int gic_v3_parse_config(const struct device *dev, struct gic_v3_config *c, char *why,
			size_t len)
{
	uint32_t nregions;
	int err;

	if (dt_read_u32(dev->fdt, dev->node, "#interrupt-cells", &c->ncells) < 0 ||
	    (c->ncells != 3 && c->ncells != 4)) {
		ksnprintf(why, len, "#interrupt-cells must be 3 or 4");
		return -PLINTH_EINVAL;
	}
	if (dev->reg_err < 0) {
		dev_reg_reason(dev, why, len);
		return dev->reg_err;
	}
	if ((err = redist_count(dev, &nregions, why, len)) < 0)
		return err;
	c->dist = dev->reg[0].addr;
	c->dist_size = dev->reg[0].size;
	if (c->dist_size < GICD_MIN_SIZE) {
		ksnprintf(why, len, "GICD (reg 0) size 0x%llx, less than 64 KiB",
			  (unsigned long long)c->dist_size);
		return -PLINTH_EINVAL;
	}
	if (!(c->redist = kzalloc(nregions * sizeof(*c->redist)))) {
		ksnprintf(why, len, "no memory for %u redistributor regions", nregions);
		return -PLINTH_ENOMEM;
	}
	c->nregions = nregions;
	for (unsigned i = 0; i < nregions; i++) {
		const struct dev_reg *r = &dev->reg[1 + i];

		if (r->size < GICR_FRAME_SIZE) {
			ksnprintf(why, len, "redistributor region %u (reg %u) size 0x%llx, less than "
				  "one frame", i, 1 + i, (unsigned long long)r->size);
			return -PLINTH_EINVAL;
		}
		c->redist[i] = (struct gic_region){ r->addr, r->size };
	}
	c->stride = 0;
	err = dt_read_u64(dev->fdt, dev->node, "redistributor-stride", &c->stride);
	if (err < 0 && err != -PLINTH_ENOENT) {
		ksnprintf(why, len, "redistributor-stride unreadable: %s", plinth_strerror(err));
		return err;
	}
	/* The binding: a multiple of 64 KiB, > 0; a frame pair needs 128 KiB. */
	if (err == 0 && (c->stride % 0x10000 || c->stride < GICR_FRAME_SIZE)) {
		ksnprintf(why, len, "redistributor-stride 0x%llx: not a multiple of 64 KiB >= 128 KiB",
			  (unsigned long long)c->stride);
		return -PLINTH_EINVAL;
	}
	return 0;
}

static int gic_v3_parse(struct device *dev)
{
	char why[sizeof(dev->reason)];
	int err = gic_v3_parse_config(dev, dev->config, why, sizeof(why));

	return err < 0 ? dev_fail(dev, err, "%s", why) : 0;
}

/* ---------------------------------------------------------- helpers ---- */

static uint64_t read64(uintptr_t addr)
{
	/* 32-bit halves: IHI 0069 12.1.3 allows 32-bit access to 64-bit registers. */
	return mmio_read32(addr) | (uint64_t)mmio_read32(addr + 4) << 32;
}

static void write64(uintptr_t addr, uint64_t v)
{
	mmio_write32(addr, (uint32_t)v);
	mmio_write32(addr + 4, (uint32_t)(v >> 32));
}

static uint64_t typer_mmio(void *ctx, uint64_t frame)
{
	(void)ctx;
	return read64((uintptr_t)frame + GICR_TYPER);
}

static int poll_clear(uintptr_t reg, uint32_t bits)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++)
		if (!(mmio_read32(reg) & bits))
			return 0;
	return -PLINTH_EIO;
}

/* The redistributor of the calling CPU: PPIs and EPPIs are banked there. */
static uintptr_t this_rd(const struct gic_v3 *g)
{
	unsigned cpu = cpu_current();

	return cpu < IRQ_MAX_CPUS ? (uintptr_t)g->rd[cpu] : 0;
}

/* Where INTID's bit/byte lives: `base` of the register block and the index
 * of the INTID inside that block. 0 or -PLINTH_EINVAL. */
struct gic_loc {
	uintptr_t base;		/* GICD or SGI_base frame */
	bool esp;		/* use the extended block */
	unsigned n;		/* index within the block */
};

static int locate(const struct gic_v3 *g, uint32_t intid, struct gic_loc *l)
{
	if (intid < 32 || (intid >= 1056 && intid < 1056 + g->neppi)) {
		uintptr_t rd = this_rd(g);

		if (!rd)
			return -PLINTH_ENODEV;
		/* Extended PPI registers follow the PPI ones (GICR_ISENABLER<n>E
		 * at 0x104.. etc.): 1056 sits where 32 would. */
		l->base = rd + GICR_SGI;
		l->esp = false;
		l->n = intid < 32 ? intid : intid - 1024;
		return 0;
	}
	l->base = g->dist;
	if (intid < g->nlines) {
		l->esp = false;
		l->n = intid;
		return 0;
	}
	if (intid >= 4096 && intid < 4096 + g->nespi) {
		l->esp = true;
		l->n = intid - 4096;
		return 0;
	}
	return -PLINTH_EINVAL;
}

static void bit_write(const struct gic_loc *l, uint32_t spi_off, uint32_t esp_off)
{
	mmio_write32(l->base + (l->esp ? esp_off : spi_off) + 4 * (l->n / 32), 1u << (l->n % 32));
}

/* ------------------------------------------------------- chip ops ---- */

static void gic_v3_enable(struct device *chip, uint32_t intid)
{
	struct gic_loc l;

	if (locate(chip->priv, intid, &l) == 0)
		bit_write(&l, GICD_ISENABLER, GICD_ISENABLERE);
}

static void gic_v3_disable(struct device *chip, uint32_t intid)
{
	struct gic_loc l;

	if (locate(chip->priv, intid, &l) == 0)
		bit_write(&l, GICD_ICENABLER, GICD_ICENABLERE);
}

static int gic_v3_set_trigger(struct device *chip, uint32_t intid, enum irq_trigger t)
{
	struct gic_loc l;
	uintptr_t reg;
	uint32_t bit, v;

	if (intid < 16 || locate(chip->priv, intid, &l) < 0)
		return -PLINTH_EINVAL;
	reg = l.base + (l.esp ? GICD_ICFGRE : GICD_ICFGR) + 4 * (l.n / 16);
	bit = 1u << (2 * (l.n % 16) + 1);	/* Int_config[1]: 1 = edge */
	v = mmio_read32(reg);
	v = t == IRQ_TRIGGER_EDGE ? v | bit : v & ~bit;
	mmio_write32(reg, v);
	return (mmio_read32(reg) & bit) == (v & bit) ? 0 : -PLINTH_ENOTSUP;
}

static uint32_t gic_v3_ack(struct device *chip, uint32_t *intid)
{
	uint64_t iar = icc_read_iar1();

	(void)chip;
	*intid = (uint32_t)(iar & 0xffffff);
	return (uint32_t)iar;
}

static void gic_v3_eoi(struct device *chip, uint32_t token)
{
	(void)chip;
	icc_write_eoir1(token);
}

static int gic_v3_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	struct gic_v3 *g = chip->priv;
	int err = gic_xlate(chip, spec, true, out);
	bool ok;

	if (err < 0)
		return err;
	switch (out->kind) {
	case IRQ_KIND_SPI:
		ok = out->intid < g->nlines;
		break;
	case IRQ_KIND_ESPI:
		ok = out->intid < 4096 + g->nespi;
		break;
	case IRQ_KIND_EPPI:
		ok = out->intid < 1056 + g->neppi;
		break;
	default:
		ok = true;
	}
	if (!ok) {
		kprintf("irq: %s: %s INTID %u not implemented (SPIs < %u, ESPIs %u, EPPIs %u)\n",
			chip->name, irq_kind_name(out->kind), out->intid, g->nlines, g->nespi,
			g->neppi);
		return -PLINTH_ERANGE;
	}
	return 0;
}

/* Private interrupts of the redistributor at rd: SGIs on (the kernel's
 * IPIs), PPIs/EPPIs off until requested, all group 1, middle priority. */
static unsigned rd_init_private(uintptr_t rd)
{
	uintptr_t sgi = rd + GICR_SGI;
	unsigned ppinum = (unsigned)(read64(rd + GICR_TYPER) >> 27) & 0x1f;
	unsigned neppi = ppinum == 1 ? 32 : ppinum == 2 ? 64 : 0;

	for (unsigned n = 0; n < 32 + neppi; n += 32) {
		mmio_write32(sgi + GICD_IGROUPR + n / 8, 0xffffffffu);
		mmio_write32(sgi + GICD_ICENABLER + n / 8, n ? 0xffffffffu : 0xffff0000u);
		if (!n)
			mmio_write32(sgi + GICD_ISENABLER, 0x0000ffffu);
	}
	for (unsigned n = 0; n < 32 + neppi; n += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + n, GIC_PRIO);
	return neppi;
}

static int icc_init(void)
{
	icc_write_sre(icc_read_sre() | ICC_SRE_SRE);
	if (!(icc_read_sre() & ICC_SRE_SRE))
		return -PLINTH_ENOTSUP;
	icc_write_pmr(GIC_PMR_ALL);
	icc_write_bpr1(0);
	icc_write_ctlr(0);	/* EOImode 0: EOIR drops priority and deactivates */
	icc_write_igrpen1(1);
	return 0;
}

static int gic_v3_cpu_init(struct device *chip, unsigned cpu)
{
	struct gic_v3 *g = chip->priv;
	const struct gic_v3_config *c = g->c;
	uint64_t mpidr = cpu_read_mpidr();
	uint64_t rd;
	unsigned neppi;
	int err;

	if (cpu >= IRQ_MAX_CPUS)
		return -PLINTH_ERANGE;
	err = gic_find_redist(c->redist, c->nregions, c->stride, mpidr, typer_mmio, NULL, &rd);
	if (err < 0) {
		kprintf("gic: %s: cpu%u: no redistributor has affinity 0x%x (MPIDR 0x%llx)%s\n",
			chip->name, cpu, gic_mpidr_to_aff(mpidr), (unsigned long long)mpidr,
			err == -PLINTH_ERANGE ? " among the first frames of a region that sets no Last"
					      : "");
		return err;
	}
	mmio_write32((uintptr_t)rd + GICR_WAKER,
		     mmio_read32((uintptr_t)rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (poll_clear((uintptr_t)rd + GICR_WAKER, GICR_WAKER_ASLEEP) < 0) {
		kprintf("gic: %s: cpu%u: redistributor 0x%llx stays asleep (GICR_WAKER 0x%x)\n",
			chip->name, cpu, (unsigned long long)rd,
			mmio_read32((uintptr_t)rd + GICR_WAKER));
		return -PLINTH_EIO;
	}
	g->rd[cpu] = rd;
	neppi = rd_init_private((uintptr_t)rd);
	if (cpu == 0)
		g->neppi = neppi;
	poll_clear((uintptr_t)rd + GICR_CTLR, GICR_CTLR_RWP);
	err = icc_init();
	if (err < 0) {
		kprintf("gic: %s: cpu%u: ICC_SRE_EL1.SRE stays 0 (EL2 did not enable the "
			"system-register interface)\n", chip->name, cpu);
		return err;
	}
	kprintf("gic: %s: cpu%u MPIDR 0x%llx -> redistributor 0x%llx\n", chip->name, cpu,
		(unsigned long long)mpidr, (unsigned long long)rd);
	return 0;
}

static const struct irq_chip_ops gic_v3_ops = {
	.magic = IRQ_CHIP_MAGIC,
	.name = "GICv3",
	.xlate = gic_v3_xlate,
	.set_trigger = gic_v3_set_trigger,
	.enable = gic_v3_enable,
	.disable = gic_v3_disable,
	.ack = gic_v3_ack,
	.eoi = gic_v3_eoi,
	.cpu_init = gic_v3_cpu_init,
};

/* ------------------------------------------------------------ probe ---- */

/* One block of shared interrupts (SPIs when !esp, ESPIs when esp), count a
 * multiple of 32: off, clear, group 1, level, middle priority, boot CPU. */
static void dist_init_block(struct gic_v3 *g, bool esp, unsigned first, unsigned count)
{
	uintptr_t d = g->dist;

	for (unsigned n = first; n < first + count; n += 32) {
		mmio_write32(d + (esp ? GICD_ICENABLERE : GICD_ICENABLER) + n / 8, 0xffffffffu);
		mmio_write32(d + (esp ? GICD_ICPENDRE : GICD_ICPENDR) + n / 8, 0xffffffffu);
		mmio_write32(d + (esp ? GICD_ICACTIVERE : GICD_ICACTIVER) + n / 8, 0xffffffffu);
		mmio_write32(d + (esp ? GICD_IGROUPRE : GICD_IGROUPR) + n / 8, 0xffffffffu);
	}
	for (unsigned n = first; n < first + count; n += 16)
		mmio_write32(d + (esp ? GICD_ICFGRE : GICD_ICFGR) + n / 4, 0);
	for (unsigned n = first; n < first + count; n += 4)
		mmio_write32(d + (esp ? GICD_IPRIORITYRE : GICD_IPRIORITYR) + n, GIC_PRIO);
	for (unsigned n = first; n < first + count; n++)
		write64(d + (esp ? GICD_IROUTERE : GICD_IROUTER) + 8 * n, g->route);
}

static int gic_v3_dist_init(struct gic_v3 *g)
{
	uint32_t typer = mmio_read32(g->dist + GICD_TYPER);
	uint64_t mpidr = cpu_read_mpidr();

	g->nlines = 32 * ((typer & 0x1f) + 1);
	if (g->nlines > GIC_MAX_LINES)
		g->nlines = GIC_MAX_LINES;
	g->nespi = typer & GICD_TYPER_ESPI ? 32 * ((typer >> 27) + 1) : 0;
	/* GICD_IROUTER: Aff3 at [39:32], Aff2.Aff1.Aff0 at [23:0], IRM = 0. */
	g->route = mpidr & 0xff00ffffffull;
	mmio_write32(g->dist + GICD_CTLR, 0);
	if (poll_clear(g->dist + GICD_CTLR, GICD_CTLR_RWP) < 0)
		return -PLINTH_EIO;
	/* INTIDs 0-31 are the redistributors'; the SPI block starts at 32. */
	dist_init_block(g, false, 32, g->nlines - 32);
	dist_init_block(g, true, 0, g->nespi);
	mmio_write32(g->dist + GICD_CTLR, GICD_CTLR_ENABLE);
	return poll_clear(g->dist + GICD_CTLR, GICD_CTLR_RWP);
}

static int gic_v3_probe(struct device *dev)
{
	const struct gic_v3_config *c = dev->config;
	struct gic_v3 *g = kzalloc(sizeof(*g));
	uint32_t pidr2;
	int err;

	if (!g)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for state");
	g->c = c;
	g->dist = (uintptr_t)c->dist;
	pidr2 = mmio_read32(g->dist + GICD_PIDR2);
	if (((pidr2 >> 4) & 0xf) != 3 && ((pidr2 >> 4) & 0xf) != 4)
		return dev_fail(dev, -PLINTH_ENODEV, "GICD_PIDR2 0x%x: not a GICv3/v4", pidr2);
	err = gic_v3_dist_init(g);
	if (err < 0)
		return dev_fail(dev, err, "distributor did not settle (GICD_CTLR.RWP)");
	dev->priv = g;
	dev->provider = &gic_v3_ops;
	err = irq_root_register(dev);
	if (err < 0) {
		dev->provider = NULL;
		return dev_fail(dev, err, "boot CPU interface not usable");
	}
	kprintf("gic: %s: GICv3 GICD 0x%llx (%u SPI lines, %u ESPIs), %u redistributor "
		"region(s), stride 0x%llx\n", dev->name, (unsigned long long)c->dist, g->nlines,
		g->nespi, c->nregions, (unsigned long long)c->stride);
	return 0;
}

static const struct dt_match gic_v3_match[] = {
	{ "arm,gic-v3", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(gic_v3_driver) = {
	.name = "gic-v3",
	.match = gic_v3_match,
	.config_size = sizeof(struct gic_v3_config),
	.parse = gic_v3_parse,
	.probe = gic_v3_probe,
};

/* -------------------------------------------------------------- ITS ---- */

struct gic_its_config {
	uint64_t base, size;
};

static int gic_its_parse(struct device *dev)
{
	struct gic_its_config *c = dev->config;

	if (dev->reg_err < 0)
		return dev_fail(dev, dev->reg_err, "reg not translatable");
	if (dev->nreg < 1 || dev->reg[0].size < 0x20000)
		return dev_fail(dev, -PLINTH_EINVAL, "reg missing or smaller than 128 KiB");
	c->base = dev->reg[0].addr;
	c->size = dev->reg[0].size;
	return 0;
}

/* Reported, left disabled: MSI delivery (device/collection tables, command
 * queue) comes with PCIe. */
static int gic_its_probe(struct device *dev)
{
	const struct gic_its_config *c = dev->config;
	uint32_t pidr2 = mmio_read32((uintptr_t)c->base + GITS_PIDR2);
	uint64_t typer = read64((uintptr_t)c->base + GITS_TYPER);

	if (((pidr2 >> 4) & 0xf) != 3 && ((pidr2 >> 4) & 0xf) != 4)
		return dev_fail(dev, -PLINTH_ENODEV, "GITS_PIDR2 0x%x: not an ITS", pidr2);
	kprintf("its: %s: ITS 0x%llx, DeviceID bits %u, EventID bits %u, ITT entry %u bytes "
		"(not enabled: no MSI users yet)\n", dev->name, (unsigned long long)c->base,
		(unsigned)((typer >> 13) & 0x1f) + 1, (unsigned)((typer >> 8) & 0x1f) + 1,
		(unsigned)((typer >> 4) & 0xf) + 1);
	return 0;
}

static const struct dt_match gic_its_match[] = {
	{ "arm,gic-v3-its", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(gic_its_driver) = {
	.name = "gic-its",
	.match = gic_its_match,
	.config_size = sizeof(struct gic_its_config),
	.parse = gic_its_parse,
	.probe = gic_its_probe,
};
