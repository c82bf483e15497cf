/* MADT -> /cpus, the GIC node, ITS and v2m children, PMU
 * (loader/acpi_madt.c): good GICv3 and GICv2 tables, truncated, an ACPI 5.0
 * MADT with 40-byte GICC entries, an unknown subtable type, a zero-length
 * subtable, duplicate MPIDRs, GICCs neither enabled nor online-capable,
 * GICR bases per GICC, a GICv2 with its ITS, a v2m frame's SPI range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define MADT_SUBTABLES 44
#define GICD_LEN 24
#define GICC_LEN 80

/* apic-gicv3-4cpu: GICD at 44, GICCs at 68 + 80 i, GICR at 388, ITS at 404. */
#define GICC_AT(i) (MADT_SUBTABLES + GICD_LEN + GICC_LEN * (i))

static void free2(struct tbl *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		tbl_free(&t[i]);
}

static void gicv3(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 4);
	assert_u32(c, "/cpus", "#address-cells", 1);
	assert_u32(c, "/cpus", "#size-cells", 0);
	assert_u32(c, "/cpus/cpu@3", "reg", 3);
	assert_str(c, "/cpus/cpu@0", "device_type", "cpu");
	assert_strlist(c, "/interrupt-controller@8000000", "compatible", "arm,gic-v3");
	assert_cells(c, "/interrupt-controller@8000000", "reg",
		     CELLS(0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000));
	assert_u32(c, "/interrupt-controller@8000000", "#interrupt-cells", 3);
	assert_u32(c, "/interrupt-controller@8000000", "phandle", 1);
	assert_u32(c, "/", "interrupt-parent", 1);
	assert_strlist(c, "/interrupt-controller@8000000/msi-controller@8080000", "compatible",
		       "arm,gic-v3-its");
	assert_u32(c, "/interrupt-controller@8000000/msi-controller@8080000", "#msi-cells", 1);
	assert_cells(c, "/pmu", "interrupts", CELLS(1, 7, 4));
	assert_string_equal(label_path(c, "gic"), "/interrupt-controller@8000000");
	assert_string_equal(label_path(c, "cpus"), "/cpus");
	assert_log(c, "fdt: madt: cpus: 4 (MPIDR 0x0 0x1 0x2 0x3), 1 address cell(s), no enable-method: no PSCI in the FADT");
	assert_log(c, "fdt: madt: gic = arm,gic-v3@8000000 (GICD version 3), 1 redistributor region(s), first 0x80a0000+0xf60000");
	assert_log(c, "fdt: madt: its = arm,gic-v3-its@8080000");
	conv_free(c);
	tbl_free(&t);
}

/* CPU nodes come in MADT order (the kernel numbers CPUs by it), not in
 * libfdt's insertion order. */
static void cpu_order(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	tbl_set(&t, GICC_AT(0) + 68, 0x300, 8);
	tbl_set(&t, GICC_AT(3) + 68, 0x0, 8);
	struct conv *c = convert(&t, 1);
	const char *want[4] = { "cpu@300", "cpu@1", "cpu@2", "cpu@0" };
	int i = 0, sub;

	fdt_for_each_subnode(sub, c->fdt, node(c, "/cpus"))
		assert_string_equal(fdt_get_name(c->fdt, sub, NULL), want[i++]);
	assert_int_equal(i, 4);
	conv_free(c);
	tbl_free(&t);
}

static void gicv2_with_psci(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/facp-hvc"), fixture("common/apic-gicv2-2cpu") };
	struct conv *c = convert(t, 2);

	assert_str(c, "/cpus/cpu@1", "enable-method", "psci");
	assert_strlist(c, "/interrupt-controller@8000000", "compatible", "arm,cortex-a15-gic");
	assert_cells(c, "/interrupt-controller@8000000", "reg",
		     CELLS(0, 0x8000000, 0, 0x1000, 0, 0x8010000, 0, 0x2000, 0, 0x8030000, 0, 0x2000,
			   0, 0x8040000, 0, 0x2000));
	assert_cells(c, "/interrupt-controller@8000000", "interrupts", CELLS(1, 9, 0x304));
	assert_u32(c, "/interrupt-controller@8000000/v2m@8020000", "arm,msi-base-spi", 80);
	assert_u32(c, "/interrupt-controller@8000000/v2m@8020000", "arm,msi-num-spis", 64);
	assert_log(c, "fdt: madt: v2m = arm,gic-v2m-frame@8020000, SPIs 80+64 (table overrides MSI_TYPER)");
	conv_free(c);
	free2(t, 2);
}

