/* MADT -> /cpus, the GIC node and its ITS / v2m children, and the PMU
 * (ACPI 6.5 5.2.12.14-18; bindings arm/cpus.yaml, arm,gic.yaml,
 * arm,gic-v3.yaml, arm,gic-v2m-frame in arm,gic.yaml, arm/pmu.yaml).
 *
 * Subtables are walked by their own length byte; the walk stops at a length
 * below 2 or one that runs past the table. A survey pass collects the GIC's
 * facts (version 0 must be inferred from what else is there) before the
 * CPUs, the GIC and the PMU are described. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define GICD_SIZE_V2	0x1000
#define GICC_SIZE_V2	0x2000	/* GICC_DIR sits at 0x1000 */
#define GICH_SIZE	0x2000
#define GICV_SIZE	0x2000
#define GICD_SIZE_V3	0x10000
#define GICR_FRAME_V3	0x20000	/* RD_base + SGI_base */
#define GICR_FRAME_V4	0x40000	/* + VLPI_base + reserved */
#define ITS_SIZE	0x20000
#define V2M_SIZE	0x1000

/* The highest MPIDR seen so far (mpidr_seen). */
struct mpidr_track {
	uint64_t max;
	int any;
};

struct madt_survey {
	unsigned gicc, gicc_used, gicc_old, gicc_off, gicc_dup, gicc_online;
	unsigned gicd, msi, gicr, its, unknown;
	uint8_t unknown_type;
	uint64_t gicd_base;
	uint8_t gicd_version;
	uint64_t gicc_base, gich, gicv;	/* from the first usable GICC */
	uint32_t vgic_gsiv, vgic_flags;
	unsigned gicc_gicr;		/* usable GICCs with a GICR base */
	int aff3;			/* an MPIDR has Aff3 bits */
	uint32_t perf_gsiv, perf_flags;
	int perf_mixed;
	struct mpidr_track track;
	uint64_t off_mpidr[8];		/* the first GICCs neither enabled nor online-capable */
};

/* The subtable at *off, or NULL at the end or on a bad length (logged). */
static const uint8_t *madt_next(struct acpi_ctx *c, const struct acpi_sdt *t, uint32_t *off,
				int log)
{
	const uint8_t *s;

	if (*off >= t->len)
		return NULL;
	if (!sdt_has(t, *off, 2)) {
		if (log)
			acpi_log(c, "madt: 1 stray byte at 0x%x: walk ends", *off);
		return NULL;
	}
	s = t->p + *off;
	if (s[1] < 2 || !sdt_has(t, *off, s[1])) {
		if (log)
			acpi_log(c, "madt: subtable type 0x%02x at 0x%x has length %u (table ends at 0x%x): walk ends there",
				 s[0], *off, s[1], t->len);
		return NULL;
	}
	*off += s[1];
	return s;
}

static int gicc_usable(const uint8_t *s)
{
	uint32_t f = le32(s + GICC_FLAGS);

	return s[1] >= GICC_LEN_MPIDR && (f & (GICC_FLAG_ENABLED | GICC_FLAG_ONLINE_CAPABLE));
}

static uint64_t gicc_mpidr(const uint8_t *s)
{
	return le64(s + GICC_MPIDR) & MPIDR_AFF_MASK;
}

/* An earlier usable GICC (before `upto`) with the same MPIDR. Firmware
 * lists CPUs in MPIDR order, so a value above every earlier one is new
 * without a look back; only an out-of-order one rescans the table. */
static int mpidr_seen(struct acpi_ctx *c, const struct acpi_sdt *t, uint32_t upto, uint64_t mpidr,
		      struct mpidr_track *k)
{
	uint32_t off = MADT_SUBTABLES;
	const uint8_t *s;

	if (!k->any || mpidr > k->max) {
		k->any = 1;
		k->max = mpidr;
		return 0;
	}
	while (off < upto && (s = madt_next(c, t, &off, 0)))
		if (s[0] == MADT_GICC && gicc_usable(s) && gicc_mpidr(s) == mpidr)
			return 1;
	return 0;
}

