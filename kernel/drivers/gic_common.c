/* What both GIC drivers share (gic.h): interrupt specifier decoding per the
 * Linux 6.1 bindings arm,gic.yaml / arm,gic-v3.yaml, the GICv3 redistributor
 * search, and the GICv2m MSI frame driver (QEMU's GICv2, VMware's and
 * Parallels' GICv3 carry v2m frames). INTID map: GIC architecture
 * specification IHI 0069, 2.2. */
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/dt_bindings.h>
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>

/* ------------------------------------------------------- specifiers ---- */

#define SPEC_SPI_MAX	987	/* INTID 32 + 987 = 1019, the last SPI */
#define SPEC_PPI_MAX	15
#define SPEC_ESPI_MAX	1023	/* INTID 4096..5119 */
#define SPEC_EPPI_MAX	63	/* INTID 1056..1119 (IHI 0069 2.2; the binding's
				 * "0-127" exceeds what GICR_TYPER.PPInum can give) */

#define FLAGS_RESERVED	0xffff00f0u	/* bits 7:4 and 31:16 */
#define FLAGS_PPI_MASK	0x0000ff00u	/* GICv2 PPI CPU mask: ignored */

static int decode_number(uint32_t type, uint32_t num, bool v3, struct irq_hw *out,
			 const char **why)
{
	switch (type) {
	case DT_GIC_SPI:
		if (num > SPEC_SPI_MAX)
			break;
		out->kind = IRQ_KIND_SPI;
		out->intid = 32 + num;
		return 0;
	case DT_GIC_PPI:
		if (num > SPEC_PPI_MAX)
			break;
		out->kind = IRQ_KIND_PPI;
		out->intid = 16 + num;
		out->percpu = true;
		return 0;
	case DT_GIC_ESPI:
		if (!v3) {
			*why = "extended SPI (type 2) needs a GICv3";
			return -PLINTH_EINVAL;
		}
		if (num > SPEC_ESPI_MAX)
			break;
		out->kind = IRQ_KIND_ESPI;
		out->intid = 4096 + num;
		return 0;
	case DT_GIC_EPPI:
		if (!v3) {
			*why = "extended PPI (type 3) needs a GICv3";
			return -PLINTH_EINVAL;
		}
		if (num > SPEC_EPPI_MAX)
			break;
		out->kind = IRQ_KIND_EPPI;
		out->intid = 1056 + num;
		out->percpu = true;
		return 0;
	default:
		*why = "unknown interrupt type (cell 0)";
		return -PLINTH_EINVAL;
	}
	*why = "interrupt number (cell 1) out of range for its type";
	return -PLINTH_EINVAL;
}

/* The GIC has only rising-edge and active-high level inputs (IHI 0069
 * 4.5 / GICD_ICFGR). The binding allows falling edge (2) and active-low (8)
 * for PPIs only, whose polarity the wiring fixes: those map to edge / level,
 * as other kernels do. On an SPI they are invalid. 0 (none) is not allowed by
 * the binding; it keeps the hardware's setting and is flagged. */
static int decode_trigger(uint32_t flags, struct irq_hw *out, const char **why)
{
	bool private = out->percpu;

	if (flags & FLAGS_RESERVED) {
		*why = "reserved flag bits (cell 2 bits 7:4 or 31:16) set";
		return -PLINTH_EINVAL;
	}
	if ((flags & FLAGS_PPI_MASK) && !private) {
		out->normalised = true;
		*why = "PPI CPU mask on a shared interrupt ignored";
	}
	switch (flags & DT_IRQ_TYPE_MASK) {
	case DT_IRQ_EDGE_RISING:
		out->trigger = IRQ_TRIGGER_EDGE;
		return 0;
	case DT_IRQ_LEVEL_HIGH:
		out->trigger = IRQ_TRIGGER_LEVEL;
		return 0;
	case 0:
		out->trigger = IRQ_TRIGGER_KEEP;
		out->normalised = true;
		*why = "no trigger type: hardware setting kept";
		return 0;
	case DT_IRQ_EDGE_FALLING:
	case DT_IRQ_LEVEL_LOW:
		if (!private) {
			*why = "falling edge / active low is invalid for a shared interrupt";
			return -PLINTH_EINVAL;
		}
		out->trigger = (flags & DT_IRQ_TYPE_MASK) == DT_IRQ_EDGE_FALLING ?
			       IRQ_TRIGGER_EDGE : IRQ_TRIGGER_LEVEL;
		out->normalised = true;
		*why = "PPI polarity is fixed by the wiring: treated as rising edge / high level";
		return 0;
	default:
		*why = "trigger (cell 2 bits 3:0) is not one of 1, 2, 4, 8";
		return -PLINTH_EINVAL;
	}
}

int gic_decode_spec(const uint32_t *cells, unsigned ncells, bool v3, struct irq_hw *out,
		    const char **why)
{
	struct irq_hw hw = { 0 };
	int err;

	*why = "ok";
	if (ncells < 3 || ncells > (v3 ? 4u : 3u)) {
		*why = v3 ? "#interrupt-cells must be 3 or 4" : "#interrupt-cells must be 3";
		return -PLINTH_EINVAL;
	}
	err = decode_number(cells[0], cells[1], v3, &hw, why);
	if (err < 0)
		return err;
	if (ncells == 4 && cells[3] != 0) {
		*why = hw.percpu ? "PPI partitions (cell 3) are not supported"
				 : "cell 3 must be 0 for a shared interrupt";
		return hw.percpu ? -PLINTH_ENOTSUP : -PLINTH_EINVAL;
	}
	hw.flags = cells[2];
	err = decode_trigger(cells[2], &hw, why);
	if (err < 0)
		return err;
	*out = hw;
	return 0;
}