/* apic-gicv2-2cpu: the MSI frame after the GICD and two GICCs. */
#define MSI_FRAME_AT (MADT_SUBTABLES + GICD_LEN + 2 * GICC_LEN)

/* SPI Count/Base Select set: the table's range overrides the frame's
 * MSI_TYPER, as on the Samsung Galaxy Book S (128 SPIs from 832). Clear, the frame's own MSI_TYPER stands; a range that is
 * not SPIs 32-1019 is not written either. */
static void v2m_spi_select(void **state)
{
	(void)state;
	const char *v2m = "/interrupt-controller@8000000/v2m@17a10000";
	struct tbl t = fixture("common/apic-gicv2-2cpu");
	tbl_set(&t, MSI_FRAME_AT + 8, 0x17a10000, 8);
	tbl_set(&t, MSI_FRAME_AT + 20, 128, 2);
	tbl_set(&t, MSI_FRAME_AT + 22, 832, 2);
	struct conv *c = convert(&t, 1);

	assert_strlist(c, v2m, "compatible", "arm,gic-v2m-frame");
	assert_u32(c, v2m, "arm,msi-base-spi", 832);
	assert_u32(c, v2m, "arm,msi-num-spis", 128);
	assert_log(c, "fdt: madt: v2m = arm,gic-v2m-frame@17a10000, SPIs 832+128 (table overrides MSI_TYPER)\n");
	conv_free(c);

	tbl_set(&t, MSI_FRAME_AT + 16, 0, 4);		/* select flag clear */
	c = convert(&t, 1);
	assert_no_prop(c, v2m, "arm,msi-base-spi");
	assert_no_prop(c, v2m, "arm,msi-num-spis");
	assert_log(c, "fdt: madt: v2m = arm,gic-v2m-frame@17a10000, SPIs from its MSI_TYPER\n");
	conv_free(c);

	tbl_set(&t, MSI_FRAME_AT + 16, 1, 4);		/* 960+128 runs past SPI 1019 */
	tbl_set(&t, MSI_FRAME_AT + 22, 960, 2);
	c = convert(&t, 1);
	assert_no_prop(c, v2m, "arm,msi-base-spi");
	assert_log(c, "fdt: madt: v2m frame 0x17a10000: SPI Count/Base Select with SPIs 960+128, not within SPIs 32-1019: MSI_TYPER used\n");
	assert_log(c, "fdt: madt: v2m = arm,gic-v2m-frame@17a10000, SPIs from its MSI_TYPER\n");
	conv_free(c);

	tbl_set(&t, MSI_FRAME_AT + 20, 0, 2);		/* no SPIs at all */
	tbl_set(&t, MSI_FRAME_AT + 22, 832, 2);
	c = convert(&t, 1);
	assert_no_prop(c, v2m, "arm,msi-num-spis");
	assert_log(c, "SPI Count/Base Select with SPIs 832+0, not within SPIs 32-1019: MSI_TYPER used");
	conv_free(c);
	tbl_free(&t);
}

/* Cut inside the third GICC: the walk stops there, two CPUs remain. */
static void truncated(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	tbl_truncate(&t, GICC_AT(2) + 40);
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 2);
	assert_log(c, "fdt: madt: subtable type 0x0b at 0xe4 has length 80 (table ends at 0x10c): walk ends there");
	assert_log(c, "fdt: madt: GICv3 without any redistributor");
	conv_free(c);
	tbl_free(&t);

	t = fixture("common/apic-gicv3-4cpu");
	tbl_truncate(&t, 40);
	c = convert(&t, 1);
	assert_no_node(c, "/interrupt-controller@8000000");
	assert_log(c, "fdt: madt: 40 bytes, shorter than its 44-byte fixed part: skipped");
	assert_int_equal(c->res.tables_skipped, 1);
	conv_free(c);
	tbl_free(&t);
}

