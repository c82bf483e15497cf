/* MADT -> /cpus, the GIC node and its ITS / v2m children, and the PMU
 * (ACPI 6.5 5.2.12.14-18; bindings arm/cpus.yaml, arm,gic.yaml,
 * arm,gic-v3.yaml, arm,gic-v2m-frame in arm,gic.yaml, arm/pmu.yaml).
 *
 * Subtables are walked by their own length byte; the walk stops at a length
 * below 2 or one that runs past the table. A survey pass collects the GIC's
 * facts (version 0 must be inferred from what else is there) before any
 * node is written. */
#include <libfdt.h>
#include <string.h>
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

/* The first CPU's node is made through libfdt, which puts the property
 * names in the strings block; the rest are raw records that name them by
 * offset (acpi_fdt_reserve), in one insertion. */
struct cpu_names {
	int device_type, compatible, reg, enable_method;
};

static const char cpu_type[] = "cpu", cpu_compat[] = "arm,armv8", cpu_method[] = "psci";

static int cpu_node(struct acpi_ctx *c, int cpus, const uint8_t *s, int cells,
		    struct cpu_names *nm)
{
	uint64_t mpidr = gicc_mpidr(s);
	int node, err;

	if ((node = acpi_fdt_node(c, cpus, "cpu@%llx", (unsigned long long)mpidr)) < 0)
		return node;
	if ((err = fdt_setprop_string(c->fdt, node, "device_type", cpu_type)) < 0 ||
	    (err = fdt_setprop_string(c->fdt, node, "compatible", cpu_compat)) < 0)
		return err;
	err = cells == 2 ? fdt_setprop_u64(c->fdt, node, "reg", mpidr)
			 : fdt_setprop_u32(c->fdt, node, "reg", (uint32_t)mpidr);
	if (err >= 0 && c->psci)
		err = fdt_setprop_string(c->fdt, node, "enable-method", cpu_method);
	if (err < 0)
		return err;
	nm->enable_method = c->psci ? acpi_fdt_nameoff(c, node, "enable-method") : 0;
	if ((nm->device_type = acpi_fdt_nameoff(c, node, "device_type")) < 0 ||
	    (nm->compatible = acpi_fdt_nameoff(c, node, "compatible")) < 0 ||
	    (nm->reg = acpi_fdt_nameoff(c, node, "reg")) < 0 || nm->enable_method < 0)
		return -FDT_ERR_INTERNAL;
	return 0;
}

