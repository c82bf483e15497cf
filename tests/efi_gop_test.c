/* Host tests of loader/efi/gop.c: GOP pixel formats and masks to the
 * simple-framebuffer format string (an unsupported mask included), gop=WxH,
 * and the node, label, alias and reservation it writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "efi/loader.h"
#include "efi_test_log.h"

static const char *fmt(uint32_t pf, uint32_t r, uint32_t g, uint32_t b, uint32_t x, unsigned *bytes)
{
	const uint32_t m[4] = { r, g, b, x };

	*bytes = 0;
	return gop_format(pf, m, bytes);
}

static void test_formats(void **state)
{
	unsigned n;

	(void)state;
	assert_string_equal(fmt(GOP_PIXEL_BGRX8, 0, 0, 0, 0, &n), "x8r8g8b8");
	assert_int_equal(n, 4);
	assert_string_equal(fmt(GOP_PIXEL_RGBX8, 0, 0, 0, 0, &n), "x8b8g8r8");
	assert_string_equal(fmt(GOP_PIXEL_BITMASK, 0xff0000, 0xff00, 0xff, 0xff000000, &n), "x8r8g8b8");
	assert_string_equal(fmt(GOP_PIXEL_BITMASK, 0xff, 0xff00, 0xff0000, 0, &n), "x8b8g8r8");
	assert_string_equal(fmt(GOP_PIXEL_BITMASK, 0xf800, 0x07e0, 0x001f, 0, &n), "r5g6b5");
	assert_int_equal(n, 2);
	assert_string_equal(fmt(GOP_PIXEL_BITMASK, 0x7c00, 0x03e0, 0x001f, 0x8000, &n), "x1r5g5b5");
	assert_string_equal(fmt(GOP_PIXEL_BITMASK, 0x3ff00000, 0xffc00, 0x3ff, 0xc0000000, &n),
			    "x2r10g10b10");
}

static void test_unsupported(void **state)
{
	unsigned n;

	(void)state;
	/* 6-6-6 packed in 18 bits: no binding string. */
	assert_null(fmt(GOP_PIXEL_BITMASK, 0x3f000, 0xfc0, 0x3f, 0, &n));
	/* Reserved bits over a colour, and outside a 16-bit pixel. */
	assert_null(fmt(GOP_PIXEL_BITMASK, 0xff0000, 0xff00, 0xff, 0x00ff0000, &n));
	assert_null(fmt(GOP_PIXEL_BITMASK, 0xf800, 0x07e0, 0x001f, 0x10000, &n));
	assert_null(fmt(GOP_PIXEL_BLT_ONLY, 0, 0, 0, 0, &n));
	assert_null(fmt(7, 0, 0, 0, 0, &n));
}

static void test_describe(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct gop_fb fb;
	struct gop_mode m = { GOP_PIXEL_BGRX8, { 0 }, 800, 600, 800, 0x5f000000, 800 * 600 * 4 };

	(void)state;
	assert_int_equal(gop_describe(&m, &fb, &log), 1);
	assert_string_equal(fb.format, "x8r8g8b8");
	assert_int_equal(fb.stride, 3200);
	assert_int_equal(fb.size, 3200 * 600);
	m.pixel_format = GOP_PIXEL_BLT_ONLY;
	assert_int_equal(gop_describe(&m, &fb, &log), 0);
	assert_null(fb.format);
	assert_true(captured_has(&cap, "fdt: gop: 800x600 is Blt only"));
	m.pixel_format = GOP_PIXEL_BITMASK;
	m.mask[0] = 0x3f000;
	m.mask[1] = 0xfc0;
	m.mask[2] = 0x3f;
	assert_int_equal(gop_describe(&m, &fb, &log), 0);
	assert_true(captured_has(&cap, "masks r 0x0003f000 g 0x00000fc0 b 0x0000003f x 0x00000000: "
				       "no format string for it"));
	/* A framebuffer smaller than the mode needs. */
	m = (struct gop_mode){ GOP_PIXEL_BGRX8, { 0 }, 800, 600, 832, 0x5f000000, 800 * 600 * 4 };
	assert_int_equal(gop_describe(&m, &fb, &log), 0);
	assert_true(captured_has(&cap, "needs 0x1e7800 bytes"));
}

