/* Host tests of smp_parse_cpus (kernel/core/smp_tree.c): which /cpus nodes
 * are CPUs, their MPIDR from 1- and 2-cell `reg`, the enable-method, the boot
 * CPU found by affinity (MPIDR_EL1's RES1/U/MT bits ignored), and nodes that
 * cannot be addressed skipped with a log line. Trees are built here with
 * libfdt's sequential writer, one shape per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/err.h>
#include <plinth/smp.h>
#include "host_env.h"

static char tree[8192];

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- log ---\n%s\n", needle, text);
		fail();
	}
}

/* One cpu node: reg of `na` cells (na 0: no reg; na < 0: a 3-cell reg),
 * enable-method `method` (NULL: none). */
struct cpu_spec {
	const char *name;
	int na;
	uint64_t reg;
	const char *method;
};

static void add_cpu(const struct cpu_spec *c)
{
	assert_int_equal(fdt_begin_node(tree, c->name), 0);
	assert_int_equal(fdt_property_string(tree, "device_type", "cpu"), 0);
	assert_int_equal(fdt_property_string(tree, "compatible", "arm,cortex-a57"), 0);
	if (c->na == 1)
		assert_int_equal(fdt_property_u32(tree, "reg", (uint32_t)c->reg), 0);
	else if (c->na == 2)
		assert_int_equal(fdt_property_u64(tree, "reg", c->reg), 0);
	else if (c->na < 0) {
		fdt32_t three[3] = { 0, 0, cpu_to_fdt32((uint32_t)c->reg) };
		assert_int_equal(fdt_property(tree, "reg", three, sizeof(three)), 0);
	}
	if (c->method)
		assert_int_equal(fdt_property_string(tree, "enable-method", c->method), 0);
	assert_int_equal(fdt_end_node(tree), 0);
}

/* A tree with /cpus (#address-cells = cells; 0: no /cpus at all) holding
 * the given CPUs and a cpu-map, which is not a CPU. */
static void build(unsigned cells, const struct cpu_spec *cpus, unsigned n)
{
	assert_int_equal(fdt_create(tree, sizeof(tree)), 0);
	assert_int_equal(fdt_finish_reservemap(tree), 0);
	assert_int_equal(fdt_begin_node(tree, ""), 0);
	assert_int_equal(fdt_property_u32(tree, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(tree, "#size-cells", 2), 0);
	if (cells) {
		assert_int_equal(fdt_begin_node(tree, "cpus"), 0);
		assert_int_equal(fdt_property_u32(tree, "#address-cells", cells), 0);
		assert_int_equal(fdt_property_u32(tree, "#size-cells", 0), 0);
		assert_int_equal(fdt_begin_node(tree, "cpu-map"), 0);
		assert_int_equal(fdt_end_node(tree), 0);
		for (unsigned i = 0; i < n; i++)
			add_cpu(&cpus[i]);
		assert_int_equal(fdt_end_node(tree), 0);
	}
	assert_int_equal(fdt_end_node(tree), 0);
	assert_int_equal(fdt_finish(tree), 0);
	host_log_clear();
}

/* QEMU virt -smp 4: one cell, PSCI, the boot CPU's MPIDR_EL1 has bit 31. */
static void test_qemu_four(void **state)
{
	static const struct cpu_spec cpus[] = {
		{ "cpu@0", 1, 0, "psci" }, { "cpu@1", 1, 1, "psci" },
		{ "cpu@2", 1, 2, "psci" }, { "cpu@3", 1, 3, "psci" },
	};
	struct cpu_desc d[8];

	(void)state;
	build(1, cpus, 4);
	assert_int_equal(smp_parse_cpus(tree, 0x80000000, d, 8), 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(d[i].mpidr, i);
		assert_int_equal(d[i].method, CPU_METHOD_PSCI);
		assert_int_equal(d[i].boot, i == 0);
		assert_string_equal(fdt_get_name(tree, d[i].node, NULL), cpus[i].name);
	}
	assert_string_equal(host_log(), "");
}

/* Two cells: Aff3 in the first. The boot CPU need not be the first node,
 * and only the affinity fields of MPIDR_EL1 are compared (U bit 30 set). */
static void test_two_cells_aff3_boot_not_first(void **state)
{
	static const struct cpu_spec cpus[] = {
		{ "cpu@0", 2, 0x000, "psci" },
		{ "cpu@100000100", 2, 0x100000100ull, "psci" },
	};
	struct cpu_desc d[4];

	(void)state;
	build(2, cpus, 2);
	assert_int_equal(smp_parse_cpus(tree, 0xc0000100ull | 1ull << 32, d, 4), 2);
	assert_int_equal(d[1].mpidr, 0x100000100ull);
	assert_false(d[0].boot);
	assert_true(d[1].boot);
	/* MPIDR_EL1 bits 31 (RES1), 30 (U), 24 (MT) go; Aff3 at 39:32 stays */
	assert_int_equal(smp_mpidr_affinity(0x1c1020304ull), 0x100020304ull);
}

static void test_methods(void **state)
{
	static const struct cpu_spec cpus[] = {
		{ "cpu@0", 1, 0, NULL },
		{ "cpu@1", 1, 1, "spin-table" },
		{ "cpu@2", 1, 2, "brcm,bcm2836-smp" },
		{ "cpu@3", 1, 3, "psci" },
	};
	struct cpu_desc d[4];

	(void)state;
	build(1, cpus, 4);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 4), 4);
	assert_int_equal(d[0].method, CPU_METHOD_NONE);
	assert_int_equal(d[1].method, CPU_METHOD_SPIN_TABLE);
	assert_int_equal(d[2].method, CPU_METHOD_OTHER);
	assert_int_equal(d[3].method, CPU_METHOD_PSCI);
}

