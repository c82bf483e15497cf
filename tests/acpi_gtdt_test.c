/* GTDT -> /timer (loader/acpi_gtdt.c): the four PPIs with their trigger and
 * polarity, always-on; truncated, revision 1, a timer GSIV that is no PPI,
 * no GIC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define GTDT_SEC_EL1 48
#define GTDT_NS_EL1 56
#define GTDT_VIRT_EL1 64

static void good(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("common/gtdt-qemu") };
	struct conv *c = convert(t, 2);

	assert_strlist(c, "/timer", "compatible", "arm,armv8-timer");
	assert_cells(c, "/timer", "interrupts", CELLS(1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4));
	assert_true(node(c, "/timer") >= 0 && fdt_getprop(c->fdt, node(c, "/timer"), "always-on", NULL));
	assert_string_equal(label_path(c, "timer"), "/timer");
	assert_log(c, "fdt: gtdt: revision 2: timer = arm,armv8-timer, PPIs 13 14 11 10 (GSIV 29 30 27 26), level-high/level-high/level-high/level-high, always-on");
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

/* Edge and active-low flags, always-on only from the non-secure EL1 timer. */
static void flags(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("common/gtdt-qemu") };
	tbl_set(&t[1], GTDT_SEC_EL1 + 4, 0x7, 4);	/* edge, low, always-on (ignored) */
	tbl_set(&t[1], GTDT_NS_EL1 + 4, 0x2, 4);	/* level, low, no always-on */
	tbl_set(&t[1], GTDT_VIRT_EL1 + 4, 0x1, 4);	/* edge, high */
	struct conv *c = convert(t, 2);

	assert_cells(c, "/timer", "interrupts", CELLS(1, 13, 2, 1, 14, 8, 1, 11, 1, 1, 10, 4));
	assert_no_prop(c, "/timer", "always-on");
	assert_log(c, "edge-falling/level-low/edge-rising/level-high");
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

static void truncated(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("common/gtdt-qemu") };
	tbl_truncate(&t[1], 76);			/* cuts the EL2 timer's flags */
	struct conv *c = convert(t, 2);

	assert_no_node(c, "/timer");
	assert_log(c, "fdt: gtdt: revision 2, 76 bytes: shorter than the 80 bytes holding the four timers: skipped");
	assert_int_equal(c->res.tables_skipped, 1);
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

/* ACPI 5.0's GTDT (revision 1, 80 bytes) has the timers at the same offsets. */
static void old_revision(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("common/gtdt-qemu") };
	t[1].p[8] = 1;
	tbl_truncate(&t[1], 80);
	struct conv *c = convert(t, 2);

	assert_cells(c, "/timer", "interrupts", CELLS(1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4));
	assert_log(c, "fdt: gtdt: revision 1: timer = arm,armv8-timer");
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

static void gsiv_not_a_ppi(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("common/gtdt-qemu") };
	tbl_set(&t[1], GTDT_VIRT_EL1, 40, 4);		/* an SPI */
	struct conv *c = convert(t, 2);

	assert_no_node(c, "/timer");
	assert_log(c, "fdt: gtdt: virtual EL1 timer GSIV 40 is not a PPI (16..31): skipped, no timer node");
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

static void no_gic(void **state)
{
	(void)state;
	struct tbl t = fixture("common/gtdt-qemu");
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/timer");
	assert_log(c, "fdt: gtdt: no GIC in the MADT: timer interrupts cannot be described: no timer node");
	conv_free(c);
	tbl_free(&t);
}

/* GICv2: PPIs carry the mask of the CPUs (two here). */
static void gicv2_cpu_mask(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv2-2cpu"), fixture("common/gtdt-qemu") };
	struct conv *c = convert(t, 2);

	assert_cells(c, "/timer", "interrupts",
		     CELLS(1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304));
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(flags),
		cmocka_unit_test(truncated),
		cmocka_unit_test(old_revision),
		cmocka_unit_test(gsiv_not_a_ppi),
		cmocka_unit_test(no_gic),
		cmocka_unit_test(gicv2_cpu_mask),
	};
	return cmocka_run_group_tests_name("acpi_gtdt", tests, NULL, NULL);
}
