/* Unit tests of kernel/core/dt.c (address translation, interrupts, clocks,
 * stdout-path, option parsing) and lib/errors.c, on trees compiled by
 * dtc from tests/trees/{translate,irq,stdout}.dts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include "host_env.h"

static void *translate_fdt, *irq_fdt, *stdout_fdt;

static int load_trees(void **state)
{
	(void)state;
	translate_fdt = host_read_file(host_tree_path("translate"), NULL);
	irq_fdt = host_read_file(host_tree_path("irq"), NULL);
	stdout_fdt = host_read_file(host_tree_path("stdout"), NULL);
	return 0;
}

static int free_trees(void **state)
{
	(void)state;
	free(translate_fdt);
	free(irq_fdt);
	free(stdout_fdt);
	return 0;
}

/* A writable copy with room to grow, for tests that edit the tree. */
static void *editable(const void *fdt)
{
	int size = (int)fdt_totalsize(fdt) + 4096;
	void *buf = malloc((size_t)size);

	assert_non_null(buf);
	assert_int_equal(fdt_open_into(fdt, buf, size), 0);
	return buf;
}

static int node(const void *fdt, const char *path)
{
	int n = fdt_path_offset(fdt, path);

	if (n < 0)
		fail_msg("no node %s in test tree: %s", path, fdt_strerror(n));
	return n;
}

/* reg idx of path must translate to addr/size. */
static void expect_reg(const void *fdt, const char *path, unsigned idx, uint64_t addr, uint64_t size)
{
	uint64_t a = 0, s = 0;
	int rc = dt_reg(fdt, node(fdt, path), idx, &a, &s);

	if (rc)
		fail_msg("%s reg %u: %s", path, idx, plinth_strerror(rc));
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
}

/* reg 0 of path must fail with err and leave the outputs alone. */
static void expect_reg_err(const void *fdt, const char *path, int err)
{
	uint64_t a = 0x5a5a, s = 0xa5a5;

	assert_int_equal(dt_reg(fdt, node(fdt, path), 0, &a, &s), err);
	assert_int_equal(a, 0x5a5a);
	assert_int_equal(s, 0xa5a5);
}

/* ------------------------------------------------------------ addresses ---- */

static void test_reg_root_level(void **state)
{
	(void)state;
	assert_int_equal(dt_reg_count(translate_fdt, node(translate_fdt, "/dev@9000000")), 2);
	expect_reg(translate_fdt, "/dev@9000000", 0, 0x9000000, 0x1000);
	expect_reg(translate_fdt, "/dev@9000000", 1, 0x100000000ull, 0x2000);
	assert_int_equal(dt_reg(translate_fdt, node(translate_fdt, "/dev@9000000"), 2, &(uint64_t){0}, NULL),
			 -PLINTH_ENOENT);
}

static void test_reg_one_cell_bus(void **state)
{
	(void)state;
	expect_reg(translate_fdt, "/soc@10000000/dev@1000", 0, 0x10001000, 0x100);
	/* the child address equal to the window's base */
	expect_reg(translate_fdt, "/soc@10000000/dev@0", 0, 0x10000000, 0x10);
	/* one byte past the window */
	expect_reg_err(translate_fdt, "/soc@10000000/dev@1000000", -PLINTH_ENOTMAPPED);
}

static void test_reg_nested_two_levels(void **state)
{
	(void)state;
	expect_reg(translate_fdt, "/soc@10000000/sub@200000/dev@1,10", 0, 0x10200010, 0x10);
	expect_reg_err(translate_fdt, "/soc@10000000/sub@200000/dev@2,0", -PLINTH_ENOTMAPPED);
	expect_reg(translate_fdt, "/lvl1@20000000/lvl2@0,0/lvl3@0/dev@3,120", 0, 0x20040820, 0x10);
}

static void test_reg_empty_ranges_is_identity(void **state)
{
	(void)state;
	expect_reg(translate_fdt, "/empty/dev@8,0", 0, 0x800000000ull, 0x1000);
}

static void test_reg_missing_ranges_not_mapped(void **state)
{
	(void)state;
	expect_reg_err(translate_fdt, "/noranges/dev@100", -PLINTH_ENOTMAPPED);
	/* a bus without ranges below a translated bus */
	expect_reg_err(translate_fdt, "/lvl1@20000000/hole/dev@0", -PLINTH_ENOTMAPPED);
}

