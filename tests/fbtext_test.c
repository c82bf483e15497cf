/* Host tests of tools/fbimage.c, the heart of build/host/fbtext: a screen
 * rendered by the kernel's console (kernel/core/fbcon.c, the generated font)
 * reads back as the text that was written, every printable character, in
 * several colour pairs, at odd sizes, with the cursor on a glyph; a PPM
 * header is parsed or refused; the PNG encoder's output has valid CRCs,
 * zlib stored blocks whose content is the filtered image, and its Adler-32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <plinth/fb.h>
#include <plinth/fbcon.h>
#include <plinth/font.h>
#include "../tools/fbimage.h"
#include "host_env.h"

/* C11 aligned_alloc wants a size that is a multiple of the alignment. */
static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) / align * align;
}

/* A console on an x8r8g8b8 buffer and the same picture as an RGB image. */
struct rendered {
	struct fb fb;
	struct fbcon con;
	void *cells;
	struct image img;
};

static struct rendered *render_new(uint32_t w, uint32_t h, uint32_t stride)
{
	struct rendered *r = calloc(1, sizeof(*r));
	size_t need;

	assert_non_null(r);
	r->fb = (struct fb){ .width = w, .height = h, .stride = stride,
			     .fmt = fb_format_find("x8r8g8b8") };
	r->fb.base = aligned_alloc(64, round_up((size_t)stride * h, 64));
	need = fbcon_mem_size(&r->fb, &console_font);
	r->cells = aligned_alloc(8, round_up(need + 8, 8));
	assert_int_equal(fbcon_init(&r->con, &r->fb, &console_font, r->cells, need), 0);
	r->img = (struct image){ w, h, malloc((size_t)w * h * 3) };
	return r;
}

static const struct image *snapshot(struct rendered *r)
{
	for (uint32_t y = 0; y < r->fb.height; y++)
		for (uint32_t x = 0; x < r->fb.width; x++) {
			uint32_t p = *(uint32_t *)(void *)(r->fb.base + (size_t)y * r->fb.stride + x * 4);
			uint8_t *q = r->img.rgb + ((size_t)y * r->fb.width + x) * 3;

			q[0] = (uint8_t)(p >> 16);
			q[1] = (uint8_t)(p >> 8);
			q[2] = (uint8_t)p;
		}
	return &r->img;
}

static void render_free(struct rendered *r)
{
	free(r->fb.base);
	free(r->cells);
	free(r->img.rgb);
	free(r);
}

static void put(struct rendered *r, const char *s)
{
	fbcon_write(&r->con, s, strlen(s));
}

/* All 95 printable characters, plain and in colour pairs (one reversed),
 * read back exactly; the cursor sits on a glyph of the last line. */
static void test_every_glyph_round_trips(void **state)
{
	struct rendered *r = render_new(801, 601, 3300);
	char all[96], expect[2048], *text;
	unsigned cols, rows, bad;
	size_t n = 0;
	(void)state;

	for (int c = 0x20; c < 0x7f; c++)
		all[c - 0x20] = (char)c;
	all[95] = 0;
	put(r, all);
	put(r, "\n\x1b[31;44m");
	put(r, all);
	put(r, "\x1b[0m\n\x1b[1;97m");
	put(r, all);
	put(r, "\x1b[0m\n\x1b[7m");
	put(r, all);
	put(r, "\x1b[0m\nlast line: cursor here\b\b\b\b");
	/* Reversed, the space is a solid cell: a blank still. */
	for (int i = 0; i < 4; i++)
		n += (size_t)snprintf(expect + n, sizeof(expect) - n, "%s\n", all);
	snprintf(expect + n, sizeof(expect) - n, "last line: cursor here\n");

	text = image_text(snapshot(r), &console_font, 0x000000, "?", &cols, &rows, &bad);
	assert_non_null(text);
	assert_int_equal(cols, 100);
	assert_int_equal(rows, 37);
	assert_int_equal(bad, 0);
	assert_string_equal(text, expect);
	free(text);
	render_free(r);
}

/* Wrapped and scrolled text, a screen of 2x2 cells, a fallback glyph and a
 * cell of three colours. */
static void test_wrap_scroll_fallback(void **state)
{
	struct rendered *r = render_new(160, 48, 640);	/* 20 x 3 */
	char *text;
	unsigned bad;
	(void)state;

	put(r, "one\ntwo\nthree is longer than twenty\n\xe2\x82\xac");
	text = image_text(snapshot(r), &console_font, 0, "?", NULL, NULL, &bad);
	assert_string_equal(text, "three is longer than\n twenty\n\xef\xbf\xbd\n");
	assert_int_equal(bad, 0);
	free(text);
	/* Paint a stray pixel of a third colour into the first cell. */
	*(uint32_t *)(void *)r->fb.base = 0x00123456;
	text = image_text(snapshot(r), &console_font, 0, "?", NULL, NULL, &bad);
	assert_int_equal(bad, 1);
	assert_memory_equal(text, "?hree", 5);
	free(text);
	render_free(r);
}

