/* Host tests of the GICv3 driver (kernel/drivers/gic_v3.c) and the shared
 * GIC helpers (gic_common.c): the redistributor search by affinity on a
 * synthetic frame model with redistributors out of CPU order (Parallels) and
 * a CPU that has none; node parsing on tests/trees/gic_v3.dts, from the reg
 * lists the driver core made of it; GICv2m SPI ranges; and the driver's
 * probe + per-CPU bring-up against a sparse register model with ICC_*
 * system registers stubbed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include "host_env.h"

extern const struct driver __start_plinth_drivers[];
extern const struct driver __stop_plinth_drivers[];

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- log ---\n%s\n", needle, text);
		fail();
	}
}

/* ------------------------------------------- synthetic frame model ---- */

#define MAX_FRAMES 16

struct frame_model {
	struct {
		uint64_t base, typer;
	} f[MAX_FRAMES];
	unsigned n;
	unsigned reads;
	uint64_t lo, hi;	/* every read must fall inside [lo, hi) */
};

static uint64_t model_typer(void *ctx, uint64_t frame)
{
	struct frame_model *m = ctx;

	m->reads++;
	assert_true(frame >= m->lo && frame + GICR_FRAME_SIZE <= m->hi);
	for (unsigned i = 0; i < m->n; i++)
		if (m->f[i].base == frame)
			return m->f[i].typer;
	return (uint64_t)0xffffff00 << 32;	/* an affinity no test CPU has */
}

static void add_frame(struct frame_model *m, uint64_t base, uint32_t aff, uint64_t flags)
{
	m->f[m->n].base = base;
	m->f[m->n].typer = (uint64_t)aff << 32 | flags;
	m->n++;
}

static int find(struct frame_model *m, const struct gic_region *r, unsigned nr,
		uint64_t stride, uint64_t mpidr, uint64_t *frame)
{
	*frame = 0;
	return gic_find_redist(r, nr, stride, mpidr, model_typer, m, frame);
}

static void test_affinity_word(void **state)
{
	(void)state;
	assert_int_equal(gic_mpidr_to_aff(0x80000000ull), 0);	/* bit 31 RES1, U, MT dropped */
	assert_int_equal(gic_mpidr_to_aff(0x0000000000030201ull), 0x00030201);
	assert_int_equal(gic_mpidr_to_aff(0x0000000400000000ull), 0x04000000);	/* Aff3 */
	assert_int_equal(gic_mpidr_to_aff(0x00000004c1030201ull), 0x04030201);
}

/* Parallels-like: one region whose frames are for CPUs 2, 0, 3, 1. */
static void test_redist_out_of_order(void **state)
{
	struct frame_model m = { .lo = 0x2500000, .hi = 0x2580000 };
	struct gic_region r = { 0x2500000, 0x80000 };
	static const unsigned order[] = { 2, 0, 3, 1 };
	uint64_t frame;

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		add_frame(&m, 0x2500000 + i * 0x20000, order[i], i == 3 ? GICR_TYPER_LAST : 0);
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		unsigned want = 0;

		while (order[want] != cpu)
			want++;
		assert_int_equal(find(&m, &r, 1, 0, 0x80000000u | cpu, &frame), 0);
		assert_int_equal(frame, 0x2500000 + want * 0x20000);
	}
	/* CPU 4 has no redistributor: every frame looked at, none matched. */
	m.reads = 0;
	assert_int_equal(find(&m, &r, 1, 0, 4, &frame), -PLINTH_ENODEV);
	assert_int_equal(m.reads, 4);
}

/* Two regions; CPUs 0-1 in the second, 2-3 in the first; Last ends each. */
static void test_redist_two_regions_and_last(void **state)
{
	struct frame_model m = { .lo = 0x10000000, .hi = 0x30000000 };
	struct gic_region r[2] = { { 0x10000000, 0x100000 }, { 0x20000000, 0x100000 } };
	uint64_t frame;

	(void)state;
	add_frame(&m, 0x10000000, 0x100, 0);	/* Aff1 = 1: cluster 1 */
	add_frame(&m, 0x10020000, 0x101, GICR_TYPER_LAST);
	add_frame(&m, 0x10040000, 0x000, 0);	/* after Last: must not be used */
	add_frame(&m, 0x20000000, 0x000, 0);
	add_frame(&m, 0x20020000, 0x001, GICR_TYPER_LAST);
	assert_int_equal(find(&m, r, 2, 0, 0x000, &frame), 0);
	assert_int_equal(frame, 0x20000000);
	assert_int_equal(find(&m, r, 2, 0, 0x001, &frame), 0);
	assert_int_equal(frame, 0x20020000);
	assert_int_equal(find(&m, r, 2, 0, 0x101, &frame), 0);
	assert_int_equal(frame, 0x10020000);
	assert_int_equal(find(&m, r, 2, 0, 0x102, &frame), -PLINTH_ENODEV);
}

