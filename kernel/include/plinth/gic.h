/* What the GIC drivers share (gic_common.c, gic_v2.c, gic_v3.c): specifier
 * decoding, the GICv3 redistributor search, the GICv2m frame, and the GICv3
 * CPU interface system registers. The pure parts run in host tests; the
 * system-register accessors follow mmio.h: inline asm in the kernel, plain
 * functions a test supplies under PLINTH_HOST. */
#ifndef PLINTH_GIC_H
#define PLINTH_GIC_H
#include <stdbool.h>
#include <stdint.h>
#include "driver.h"
#include "irq.h"

/* ---- interrupt specifiers (arm,gic.yaml, arm,gic-v3.yaml) ---- */

/* Cells -> INTID + trigger. Cell 0 is DT_GIC_* (dt_bindings.h; ESPI and EPPI
 * are GICv3.1 only), cell 2 the DT_IRQ_* trigger flags. `v3` allows the extended ranges and a 4th cell
 * (PPI partition phandle: must be 0, partitions are not supported).
 * -PLINTH_EINVAL: wrong cell count, unknown type, number out of range, a
 * trigger the binding forbids for that kind (falling edge / active-low on an
 * SPI, several trigger bits, bits 7:4 set). -PLINTH_ENOTSUP: a partition.
 * Allowed-but-unsupported triggers are normalised and flagged (see .c).
 * *why (never NULL) says what was refused or normalised. */
int gic_decode_spec(const uint32_t *cells, unsigned ncells, bool v3, struct irq_hw *out,
		    const char **why);
/* The xlate both GIC drivers publish: decode + one log line on refusal or
 * normalisation, naming the controller and the cells. */
int gic_xlate(struct device *chip, const struct dt_irq *spec, bool v3, struct irq_hw *out);

/* ---- GICv3 redistributors ---- */

#define GICR_FRAME_SIZE		0x20000ull	/* RD_base + SGI_base (GICv3) */
#define GICR_FRAME_SIZE_V4	0x40000ull	/* + VLPI_base + reserved (GICv4, TYPER.VLPIS) */
#define GICR_MAX_FRAMES		4096	/* per region: one per PE; far more PEs than any machine */
#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1ull << 1)
#define GICR_TYPER_LAST		(1ull << 4)

struct gic_region {
	uint64_t base, size;
};

/* Reads the 64-bit GICR_TYPER of the redistributor frame at `frame`. */
typedef uint64_t (*gicr_typer_fn)(void *ctx, uint64_t frame);

/* MPIDR_EL1 -> the Aff3.Aff2.Aff1.Aff0 word GICR_TYPER[63:32] holds. */
uint32_t gic_mpidr_to_aff(uint64_t mpidr);

/* Find the redistributor whose GICR_TYPER affinity equals mpidr's by walking
 * every region frame by frame (stride, or when 0 the frame size TYPER.VLPIS
 * implies) until GICR_TYPER.Last or the region's end. Never by index: firmware
 * may list redistributors out of CPU order (Parallels). 0 and *frame,
 * -PLINTH_ENODEV when no frame matches, -PLINTH_ERANGE when a region holds
 * more than GICR_MAX_FRAMES frames without one (nor a Last). */
int gic_find_redist(const struct gic_region *regions, unsigned nregions, uint64_t stride,
		    uint64_t mpidr, gicr_typer_fn typer, void *ctx, uint64_t *frame);

/* The arm,gic-v3 node as plain values (no MMIO): GICD, the redistributor
 * regions (`#redistributor-regions`, default 1, each at least one frame),
 * `redistributor-stride` (0 = from GICR_TYPER; else a multiple of 64 KiB and
 * at least one frame). GICC/GICH/GICV entries after the regions are unused. */
struct gic_v3_config {
	uint64_t dist, dist_size;
	unsigned nregions;
	struct gic_region *redist;	/* nregions entries (kzalloc) */
	uint64_t stride;
	uint32_t ncells;	/* #interrupt-cells: 3 or 4 */
};

/* From the device's node and the reg list the driver core translated (and
 * mapped): GICD is reg[0], the regions reg[1..nregions]. 0, or a negative
 * code with why (len bytes) saying which value was wrong. */
int gic_v3_parse_config(const struct device *dev, struct gic_v3_config *c, char *why,
			size_t len);

/* ---- GICv2m MSI frames (children of either GIC) ---- */

#define GICV2M_MSI_TYPER	0x008

struct gic_v2m_config {
	uint64_t base, size;
	bool dt_override;	/* arm,msi-base-spi + arm,msi-num-spis both given */
	uint32_t base_spi, num_spis;	/* from the tree when dt_override */
};

/* MSI_TYPER bits [25:16] = first SPI's INTID, [9:0] = number of SPIs. Checks
 * the range lies inside 32..1019; 0 or -PLINTH_EINVAL. */
int gic_v2m_range(uint32_t msi_typer, const struct gic_v2m_config *c,
		  uint32_t *first, uint32_t *count);

/* ---- GICv3 CPU interface system registers (IHI 0069 12.2) ---- */

#define ICC_SRE_SRE	(1ull << 0)

#ifdef PLINTH_HOST
uint64_t icc_read_sre(void);
void icc_write_sre(uint64_t v);
void icc_write_pmr(uint64_t v);
void icc_write_bpr1(uint64_t v);
void icc_write_ctlr(uint64_t v);
void icc_write_igrpen1(uint64_t v);
uint64_t icc_read_iar1(void);
void icc_write_eoir1(uint64_t v);
uint64_t cpu_read_mpidr(void);
#else
/* Encodings rather than names so any binutils assembles them. */
static inline uint64_t icc_read_sre(void) { return read_sysreg(S3_0_C12_C12_5); }
static inline void icc_write_sre(uint64_t v) { write_sysreg(v, S3_0_C12_C12_5); isb(); }
static inline void icc_write_pmr(uint64_t v) { write_sysreg(v, S3_0_C4_C6_0); }
static inline void icc_write_bpr1(uint64_t v) { write_sysreg(v, S3_0_C12_C12_3); }
static inline void icc_write_ctlr(uint64_t v) { write_sysreg(v, S3_0_C12_C12_4); }
static inline void icc_write_igrpen1(uint64_t v) { write_sysreg(v, S3_0_C12_C12_7); isb(); }
static inline uint64_t icc_read_iar1(void)
{
	uint64_t v = read_sysreg(S3_0_C12_C12_0);
	dsb(sy);	/* IHI 0069 12.1.6: order the ack before the handler's accesses */
	return v;
}
static inline void icc_write_eoir1(uint64_t v) { write_sysreg(v, S3_0_C12_C12_1); isb(); }
static inline uint64_t cpu_read_mpidr(void) { return read_sysreg(mpidr_el1); }
#endif

#endif