static void survey_gicc(struct acpi_ctx *c, const struct acpi_sdt *t, const uint8_t *s,
			uint32_t at, struct madt_survey *m)
{
	uint32_t f;

	m->gicc++;
	if (s[1] < GICC_LEN_MPIDR) {
		/* ACPI 5.0's 40-byte GICC has no MPIDR: no CPU node can be named. */
		m->gicc_old++;
		return;
	}
	f = le32(s + GICC_FLAGS);
	if (!(f & (GICC_FLAG_ENABLED | GICC_FLAG_ONLINE_CAPABLE))) {
		/* Never usable by the OS (GICC CPU Interface Flags, ACPI 6.5
		 * 5.2.12.14): no CPU node, and its GICR base is not taken for a
		 * redistributor either (redist_regions). */
		if (m->gicc_off < sizeof(m->off_mpidr) / sizeof(m->off_mpidr[0]))
			m->off_mpidr[m->gicc_off] = gicc_mpidr(s);
		m->gicc_off++;
		return;
	}
	if (m->gicc_used >= ACPI_MAX_CPUS) {
		m->gicc_used++;		/* counted, never a node: bounds the work */
		return;
	}
	if (mpidr_seen(c, t, at, gicc_mpidr(s), &m->track)) {
		m->gicc_dup++;
		return;
	}
	if (!(f & GICC_FLAG_ENABLED))
		m->gicc_online++;
	if (m->gicc_used++ == 0) {
		m->gicc_base = le64(s + GICC_BASE);
		m->gicv = le64(s + GICC_GICV);
		m->gich = le64(s + GICC_GICH);
		m->vgic_gsiv = le32(s + GICC_VGIC_GSIV);
		m->vgic_flags = f & GICC_FLAG_VGIC_EDGE ? 1 : 4;
		m->perf_gsiv = le32(s + GICC_PERF_GSIV);
		m->perf_flags = f & GICC_FLAG_PERF_EDGE ? 1 : 4;
	} else if (le32(s + GICC_PERF_GSIV) != m->perf_gsiv) {
		m->perf_mixed = 1;
	}
	if (le64(s + GICC_GICR_BASE))
		m->gicc_gicr++;
	if (gicc_mpidr(s) >> 32)
		m->aff3 = 1;
}

static void survey(struct acpi_ctx *c, const struct acpi_sdt *t, struct madt_survey *m)
{
	uint32_t off = MADT_SUBTABLES, at;
	const uint8_t *s;

	memset(m, 0, sizeof(*m));
	for (at = off; (s = madt_next(c, t, &off, 1)); at = off) {
		switch (s[0]) {
		case MADT_GICC:
			survey_gicc(c, t, s, at, m);
			break;
		case MADT_GICD:
			if (s[1] < GICD_LEN)
				acpi_log(c, "madt: GICD at 0x%x: length %u < %u: ignored", at, s[1], GICD_LEN);
			else if (m->gicd++ == 0) {
				m->gicd_base = le64(s + GICD_BASE);
				m->gicd_version = s[GICD_VERSION];
			}
			break;
		case MADT_GIC_MSI_FRAME:
			m->msi++;
			break;
		case MADT_GICR:
			m->gicr++;
			break;
		case MADT_GIC_ITS:
			m->its++;
			break;
		default:
			if (m->unknown++ == 0)
				m->unknown_type = s[0];
		}
	}
}

/* GICD version field (ACPI 6.5 Table 5.46): 0 = "look at the hardware",
 * which a converter cannot; infer v3 from redistributors, else v2. */