static void test_reg_overflow(void **state)
{
	(void)state;
	expect_reg_err(translate_fdt, "/ovf-parent@1000/dev@0", -PLINTH_ERANGE);
	expect_reg_err(translate_fdt, "/ovf-child@2000/dev@ffffffff,ffff0000", -PLINTH_ERANGE);
	expect_reg_err(translate_fdt, "/dev@ffffffff,fffff000", -PLINTH_ERANGE);
	/* a window ending exactly at 2^64 is fine */
	expect_reg(translate_fdt, "/top-fits@3000/dev@ff0", 0, 0xfffffffffffffff0ull, 0x10);
}

static void test_reg_bad_cell_counts(void **state)
{
	(void)state;
	expect_reg_err(translate_fdt, "/bad-cells0/dev@0", -PLINTH_EINVAL);
	expect_reg_err(translate_fdt, "/bad-cells5@4000/dev@0", -PLINTH_EINVAL);
	assert_int_equal(dt_addr_cells(translate_fdt, node(translate_fdt, "/bad-cells5@4000")), -PLINTH_EINVAL);
	assert_int_equal(dt_addr_cells(translate_fdt, node(translate_fdt, "/bad-cells0")), 0);
	assert_int_equal(dt_reg_count(translate_fdt, node(translate_fdt, "/bad-cells0/dev@0")), -PLINTH_EINVAL);
	/* defaults: 2 and 1 (DT spec 2.3.5) */
	assert_int_equal(dt_addr_cells(translate_fdt, node(translate_fdt, "/dev@9000000")), 2);
	assert_int_equal(dt_size_cells(translate_fdt, node(translate_fdt, "/dev@9000000")), 1);
}

static void test_reg_bad_cells_edited(void **state)
{
	void *fdt = editable(translate_fdt);
	uint32_t a[2] = { 0, 0x1000 };
	uint64_t out = 7;

	(void)state;
	/* #size-cells 3 on a bus on the path */
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, "/soc@10000000"), "#size-cells", 3), 0);
	expect_reg_err(fdt, "/soc@10000000/sub@200000/dev@1,10", -PLINTH_EINVAL);
	/* a ranges length that is not a whole number of entries */
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, "/soc@10000000"), "#size-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, "/soc@10000000"), "ranges", 0), 0);
	expect_reg_err(fdt, "/soc@10000000/dev@1000", -PLINTH_EINVAL);
	/* a 5-cell #address-cells in the root: no translation ends there */
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 5), 0);
	expect_reg_err(fdt, "/empty/dev@8,0", -PLINTH_EINVAL);
	assert_int_equal(dt_translate(fdt, node(fdt, "/empty"), a, 2, &out), -PLINTH_EINVAL);
	assert_int_equal(out, 7);
	free(fdt);
}

static void expect_pci(uint32_t hi, uint32_t mid, uint32_t lo, int err, uint64_t want)
{
	const uint32_t a[3] = { hi, mid, lo };
	uint64_t out = 0;
	int rc = dt_translate(translate_fdt, node(translate_fdt, "/pcie@4010000000"), a, 3, &out);

	if (rc != err)
		fail_msg("pci <%#x %#x %#x>: got %s, want %s", hi, mid, lo, plinth_strerror(rc),
			 plinth_strerror(err));
	if (!err)
		assert_int_equal(out, want);
}

static void test_translate_pci(void **state)
{
	const uint32_t two[2] = { 0, 0 };
	uint64_t out;

	(void)state;
	expect_pci(0x02000000, 0x0, 0x10001000, 0, 0x10001000);		/* mem32 */
	expect_pci(0x01000000, 0x0, 0x10, 0, 0x3eff0010);		/* I/O */
	/* 64-bit memory: the window is prefetchable (0x43...), the address is
	 * not: only the space code (bits 24..25) has to match */
	expect_pci(0x03000000, 0x80, 0x100, 0, 0x8000000100ull);
	expect_pci(0x42000000, 0x0, 0x10001000, 0, 0x10001000);	/* relocatable/prefetch flags */
	expect_pci(0x02000000, 0x80, 0x100, -PLINTH_ENOTMAPPED, 0);	/* wrong space */
	expect_pci(0x00000800, 0x0, 0x0, -PLINTH_ENOTMAPPED, 0);	/* config space */
	expect_pci(0x01000000, 0x0, 0x10000, -PLINTH_ENOTMAPPED, 0);	/* past the I/O window */
	/* the wrong number of cells for the bus */
	assert_int_equal(dt_translate(translate_fdt, node(translate_fdt, "/pcie@4010000000"), two, 2, &out),
			 -PLINTH_EINVAL);
}