/* GICv4 frames (VLPIS) are 256 KiB apart; an explicit stride overrides. */
static void test_redist_frame_size_and_stride(void **state)
{
	struct frame_model m = { .lo = 0x40000000, .hi = 0x40100000 };
	struct gic_region r = { 0x40000000, 0x100000 };
	uint64_t frame;

	(void)state;
	add_frame(&m, 0x40000000, 3, GICR_TYPER_VLPIS);
	add_frame(&m, 0x40040000, 2, GICR_TYPER_VLPIS);
	add_frame(&m, 0x40080000, 1, GICR_TYPER_VLPIS);
	add_frame(&m, 0x400c0000, 0, GICR_TYPER_VLPIS | GICR_TYPER_LAST);
	assert_int_equal(find(&m, &r, 1, 0, 0, &frame), 0);
	assert_int_equal(frame, 0x400c0000);
	/* The same layout described by redistributor-stride on GICv3 frames. */
	for (unsigned i = 0; i < m.n; i++)
		m.f[i].typer &= ~GICR_TYPER_VLPIS;
	assert_int_equal(find(&m, &r, 1, 0x40000, 1, &frame), 0);
	assert_int_equal(frame, 0x40080000);
	/* Without a stride it steps 128 KiB, reading the padding pages in
	 * between too (7 reads instead of 4): why the property exists. */
	m.reads = 0;
	assert_int_equal(find(&m, &r, 1, 0, 0, &frame), 0);
	assert_int_equal(frame, 0x400c0000);
	assert_int_equal(m.reads, 7);
	m.reads = 0;
	assert_int_equal(find(&m, &r, 1, 0x40000, 0, &frame), 0);
	assert_int_equal(m.reads, 4);
}

/* No Last bit anywhere and a region that is not a whole number of frames:
 * the walk stays inside the region (model_typer asserts it). */
static void test_redist_stays_in_region(void **state)
{
	struct frame_model m = { .lo = 0x50000000, .hi = 0x50050000 };
	struct gic_region r = { 0x50000000, 0x50000 };
	uint64_t frame;

	(void)state;
	add_frame(&m, 0x50000000, 0, 0);
	add_frame(&m, 0x50020000, 1, 0);
	assert_int_equal(find(&m, &r, 1, 0, 5, &frame), -PLINTH_ENODEV);
	assert_int_equal(m.reads, 2);
	assert_int_equal(find(&m, &r, 1, 0x30000, 9, &frame), -PLINTH_ENODEV);
}

/* A region the tree states as 1 TiB, frames that never set Last: the walk
 * gives up after GICR_MAX_FRAMES frames instead of reading 8 million. */
static void test_redist_huge_region_bounded(void **state)
{
	struct frame_model m = { .lo = 0x100000000ull, .hi = 0x100000000ull + (1ull << 40) };
	struct gic_region r = { 0x100000000ull, 1ull << 40 };
	uint64_t frame;

	(void)state;
	assert_int_equal(find(&m, &r, 1, 0, 3, &frame), -PLINTH_ERANGE);
	assert_int_equal(m.reads, GICR_MAX_FRAMES);
}

/* ------------------------------------------------------- parsing ---- */

static void *fdt;
/* The driver core's devices for the tree: reg translated (and, for enabled
 * nodes with a driver, mapped) as the drivers get it. */
static struct devtree devs;

/* What the driver core mapped, in order: "0x41900000+0x20000\n" ... */
static char mapped[4096];

int ioremap(uint64_t addr, uint64_t size)
{
	char line[64];

	snprintf(line, sizeof(line), "%#llx+%#llx\n", (unsigned long long)addr, (unsigned long long)size);
	strncat(mapped, line, sizeof(mapped) - strlen(mapped) - 1);
	return 0;
}