static int gic_binding(struct acpi_ctx *c, const struct madt_survey *m)
{
	switch (m->gicd_version) {
	case 1:
	case 2:
		return 2;
	case 3:
	case 4:
		return 3;
	default:
		break;
	}
	if (m->gicr || m->gicc_gicr) {
		acpi_log(c, "madt: GICD version %u: inferred GICv3 from %u GICR structure(s) and %u GICC GICR base(s)",
			 m->gicd_version, m->gicr, m->gicc_gicr);
		return 3;
	}
	acpi_log(c, "madt: GICD version %u: inferred GICv2 (no GICR structure, no GICC GICR base)",
		 m->gicd_version);
	return 2;
}

/* ---------------------------------------------------------------- cpus ---- */

static void mpidr_list(char *buf, size_t size, unsigned i, unsigned n, uint64_t mpidr)
{
	size_t len = strlen(buf);

	if (i < 8 || i == n - 1)
		ksnprintf(buf + len, size - len, "%s%s0x%llx", len ? " " : "",
			  i == n - 1 && n > 9 ? "... " : "", (unsigned long long)mpidr);
}

/* The usable GICCs, each MPIDR once, at most ACPI_MAX_CPUS: the i-th at
 * *off (from MADT_SUBTABLES), or NULL at the end. */
static const uint8_t *next_cpu(struct acpi_ctx *c, const struct acpi_sdt *t, uint32_t *off,
			       unsigned i, struct mpidr_track *k)
{
	const uint8_t *s;
	uint32_t at;

	for (at = *off; i < ACPI_MAX_CPUS && (s = madt_next(c, t, off, 0)); at = *off)
		if (s[0] == MADT_GICC && gicc_usable(s) && !mpidr_seen(c, t, at, gicc_mpidr(s), k))
			return s;
	return NULL;
}

static int cpus(struct acpi_ctx *c, const struct acpi_sdt *t, const struct madt_survey *m)
{
	struct acpi_cpus *cp = &c->m.cpus;
	uint32_t off = MADT_SUBTABLES;
	const uint8_t *s;
	unsigned n = 0, most = m->gicc_used < ACPI_MAX_CPUS ? m->gicc_used : ACPI_MAX_CPUS;
	char list[160] = "";
	struct mpidr_track k = { 0, 0 };

	cp->present = 1;
	cp->cells = m->aff3 ? 2 : 1;
	if (acpi_label(c, "cpus", "/cpus", &cp->phandle, 0) < 0 ||
	    (most && !(cp->mpidr = acpi_alloc(c, most * sizeof(cp->mpidr[0])))))
		return -FDT_ERR_NOSPACE;
	for (; n < most && (s = next_cpu(c, t, &off, n, &k)); n++) {
		cp->mpidr[n] = gicc_mpidr(s);
		mpidr_list(list, sizeof(list), n, m->gicc_used, gicc_mpidr(s));
	}
	cp->n = c->ncpus = n;
	acpi_log(c, "madt: cpus: %u (MPIDR %s), %u address cell(s)%s", n, n ? list : "-", cp->cells,
		 c->m.psci.present ? ", enable-method psci" : ", no enable-method: no PSCI in the FADT");
	if (m->gicc_used > ACPI_MAX_CPUS)
		acpi_log(c, "madt: cpus: %u more GICC entries past the limit of %u: no node",
			 m->gicc_used - ACPI_MAX_CPUS, ACPI_MAX_CPUS);
	if (m->gicc_online)
		acpi_log(c, "madt: %u of the CPUs online-capable, not enabled at boot: a node each (PSCI CPU_ON may start them)",
			 m->gicc_online);
	if (m->gicc_off) {
		list[0] = 0;
		for (unsigned i = 0; i < m->gicc_off && i < 8; i++)
			mpidr_list(list, sizeof(list), i, 8, m->off_mpidr[i]);
		acpi_log(c, "madt: %u GICC entries neither enabled nor online-capable (MPIDR %s%s): no node",
			 m->gicc_off, list, m->gicc_off > 8 ? " ..." : "");
	}
	if (m->gicc_old)
		acpi_log(c, "madt: %u GICC entries of the ACPI 5.0 size (< %u bytes, no MPIDR): no node",
			 m->gicc_old, GICC_LEN_MPIDR);
	if (m->gicc_dup)
		acpi_log(c, "madt: %u GICC entries repeat an MPIDR: no second node", m->gicc_dup);
	return 0;
}

