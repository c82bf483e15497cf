/* MCFG -> pci-host-ecam-generic nodes (loader/acpi_mcfg.c) with the host
 * bridge's static _CRS and _PRT (acpi_dsdt.c): a good table, trailing bytes,
 * an empty table, zero / inverted / duplicate entries, start bus 1, no DSDT,
 * a _PRT naming a link without a static interrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define ENTRIES 44
#define ENTRY_LEN 16

static void free_all(struct tbl *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		tbl_free(&t[i]);
}

static void good(void **state)
{
	(void)state;
	struct tbl t[3] = { fixture("common/apic-gicv3-4cpu"), fixture("common/mcfg-qemu"),
			    fixture("common/dsdt-qemu") };
	struct conv *c = convert(t, 3);
	const char *p = "/pcie@4010000000";

	assert_strlist(c, p, "compatible", "pci-host-ecam-generic");
	assert_str(c, p, "device_type", "pci");
	assert_cells(c, p, "reg", CELLS(0x40, 0x10000000, 0, 0x10000000));
	assert_cells(c, p, "bus-range", CELLS(0, 255));
	assert_u32(c, p, "linux,pci-domain", 0);
	assert_u32(c, p, "#address-cells", 3);
	assert_u32(c, p, "#size-cells", 2);
	assert_cells(c, p, "ranges",
		     CELLS(0x1000000, 0, 0, 0, 0x3eff0000, 0, 0x10000,
			   0x2000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000,
			   0x3000000, 0x80, 0, 0x80, 0, 0x80, 0));
	assert_cells(c, p, "interrupt-map-mask", CELLS(0xf800, 0, 0, 7));
	assert_u32(c, p, "#interrupt-cells", 1);
	assert_true(fdt_getprop(c->fdt, node(c, p), "dma-coherent", NULL) != NULL);
	assert_string_equal(label_path(c, "pcie0"), p);
	assert_log(c, "fdt: mcfg: entry 0: pcie0 = pci-host-ecam-generic@4010000000, segment 0, buses 0-255, ECAM base 0x4010000000");
	conv_free(c);
	free_all(t, 3);
}

static void trailing_bytes(void **state)
{
	(void)state;
	static const uint8_t junk[5] = { 1, 2, 3, 4, 5 };
	struct tbl t = fixture("common/mcfg-qemu");
	tbl_insert(&t, t.len, junk, sizeof(junk));
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/", "pcie@"), 1);
	assert_log(c, "fdt: mcfg: 5 trailing byte(s) after 1 entries ignored");
	conv_free(c);
	tbl_free(&t);
}

/* The Yoga C630's MCFG: a header and nothing else. */
static void empty(void **state)
{
	(void)state;
	struct tbl t = fixture("common/mcfg-qemu");
	tbl_truncate(&t, ENTRIES);
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/", "pcie@"), 0);
	assert_null(label_path(c, "pcie0"));
	assert_log(c, "fdt: mcfg: revision 1, no entries (empty table): no PCIe host bridge node");
	conv_free(c);
	tbl_free(&t);

	t = fixture("common/mcfg-qemu");
	tbl_truncate(&t, 40);
	c = convert(&t, 1);
	assert_log(c, "fdt: mcfg: 40 bytes, shorter than its 44-byte fixed part: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* Zero, inverted and duplicate entries are skipped; labels stay dense. */
static void bad_entries(void **state)
{
	(void)state;
	uint8_t e[4][ENTRY_LEN] = { { 0 } };
	struct tbl t = fixture("common/mcfg-qemu");

	e[1][3] = 0x50, e[1][10] = 9, e[1][11] = 8;		/* end < start */
	memcpy(e[2], t.p + ENTRIES, ENTRY_LEN);			/* duplicate of entry 0 */
	e[3][3] = 0x60, e[3][8] = 3, e[3][10] = 0, e[3][11] = 0x1f;	/* segment 3 */
	tbl_insert(&t, t.len, e, sizeof(e));
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/", "pcie@"), 2);
	assert_string_equal(label_path(c, "pcie1"), "/pcie@60000000");
	assert_u32(c, "/pcie@60000000", "linux,pci-domain", 3);
	assert_cells(c, "/pcie@60000000", "reg", CELLS(0, 0x60000000, 0, 0x2000000));
	assert_log(c, "fdt: mcfg: entry 1: base 0 (segment 0, buses 0-0): skipped");
	assert_log(c, "fdt: mcfg: entry 2: end bus 8 below start bus 9: skipped");
	assert_log(c, "fdt: mcfg: entry 3: same ECAM region as an earlier entry: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* Start bus 1 (HoneyComb): reg starts at base + (1 << 20). No DSDT: the
 * node is disabled and has no device_type (dtc: a PCI bridge needs ranges). */
static void start_bus_and_no_dsdt(void **state)
{
	(void)state;
	struct tbl t = fixture("common/mcfg-qemu");
	tbl_set(&t, ENTRIES + 10, 1, 1);
	struct conv *c = convert(&t, 1);
	const char *p = "/pcie@4010100000";

	assert_cells(c, p, "reg", CELLS(0x40, 0x10100000, 0, 0x0ff00000));
	assert_cells(c, p, "bus-range", CELLS(1, 255));
	assert_str(c, p, "status", "disabled");
	assert_no_prop(c, p, "device_type");
	assert_no_prop(c, p, "ranges");
	assert_log(c, "fdt: mcfg: pcie0: no DSDT: ranges left to the board overlay");
	assert_log(c, "fdt: mcfg: pcie0: status disabled, no device_type, until an overlay adds ranges");
	conv_free(c);
	tbl_free(&t);
}

/* A host bridge on another segment is not taken. */
static void no_matching_bridge(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/mcfg-qemu"), fixture("common/dsdt-qemu") };
	tbl_set(&t[0], ENTRIES + 8, 7, 2);
	struct conv *c = convert(t, 2);

	assert_str(c, "/pcie@4010000000", "status", "disabled");
	assert_log(c, "fdt: mcfg: pcie0: no host bridge device (PNP0A08/PNP0A03) with _SEG 7, _BBN 0: ranges left to the board overlay");
	conv_free(c);
	free_all(t, 2);
}

/* Without a GIC the _PRT cannot become an interrupt-map. */
static void prt_without_gic(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/mcfg-qemu"), fixture("common/dsdt-qemu") };
	struct conv *c = convert(t, 2);

	assert_no_prop(c, "/pcie@4010000000", "interrupt-map");
	assert_no_prop(c, "/pcie@4010000000", "#interrupt-cells");
	assert_str(c, "/pcie@4010000000", "device_type", "pci");
	assert_log(c, "fdt: mcfg: pcie0: no GIC: \\_SB_.PCI0._PRT not converted");
	conv_free(c);
	free_all(t, 2);
}

/* 150 segments: more labels than the context holds back for the end
 * (ACPI_SYMS_SIZE), so the later ones are written at once; every one
 * still names its node. */
static void many_segments(void **state)
{
	(void)state;
	struct tbl t = fixture("common/mcfg-qemu");
	uint8_t e[ENTRY_LEN];
	char label[16], path[64];

	for (unsigned i = 1; i < 150; i++) {
		memcpy(e, t.p + ENTRIES, ENTRY_LEN);
		e[8] = (uint8_t)i;			/* segment */
		e[3] = (uint8_t)(0x10 + i);		/* base 0x40_1000_0000 + i * 16 MiB */
		tbl_insert(&t, t.len, e, sizeof(e));
	}
	struct conv *c = convert(&t, 1);

	assert_int_equal(count_nodes(c, "/", "pcie@"), 150);
	for (unsigned i = 0; i < 150; i += 149) {
		snprintf(label, sizeof(label), "pcie%u", i);
		snprintf(path, sizeof(path), "/pcie@40%02x000000", 0x10 + i);
		assert_non_null(label_path(c, label));
		assert_string_equal(label_path(c, label), path);
	}
	conv_free(c);
	tbl_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(trailing_bytes),
		cmocka_unit_test(empty),
		cmocka_unit_test(bad_entries),
		cmocka_unit_test(start_bus_and_no_dsdt),
		cmocka_unit_test(no_matching_bridge),
		cmocka_unit_test(prt_without_gic),
		cmocka_unit_test(many_segments),
	};
	return cmocka_run_group_tests_name("acpi_mcfg", tests, NULL, NULL);
}