static int load_tree(void **state)
{
	(void)state;
	fdt = host_read_file(host_tree_path("gic_v3"), NULL);
	mapped[0] = '\0';
	return devtree_init(&devs, fdt);
}

/* A copy of the core's device for the node at path, with cfg as its config,
 * so that a test's parse and probe leave the tree's own device alone. */
static struct device core_device(const char *path, void *cfg)
{
	struct device *d = devtree_find(&devs, fdt_path_offset(fdt, path));
	struct device dev;

	assert_non_null(d);
	dev = *d;
	dev.config = cfg;
	return dev;
}

static int free_tree(void **state)
{
	(void)state;
	free(fdt);
	return 0;
}

static int parse(const char *path, struct gic_v3_config *c, char *why)
{
	struct device dev = core_device(path, c);

	memset(c, 0, sizeof(*c));
	why[0] = 0;
	return gic_v3_parse_config(&dev, c, why, 96);
}

static void test_parse_qemu(void **state)
{
	struct gic_v3_config c;
	char why[96];

	(void)state;
	assert_int_equal(parse("/interrupt-controller@8000000", &c, why), 0);
	assert_int_equal(c.dist, 0x8000000);
	assert_int_equal(c.dist_size, 0x10000);
	assert_int_equal(c.nregions, 1);
	assert_int_equal(c.redist[0].base, 0x80a0000);
	assert_int_equal(c.redist[0].size, 0xf60000);
	assert_int_equal(c.stride, 0);
	assert_int_equal(c.ncells, 3);
}

static void test_parse_two_regions_stride(void **state)
{
	struct gic_v3_config c;
	char why[96];

	(void)state;
	assert_int_equal(parse("/interrupt-controller@2c010000", &c, why), 0);
	assert_int_equal(c.nregions, 2);
	assert_int_equal(c.redist[0].base, 0x2d000000);
	assert_int_equal(c.redist[1].base, 0x2e000000);
	assert_int_equal(c.redist[1].size, 0x800000);
	assert_int_equal(c.stride, 0x40000);
	assert_int_equal(c.ncells, 4);
}

static void test_parse_through_ranges(void **state)
{
	struct gic_v3_config c;
	char why[96];

	(void)state;
	assert_int_equal(parse("/soc@0/interrupt-controller@10000", &c, why), 0);
	assert_int_equal(c.dist, 0x2010000);
	assert_int_equal(c.redist[0].base, 0x2500000);
	assert_int_equal(c.redist[0].size, 0x80000);
}

static void test_parse_refusals(void **state)
{
	struct gic_v3_config c;
	char why[96];

	(void)state;
	assert_int_equal(parse("/interrupt-controller@30000000", &c, why), -PLINTH_EINVAL);
	assert_has(why, "redistributor-stride 0x18000");
	assert_int_equal(parse("/interrupt-controller@31000000", &c, why), -PLINTH_EINVAL);
	assert_has(why, "reg has 2 entries, needs GICD + 2 redistributor regions");
	assert_int_equal(parse("/interrupt-controller@32000000", &c, why), -PLINTH_EINVAL);
	assert_has(why, "#interrupt-cells must be 3 or 4");
	assert_int_equal(parse("/interrupt-controller@33000000", &c, why), -PLINTH_EINVAL);
	assert_has(why, "reg has 2 entries, needs GICD + 9 redistributor regions");
	assert_int_equal(parse("/interrupt-controller@34000000", &c, why), -PLINTH_EINVAL);
	assert_has(why, "redistributor region 0 (reg 1) size 0x10000, less than one frame");
}

/* More regions than the eight the driver core once kept of reg (GICD + 10
 * regions + GICC/GICH/GICV): every region parsed from the core's list, and
 * every one mapped by the core (the driver maps nothing itself). */
static void test_parse_ten_regions(void **state)
{
	struct gic_v3_config c;
	char why[96], line[64];

	(void)state;
	assert_int_equal(parse("/interrupt-controller@40000000", &c, why), 0);
	assert_int_equal(c.dist, 0x40000000);
	assert_int_equal(c.nregions, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(c.redist[i].base, 0x41000000 + i * 0x100000);
		assert_int_equal(c.redist[i].size, 0x20000);
		snprintf(line, sizeof(line), "%#x+0x20000\n", 0x41000000 + i * 0x100000);
		assert_has(mapped, line);
	}
	assert_has(mapped, "0x40080000+0x2000\n");	/* GICV, the 14th entry */
}