static void test_translate_bad_args(void **state)
{
	const uint32_t a[5] = { 0 };
	uint64_t out;

	(void)state;
	assert_int_equal(dt_translate(translate_fdt, 0, a, 0, &out), -PLINTH_EINVAL);
	assert_int_equal(dt_translate(translate_fdt, 0, a, 5, &out), -PLINTH_EINVAL);
	assert_int_equal(dt_translate(translate_fdt, 0, NULL, 2, &out), -PLINTH_EINVAL);
	/* root: 2 cells, no translation */
	assert_int_equal(dt_translate(translate_fdt, 0, (const uint32_t[]){ 0x1, 0x2 }, 2, &out), 0);
	assert_int_equal(out, 0x100000002ull);
}

/* ----------------------------------------------------------- interrupts ---- */

static void expect_irq(const char *path, unsigned idx, const char *ctrl, uint32_t n,
		       uint32_t c0, uint32_t c1, uint32_t c2)
{
	struct dt_irq irq;
	uint32_t want[3] = { c0, c1, c2 };
	int rc = dt_irq(irq_fdt, node(irq_fdt, path), idx, &irq);

	if (rc)
		fail_msg("%s irq %u: %s", path, idx, plinth_strerror(rc));
	assert_int_equal(irq.ctrl, node(irq_fdt, ctrl));
	assert_int_equal(irq.ncells, n);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(irq.cells[i], want[i]);
}

static void expect_irq_err(const void *fdt, const char *path, unsigned idx, int err)
{
	struct dt_irq irq;

	assert_int_equal(dt_irq(fdt, node(fdt, path), idx, &irq), err);
}

static void test_irq_parent_inherited(void **state)
{
	(void)state;
	/* from the root's interrupt-parent */
	assert_int_equal(dt_irq_count(irq_fdt, node(irq_fdt, "/inherit@3000")), 2);
	expect_irq("/inherit@3000", 0, "/intc@1000", 3, 0, 33, 4);
	expect_irq("/inherit@3000", 1, "/intc@1000", 3, 0, 34, 1);
	expect_irq_err(irq_fdt, "/inherit@3000", 2, -PLINTH_ENOENT);
	/* from the nearest ancestor with interrupt-parent */
	expect_irq("/bus/dev@4100", 0, "/intc@2000", 2, 7, 1, 0);
	/* a cascaded controller's own interrupt */
	expect_irq("/intc@2000", 0, "/intc@1000", 3, 0, 5, 4);
	/* no interrupts */
	assert_int_equal(dt_irq_count(irq_fdt, node(irq_fdt, "/noirq@b000")), 0);
	expect_irq_err(irq_fdt, "/noirq@b000", 0, -PLINTH_ENOENT);
}

static void test_irq_extended(void **state)
{
	(void)state;
	assert_int_equal(dt_irq_count(irq_fdt, node(irq_fdt, "/ext@5000")), 2);
	expect_irq("/ext@5000", 0, "/intc@1000", 3, 0, 40, 4);
	expect_irq("/ext@5000", 1, "/intc@2000", 2, 9, 2, 0);
	expect_irq_err(irq_fdt, "/ext@5000", 2, -PLINTH_ENOENT);
}

static void test_irq_map(void **state)
{
	(void)state;
	expect_irq("/nexus/child@6100", 0, "/intc@1000", 3, 0, 51, 4);
	/* unit address 0x61f0 and pin 0xa masked to (0x6100, 2) */
	expect_irq("/nexus/child@61f0", 0, "/intc@1000", 3, 0, 51, 4);
	expect_irq("/nexus/child@6200", 0, "/intc@2000", 2, 3, 1, 0);
	expect_irq_err(irq_fdt, "/nexus/child@6300", 0, -PLINTH_ENOENT);
	/* nexus -> nexus -> controller, the parent unit address carried along */
	expect_irq("/nexus2/child@7100", 0, "/intc@1000", 3, 0, 50, 4);
}

static void test_irq_map_cycle(void **state)
{
	(void)state;
	expect_irq_err(irq_fdt, "/cycuser@8000", 0, -PLINTH_EINVAL);
}