/* A CPU that cannot be addressed is skipped, by name, and the rest kept. */
static void test_bad_reg_skipped(void **state)
{
	static const struct cpu_spec cpus[] = {
		{ "cpu@0", 1, 0, "psci" },
		{ "cpu@1", 0, 0, "psci" },		/* no reg */
		{ "cpu@2", -1, 2, "psci" },		/* 3 cells */
		{ "cpu@1000000", 1, 0x1000000, "psci" },	/* bit 24: not affinity */
		{ "cpu@3", 1, 3, "psci" },
	};
	struct cpu_desc d[8];

	(void)state;
	build(1, cpus, 5);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 8), 2);
	assert_int_equal(d[1].mpidr, 3);
	assert_has(host_log(), "smp: cpu@1: reg is 0 bytes, expected 4 (#address-cells of /cpus)");
	assert_has(host_log(), "smp: cpu@2: reg is 12 bytes, expected 4");
	assert_has(host_log(), "smp: cpu@1000000: reg 0x1000000 has bits outside the MPIDR affinity fields");
}

/* More CPUs than the caller's array: all counted, the first `max` stored. */
static void test_more_than_max(void **state)
{
	static struct cpu_spec cpus[12];
	static char names[12][16];
	struct cpu_desc d[4] = { 0 };

	(void)state;
	for (unsigned i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "cpu@%x", i);
		cpus[i] = (struct cpu_spec){ names[i], 1, i, "psci" };
	}
	build(1, cpus, 12);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 4), 12);
	assert_int_equal(d[3].mpidr, 3);
}

static void test_no_cpus_or_bad_cells(void **state)
{
	struct cpu_desc d[1];

	(void)state;
	build(0, NULL, 0);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 1), -PLINTH_ENOENT);
	build(3, NULL, 0);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 1), -PLINTH_EINVAL);
	assert_has(host_log(), "smp: /cpus #address-cells is 3, must be 1 or 2");
	build(1, NULL, 0);
	assert_int_equal(smp_parse_cpus(tree, 0, d, 1), 0);	/* only a cpu-map */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_four),
		cmocka_unit_test(test_two_cells_aff3_boot_not_first),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_bad_reg_skipped),
		cmocka_unit_test(test_more_than_max),
		cmocka_unit_test(test_no_cpus_or_bad_cells),
	};

	return cmocka_run_group_tests_name("smp_tree_test", tests, NULL, NULL);
}