/* ------------------------------------------------------------ v2m ---- */

static void test_v2m_range(void **state)
{
	struct gic_v2m_config c = { 0 };
	uint32_t first, count;

	(void)state;
	/* QEMU virt's frame: SPIs 80.. (INTID), 64 of them */
	assert_int_equal(gic_v2m_range(80u << 16 | 64, &c, &first, &count), 0);
	assert_int_equal(first, 80);
	assert_int_equal(count, 64);
	/* The tree overrides a wrong MSI_TYPER (Parallels: SPIs 53..116). */
	c.dt_override = true;
	c.base_spi = 85;
	c.num_spis = 64;
	assert_int_equal(gic_v2m_range(0, &c, &first, &count), 0);
	assert_int_equal(first, 85);
	assert_int_equal(count, 64);
	c.dt_override = false;
	assert_int_equal(gic_v2m_range(0, &c, &first, &count), -PLINTH_EINVAL);	/* 0 SPIs */
	assert_int_equal(gic_v2m_range(16u << 16 | 8, &c, &first, &count), -PLINTH_EINVAL);
	assert_int_equal(gic_v2m_range(1000u << 16 | 64, &c, &first, &count), -PLINTH_EINVAL);
}

/* -------------------------------------------- driver on a model ---- */

#define REGS 4096

static struct {
	uint64_t addr[REGS];
	uint32_t val[REGS];
	unsigned n;
} regs;

static uint32_t *reg_slot(uintptr_t a, bool create)
{
	for (unsigned i = 0; i < regs.n; i++)
		if (regs.addr[i] == a)
			return &regs.val[i];
	if (!create)
		return NULL;
	assert_true(regs.n < REGS);
	regs.addr[regs.n] = a;
	regs.val[regs.n] = 0;
	return &regs.val[regs.n++];
}

uint32_t mmio_read32(uintptr_t a)
{
	uint32_t *p = reg_slot(a, false);

	return p ? *p : 0;
}

void mmio_write32(uintptr_t a, uint32_t v)
{
	*reg_slot(a, true) = v;
}

uint8_t mmio_read8(uintptr_t a) { return (uint8_t)mmio_read32(a); }
void mmio_write8(uintptr_t a, uint8_t v) { mmio_write32(a, v); }

static uint64_t mpidr, sre;
static unsigned test_cpu;

unsigned cpu_current(void) { return test_cpu; }
uint64_t cpu_read_mpidr(void) { return mpidr; }
uint64_t icc_read_sre(void) { return sre; }
void icc_write_sre(uint64_t v) { sre = v; }
void icc_write_pmr(uint64_t v) { (void)v; }
void icc_write_bpr1(uint64_t v) { (void)v; }
void icc_write_ctlr(uint64_t v) { (void)v; }
void icc_write_igrpen1(uint64_t v) { (void)v; }
uint64_t icc_read_iar1(void) { return 1023; }
void icc_write_eoir1(uint64_t v) { (void)v; }

static const struct driver *driver_named(const char *name)
{
	/* The bounds of one linker section, not two objects. */
	/* cppcheck-suppress comparePointers */
	for (const struct driver *d = __start_plinth_drivers; d < __stop_plinth_drivers; d++)
		if (!strcmp(d->name, name))
			return d;
	fail();
	return NULL;
}

/* QEMU gic-version=3 layout with the redistributors for MPIDR 1, 0, 2. */
static void model_qemu(void)
{
	static const unsigned aff[] = { 1, 0, 2 };

	memset(&regs, 0, sizeof(regs));
	mmio_write32(0x8000000 + 0xffe8, 0x3b);		/* GICD_PIDR2: ArchRev 3 */
	mmio_write32(0x8000000 + 0x4, 0x7);		/* GICD_TYPER: 256 lines */
	for (unsigned i = 0; i < 3; i++) {
		uintptr_t rd = 0x80a0000 + i * 0x20000;

		mmio_write32(rd + 0x8, i == 2 ? GICR_TYPER_LAST : 0);
		mmio_write32(rd + 0xc, aff[i]);
		mmio_write32(rd + 0x14, 0x2);		/* WAKER: ProcessorSleep */
	}
}

