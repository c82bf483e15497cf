/* Host tests of kernel/drivers/fb_simple.c on tests/trees/fb_simple.dts:
 * parse() turns each node into its configuration or refuses it with a reason
 * naming the value (unknown format, missing stride, short stride or reg,
 * misaligned stride, a format that is no string, zero width); a disabled
 * node never binds. Then the whole path on a framebuffer in host memory (the
 * node's reg rewritten to point at it): the driver core probes it, it becomes
 * the console stdout-path names, the log so far is replayed onto the screen
 * and new output follows; it has no input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/fbcon.h>
#include <plinth/printk.h>
#include "../kernel/drivers/fb_simple.h"
#include "host_env.h"
#include "probe_harness.h"

/* C11 aligned_alloc wants a size that is a multiple of the alignment. */
static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) / align * align;
}

static const struct fb_simple_config *cfg(struct device *dev)
{
	return dev->config;
}

static void test_parse_gop_like(void **state)
{
	struct device *dev = dev_at("/chosen/framebuffer@80000000");
	(void)state;

	assert_int_equal(dev->drv->parse(dev), 0);
	assert_int_equal(cfg(dev)->base, 0x80000000);
	assert_int_equal(cfg(dev)->size, 3200 * 600);
	assert_int_equal(cfg(dev)->width, 800);
	assert_int_equal(cfg(dev)->height, 600);
	assert_int_equal(cfg(dev)->stride, 3200);
	assert_string_equal(cfg(dev)->format->name, "x8r8g8b8");
}

/* 801x601, strides larger than a line: the used size is every line's
 * stride but the last one's, which needs only its pixels. */
static void test_parse_odd_sizes(void **state)
{
	struct device *dev = dev_at("/chosen/framebuffer@81000000");
	(void)state;

	assert_int_equal(dev->drv->parse(dev), 0);
	assert_string_equal(cfg(dev)->format->name, "r5g6b5");
	assert_int_equal(cfg(dev)->size, 1700 * 600 + 801 * 2);
	dev = dev_at("/chosen/framebuffer@82000000");
	assert_int_equal(dev->drv->parse(dev), 0);
	assert_string_equal(cfg(dev)->format->name, "r8g8b8");
	assert_int_equal(cfg(dev)->stride, 2405);
}

static void refused(const char *path, int err, const char *reason)
{
	struct device *dev = dev_at(path);

	assert_int_equal(dev->drv->parse(dev), err);
	assert_string_equal(dev->reason, reason);
}

static void test_parse_refusals(void **state)
{
	(void)state;
	refused("/chosen/framebuffer@83000000", -PLINTH_ENOTSUP, "format \"y8u8v8\" not supported");
	assert_has(log_text(), "framebuffer@83000000: format \"y8u8v8\" unknown; supported: x8r8g8b8 ");
	refused("/chosen/framebuffer@84000000", -PLINTH_ENOENT, "no stride");
	refused("/chosen/framebuffer@85000000", -PLINTH_ERANGE, "stride 3196 < width 800 x 4 bytes");
	refused("/chosen/framebuffer@86000000", -PLINTH_ERANGE,
		"reg size 0x1d4bff < 0x1d4c00 (600 lines of 3200 bytes)");
	refused("/chosen/framebuffer@87000000", -PLINTH_EINVAL,
		"stride 3202 or address 0x87000000 not 4-byte aligned");
	refused("/chosen/framebuffer@88000000", -PLINTH_EINVAL, "format is not one string");
	refused("/chosen/framebuffer@89000000", -PLINTH_ERANGE, "width 0 out of range (1..16384)");
}

static void test_disabled_never_binds(void **state)
{
	int node = fdt_path_offset(unit_fdt, "/chosen/framebuffer@8a000000");
	struct device *dev = devtree_find(&unit_dt, node);
	(void)state;

	assert_non_null(dev);
	assert_int_equal(dev->state, DEV_DISABLED);
	assert_null(dev->drv);
}

/* The tree with fb0's reg pointing at host memory and the other usable
 * framebuffers disabled (their reg is not memory here). */
static void *probe_tree(void *pixels, size_t size)
{
	size_t len = fdt_totalsize(unit_fdt) + 4096;
	void *fdt = malloc(len);
	fdt32_t reg[4];
	uint64_t a = (uint64_t)(uintptr_t)pixels;

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(unit_fdt, fdt, (int)len), 0);
	reg[0] = cpu_to_fdt32((uint32_t)(a >> 32));
	reg[1] = cpu_to_fdt32((uint32_t)a);
	reg[2] = cpu_to_fdt32(0);
	reg[3] = cpu_to_fdt32((uint32_t)size);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/chosen/framebuffer@80000000"), "reg",
				     reg, sizeof(reg)), 0);
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen/framebuffer@81000000"),
					    "status", "disabled"), 0);
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen/framebuffer@82000000"),
					    "status", "disabled"), 0);
	return fdt;
}

static const char *screen_row(const struct fbcon *c, unsigned y)
{
	static char buf[256];
	unsigned n = 0;

	for (unsigned x = 0; x < c->cols && n < sizeof(buf) - 1; x++)
		buf[n++] = (char)(fbcon_cell(c, x, y) & 0xff);
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	return buf;
}

static int screen_has(const struct fbcon *c, const char *text)
{
	for (unsigned y = 0; y < c->rows; y++)
		if (strstr(screen_row(c, y), text))
			return 1;
	return 0;
}

static void test_probe_is_the_console(void **state)
{
	size_t size = 3200 * 600;
	uint32_t *pixels = aligned_alloc(64, round_up(size, 64));
	static struct devtree dt;
	void *fdt = probe_tree(pixels, size);
	struct device *dev;
	const struct fbcon *con;
	(void)state;

	memset(pixels, 0x5a, size);
	kprintf("before the framebuffer\n");
	assert_int_equal(devtree_init(&dt, fdt), 0);
	console_set_stdout(fdt, dt.stdout_node);
	assert_int_equal(devtree_probe_all(&dt), 1);
	dev = devtree_find(&dt, fdt_path_offset(fdt, "/chosen/framebuffer@80000000"));
	assert_int_equal(dev->state, DEV_BOUND);
	assert_ptr_equal(console_device(), dev);
	assert_int_equal(console_flags(dev), CONSOLE_PRIMARY);	/* no input */
	con = dev->priv;
	assert_int_equal(con->cols, 100);
	assert_int_equal(con->rows, 37);
	assert_true(screen_has(con, "before the framebuffer"));	/* replayed */
	assert_true(screen_has(con, "framebuffer@80000000: 800x600 x8r8g8b8, stride 3200"));
	assert_true(screen_has(con, "console: /chosen/framebuffer@80000000 (simple-framebuffer)"));
	assert_true(screen_has(con, "format \"y8u8v8\" not supported"));
	kprintf("after\n");
	assert_true(screen_has(con, "after"));
	assert_int_equal(console_getc(), -PLINTH_ENOTSUP);
	/* Drawn: the first glyph row has foreground pixels, the margin none. */
	{
		unsigned lit = 0;

		for (unsigned i = 0; i < 800 * 16; i++)
			lit += pixels[i / 800 * 800 + i % 800] == 0x00aaaaaa;
		assert_true(lit > 100);
	}
	/* pixels and fdt stay: the console stays registered (console.c's
	 * state is global) and would draw into freed memory. */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_gop_like),
		cmocka_unit_test(test_parse_odd_sizes),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_disabled_never_binds),
		cmocka_unit_test(test_probe_is_the_console),
	};

	if (probe_harness_init("fb_simple", "simple-framebuffer") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