/* ----------------------------------------------------------------- gic ---- */

static void reg_add(struct acpi_gic *g, uint64_t base, uint64_t size)
{
	g->reg[2 * g->nreg] = base;
	g->reg[2 * g->nreg + 1] = size;
	g->nreg++;
}

/* Redistributor regions: GICR structures, else one frame per GICC GICR base
 * with contiguous frames merged (firmware without a GICR structure gives
 * each CPU its own, in any order). */
static void redist_regions(struct acpi_ctx *c, const struct acpi_sdt *t,
			   const struct madt_survey *m, struct acpi_gic *g)
{
	uint32_t off = MADT_SUBTABLES;
	uint64_t frame = m->gicd_version == 4 ? GICR_FRAME_V4 : GICR_FRAME_V3;
	uint64_t cur = 0, cur_len = 0;
	unsigned first = g->nreg;
	const uint8_t *s;

	while ((s = madt_next(c, t, &off, 0))) {
		if (m->gicr && s[0] == MADT_GICR && s[1] >= GICR_LEN) {
			reg_add(g, le64(s + GICR_BASE), le32(s + GICR_LENGTH));
		} else if (!m->gicr && s[0] == MADT_GICC && gicc_usable(s) && le64(s + GICC_GICR_BASE)) {
			uint64_t b = le64(s + GICC_GICR_BASE);

			if (cur_len && b == cur + cur_len) {
				cur_len += frame;
			} else if (!cur_len || b < cur || b >= cur + cur_len) {
				if (cur_len)
					reg_add(g, cur, cur_len);
				cur = b, cur_len = frame;
			}
		}
	}
	if (cur_len)
		reg_add(g, cur, cur_len);
	g->nredist = g->nreg - first;
	if (m->gicr && m->gicc_gicr)
		acpi_log(c, "madt: GICR structures and GICC GICR bases both present: GICR structures used");
	if (!m->gicr && m->gicc_gicr)
		acpi_log(c, "madt: no GICR structure: %u redistributor region(s) from %u GICC GICR bases (0x%llx bytes each)",
			 g->nredist, m->gicc_gicr, (unsigned long long)frame);
}

static int frame_add(struct acpi_ctx *c, struct acpi_msi_frame ***tail, const struct acpi_msi_frame *f)
{
	struct acpi_msi_frame *n = acpi_alloc(c, sizeof(*n));

	if (!n)
		return -FDT_ERR_NOSPACE;
	*n = *f;
	n->next = NULL;
	**tail = n;
	*tail = &n->next;
	return 0;
}

/* A GICv2m MSI frame (ACPI 6.5 5.2.12.16). With SPI Count/Base Select set
 * the table's SPI range overrides the frame's MSI_TYPER (the Galaxy Book S:
 * 128 SPIs from 832), which arm,msi-base-spi / arm,msi-num-spis say in the
 * tree (arm,gic.yaml); a range that is no run of SPIs (32-1019) is not
 * written, and the frame's own MSI_TYPER stands. */