static void test_driver_probe_and_cpus(void **state)
{
	const struct driver *drv = driver_named("gic-v3");
	struct gic_v3_config cfg;
	struct device dev = core_device("/interrupt-controller@8000000", &cfg);

	(void)state;
	irq_core_reset();
	model_qemu();
	mpidr = 0x80000000;	/* boot CPU: Aff 0, found in the second frame */
	test_cpu = 0;
	sre = 0;
	host_log_clear();
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(drv->parse(&dev), 0);
	assert_int_equal(drv->probe(&dev), 0);
	assert_ptr_equal(irq_root(), &dev);
	assert_true(sre & ICC_SRE_SRE);
	assert_has(host_log(), "cpu0 MPIDR 0x80000000 -> redistributor 0x80c0000");
	assert_has(host_log(), "GICv3 GICD 0x8000000 (256 SPI lines, 0 ESPIs)");
	assert_int_equal(mmio_read32(0x80c0000 + 0x14) & 0x2, 0);	/* awake */
	assert_int_equal(mmio_read32(0x8000000), 0x13);			/* ARE_NS | G1A | G1 */
	assert_int_equal(mmio_read32(0x8000000 + 0x6000 + 8 * 33), 0);	/* SPI 33 -> Aff 0 */
	/* CPU 1 (MPIDR Aff0 = 1) is served by the first frame. */
	test_cpu = 1;
	mpidr = 0x80000001;
	assert_int_equal(irq_cpu_init(1), 0);
	assert_has(host_log(), "cpu1 MPIDR 0x80000001 -> redistributor 0x80a0000");
	/* A CPU without a redistributor is reported, not fatal to others. */
	test_cpu = 3;
	mpidr = 0x80000003;
	assert_int_equal(irq_cpu_init(3), -PLINTH_ENODEV);
	assert_has(host_log(), "cpu3: no redistributor has affinity 0x3 (MPIDR 0x80000003)");
	/* Boot CPU's SPI routing follows its affinity, Aff3 included. */
	model_qemu();
	irq_core_reset();
	mmio_write32(0x80a0000 + 0xc, 0x01000100);
	mpidr = 0x100000100ull;
	test_cpu = 0;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(drv->parse(&dev), 0);
	assert_int_equal(drv->probe(&dev), 0);
	assert_int_equal(mmio_read32(0x8000000 + 0x6000 + 8 * 40), 0x100);
	assert_int_equal(mmio_read32(0x8000000 + 0x6000 + 8 * 40 + 4), 0x1);
}

/* Parallels: the GIC behind a bus with a non-identity `ranges` (GICD
 * 0x2010000, one GICR region 0x2500000-0x257ffff) and the redistributors
 * listed for CPUs 2, 0, 3, 1. Each CPU must come up on the frame whose
 * GICR_TYPER names its own affinity, wherever it sits in the region. */
static void test_driver_parallels_out_of_order(void **state)
{
	static const unsigned aff[] = { 2, 0, 3, 1 };
	const struct driver *drv = driver_named("gic-v3");
	struct gic_v3_config cfg = { 0 };
	struct device dev = core_device("/soc@0/interrupt-controller@10000", &cfg);
	char want[96];

	(void)state;
	irq_core_reset();
	memset(&regs, 0, sizeof(regs));
	mmio_write32(0x2010000 + 0xffe8, 0x3b);		/* GICD_PIDR2: ArchRev 3 */
	mmio_write32(0x2010000 + 0x4, 0x3);		/* GICD_TYPER: 128 lines */
	for (unsigned i = 0; i < 4; i++) {
		uintptr_t rd = 0x2500000 + i * 0x20000;

		mmio_write32(rd + 0x8, i == 3 ? GICR_TYPER_LAST : 0);
		mmio_write32(rd + 0xc, aff[i]);
		mmio_write32(rd + 0x14, 0x2);
	}
	host_log_clear();
	test_cpu = 0;
	mpidr = 0x80000000;
	sre = 0;
	assert_int_equal(drv->parse(&dev), 0);
	assert_int_equal(drv->probe(&dev), 0);
	assert_has(host_log(), "cpu0 MPIDR 0x80000000 -> redistributor 0x2520000");
	for (unsigned cpu = 1; cpu < 4; cpu++) {
		unsigned frame = 0;

		while (aff[frame] != cpu)
			frame++;
		test_cpu = cpu;
		mpidr = 0x80000000u | cpu;
		assert_int_equal(irq_cpu_init(cpu), 0);
		snprintf(want, sizeof(want), "cpu%u MPIDR 0x%llx -> redistributor 0x%x", cpu,
			 (unsigned long long)mpidr, 0x2500000 + frame * 0x20000);
		assert_has(host_log(), want);
		/* woken: GICR_WAKER.ProcessorSleep cleared on that frame only */
		assert_int_equal(mmio_read32(0x2500000 + frame * 0x20000 + 0x14) & 0x2, 0);
	}
}