int gic_xlate(struct device *chip, const struct dt_irq *spec, bool v3, struct irq_hw *out)
{
	const char *why;
	char cells[48];
	int err, n = 0;

	err = gic_decode_spec(spec->cells, spec->ncells, v3, out, &why);
	for (unsigned i = 0; i < spec->ncells && i < DT_MAX_IRQ_CELLS; i++)
		n += ksnprintf(cells + n, sizeof(cells) - (size_t)n, "%s0x%x", i ? " " : "",
			       spec->cells[i]);
	if (err < 0)
		kprintf("irq: %s: specifier <%s> refused: %s (%s)\n", chip->name, cells, why,
			plinth_strerror(err));
	else if (out->normalised)
		kprintf("irq: %s: specifier <%s>: %s\n", chip->name, cells, why);
	return err;
}

/* ------------------------------------------------- redistributors ---- */

uint32_t gic_mpidr_to_aff(uint64_t mpidr)
{
	/* MPIDR_EL1: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0];
	 * GICR_TYPER[63:32] packs them as Aff3.Aff2.Aff1.Aff0 (IHI 0069 12.11.36). */
	return (uint32_t)(((mpidr >> 32) & 0xff) << 24) | (uint32_t)(mpidr & 0xffffff);
}

int gic_find_redist(const struct gic_region *regions, unsigned nregions, uint64_t stride,
		    uint64_t mpidr, gicr_typer_fn typer, void *ctx, uint64_t *frame)
{
	uint32_t aff = gic_mpidr_to_aff(mpidr);

	for (unsigned i = 0; i < nregions; i++) {
		const struct gic_region *r = &regions[i];
		uint64_t off = 0;

		/* A region the tree makes huge, on hardware that never sets
		 * Last (frames reading as zero), would otherwise be walked for
		 * minutes at boot (found by tests/fuzz/fuzz_devtree.c). */
		for (unsigned n = 0; r->size - off >= GICR_FRAME_SIZE; n++) {
			if (n == GICR_MAX_FRAMES)
				return -PLINTH_ERANGE;
			uint64_t t = typer(ctx, r->base + off);
			uint64_t step;

			if ((uint32_t)(t >> 32) == aff) {
				*frame = r->base + off;
				return 0;
			}
			if (t & GICR_TYPER_LAST)
				break;
			step = stride ? stride : (t & GICR_TYPER_VLPIS) ? GICR_FRAME_SIZE_V4
									: GICR_FRAME_SIZE;
			if (step > r->size - off)
				break;
			off += step;
		}
	}
	return -PLINTH_ENODEV;
}

/* ------------------------------------------------- GICv2m frames ---- */

int gic_v2m_range(uint32_t msi_typer, const struct gic_v2m_config *c,
		  uint32_t *first, uint32_t *count)
{
	uint32_t f = c->dt_override ? c->base_spi : (msi_typer >> 16) & 0x3ff;
	uint32_t n = c->dt_override ? c->num_spis : msi_typer & 0x3ff;

	*first = f;
	*count = n;
	if (n == 0 || f < 32 || f > 1019 || n > 1020 - f)
		return -PLINTH_EINVAL;
	return 0;
}

static int gic_v2m_parse(struct device *dev)
{
	struct gic_v2m_config *c = dev->config;
	bool has_base, has_num;

	if (dev->reg_err < 0)
		return dev_fail(dev, dev->reg_err, "reg not translatable");
	if (dev->nreg < 1)
		return dev_fail(dev, -PLINTH_EINVAL, "no reg");
	c->base = dev->reg[0].addr;
	c->size = dev->reg[0].size;
	has_base = dt_read_u32(dev->fdt, dev->node, "arm,msi-base-spi", &c->base_spi) == 0;
	has_num = dt_read_u32(dev->fdt, dev->node, "arm,msi-num-spis", &c->num_spis) == 0;
	/* The binding overrides MSI_TYPER only with both; one alone is ignored. */
	c->dt_override = has_base && has_num;
	if (has_base != has_num)
		kprintf("gic-v2m: %s: only one of arm,msi-base-spi / arm,msi-num-spis: "
			"ignored, MSI_TYPER used\n", dev->name);
	return 0;
}

static int gic_v2m_probe(struct device *dev)
{
	const struct gic_v2m_config *c = dev->config;
	uint32_t typer = mmio_read32((uintptr_t)c->base + GICV2M_MSI_TYPER);
	uint32_t first, count;
	int err = gic_v2m_range(typer, c, &first, &count);

	if (err < 0)
		return dev_fail(dev, err, "SPI range %u+%u invalid (MSI_TYPER 0x%x%s)", first,
				count, typer, c->dt_override ? ", from the tree" : "");
	/* MSI delivery comes with PCIe; the frame is only reported for now. */
	kprintf("gic-v2m: %s: MSI frame 0x%llx, SPIs %u..%u (%u, from %s)\n", dev->name,
		(unsigned long long)c->base, first, first + count - 1, count,
		c->dt_override ? "arm,msi-base-spi/num-spis" : "MSI_TYPER");
	return 0;
}

static const struct dt_match gic_v2m_match[] = {
	{ "arm,gic-v2m-frame", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(gic_v2m_driver) = {
	.name = "gic-v2m",
	.match = gic_v2m_match,
	.config_size = sizeof(struct gic_v2m_config),
	.parse = gic_v2m_parse,
	.probe = gic_v2m_probe,
};