static void test_irq_bad_cells(void **state)
{
	void *fdt = editable(irq_fdt);

	(void)state;
	/* #interrupt-cells 5 > DT_MAX_IRQ_CELLS */
	assert_int_equal(dt_irq_count(irq_fdt, node(irq_fdt, "/biguser@a000")), -PLINTH_EINVAL);
	expect_irq_err(irq_fdt, "/biguser@a000", 0, -PLINTH_EINVAL);
	/* 4 cells for 3-cell specifiers */
	assert_int_equal(fdt_setprop(fdt, node(fdt, "/noirq@b000"), "interrupts",
				     (const fdt32_t[]){ 0, cpu_to_fdt32(1), cpu_to_fdt32(4), 0 }, 16), 0);
	assert_int_equal(dt_irq_count(fdt, node(fdt, "/noirq@b000")), -PLINTH_EINVAL);
	/* interrupts-extended cut inside a specifier */
	assert_int_equal(fdt_setprop(fdt, node(fdt, "/noirq@b000"), "interrupts-extended",
				     (const fdt32_t[]){ cpu_to_fdt32(fdt_get_phandle(fdt, node(fdt, "/intc@1000"))),
							0, cpu_to_fdt32(1) }, 12), 0);
	assert_int_equal(dt_irq_count(fdt, node(fdt, "/noirq@b000")), -PLINTH_EINVAL);
	/* a phandle that names nothing */
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, "/inherit@3000"), "interrupt-parent", 0x4242), 0);
	expect_irq_err(fdt, "/inherit@3000", 0, -PLINTH_ENOENT);
	/* an interrupt-map-mask of the wrong length */
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, "/nexus"), "interrupt-map-mask", 0xff00), 0);
	expect_irq_err(fdt, "/nexus/child@6100", 0, -PLINTH_EINVAL);
	/* an interrupt-map cut short */
	assert_int_equal(fdt_setprop(fdt, node(fdt, "/nexus2"), "interrupt-map",
				     (const fdt32_t[]){ cpu_to_fdt32(0x7100), cpu_to_fdt32(1) }, 8), 0);
	expect_irq_err(fdt, "/nexus2/child@7100", 0, -PLINTH_EINVAL);
	free(fdt);
}

/* --------------------------------------------------------------- clocks ---- */

static void test_clock_rate(void **state)
{
	const void *fdt = irq_fdt;
	int user = node(fdt, "/clkuser@d000");
	uint64_t hz = 0;

	(void)state;
	assert_int_equal(dt_clock_rate(fdt, user, "baud", &hz), 0);
	assert_int_equal(hz, 24000000);
	assert_int_equal(dt_clock_provider(fdt, user, "baud"), node(fdt, "/clocks/osc"));
	/* the first clock is not a fixed-clock */
	assert_int_equal(dt_clock_rate(fdt, user, NULL, &hz), -PLINTH_ENOTSUP);
	assert_int_equal(dt_clock_rate(fdt, user, "core", &hz), -PLINTH_ENOTSUP);
	/* a fixed-clock without clock-frequency */
	assert_int_equal(dt_clock_rate(fdt, user, "broken", &hz), -PLINTH_EINVAL);
	assert_int_equal(dt_clock_rate(fdt, user, "nope", &hz), -PLINTH_ENOENT);
	/* clock-frequency (2 cells) beats clocks */
	assert_int_equal(dt_clock_rate(fdt, node(fdt, "/freq@e000"), NULL, &hz), 0);
	assert_int_equal(hz, 0x100000000ull);
	assert_int_equal(dt_clock_rate(fdt, node(fdt, "/noirq@b000"), NULL, &hz), -PLINTH_ENOENT);
}

/* ----------------------------------------------------------- properties ---- */