static void test_in_ram(void **state)
{
	const struct mem_desc map[] = {
		{ MEM_CONVENTIONAL, 0x40000000, 0x1000 },
		{ MEM_RESERVED, 0x41000000, 0x100 },
		{ MEM_BS_DATA, 0x41100000, 0x100 },
	};

	(void)state;
	assert_true(gop_in_ram(map, 3, 0x40800000, 0x1000));
	assert_false(gop_in_ram(map, 3, 0x41000000, 0x100000));	/* firmware-reserved */
	assert_true(gop_in_ram(map, 3, 0x410ff000, 0x2000));	/* runs into BS data */
	assert_false(gop_in_ram(map, 3, 0x10000000, 0x1000000));	/* a PCI BAR */
}

static void test_parse_size(void **state)
{
	uint32_t w = 0, h = 0;

	(void)state;
	assert_int_equal(gop_parse_size("1024x768", &w, &h), 0);
	assert_int_equal(w, 1024);
	assert_int_equal(h, 768);
	assert_int_equal(gop_parse_size("800X600", &w, &h), 0);
	assert_int_equal(gop_parse_size("800", &w, &h), -PLINTH_EINVAL);
	assert_int_equal(gop_parse_size("x600", &w, &h), -PLINTH_EINVAL);
	assert_int_equal(gop_parse_size("800x", &w, &h), -PLINTH_EINVAL);
	assert_int_equal(gop_parse_size("0x600", &w, &h), -PLINTH_EINVAL);
	assert_int_equal(gop_parse_size("800x600x1", &w, &h), -PLINTH_EINVAL);
	assert_int_equal(gop_parse_size("99999999x1", &w, &h), -PLINTH_EINVAL);
}

static void test_node(void **state)
{
	static char fdt[8192];
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct gop_fb fb = { 0x5f000800, 3200 * 600, 3200 * 600, 800, 600, 3200, "x8r8g8b8", 1 };
	const fdt32_t *v;
	int node, len;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	assert_int_equal(tree_add_framebuffer(fdt, &fb, &log), 0);
	assert_true(captured_has(&cap, "fdt: gop: fb0 = 800x600 x8r8g8b8 @0x5f000800"));
	node = fdt_path_offset(fdt, "/chosen/framebuffer@5f000800");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "compatible", NULL), "simple-framebuffer");
	assert_string_equal(fdt_getprop(fdt, node, "format", NULL), "x8r8g8b8");
	assert_string_equal(fdt_getprop(fdt, node, "status", NULL), "okay");
	assert_int_equal(fdt_get_phandle(fdt, node), 1);
	v = fdt_getprop(fdt, node, "stride", &len);
	assert_int_equal(fdt32_to_cpu(*v), 3200);
	v = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt32_to_cpu(v[1]), 0x5f000800);
	assert_int_equal(fdt32_to_cpu(v[3]), 3200 * 600);
	v = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "#address-cells", NULL);
	assert_int_equal(fdt32_to_cpu(*v), 2);
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "ranges", &len));
	assert_int_equal(len, 0);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/__symbols__"), "fb0", NULL),
			    "/chosen/framebuffer@5f000800");
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/aliases"), "fb0", NULL),
			    "/chosen/framebuffer@5f000800");
	/* The reservation covers whole pages around the framebuffer. */
	node = fdt_path_offset(fdt, "/reserved-memory/framebuffer@5f000000");
	assert_true(node >= 0);
	assert_non_null(fdt_getprop(fdt, node, "no-map", NULL));
	v = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(fdt32_to_cpu(v[3]), 0x1d6000);

	/* Outside /memory: no reservation of its own. */
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	fb.reserve = 0;
	assert_int_equal(tree_add_framebuffer(fdt, &fb, &log), 0);
	assert_true(fdt_path_offset(fdt, "/chosen/framebuffer@5f000800") >= 0);
	assert_int_equal(fdt_path_offset(fdt, "/reserved-memory"), -FDT_ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_in_ram),
		cmocka_unit_test(test_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
