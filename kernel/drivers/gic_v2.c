/* GICv2 (and GICv1) interrupt controller: distributor + memory-mapped CPU
 * interface, arm,gic.yaml. Register map: ARM IHI 0048B, 4.1 (GICD) and 4.4
 * (GICC). The kernel runs non-secure at EL1, so it only programs the
 * non-secure view: GICD_IGROUPR is left to the firmware. */
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00

#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_BPR	0x08
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10

#define GICD_MIN_SIZE	0x1000
#define GICC_MIN_SIZE	0x100	/* GICv1 (cortex-a9) maps only 0x100 */
#define GIC_PRIO	0xa0a0a0a0u	/* every interrupt the same middle priority */
#define GIC_PMR_ALL	0xf0	/* unmask all priorities we use */
#define GIC_MAX_LINES	1020

struct gic_v2_config {
	uint64_t dist, dist_size;
	uint64_t cpu, cpu_size;
};

struct gic_v2 {
	uintptr_t dist, cpu;
	unsigned nlines;	/* INTIDs 0..nlines-1 exist (GICD_TYPER.ITLinesNumber) */
	uint8_t cpu_mask;	/* GICD_ITARGETSR value of the boot CPU */
};

static inline uint32_t gicd_read(const struct gic_v2 *g, uint32_t off)
{
	return mmio_read32(g->dist + off);
}

static inline void gicd_write(const struct gic_v2 *g, uint32_t off, uint32_t v)
{
	mmio_write32(g->dist + off, v);
}

static int gic_v2_parse(struct device *dev)
{
	struct gic_v2_config *c = dev->config;
	uint32_t cells;

	if (dev->reg_err < 0)
		return dev_fail(dev, dev->reg_err, "reg not translatable");
	if (dev->nreg < 2)
		return dev_fail(dev, -PLINTH_EINVAL, "reg has %u entries, needs GICD and GICC",
				dev->nreg);
	if (dt_read_u32(dev->fdt, dev->node, "#interrupt-cells", &cells) < 0 || cells != 3)
		return dev_fail(dev, -PLINTH_EINVAL, "#interrupt-cells must be 3");
	c->dist = dev->reg[0].addr;
	c->dist_size = dev->reg[0].size;
	c->cpu = dev->reg[1].addr;
	c->cpu_size = dev->reg[1].size;
	if (c->dist_size < GICD_MIN_SIZE || c->cpu_size < GICC_MIN_SIZE)
		return dev_fail(dev, -PLINTH_EINVAL, "GICD size 0x%llx / GICC size 0x%llx too small",
				(unsigned long long)c->dist_size, (unsigned long long)c->cpu_size);
	return 0;
}

static int gic_v2_set_trigger(struct device *chip, uint32_t intid, enum irq_trigger t)
{
	struct gic_v2 *g = chip->priv;
	uint32_t off = GICD_ICFGR + 4 * (intid / 16);
	uint32_t bit = 1u << (2 * (intid % 16) + 1);	/* Int_config[1]: 1 = edge */
	uint32_t v;

	if (intid < 16 || intid >= g->nlines)
		return -PLINTH_EINVAL;
	v = gicd_read(g, off);
	v = t == IRQ_TRIGGER_EDGE ? v | bit : v & ~bit;
	gicd_write(g, off, v);
	/* IHI 0048B 4.3.13: a PPI's configuration may be fixed; check it took. */
	return (gicd_read(g, off) & bit) == (v & bit) ? 0 : -PLINTH_ENOTSUP;
}