static void test_props(void **state)
{
	const void *fdt = irq_fdt;
	char buf[64];
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	uint32_t ph = fdt_get_phandle(fdt, node(fdt, "/intc@1000"));

	(void)state;
	assert_true(dt_node_enabled(fdt, node(fdt, "/noirq@b000")));
	assert_true(dt_node_enabled(fdt, node(fdt, "/freq@e000")));	/* "ok" */
	assert_false(dt_node_enabled(fdt, node(fdt, "/disabled@f000")));
	assert_int_equal(dt_read_u32(fdt, node(fdt, "/intc@1000"), "#interrupt-cells", &v32), 0);
	assert_int_equal(v32, 3);
	assert_int_equal(dt_read_u32(fdt, node(fdt, "/freq@e000"), "clock-frequency", &v32), -PLINTH_EINVAL);
	assert_int_equal(dt_read_u64(fdt, node(fdt, "/freq@e000"), "clock-frequency", &v64), 0);
	assert_int_equal(v64, 0x100000000ull);
	assert_int_equal(dt_read_u64(fdt, node(fdt, "/intc@1000"), "#interrupt-cells", &v64), 0);
	assert_int_equal(v64, 3);
	assert_int_equal(dt_read_u32(fdt, 0, "nothing", &v32), -PLINTH_ENOENT);
	assert_int_equal(dt_node_by_phandle(fdt, ph), node(fdt, "/intc@1000"));
	assert_int_equal(dt_node_by_phandle(fdt, 0), -PLINTH_EINVAL);
	assert_int_equal(dt_node_by_phandle(fdt, 0xffffffff), -PLINTH_EINVAL);
	assert_int_equal(dt_node_by_phandle(fdt, 0x4242), -PLINTH_ENOENT);
	assert_string_equal(dt_path(fdt, node(fdt, "/bus/dev@4100"), buf, sizeof(buf)), "/bus/dev@4100");
	assert_string_equal(dt_path(fdt, 3, buf, sizeof(buf)), "?");
	assert_string_equal(dt_path(fdt, node(fdt, "/bus/dev@4100"), buf, 4), "?");
}

static void test_malformed_status(void **state)
{
	void *fdt = editable(irq_fdt);

	(void)state;
	/* not NUL-terminated: not okay */
	assert_int_equal(fdt_setprop(fdt, node(fdt, "/noirq@b000"), "status", "okay", 4), 0);
	assert_false(dt_node_enabled(fdt, node(fdt, "/noirq@b000")));
	free(fdt);
}

/* ---------------------------------------------------------- stdout-path ---- */

static void expect_stdout(void *fdt, const char *value, const char *path, const char *opts)
{
	char o[32] = "junk";
	int n = -1, rc;

	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", value), 0);
	rc = dt_stdout(fdt, &n, o, sizeof(o));
	if (rc)
		fail_msg("stdout-path \"%s\": %s", value, plinth_strerror(rc));
	assert_int_equal(n, node(fdt, path));
	assert_string_equal(o, opts);
}

static void test_stdout_forms(void **state)
{
	void *fdt = editable(stdout_fdt);
	char o[32];
	int n;

	(void)state;
	/* as compiled: a path with options */
	assert_int_equal(dt_stdout(stdout_fdt, &n, o, sizeof(o)), 0);
	assert_int_equal(n, node(stdout_fdt, "/uart@1000"));
	assert_string_equal(o, "115200n8");
	expect_stdout(fdt, "/uart@2000", "/uart@2000", "");		/* path, no options */
	expect_stdout(fdt, "serial1:9600", "/uart@2000", "9600");	/* alias with options */
	expect_stdout(fdt, "serial0", "/uart@1000", "");		/* alias, no options */
	expect_stdout(fdt, "serial1:", "/uart@2000", "");		/* empty options */
	free(fdt);
}

static void test_stdout_errors(void **state)
{
	void *fdt = editable(stdout_fdt);
	char o[8] = "keep";
	int n = 77;

	(void)state;
	/* an alias that does not exist: nothing changed */
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "serial9:115200"), 0);
	assert_true(dt_stdout(fdt, &n, o, sizeof(o)) < 0);
	assert_int_equal(n, 77);
	assert_string_equal(o, "keep");
	/* a path that does not exist */
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "/nope:115200"), 0);
	assert_true(dt_stdout(fdt, &n, o, sizeof(o)) < 0);
	assert_int_equal(n, 77);
	/* ":115200" names nothing */
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", ":115200"), 0);
	assert_int_equal(dt_stdout(fdt, &n, o, sizeof(o)), -PLINTH_EINVAL);
	/* not NUL-terminated */
	assert_int_equal(fdt_setprop(fdt, node(fdt, "/chosen"), "stdout-path", "serial0", 7), 0);
	assert_int_equal(dt_stdout(fdt, &n, o, sizeof(o)), -PLINTH_EINVAL);
	/* options longer than the buffer are cut, still NUL-terminated */
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "serial0:115200n8r-long"), 0);
	assert_int_equal(dt_stdout(fdt, &n, o, sizeof(o)), 0);
	assert_string_equal(o, "115200n");
	/* linux,stdout-path as the fallback */
	assert_int_equal(fdt_delprop(fdt, node(fdt, "/chosen"), "stdout-path"), 0);
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/chosen"), "linux,stdout-path", "/uart@2000:9600"), 0);
	assert_int_equal(dt_stdout(fdt, &n, o, sizeof(o)), 0);
	assert_int_equal(n, node(fdt, "/uart@2000"));
	assert_string_equal(o, "9600");
	/* neither */
	assert_int_equal(fdt_delprop(fdt, node(fdt, "/chosen"), "linux,stdout-path"), 0);
	assert_int_equal(dt_stdout(fdt, &n, o, sizeof(o)), -PLINTH_ENOENT);
	/* no /chosen */
	assert_int_equal(dt_stdout(translate_fdt, &n, o, sizeof(o)), -PLINTH_ENOENT);
	free(fdt);
}