/* One CPU as raw records; with p NULL, only its size. */
static size_t cpu_record(struct acpi_ctx *c, uint8_t *p, uint64_t mpidr, int cells,
			 const struct cpu_names *nm)
{
	char name[32];
	fdt64_t reg64 = cpu_to_fdt64(mpidr);
	fdt32_t reg32 = cpu_to_fdt32((uint32_t)mpidr);
	uint32_t reglen = cells == 2 ? 8 : 4;
	uint8_t *q = p;

	ksnprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
	if (!p)
		return raw_node_size(name) + raw_prop_size(sizeof(cpu_type)) +
		       raw_prop_size(sizeof(cpu_compat)) + raw_prop_size(reglen) +
		       (c->psci ? raw_prop_size(sizeof(cpu_method)) : 0);
	q = raw_begin(q, name);
	if (c->psci)
		q = raw_prop(q, (uint32_t)nm->enable_method, cpu_method, sizeof(cpu_method));
	q = raw_prop(q, (uint32_t)nm->reg, cells == 2 ? (const void *)&reg64 : (const void *)&reg32,
		     reglen);
	q = raw_prop(q, (uint32_t)nm->compatible, cpu_compat, sizeof(cpu_compat));
	q = raw_prop(q, (uint32_t)nm->device_type, cpu_type, sizeof(cpu_type));
	q = raw_end(q);
	return (size_t)(q - p);
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

static int write_cpus(struct acpi_ctx *c, const struct acpi_sdt *t, const struct madt_survey *m)
{
	uint32_t off = MADT_SUBTABLES;
	const uint8_t *s;
	int cpus, err, cells = m->aff3 ? 2 : 1;
	unsigned n = 0;
	char list[160] = "";
	struct mpidr_track k = { 0, 0 };
	struct cpu_names nm;
	size_t bytes = 0;
	uint8_t *p;

	if ((cpus = fdt_add_subnode(c->fdt, 0, "cpus")) < 0)
		return cpus;
	if ((err = fdt_setprop_u32(c->fdt, cpus, "#address-cells", (uint32_t)cells)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, cpus, "#size-cells", 0)) < 0 ||
	    (err = acpi_fdt_label(c, cpus, "cpus")) < 0)
		return err;
	for (; (s = next_cpu(c, t, &off, n, &k)); n++) {
		if (n == 0 && (err = cpu_node(c, cpus, s, cells, &nm)) < 0)
			return err;
		if (n > 0)
			bytes += cpu_record(c, NULL, gicc_mpidr(s), cells, &nm);
		mpidr_list(list, sizeof(list), n, m->gicc_used, gicc_mpidr(s));
	}
	if (n > 1) {
		if (!(p = acpi_fdt_reserve(c, cpus, bytes, &err)))
			return err;
		off = MADT_SUBTABLES;
		k = (struct mpidr_track){ 0, 0 };
		for (unsigned i = 0; (s = next_cpu(c, t, &off, i, &k)); i++) {
			if (i == 0)
				continue;
			bytes -= cpu_record(c, NULL, gicc_mpidr(s), cells, &nm);
			cpu_record(c, p + bytes, gicc_mpidr(s), cells, &nm);
		}
		if (bytes)
			return -FDT_ERR_INTERNAL;
	}
	c->ncpus = n;
	acpi_log(c, "madt: cpus: %u (MPIDR %s), %u address cell(s)%s", n, n ? list : "-", cells,
		 c->psci ? ", enable-method psci" : ", no enable-method: no PSCI in the FADT");
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

struct regs {
	uint64_t v[2 * 64];
	unsigned n;
};

static void regs_add(struct regs *r, uint64_t base, uint64_t size)
{
	if (r->n < 64) {
		r->v[2 * r->n] = base;
		r->v[2 * r->n + 1] = size;
		r->n++;
	}
}

/* Redistributor regions: GICR structures, else one frame per GICC GICR base
 * with contiguous frames merged (firmware without a GICR structure gives
 * each CPU its own, in any order). Returns the number of regions. */
static unsigned redist_regions(struct acpi_ctx *c, const struct acpi_sdt *t,
			       const struct madt_survey *m, struct regs *r)
{
	uint32_t off = MADT_SUBTABLES;
	uint64_t frame = m->gicd_version == 4 ? GICR_FRAME_V4 : GICR_FRAME_V3;
	uint64_t cur = 0, cur_len = 0;
	unsigned first = r->n;
	const uint8_t *s;

	while ((s = madt_next(c, t, &off, 0))) {
		if (m->gicr && s[0] == MADT_GICR && s[1] >= GICR_LEN) {
			regs_add(r, le64(s + GICR_BASE), le32(s + GICR_LENGTH));
		} else if (!m->gicr && s[0] == MADT_GICC && gicc_usable(s) && le64(s + GICC_GICR_BASE)) {
			uint64_t b = le64(s + GICC_GICR_BASE);

			if (cur_len && b == cur + cur_len) {
				cur_len += frame;
			} else if (!cur_len || b < cur || b >= cur + cur_len) {
				if (cur_len)
					regs_add(r, cur, cur_len);
				cur = b, cur_len = frame;
			}
		}
	}
	if (cur_len)
		regs_add(r, cur, cur_len);
	if (m->gicr && m->gicc_gicr)
		acpi_log(c, "madt: GICR structures and GICC GICR bases both present: GICR structures used");
	if (!m->gicr && m->gicc_gicr)
		acpi_log(c, "madt: no GICR structure: %u redistributor region(s) from %u GICC GICR bases (0x%llx bytes each)",
			 r->n - first, m->gicc_gicr, (unsigned long long)frame);
	return r->n - first;
}

/* A GICv2m MSI frame (ACPI 6.5 5.2.12.16). With SPI Count/Base Select set
 * the table's SPI range overrides the frame's MSI_TYPER (the Galaxy Book S:
 * 128 SPIs from 832), which arm,msi-base-spi / arm,msi-num-spis say in the
 * tree (arm,gic.yaml); a range that is no run of SPIs (32-1019) is not
 * written, and the frame's own MSI_TYPER stands. */
static int v2m_frame(struct acpi_ctx *c, int gic, const uint8_t *s, uint32_t at)
{
	uint64_t base = s[1] >= MSI_FRAME_LEN ? le64(s + MSI_FRAME_BASE) : 0;
	uint64_t reg[2] = { base, V2M_SIZE };
	uint32_t spi_base, spi_count;
	int node, err, select;

	if (s[1] < MSI_FRAME_LEN) {
		acpi_log(c, "madt: MSI frame at 0x%x: length %u < %u: ignored", at, s[1], MSI_FRAME_LEN);
		return 0;
	}
	select = le32(s + MSI_FRAME_FLAGS) & MSI_FRAME_SPI_SELECT;
	spi_base = le16(s + MSI_FRAME_SPI_BASE);
	spi_count = le16(s + MSI_FRAME_SPI_COUNT);
	if (select && (spi_count == 0 || spi_base < 32 || spi_base + spi_count > 1020)) {
		acpi_log(c, "madt: v2m frame 0x%llx: SPI Count/Base Select with SPIs %u+%u, not within SPIs 32-1019: MSI_TYPER used",
			 (unsigned long long)base, spi_base, spi_count);
		select = 0;
	}
	if (!c->have_v2m) {
		c->have_v2m = 1;
		c->v2m_base = base;
	}
	if ((node = acpi_fdt_node(c, gic, "v2m@%llx", (unsigned long long)base)) < 0)
		return node;
	if ((err = fdt_setprop_string(c->fdt, node, "compatible", "arm,gic-v2m-frame")) < 0 ||
	    (err = acpi_fdt_reg(c, node, reg, 1)) < 0 ||
	    (err = fdt_setprop(c->fdt, node, "msi-controller", NULL, 0)) < 0)
		return err;
	if (select &&
	    ((err = fdt_setprop_u32(c->fdt, node, "arm,msi-base-spi", spi_base)) < 0 ||
	     (err = fdt_setprop_u32(c->fdt, node, "arm,msi-num-spis", spi_count)) < 0))
		return err;
	if (select)
		acpi_log(c, "madt: v2m = arm,gic-v2m-frame@%llx, SPIs %u+%u (table overrides MSI_TYPER)",
			 (unsigned long long)base, spi_base, spi_count);
	else
		acpi_log(c, "madt: v2m = arm,gic-v2m-frame@%llx, SPIs from its MSI_TYPER",
			 (unsigned long long)base);
	return 0;
}

static int gic_children(struct acpi_ctx *c, const struct acpi_sdt *t, int gic, int version)
{
	uint32_t off = MADT_SUBTABLES, at;
	const uint8_t *s;
	int node, err;

	for (at = off; (s = madt_next(c, t, &off, 0)); at = off) {
		if (s[0] == MADT_GIC_ITS) {
			uint64_t base = s[1] >= ITS_LEN ? le64(s + ITS_BASE) : 0;
			uint64_t reg[2] = { base, ITS_SIZE };

			if (s[1] < ITS_LEN || version < 3) {
				acpi_log(c, "madt: ITS at 0x%x: %s: ignored", at,
					 version < 3 ? "under a GICv2" : "too short");
				continue;
			}
			if ((node = acpi_fdt_node(c, gic, "msi-controller@%llx", (unsigned long long)base)) < 0)
				return node;
			if ((err = fdt_setprop_string(c->fdt, node, "compatible", "arm,gic-v3-its")) < 0 ||
			    (err = acpi_fdt_reg(c, node, reg, 1)) < 0 ||
			    (err = fdt_setprop(c->fdt, node, "msi-controller", NULL, 0)) < 0 ||
			    (err = fdt_setprop_u32(c->fdt, node, "#msi-cells", 1)) < 0)
				return err;
			acpi_log(c, "madt: its = arm,gic-v3-its@%llx", (unsigned long long)base);
			/* GIC ITS ID (ACPI 6.5 Table 5.51), which IORT ITS groups name. */
			if (c->nits < ACPI_MAX_ITS) {
				c->its[c->nits].id = le32(s + ITS_ID);
				c->its[c->nits++].base = base;
			}
		} else if (s[0] == MADT_GIC_MSI_FRAME && (err = v2m_frame(c, gic, s, at)) < 0) {
			return err;
		}
	}
	return 0;
}

static int gic_maintenance(struct acpi_ctx *c, int gic, const struct madt_survey *m)
{
	if (!m->vgic_gsiv)
		return 0;
	int err = acpi_fdt_interrupt(c, gic, "madt: gic maintenance", m->vgic_gsiv, m->vgic_flags);
	return err < 0 ? err : 0;
}

static int write_gic(struct acpi_ctx *c, const struct acpi_sdt *t, const struct madt_survey *m)
{
	int version = gic_binding(c, m), gic, err;
	struct regs r = { .n = 0 };
	unsigned nredist = 0;
	char cpuif[80] = "";

	if ((gic = acpi_fdt_node(c, 0, "interrupt-controller@%llx", (unsigned long long)m->gicd_base)) < 0)
		return gic;
	if (version == 2) {
		regs_add(&r, m->gicd_base, GICD_SIZE_V2);
		regs_add(&r, m->gicc_base, GICC_SIZE_V2);
		if (!m->gicc_base)
			acpi_log(c, "madt: GICv2 but no GICC carries a CPU interface base: reg has GICC 0");
	} else {
		regs_add(&r, m->gicd_base, GICD_SIZE_V3);
		nredist = redist_regions(c, t, m, &r);
		if (!nredist)
			acpi_log(c, "madt: GICv3 without any redistributor (no GICR structure, no GICC GICR base)");
	}
	/* The virtualisation interfaces, when the table has them all; a GICC
	 * base equal to the GICD's (sbsa-ref) describes nothing. */
	if (m->gicc_base && m->gich && m->gicv && m->gicc_base != m->gicd_base) {
		if (version == 3)
			regs_add(&r, m->gicc_base, GICC_SIZE_V2);
		regs_add(&r, m->gich, GICH_SIZE);
		regs_add(&r, m->gicv, GICV_SIZE);
		ksnprintf(cpuif, sizeof(cpuif), ", GICH 0x%llx GICV 0x%llx, maintenance GSIV %u",
			  (unsigned long long)m->gich, (unsigned long long)m->gicv, m->vgic_gsiv);
	} else if (version == 3 && m->gicc_base) {
		acpi_log(c, "madt: GICC base 0x%llx%s: GICv2-compatible CPU interface not described",
			 (unsigned long long)m->gicc_base,
			 m->gicc_base == m->gicd_base ? " is the GICD's" : " without GICH/GICV");
	}
	if ((err = fdt_setprop_string(c->fdt, gic, "compatible",
				      version == 2 ? "arm,cortex-a15-gic" : "arm,gic-v3")) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, gic, "#interrupt-cells", 3)) < 0 ||
	    (err = fdt_setprop(c->fdt, gic, "interrupt-controller", NULL, 0)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, gic, "#address-cells", 2)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, gic, "#size-cells", 2)) < 0 ||
	    (err = fdt_setprop(c->fdt, gic, "ranges", NULL, 0)) < 0 ||
	    (err = acpi_fdt_reg(c, gic, r.v, r.n)) < 0 ||
	    (err = acpi_fdt_label(c, gic, "gic")) < 0)
		return err;
	c->gic_phandle = fdt_get_phandle(c->fdt, gic);
	if (nredist > 1 && (err = fdt_setprop_u32(c->fdt, gic, "#redistributor-regions", nredist)) < 0)
		return err;
	c->gic_version = version;
	if (version == 2)
		acpi_log(c, "madt: gic = arm,cortex-a15-gic@%llx (GICD version %u), GICC 0x%llx%s",
			 (unsigned long long)m->gicd_base, m->gicd_version,
			 (unsigned long long)m->gicc_base, cpuif);
	else if (nredist == 0)
		acpi_log(c, "madt: gic = arm,gic-v3@%llx (GICD version %u), 0 redistributor region(s)%s",
			 (unsigned long long)m->gicd_base, m->gicd_version, cpuif);
	else
		acpi_log(c, "madt: gic = arm,gic-v3@%llx (GICD version %u), %u redistributor region(s), first 0x%llx+0x%llx%s",
			 (unsigned long long)m->gicd_base, m->gicd_version, nredist,
			 (unsigned long long)r.v[2], (unsigned long long)r.v[3], cpuif);
	if ((err = gic_maintenance(c, gic, m)) < 0 || (err = gic_children(c, t, gic, version)) < 0)
		return err;
	/* Last: a root property moves every node offset held above. */
	return fdt_setprop_u32(c->fdt, 0, "interrupt-parent", c->gic_phandle);
}