/* MADT revision 1 (ACPI 5.0): 40-byte GICC entries without an MPIDR. */
static void old_revision(void **state)
{
	(void)state;
	uint8_t b[36 + 8 + 24 + 2 * 40] = { 0 };
	struct tbl t;

	memcpy(b, "APIC", 4);
	b[8] = 1;
	b[44] = 0x0c, b[45] = 24, b[44 + 8 + 3] = 0x08, b[44 + 20] = 2;	/* GICD 0x08000000 v2 */
	for (int i = 0; i < 2; i++) {
		uint8_t *g = b + 68 + 40 * i;
		g[0] = 0x0b, g[1] = 40, g[4] = (uint8_t)i, g[12] = 1;		/* enabled */
		g[32 + 2] = 0x01, g[32 + 3] = 0x08;				/* GICC 0x08010000 */
	}
	t = raw(b, sizeof(b), "madt-acpi50");
	tbl_fix(&t);
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 0);
	assert_log(c, "fdt: madt: revision 1 predates ACPI 5.1: GICC entries may lack MPIDRs");
	assert_log(c, "fdt: madt: 2 GICC entries of the ACPI 5.0 size (< 76 bytes, no MPIDR): no node");
	assert_node(c, "/interrupt-controller@8000000");
	conv_free(c);
	tbl_free(&t);
}

static void unknown_type(void **state)
{
	(void)state;
	static const uint8_t odd[8] = { 0x7f, 8, 1, 2, 3, 4, 5, 6 };
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	tbl_insert(&t, GICC_AT(1), odd, sizeof(odd));
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 4);
	assert_log(c, "fdt: madt: 1 subtable(s) of other types (first 0x7f) not converted");
	conv_free(c);
	tbl_free(&t);
}

/* A subtable of length 0 would loop forever if trusted. */
static void zero_length(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	tbl_set(&t, GICC_AT(1) + 1, 0, 1);
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 1);
	assert_log(c, "fdt: madt: subtable type 0x0b at 0x94 has length 0 (table ends at 0x1a8): walk ends there");
	conv_free(c);
	tbl_free(&t);
}

static void duplicate_and_disabled(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	tbl_set(&t, GICC_AT(2) + 68, 1, 8);		/* CPU 2 repeats MPIDR 1 */
	tbl_set(&t, GICC_AT(3) + 12, 0, 4);		/* CPU 3 disabled */
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 2);
	assert_log(c, "fdt: madt: 1 GICC entries repeat an MPIDR: no second node");
	assert_log(c, "fdt: madt: 1 GICC entries neither enabled nor online-capable (MPIDR 0x3): no node");
	conv_free(c);
	tbl_free(&t);
}

/* The IdeaCentre Mini's MADT: 12 GICCs, the last cluster's 4 neither
 * enabled nor online-capable (flags 0), each with its own redistributor.
 * Modelled on 4 GICCs, the last two off: no CPU node for them, a count and
 * their MPIDRs in the log, and their GICR frames left out of the GIC's reg.
 * More than 8 are listed as the first 8 and "...". */
static void gicc_not_enabled(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	static const uint64_t mpidr[4] = { 0x0, 0x100, 0x20000, 0x20100 };

	for (int i = 0; i < 4; i++) {
		tbl_set(&t, GICC_AT(i) + 68, mpidr[i], 8);
		tbl_set(&t, GICC_AT(i) + 60, 0x17080000 + 0x40000ull * i, 8);
	}
	tbl_set(&t, GICC_AT(2) + 12, 0, 4);
	tbl_set(&t, GICC_AT(3) + 12, 0, 4);
	tbl_set(&t, 44 + 20, 4, 1);			/* GICD version 4 */
	tbl_truncate(&t, GICC_AT(4));			/* no GICR structure, no ITS */
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 2);
	assert_node(c, "/cpus/cpu@100");
	assert_no_node(c, "/cpus/cpu@20000");
	assert_no_node(c, "/cpus/cpu@20100");
	assert_cells(c, "/interrupt-controller@8000000", "reg",
		     CELLS(0, 0x8000000, 0, 0x10000, 0, 0x17080000, 0, 0x80000));
	assert_log(c, "fdt: madt: cpus: 2 (MPIDR 0x0 0x100), 1 address cell(s), no enable-method: no PSCI in the FADT\n");
	assert_log(c, "fdt: madt: 2 GICC entries neither enabled nor online-capable (MPIDR 0x20000 0x20100): no node\n");
	assert_log(c, "fdt: madt: no GICR structure: 1 redistributor region(s) from 2 GICC GICR bases (0x40000 bytes each)\n");
	conv_free(c);
	tbl_free(&t);

	/* Ten of them: the first eight MPIDRs, then "...". */
	uint8_t gicc[80];
	t = fixture("common/apic-gicv3-4cpu");
	memcpy(gicc, t.p + GICC_AT(0), sizeof(gicc));
	memset(gicc + 12, 0, 4);
	for (int i = 0; i < 10; i++) {
		uint64_t m = 0x30000 + 0x100ull * i;

		for (int b = 0; b < 8; b++)
			gicc[68 + b] = (uint8_t)(m >> (8 * b));
		tbl_insert(&t, GICC_AT(4) + sizeof(gicc) * (size_t)i, gicc, sizeof(gicc));
	}
	c = convert(&t, 1);
	assert_int_equal(count_nodes(c, "/cpus", "cpu@"), 4);
	assert_log(c, "fdt: madt: 10 GICC entries neither enabled nor online-capable (MPIDR 0x30000 0x30100 0x30200 0x30300 0x30400 0x30500 0x30600 0x30700 ...): no node\n");
	conv_free(c);
	tbl_free(&t);
}

