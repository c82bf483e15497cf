/* IORT -> msi-map on pci-host-ecam-generic nodes (loader/acpi_iort.c): QEMU
 * virt's table (one Root Complex, one ITS group), the same table truncated
 * inside its Root Complex node, and a mapping whose output reference is not
 * a node (Arm DEN0049 3.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define PCIE "/pcie@4010000000"
#define MAP_REF 0x78	/* the Root Complex's one mapping: output reference */

/* QEMU virt (GICv3) IORT, revision 3: an ITS group at 0x30 naming ITS ID 0,
 * a Root Complex at 0x48 for segment 0 mapping RIDs 0-0xffff to it. */
static const uint8_t qemu_iort[128] = {
	0x49, 0x4f, 0x52, 0x54, 0x80, 0x00, 0x00, 0x00, 0x03, 0xb3, 0x42, 0x4f,
	0x43, 0x48, 0x53, 0x20, 0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43, 0x01, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x18, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x38, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x24, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static struct conv *run(struct tbl *iort)
{
	struct tbl t[4] = { fixture("common/apic-gicv3-4cpu"), fixture("common/mcfg-qemu"),
			    fixture("common/dsdt-qemu"), *iort };
	struct conv *c = convert(t, 4);

	for (unsigned i = 0; i < 3; i++)
		tbl_free(&t[i]);
	return c;
}

static void good(void **state)
{
	(void)state;
	struct tbl t = raw(qemu_iort, sizeof(qemu_iort), "iort");
	struct conv *c = run(&t);
	const char *its = "/interrupt-controller@8000000/msi-controller@8080000";
	uint32_t ph;

	assert_int_equal(c->rc, 0);
	assert_string_equal(label_path(c, "its0"), its);
	ph = fdt_get_phandle(c->fdt, node(c, its));
	assert_true(ph != 0);
	assert_cells(c, PCIE, "msi-map", CELLS(0, ph, 0, 0x10000));
	assert_no_prop(c, PCIE, "msi-parent");
	assert_log(c, "fdt: iort: segment 0: msi-map RIDs 0x0+0x10000 -> its0 (ITS ID 0) device IDs 0x0, on 1 host bridge(s)");
	conv_free(c);
	tbl_free(&t);
}

/* Cut inside the Root Complex node: the walk stops there. */
static void truncated(void **state)
{
	(void)state;
	struct tbl t = raw(qemu_iort, sizeof(qemu_iort), "iort");
	tbl_truncate(&t, 0x60);
	struct conv *c = run(&t);

	assert_int_equal(c->rc, 0);
	assert_no_prop(c, PCIE, "msi-map");
	assert_log(c, "fdt: iort: node 1 of 2 at 0x48: shorter than its header or past the table (96 bytes): walk stopped");
	conv_free(c);
	tbl_free(&t);

	t = raw(qemu_iort, sizeof(qemu_iort), "iort");
	tbl_truncate(&t, 40);
	c = run(&t);
	assert_no_prop(c, PCIE, "msi-map");
	assert_log(c, "fdt: iort: 40 bytes, shorter than its 48-byte header: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* The mapping's output reference points into the middle of a node, or at
 * the Root Complex itself. */
static void unknown_node(void **state)
{
	(void)state;
	struct tbl t = raw(qemu_iort, sizeof(qemu_iort), "iort");
	tbl_set(&t, MAP_REF, 0x7e, 4);
	struct conv *c = run(&t);

	assert_no_prop(c, PCIE, "msi-map");
	assert_log(c, "fdt: iort: segment 0: mapping 0: reference 0x7e is not a node: skipped");
	assert_log(c, "fdt: iort: segment 0: no mapping reaches an ITS: no msi-map");
	conv_free(c);
	tbl_free(&t);

	t = raw(qemu_iort, sizeof(qemu_iort), "iort");
	tbl_set(&t, MAP_REF, 0x48, 4);
	c = run(&t);
	assert_no_prop(c, PCIE, "msi-map");
	assert_log(c, "fdt: iort: segment 0: mapping 0: node at 0x48 has type 2, not an ITS group or SMMU: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* GICv2 with a v2m frame and no ITS: msi-parent on the host bridge. */
static void v2m(void **state)
{
	(void)state;
	struct tbl t[4] = { fixture("common/apic-gicv2-2cpu"), fixture("common/mcfg-qemu"),
			    fixture("common/dsdt-qemu"), raw(qemu_iort, sizeof(qemu_iort), "iort") };
	struct conv *c = convert(t, 4);
	const char *p = label_path(c, "v2m0");

	assert_non_null(p);
	assert_u32(c, PCIE, "msi-parent", fdt_get_phandle(c->fdt, node(c, p)));
	assert_no_prop(c, PCIE, "msi-map");
	assert_log(c, "fdt: iort: no ITS: msi-parent = v2m@8020000 on 1 host bridge(s)");
	conv_free(c);
	for (unsigned i = 0; i < 4; i++)
		tbl_free(&t[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(truncated),
		cmocka_unit_test(unknown_node),
		cmocka_unit_test(v2m),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