static void gic_v2_enable(struct device *chip, uint32_t intid)
{
	struct gic_v2 *g = chip->priv;

	if (intid < g->nlines)
		gicd_write(g, GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

static void gic_v2_disable(struct device *chip, uint32_t intid)
{
	struct gic_v2 *g = chip->priv;

	if (intid < g->nlines)
		gicd_write(g, GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

static uint32_t gic_v2_ack(struct device *chip, uint32_t *intid)
{
	struct gic_v2 *g = chip->priv;
	uint32_t iar = mmio_read32(g->cpu + GICC_IAR);

	*intid = iar & 0x3ff;	/* bits 12:10 = SGI source CPU: kept in the token */
	return iar;
}

static void gic_v2_eoi(struct device *chip, uint32_t token)
{
	struct gic_v2 *g = chip->priv;

	mmio_write32(g->cpu + GICC_EOIR, token);
}

static int gic_v2_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	struct gic_v2 *g = chip->priv;
	int err = gic_xlate(chip, spec, false, out);

	if (err < 0)
		return err;
	if (out->intid >= g->nlines) {
		kprintf("irq: %s: INTID %u beyond the %u lines GICD_TYPER reports\n", chip->name,
			out->intid, g->nlines);
		return -PLINTH_ERANGE;
	}
	return 0;
}

/* The banked registers (SGIs/PPIs) and the CPU interface of the calling CPU. */
static int gic_v2_cpu_init(struct device *chip, unsigned cpu)
{
	struct gic_v2 *g = chip->priv;

	gicd_write(g, GICD_ICENABLER, 0xffff0000u);	/* PPIs off until requested */
	gicd_write(g, GICD_ISENABLER, 0x0000ffffu);	/* SGIs on: the kernel's IPIs */
	for (unsigned i = 0; i < 32; i += 4)
		gicd_write(g, GICD_IPRIORITYR + i, GIC_PRIO);
	mmio_write32(g->cpu + GICC_PMR, GIC_PMR_ALL);
	mmio_write32(g->cpu + GICC_BPR, 0);
	mmio_write32(g->cpu + GICC_CTLR, 1);	/* EnableGrp1 (NS view), EOImode 0 */
	kprintf("gic: %s: cpu%u interface on (target mask 0x%x)\n", chip->name, cpu,
		gicd_read(g, GICD_ITARGETSR) & 0xff);
	return 0;
}

/* Every SPI: off, not pending/active, level, middle priority, to the boot CPU. */
static void gic_v2_dist_init(struct gic_v2 *g)
{
	uint32_t targets = g->cpu_mask * 0x01010101u;

	gicd_write(g, GICD_CTLR, 0);
	for (unsigned i = 32; i < g->nlines; i += 32) {
		gicd_write(g, GICD_ICENABLER + i / 8, 0xffffffffu);
		gicd_write(g, GICD_ICPENDR + i / 8, 0xffffffffu);
		gicd_write(g, GICD_ICACTIVER + i / 8, 0xffffffffu);
	}
	for (unsigned i = 32; i < g->nlines; i += 4) {
		gicd_write(g, GICD_IPRIORITYR + i, GIC_PRIO);
		gicd_write(g, GICD_ITARGETSR + i, targets);
	}
	for (unsigned i = 32; i < g->nlines; i += 16)
		gicd_write(g, GICD_ICFGR + i / 4, 0);
	gicd_write(g, GICD_CTLR, 1);
}

static const struct irq_chip_ops gic_v2_ops = {
	.magic = IRQ_CHIP_MAGIC,
	.name = "GICv2",
	.xlate = gic_v2_xlate,
	.set_trigger = gic_v2_set_trigger,
	.enable = gic_v2_enable,
	.disable = gic_v2_disable,
	.ack = gic_v2_ack,
	.eoi = gic_v2_eoi,
	.cpu_init = gic_v2_cpu_init,
};

static int gic_v2_probe(struct device *dev)
{
	const struct gic_v2_config *c = dev->config;
	struct gic_v2 *g = kzalloc(sizeof(*g));
	uint32_t typer;
	int err;

	if (!g)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for state");
	g->dist = (uintptr_t)c->dist;
	g->cpu = (uintptr_t)c->cpu;
	typer = gicd_read(g, GICD_TYPER);
	g->nlines = 32 * ((typer & 0x1f) + 1);
	if (g->nlines > GIC_MAX_LINES)
		g->nlines = GIC_MAX_LINES;
	/* IHI 0048B 4.3.12: ITARGETSR0-7 read as the reading CPU's own bit;
	 * RAZ on a uniprocessor GIC, where targets do not matter. */
	g->cpu_mask = gicd_read(g, GICD_ITARGETSR) & 0xff;
	gic_v2_dist_init(g);
	dev->priv = g;
	dev->provider = &gic_v2_ops;
	err = irq_root_register(dev);
	if (err < 0) {
		dev->provider = NULL;
		return dev_fail(dev, err, "cannot become the root controller");
	}
	kprintf("gic: %s: GICv2 GICD 0x%llx (%u lines, %u CPUs) GICC 0x%llx\n", dev->name,
		(unsigned long long)c->dist, g->nlines, ((typer >> 5) & 7) + 1,
		(unsigned long long)c->cpu);
	return 0;
}

static const struct dt_match gic_v2_match[] = {
	{ "arm,cortex-a15-gic", NULL },
	{ "arm,gic-400", NULL },
	{ "arm,cortex-a9-gic", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(gic_v2_driver) = {
	.name = "gic-v2",
	.match = gic_v2_match,
	.config_size = sizeof(struct gic_v2_config),
	.parse = gic_v2_parse,
	.probe = gic_v2_probe,
};