/* No GICR structure: each GICC's GICR base is a frame; contiguous frames
 * merge, in MADT order (not necessarily ascending). Version 0 infers v3. */
static void per_cpu_redistributors(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	static const uint64_t gicr[4] = { 0x100000, 0x120000, 0x200000, 0x220000 };

	for (int i = 0; i < 4; i++)
		tbl_set(&t, GICC_AT(i) + 60, gicr[i], 8);
	tbl_set(&t, 44 + 20, 0, 1);			/* GICD version 0 */
	tbl_truncate(&t, GICC_AT(4));			/* drop the GICR and ITS */
	struct conv *c = convert(&t, 1);

	assert_cells(c, "/interrupt-controller@8000000", "reg",
		     CELLS(0, 0x8000000, 0, 0x10000, 0, 0x100000, 0, 0x40000, 0, 0x200000, 0, 0x40000));
	assert_u32(c, "/interrupt-controller@8000000", "#redistributor-regions", 2);
	assert_log(c, "fdt: madt: GICD version 0: inferred GICv3 from 0 GICR structure(s) and 4 GICC GICR base(s)");
	assert_log(c, "fdt: madt: no GICR structure: 2 redistributor region(s) from 4 GICC GICR bases (0x20000 bytes each)");
	conv_free(c);
	tbl_free(&t);
}

/* An ITS under a GICv2 makes no sense: logged and left out. Aff3 makes
 * /cpus take two address cells. */
static void its_under_gicv2_and_aff3(void **state)
{
	(void)state;
	static const uint8_t its[20] = { 0x0f, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x08 };
	struct tbl t = fixture("common/apic-gicv2-2cpu");
	tbl_insert(&t, t.len, its, sizeof(its));
	tbl_set(&t, GICC_AT(1) + 68, 0x200000100ull, 8);
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/interrupt-controller@8000000", "msi-controller"), 0);
	assert_log(c, "under a GICv2: ignored");
	assert_u32(c, "/cpus", "#address-cells", 2);
	assert_cells(c, "/cpus/cpu@200000100", "reg", CELLS(2, 0x100));
	conv_free(c);
	tbl_free(&t);
}

static void absent(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/cpus");
	assert_no_prop(c, "/", "interrupt-parent");
	assert_log(c, "fdt: madt: absent: no GIC, no CPUs, no interrupts");
	conv_free(c);
	tbl_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gicv3),
		cmocka_unit_test(cpu_order),
		cmocka_unit_test(gicv2_with_psci),
		cmocka_unit_test(v2m_spi_select),
		cmocka_unit_test(truncated),
		cmocka_unit_test(old_revision),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(zero_length),
		cmocka_unit_test(duplicate_and_disabled),
		cmocka_unit_test(gicc_not_enabled),
		cmocka_unit_test(per_cpu_redistributors),
		cmocka_unit_test(its_under_gicv2_and_aff3),
		cmocka_unit_test(absent),
	};
	return cmocka_run_group_tests_name("acpi_madt", tests, NULL, NULL);
}
