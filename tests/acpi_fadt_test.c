/* FADT -> /psci (loader/acpi_fadt.c): good tables (HVC, SMC in a revision 5.0
 * FADT), truncated, old revision, PSCI not compliant, not hardware-reduced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "acpi_test_util.h"

#define FADT_FLAGS 112
#define FADT_ARM_BOOT_ARCH 129

static void hvc(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	struct conv *c = convert(&t, 1);

	assert_strlist(c, "/psci", "compatible", "arm,psci-1.0|arm,psci-0.2");
	assert_str(c, "/psci", "method", "hvc");
	assert_string_equal(label_path(c, "psci"), "/psci");
	assert_log(c, "fdt: fadt: revision 6.0, hardware-reduced, ARM boot flags 0x3: psci = arm,psci-1.0 via HVC");
	assert_int_equal(c->res.tables_used, 1);
	conv_free(c);
	tbl_free(&t);
}

/* Real laptops set the ARM boot flags in FADT 5.0 (minor revision 0). */
static void smc_in_revision_5_0(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-smc-5.0");
	struct conv *c = convert(&t, 1);

	assert_str(c, "/psci", "method", "smc");
	assert_log(c, "revision 5.0, hardware-reduced, ARM boot flags 0x1: psci = arm,psci-1.0 via SMC");
	conv_free(c);
	tbl_free(&t);
}

static void truncated(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	tbl_truncate(&t, FADT_ARM_BOOT_ARCH + 1);	/* one byte of the two */
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/psci");
	assert_log(c, "fdt: fadt: revision 6, 130 bytes: no ARM boot flags (FADT 5+, offset 129): no /psci");
	assert_int_equal(c->res.tables_skipped, 1);
	conv_free(c);
	tbl_free(&t);
}

static void old_revision(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	tbl_set(&t, 8, 4, 1);				/* FADT 4: no ARM boot flags yet */
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/psci");
	assert_log(c, "fdt: fadt: revision 4 predates revision 5, the first with ARM boot flags: skipped");
	conv_free(c);
	tbl_free(&t);
}

static void not_psci_compliant(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	tbl_set(&t, FADT_ARM_BOOT_ARCH, 0x2, 2);	/* HVC without PSCI_COMPLIANT */
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/psci");
	assert_log(c, "ARM boot flags 0x2: PSCI_COMPLIANT clear: no /psci");
	conv_free(c);
	tbl_free(&t);
}

/* Unknown ARM boot flag bits are ignored; a full-ACPI FADT is converted
 * with a warning. */
static void unknown_flags_not_hw_reduced(void **state)
{
	(void)state;
	struct tbl t = fixture("common/facp-hvc");
	tbl_set(&t, FADT_ARM_BOOT_ARCH, 0xfff1, 2);
	tbl_set(&t, FADT_FLAGS, 0, 4);
	struct conv *c = convert(&t, 1);

	assert_str(c, "/psci", "method", "smc");
	assert_log(c, "fdt: fadt: HW_REDUCED_ACPI clear (flags 0x00000000): not a hardware-reduced platform, converted anyway");
	assert_log(c, "not hardware-reduced, ARM boot flags 0xfff1: psci = arm,psci-1.0 via SMC");
	conv_free(c);
	tbl_free(&t);
}

/* Without an FADT the CPUs get no enable-method. */
static void absent(void **state)
{
	(void)state;
	struct tbl t = fixture("common/apic-gicv3-4cpu");
	struct conv *c = convert(&t, 1);

	assert_no_node(c, "/psci");
	assert_no_prop(c, "/cpus/cpu@0", "enable-method");
	assert_log(c, "fdt: fadt: absent: no /psci, CPUs get no enable-method");
	conv_free(c);
	tbl_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hvc),
		cmocka_unit_test(smc_in_revision_5_0),
		cmocka_unit_test(truncated),
		cmocka_unit_test(old_revision),
		cmocka_unit_test(not_psci_compliant),
		cmocka_unit_test(unknown_flags_not_hw_reduced),
		cmocka_unit_test(absent),
	};
	return cmocka_run_group_tests_name("acpi_fadt", tests, NULL, NULL);
}