static void test_uart_opts(void **state)
{
	const char *bad[] = { "abc", "115200x8", "115200n9", "115200n4", "115200n8x", "115200n8rr",
			      "0", "99999999999", "n8", " 9600" };
	struct uart_opts o = { .baud = 0, .parity = 'e', .bits = 7, .flow = false }, before;

	(void)state;
	assert_int_equal(dt_parse_uart_opts("9600", &o), 0);
	assert_int_equal(o.baud, 9600);
	assert_int_equal(o.parity, 'e');	/* missing fields kept */
	assert_int_equal(o.bits, 7);
	assert_false(o.flow);
	assert_int_equal(dt_parse_uart_opts("115200n8", &o), 0);
	assert_int_equal(o.baud, 115200);
	assert_int_equal(o.parity, 'n');
	assert_int_equal(o.bits, 8);
	assert_false(o.flow);
	assert_int_equal(dt_parse_uart_opts("38400o7r", &o), 0);
	assert_int_equal(o.baud, 38400);
	assert_int_equal(o.parity, 'o');
	assert_int_equal(o.bits, 7);
	assert_true(o.flow);
	assert_int_equal(dt_parse_uart_opts("115200n8r", &o), 0);
	assert_true(o.flow);
	before = o;
	assert_int_equal(dt_parse_uart_opts("", &o), 0);
	assert_memory_equal(&o, &before, sizeof(o));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dt_parse_uart_opts(bad[i], &o) != -PLINTH_EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_memory_equal(&o, &before, sizeof(o));
	}
	assert_int_equal(dt_parse_uart_opts(NULL, &o), -PLINTH_EINVAL);
}

/* --------------------------------------------------------------- errors ---- */

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(plinth_strerror(-PLINTH_EDEFER), "PLINTH_EDEFER");
	assert_string_equal(plinth_strerror(-PLINTH_ENOTMAPPED), "PLINTH_ENOTMAPPED");
	assert_string_equal(plinth_strerror(-PLINTH_EAGAIN), "PLINTH_EAGAIN");
	assert_string_equal(plinth_strerror(-FDT_ERR_NOTFOUND), "FDT_ERR_NOTFOUND");
	assert_string_equal(plinth_strerror(-FDT_ERR_BADMAGIC), "FDT_ERR_BADMAGIC");
	assert_string_equal(plinth_strerror(0), "success");
	assert_string_equal(plinth_strerror(-PLINTH_ERR_END), "unknown error -110");
	assert_string_equal(plinth_strerror(-50), "unknown error -50");
	assert_string_equal(plinth_strerror(7), "unknown error 7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reg_root_level),
		cmocka_unit_test(test_reg_one_cell_bus),
		cmocka_unit_test(test_reg_nested_two_levels),
		cmocka_unit_test(test_reg_empty_ranges_is_identity),
		cmocka_unit_test(test_reg_missing_ranges_not_mapped),
		cmocka_unit_test(test_reg_overflow),
		cmocka_unit_test(test_reg_bad_cell_counts),
		cmocka_unit_test(test_reg_bad_cells_edited),
		cmocka_unit_test(test_translate_pci),
		cmocka_unit_test(test_translate_bad_args),
		cmocka_unit_test(test_irq_parent_inherited),
		cmocka_unit_test(test_irq_extended),
		cmocka_unit_test(test_irq_map),
		cmocka_unit_test(test_irq_map_cycle),
		cmocka_unit_test(test_irq_bad_cells),
		cmocka_unit_test(test_clock_rate),
		cmocka_unit_test(test_props),
		cmocka_unit_test(test_malformed_status),
		cmocka_unit_test(test_stdout_forms),
		cmocka_unit_test(test_stdout_errors),
		cmocka_unit_test(test_uart_opts),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("dt_test", tests, load_trees, free_trees);
}