/* Ten one-frame regions, the frame of region i for the CPU with Aff0 = i:
 * the boot CPU (9) and CPU 7 find theirs in regions the driver core once
 * dropped from reg, through the core's list alone. */
static void test_driver_ten_regions(void **state)
{
	const struct driver *drv = driver_named("gic-v3");
	struct gic_v3_config cfg = { 0 };
	struct device dev = core_device("/interrupt-controller@40000000", &cfg);

	(void)state;
	irq_core_reset();
	memset(&regs, 0, sizeof(regs));
	mmio_write32(0x40000000 + 0xffe8, 0x3b);	/* GICD_PIDR2: ArchRev 3 */
	mmio_write32(0x40000000 + 0x4, 0x0);		/* GICD_TYPER: 32 lines */
	for (unsigned i = 0; i < 10; i++) {
		uintptr_t rd = 0x41000000 + i * 0x100000;

		mmio_write32(rd + 0x8, GICR_TYPER_LAST);
		mmio_write32(rd + 0xc, i);
		mmio_write32(rd + 0x14, 0x2);
	}
	host_log_clear();
	test_cpu = 0;
	mpidr = 0x80000009;
	sre = 0;
	assert_int_equal(drv->parse(&dev), 0);
	assert_int_equal(drv->probe(&dev), 0);
	assert_has(host_log(), "GICv3 GICD 0x40000000 (32 SPI lines, 0 ESPIs), 10 redistributor region(s)");
	assert_has(host_log(), "cpu0 MPIDR 0x80000009 -> redistributor 0x41900000");
	assert_int_equal(mmio_read32(0x41900000 + 0x14) & 0x2, 0);	/* awake */
	test_cpu = 1;
	mpidr = 0x80000007;
	assert_int_equal(irq_cpu_init(1), 0);
	assert_has(host_log(), "cpu1 MPIDR 0x80000007 -> redistributor 0x41700000");
}

static void test_driver_not_gicv3(void **state)
{
	const struct driver *drv = driver_named("gic-v3");
	struct gic_v3_config cfg = { 0 };
	struct device dev = core_device("/interrupt-controller@8000000", &cfg);

	(void)state;
	irq_core_reset();
	model_qemu();
	mpidr = 0;
	test_cpu = 0;
	host_log_clear();
	assert_int_equal(drv->parse(&dev), 0);
	mmio_write32(0x8000000 + 0xffe8, 0x1b);	/* ArchRev 1: not a GICv3 */
	assert_int_equal(drv->probe(&dev), -PLINTH_ENODEV);
	assert_string_equal(dev.reason, "GICD_PIDR2 0x1b: not a GICv3/v4");
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_affinity_word),
		cmocka_unit_test(test_redist_out_of_order),
		cmocka_unit_test(test_redist_two_regions_and_last),
		cmocka_unit_test(test_redist_frame_size_and_stride),
		cmocka_unit_test(test_redist_stays_in_region),
		cmocka_unit_test(test_redist_huge_region_bounded),
		cmocka_unit_test(test_v2m_range),
	};
	const struct CMUnitTest tree[] = {
		cmocka_unit_test(test_parse_qemu),
		cmocka_unit_test(test_parse_two_regions_stride),
		cmocka_unit_test(test_parse_through_ranges),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_ten_regions),
		cmocka_unit_test(test_driver_probe_and_cpus),
		cmocka_unit_test(test_driver_parallels_out_of_order),
		cmocka_unit_test(test_driver_ten_regions),
		cmocka_unit_test(test_driver_not_gicv3),
	};
	int failed = cmocka_run_group_tests_name("gic_v3_pure", pure, NULL, NULL);

	return failed + cmocka_run_group_tests_name("gic_v3_tree", tree, load_tree, free_tree);
}