static int v2m_frame(struct acpi_ctx *c, struct acpi_msi_frame ***tail, const uint8_t *s,
		     uint32_t at)
{
	struct acpi_msi_frame f = { .its = 0 };

	if (s[1] < MSI_FRAME_LEN) {
		acpi_log(c, "madt: MSI frame at 0x%x: length %u < %u: ignored", at, s[1], MSI_FRAME_LEN);
		return 0;
	}
	f.base = le64(s + MSI_FRAME_BASE);
	f.spi_select = le32(s + MSI_FRAME_FLAGS) & MSI_FRAME_SPI_SELECT;
	f.spi_base = le16(s + MSI_FRAME_SPI_BASE);
	f.spi_count = le16(s + MSI_FRAME_SPI_COUNT);
	if (f.spi_select && (f.spi_count == 0 || f.spi_base < 32 || f.spi_base + f.spi_count > 1020)) {
		acpi_log(c, "madt: v2m frame 0x%llx: SPI Count/Base Select with SPIs %u+%u, not within SPIs 32-1019: MSI_TYPER used",
			 (unsigned long long)f.base, f.spi_base, f.spi_count);
		f.spi_select = 0;
	}
	if (frame_add(c, tail, &f) < 0)
		return -FDT_ERR_NOSPACE;
	if (f.spi_select)
		acpi_log(c, "madt: v2m = arm,gic-v2m-frame@%llx, SPIs %u+%u (table overrides MSI_TYPER)",
			 (unsigned long long)f.base, f.spi_base, f.spi_count);
	else
		acpi_log(c, "madt: v2m = arm,gic-v2m-frame@%llx, SPIs from its MSI_TYPER",
			 (unsigned long long)f.base);
	return 0;
}

/* The GIC's ITS and v2m children, in table order. */
static int msi_frames(struct acpi_ctx *c, const struct acpi_sdt *t, struct acpi_gic *g)
{
	struct acpi_msi_frame **tail = &g->frames;
	uint32_t off = MADT_SUBTABLES, at;
	const uint8_t *s;

	for (at = off; (s = madt_next(c, t, &off, 0)); at = off) {
		if (s[0] == MADT_GIC_ITS) {
			/* GIC ITS ID (ACPI 6.5 Table 5.51), which IORT ITS groups name. */
			struct acpi_msi_frame f = { .its = 1 };

			if (s[1] < ITS_LEN || g->version < 3) {
				acpi_log(c, "madt: ITS at 0x%x: %s: ignored", at,
					 g->version < 3 ? "under a GICv2" : "too short");
				continue;
			}
			f.base = le64(s + ITS_BASE);
			f.its_id = le32(s + ITS_ID);
			if (frame_add(c, &tail, &f) < 0)
				return -FDT_ERR_NOSPACE;
			g->nits++;
			acpi_log(c, "madt: its = arm,gic-v3-its@%llx", (unsigned long long)f.base);
		} else if (s[0] == MADT_GIC_MSI_FRAME && v2m_frame(c, &tail, s, at) < 0) {
			return -FDT_ERR_NOSPACE;
		}
	}
	return 0;
}