static void test_ppm(void **state)
{
	static const char good[] = "P6\n# a comment\n2 1\n255\n\x01\x02\x03\x04\x05\x06";
	struct image img;
	const char *why = NULL;
	(void)state;

	assert_int_equal(image_read_ppm((const uint8_t *)good, sizeof(good) - 1, &img, &why), 0);
	assert_int_equal(img.width, 2);
	assert_int_equal(img.height, 1);
	assert_int_equal(img.rgb[5], 6);
	assert_int_equal(image_read_ppm((const uint8_t *)"P5\n2 1\n255\n......", 17, &img, &why), -1);
	assert_string_equal(why, "not a binary PPM (magic P6)");
	assert_int_equal(image_read_ppm((const uint8_t *)good, sizeof(good) - 2, &img, &why), -1);
	assert_string_equal(why, "PPM pixels truncated (or zero size)");
	assert_int_equal(image_read_ppm((const uint8_t *)"P6 2 1 65535\n", 13, &img, &why), -1);
	assert_string_equal(why, "PPM maxval is not 255 (8-bit samples only)");
	assert_int_equal(image_read_ppm((const uint8_t *)"P6 2", 4, &img, &why), -1);
	assert_int_equal(image_read_ppm((const uint8_t *)"P6 99999999999 1 255\n", 21, &img, &why), -1);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decode what image_png wrote (only stored blocks: that is all it makes)
 * and compare with the image. */
static void check_png(const struct image *img)
{
	size_t len, pos = 8, zn = 0, row = (size_t)img->width * 3 + 1;
	uint8_t *png = image_png(img, &len), *z = malloc(len), *raw = malloc(row * img->height + 1);
	size_t rawn = 0;
	int seen_iend = 0;

	assert_non_null(png);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	while (pos + 12 <= len) {
		uint32_t n = be32(png + pos);

		assert_true(pos + 12 + n <= len);
		assert_int_equal(be32(png + pos + 8 + n), image_crc32(0, png + pos + 4, n + 4));
		if (!memcmp(png + pos + 4, "IHDR", 4)) {
			assert_int_equal(be32(png + pos + 8), img->width);
			assert_int_equal(be32(png + pos + 12), img->height);
			assert_memory_equal(png + pos + 16, "\x08\x02\x00\x00\x00", 5);
		} else if (!memcmp(png + pos + 4, "IDAT", 4)) {
			memcpy(z + zn, png + pos + 8, n);
			zn += n;
		} else if (!memcmp(png + pos + 4, "IEND", 4)) {
			seen_iend = 1;
		}
		pos += 12 + n;
	}
	assert_int_equal(pos, len);
	assert_true(seen_iend);
	assert_int_equal((z[0] << 8 | z[1]) % 31, 0);	/* zlib header check bits */
	assert_int_equal(z[0] & 0x0f, 8);		/* deflate */
	for (size_t p = 2, final = 0; !final;) {
		size_t n = z[p + 1] | z[p + 2] << 8;

		final = z[p] & 1;
		assert_int_equal(z[p] & 6, 0);		/* stored */
		assert_int_equal(n ^ 0xffff, z[p + 3] | z[p + 4] << 8);
		memcpy(raw + rawn, z + p + 5, n);
		rawn += n;
		p += 5 + n;
		if (final) {
			assert_int_equal(be32(z + p), image_adler32(1, raw, rawn));
			assert_int_equal(p + 4, zn);
		}
	}
	assert_int_equal(rawn, row * img->height);
	for (uint32_t y = 0; y < img->height; y++) {
		assert_int_equal(raw[y * row], 0);	/* filter: none */
		assert_memory_equal(raw + y * row + 1, img->rgb + (size_t)y * (row - 1), row - 1);
	}
	free(png);
	free(z);
	free(raw);
}

static void test_png(void **state)
{
	struct rendered *r = render_new(320, 200, 1280);	/* > 64 KiB: several blocks */
	uint8_t tiny_px[6] = { 1, 2, 3, 4, 5, 6 };
	struct image tiny = { 1, 2, tiny_px };
	(void)state;

	/* Known answers (RFC 1952's CRC check value; Adler-32 of "Wikipedia"). */
	assert_int_equal(image_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926);
	assert_int_equal(image_adler32(1, (const uint8_t *)"Wikipedia", 9), 0x11e60398);
	check_png(&tiny);
	put(r, "\x1b[32mPNG\x1b[0m test");
	check_png(snapshot(r));
	render_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_glyph_round_trips),
		cmocka_unit_test(test_wrap_scroll_fallback),
		cmocka_unit_test(test_ppm),
		cmocka_unit_test(test_png),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