/* A PMU node when every CPU names the same PPI (arm/pmu.yaml); per-CPU SPIs
 * would need interrupt-affinity, which is not written. */
static int write_pmu(struct acpi_ctx *c, const struct madt_survey *m)
{
	int node, err;

	if (!m->perf_gsiv || !c->gic_phandle)
		return 0;
	if (m->perf_mixed || m->perf_gsiv < 16 || m->perf_gsiv >= 32) {
		acpi_log(c, "madt: PMU interrupts differ per CPU or are not a PPI: no pmu node");
		return 0;
	}
	if ((node = fdt_add_subnode(c->fdt, 0, "pmu")) < 0)
		return node;
	if ((err = fdt_setprop_string(c->fdt, node, "compatible", "arm,armv8-pmuv3")) < 0 ||
	    (err = acpi_fdt_interrupt(c, node, "madt: pmu", m->perf_gsiv, m->perf_flags)) < 0)
		return err;
	acpi_log(c, "madt: pmu = arm,armv8-pmuv3, PPI %u", m->perf_gsiv - 16);
	return 0;
}

int acpi_madt(struct acpi_ctx *c)
{
	const struct acpi_sdt *t = &c->madt;
	struct madt_survey m;
	int err;

	if (!t->p) {
		acpi_log(c, "madt: absent: no GIC, no CPUs, no interrupts");
		return 0;
	}
	if (t->len < MADT_SUBTABLES) {
		acpi_log(c, "madt: %u bytes, shorter than its 44-byte fixed part: skipped", t->len);
		c->madt.skipped = 1;
		return 0;
	}
	/* Revision 3 (ACPI 5.1) brought the GICC entry with GICR base and
	 * MPIDR; each entry's own length is what is checked before reading. */
	if (t->rev < 3)
		acpi_log(c, "madt: revision %u predates ACPI 5.1: GICC entries may lack MPIDRs", t->rev);
	survey(c, t, &m);
	if (m.unknown)
		acpi_log(c, "madt: %u subtable(s) of other types (first 0x%02x) not converted", m.unknown,
			 m.unknown_type);
	if ((err = write_cpus(c, t, &m)) < 0)
		return err;
	if (!m.gicd) {
		acpi_log(c, "madt: no GIC distributor (GICD) structure: no interrupt controller");
		return 0;
	}
	if (m.gicd > 1)
		acpi_log(c, "madt: %u GICD structures: the first is used", m.gicd);
	if ((err = write_gic(c, t, &m)) < 0)
		return err;
	return write_pmu(c, &m);
}