static int gic(struct acpi_ctx *c, const struct acpi_sdt *t, const struct madt_survey *m)
{
	struct acpi_gic *g = &c->m.gic;
	unsigned most = 5 + (m->gicr > m->gicc_gicr ? m->gicr : m->gicc_gicr);
	char cpuif[80] = "";

	g->version = gic_binding(c, m);
	g->base = m->gicd_base;
	if (!(g->reg = acpi_alloc(c, 2 * most * sizeof(g->reg[0]))))
		return -FDT_ERR_NOSPACE;
	if (g->version == 2) {
		reg_add(g, m->gicd_base, GICD_SIZE_V2);
		reg_add(g, m->gicc_base, GICC_SIZE_V2);
		if (!m->gicc_base)
			acpi_log(c, "madt: GICv2 but no GICC carries a CPU interface base: reg has GICC 0");
	} else {
		reg_add(g, m->gicd_base, GICD_SIZE_V3);
		redist_regions(c, t, m, g);
		if (!g->nredist)
			acpi_log(c, "madt: GICv3 without any redistributor (no GICR structure, no GICC GICR base)");
	}
	/* The virtualisation interfaces, when the table has them all; a GICC
	 * base equal to the GICD's (sbsa-ref) describes nothing. */
	if (m->gicc_base && m->gich && m->gicv && m->gicc_base != m->gicd_base) {
		if (g->version == 3)
			reg_add(g, m->gicc_base, GICC_SIZE_V2);
		reg_add(g, m->gich, GICH_SIZE);
		reg_add(g, m->gicv, GICV_SIZE);
		ksnprintf(cpuif, sizeof(cpuif), ", GICH 0x%llx GICV 0x%llx, maintenance GSIV %u",
			  (unsigned long long)m->gich, (unsigned long long)m->gicv, m->vgic_gsiv);
	} else if (g->version == 3 && m->gicc_base) {
		acpi_log(c, "madt: GICC base 0x%llx%s: GICv2-compatible CPU interface not described",
			 (unsigned long long)m->gicc_base,
			 m->gicc_base == m->gicd_base ? " is the GICD's" : " without GICH/GICV");
	}
	g->present = 1;
	if (acpi_label(c, "gic", acpi_strdup(c, "/interrupt-controller@%llx",
					     (unsigned long long)g->base), &g->phandle, 0) < 0)
		return -FDT_ERR_NOSPACE;
	if (g->version == 2)
		acpi_log(c, "madt: gic = arm,cortex-a15-gic@%llx (GICD version %u), GICC 0x%llx%s",
			 (unsigned long long)m->gicd_base, m->gicd_version,
			 (unsigned long long)m->gicc_base, cpuif);
	else if (g->nredist == 0)
		acpi_log(c, "madt: gic = arm,gic-v3@%llx (GICD version %u), 0 redistributor region(s)%s",
			 (unsigned long long)m->gicd_base, m->gicd_version, cpuif);
	else
		acpi_log(c, "madt: gic = arm,gic-v3@%llx (GICD version %u), %u redistributor region(s), first 0x%llx+0x%llx%s",
			 (unsigned long long)m->gicd_base, m->gicd_version, g->nredist,
			 (unsigned long long)g->reg[2], (unsigned long long)g->reg[3], cpuif);
	if (m->vgic_gsiv)
		acpi_interrupt(c, &g->maint, "madt: gic maintenance", m->vgic_gsiv, m->vgic_flags);
	return msi_frames(c, t, g);
}

/* A PMU node when every CPU names the same PPI (arm/pmu.yaml); per-CPU SPIs
 * would need interrupt-affinity, which is not written. */
static void pmu(struct acpi_ctx *c, const struct madt_survey *m)
{
	if (!m->perf_gsiv || !c->m.gic.present)
		return;
	if (m->perf_mixed || m->perf_gsiv < 16 || m->perf_gsiv >= 32) {
		acpi_log(c, "madt: PMU interrupts differ per CPU or are not a PPI: no pmu node");
		return;
	}
	acpi_interrupt(c, &c->m.pmu, "madt: pmu", m->perf_gsiv, m->perf_flags);
	acpi_log(c, "madt: pmu = arm,armv8-pmuv3, PPI %u", m->perf_gsiv - 16);
}

int acpi_madt(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	struct madt_survey m;
	int err;

	if (!t) {
		acpi_log(c, "madt: absent: no GIC, no CPUs, no interrupts");
		return 0;
	}
	if (t->len < MADT_SUBTABLES) {
		acpi_log(c, "madt: %u bytes, shorter than its 44-byte fixed part: skipped", t->len);
		return ACPI_SKIPPED;
	}
	/* Revision 3 (ACPI 5.1) brought the GICC entry with GICR base and
	 * MPIDR; each entry's own length is what is checked before reading. */
	if (t->rev < 3)
		acpi_log(c, "madt: revision %u predates ACPI 5.1: GICC entries may lack MPIDRs", t->rev);
	survey(c, t, &m);
	if (m.unknown)
		acpi_log(c, "madt: %u subtable(s) of other types (first 0x%02x) not converted", m.unknown,
			 m.unknown_type);
	if ((err = cpus(c, t, &m)) < 0)
		return err;
	if (!m.gicd) {
		acpi_log(c, "madt: no GIC distributor (GICD) structure: no interrupt controller");
		return 0;
	}
	if (m.gicd > 1)
		acpi_log(c, "madt: %u GICD structures: the first is used", m.gicd);
	if ((err = gic(c, t, &m)) < 0)
		return err;
	pmu(c, &m);
	return 0;
}
