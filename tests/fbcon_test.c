/* Host tests of kernel/core/fbcon.c and kernel/core/fb_format.c on in-memory
 * framebuffers: odd sizes (801x601, a stride larger than a line), every
 * pixel size, line wrapping, scrolling that redraws only what changed,
 * control characters, SGR colours, escape sequences that must vanish, and
 * the pixel formats (an unsupported one included). After each test the whole
 * framebuffer is checked against the text grid, cell by cell, and the bytes
 * outside the picture (stride padding, after the last line) must be intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <plinth/err.h>
#include <plinth/fb.h>
#include <plinth/fbcon.h>
#include <plinth/font.h>
#include "host_env.h"

/* C11 aligned_alloc wants a size that is a multiple of the alignment. */
static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) / align * align;
}

#define CANARY 0xa5
#define TAIL 4096	/* guard bytes after the last line */

struct screen {
	struct fb fb;
	uint8_t *mem;		/* stride * height + TAIL */
	void *cells;
	struct fbcon con;
};

static struct screen *screen_new(uint32_t w, uint32_t h, uint32_t stride, const char *format)
{
	struct screen *s = calloc(1, sizeof(*s));
	size_t need;

	assert_non_null(s);
	s->fb = (struct fb){ .width = w, .height = h, .stride = stride,
			     .fmt = fb_format_find(format) };
	assert_non_null(s->fb.fmt);
	s->mem = aligned_alloc(64, round_up((size_t)stride * h + TAIL, 64));
	assert_non_null(s->mem);
	memset(s->mem, CANARY, (size_t)stride * h + TAIL);
	s->fb.base = s->mem;
	need = fbcon_mem_size(&s->fb, &console_font);
	s->cells = aligned_alloc(8, round_up(need + 8, 8));
	assert_int_equal(fbcon_init(&s->con, &s->fb, &console_font, s->cells, need), 0);
	return s;
}

static void screen_free(struct screen *s)
{
	free(s->mem);
	free(s->cells);
	free(s);
}

static uint32_t read_px(const struct screen *s, uint32_t x, uint32_t y)
{
	const uint8_t *p = s->mem + (size_t)y * s->fb.stride + (size_t)x * s->fb.fmt->bytes;

	switch (s->fb.fmt->bytes) {
	case 4: return *(const uint32_t *)(const void *)p;
	case 2: return *(const uint16_t *)(const void *)p;
	default: return p[0] | p[1] << 8 | p[2] << 16;
	}
}

static void put(struct screen *s, const char *text)
{
	fbcon_write(&s->con, text, strlen(text));
}

/* Whether cell (cx, cy) shows glyph ch in fg on bg (palette indexes). */
static int cell_shows(const struct screen *s, unsigned cx, unsigned cy, unsigned ch,
		      unsigned fg, unsigned bg)
{
	const struct font *f = &console_font;
	const uint8_t *g = font_glyph(f, ch);
	uint32_t pf = s->con.pixel[fg], pb = s->con.pixel[bg];

	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++) {
			int on = g[y * f->pitch + x / 8] >> (7 - x % 8) & 1;

			if (read_px(s, cx * f->width + x, cy * f->height + y) != (on ? pf : pb))
				return 0;
		}
	return 1;
}

/* The whole picture against the grid (the cursor cell inverted), the
 * margins background, and nothing written outside the picture. */
static void check_screen(const struct screen *s)
{
	const struct fbcon *c = &s->con;
	unsigned bytes = s->fb.fmt->bytes, bad = 0;

	for (unsigned y = 0; y < c->rows; y++) {
		for (unsigned x = 0; x < c->cols; x++) {
			uint16_t v = fbcon_cell(c, x, y);
			unsigned fg = (v >> 8) & 15, bg = v >> 12;
			int ok;

			if (!c->cursor_drawn || x != c->cur_x || y != c->cur_y)
				ok = cell_shows(s, x, y, v & 0xff, fg, bg);
			else if ((v & 0xff) != ' ')
				ok = cell_shows(s, x, y, v & 0xff, bg, fg);	/* inverted */
			else	/* a block in the foreground of the moment */
				for (unsigned k = ok = 0; k < FBCON_COLOURS && !ok; k++)
					ok = cell_shows(s, x, y, ' ', 0, k) && k != bg;
			if (!ok && bad++ < 5)
				fprintf(stderr, "cell %u,%u (0x%04x) not as the grid says\n", x, y, v);
		}
	}
	assert_int_equal(bad, 0);
	for (uint32_t y = 0; y < s->fb.height; y++) {
		for (uint32_t x = c->cols * console_font.width; x < s->fb.width; x++)
			assert_int_equal(read_px(s, x, y), c->pixel[FBCON_DEFAULT_BG]);
		for (uint32_t b = s->fb.width * bytes; b < s->fb.stride; b++)
			assert_int_equal(s->mem[(size_t)y * s->fb.stride + b], CANARY);
	}
	for (uint32_t y = c->rows * console_font.height; y < s->fb.height; y++)
		for (uint32_t x = 0; x < s->fb.width; x++)
			assert_int_equal(read_px(s, x, y), c->pixel[FBCON_DEFAULT_BG]);
	for (size_t i = 0; i < TAIL; i++)
		assert_int_equal(s->mem[(size_t)s->fb.stride * s->fb.height + i], CANARY);
}

/* The text of screen row y, trailing blanks dropped. */
static const char *row_text(const struct screen *s, unsigned y)
{
	static char buf[512];
	unsigned n = 0;

	for (unsigned x = 0; x < s->con.cols && n < sizeof(buf) - 1; x++)
		buf[n++] = (char)(fbcon_cell(&s->con, x, y) & 0xff);
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	return buf;
}

/* ---------------------------------------------------------------- tests --- */

static void test_init_odd_size(void **state)
{
	struct screen *s = screen_new(801, 601, 3300, "x8r8g8b8");
	(void)state;

	assert_int_equal(s->con.cols, 100);	/* 801 / 8 */
	assert_int_equal(s->con.rows, 37);	/* 601 / 16 */
	assert_int_equal(s->con.cx, 0);
	assert_int_equal(s->con.cy, 0);
	check_screen(s);
	put(s, "");
	assert_true(s->con.cursor_drawn);
	check_screen(s);
	screen_free(s);
}

static void test_init_refusals(void **state)
{
	struct fb fb = { .width = 7, .height = 600, .stride = 28, .fmt = fb_format_find("x8r8g8b8") };
	static uint8_t mem[1 << 16] __attribute__((aligned(64)));
	static uint64_t cells[1 << 14];
	struct fbcon c;
	(void)state;

	fb.base = mem;
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.width = 8;
	fb.height = 15;		/* smaller than one 8x16 glyph */
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.width = 16;
	fb.height = 32;
	fb.stride = 60;		/* < 16 * 4 */
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.stride = 66;		/* not a whole number of 32-bit pixels */
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.stride = 64;
	fb.base = mem + 2;	/* 32-bit pixels at an odd address */
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.base = mem;
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, fbcon_mem_size(&fb, &console_font) - 1),
			 -PLINTH_EINVAL);
	fb.fmt = NULL;
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), -PLINTH_EINVAL);
	fb.fmt = fb_format_find("x8r8g8b8");
	assert_int_equal(fbcon_init(&c, &fb, &console_font, cells, sizeof(cells)), 0);
	assert_int_equal(c.cols, 2);
	assert_int_equal(c.rows, 2);
}

/* A long line wraps at the last column; a line of exactly 100 glyphs then
 * LF does not leave an empty line (the wrap is pending until the next glyph). */
static void test_line_wrap(void **state)
{
	struct screen *s = screen_new(801, 601, 3300, "x8r8g8b8");
	char line[300];
	(void)state;

	memset(line, 'x', 250);
	strcpy(line + 250, "y");
	put(s, line);
	assert_int_equal(strlen(row_text(s, 0)), 100);
	assert_int_equal(strlen(row_text(s, 1)), 100);
	assert_string_equal(row_text(s, 2) + 50, "y");
	assert_int_equal(s->con.cx, 51);
	assert_int_equal(s->con.cy, 2);
	check_screen(s);

	put(s, "\n");
	memset(line, 'a', 100);
	line[100] = 0;
	put(s, line);
	assert_int_equal(s->con.cx, 100);	/* pending */
	assert_int_equal(s->con.cy, 3);
	put(s, "\nnext");
	assert_string_equal(row_text(s, 4), "next");
	/* A glyph after a full line starts the next row itself. */
	put(s, "\r");
	put(s, line);
	put(s, "Z");
	assert_string_equal(row_text(s, 5), "Z");
	check_screen(s);
	screen_free(s);
}

/* 40 lines on 37 rows: the first four scroll away. Lines that share their
 * start redraw only the cells that differ from the line that was there. */
static void test_scroll(void **state)
{
	struct screen *s = screen_new(801, 601, 3300, "x8r8g8b8");
	char line[64];
	uint64_t before;
	(void)state;

	for (int i = 1; i <= 40; i++) {
		snprintf(line, sizeof(line), "line %02d of the scrolling test\n", i);
		put(s, line);
	}
	assert_int_equal(s->con.scrolls, 4);
	assert_string_equal(row_text(s, 0), "line 05 of the scrolling test");
	assert_string_equal(row_text(s, 35), "line 40 of the scrolling test");
	assert_string_equal(row_text(s, 36), "");
	assert_int_equal(s->con.cy, 36);
	check_screen(s);

	/* One more scroll: every row changes by its two digits only. */
	before = s->con.glyphs_drawn;
	put(s, "line 41 of the scrolling test\n");
	assert_true(s->con.glyphs_drawn - before <= 36 * 2 + 30 + 2);
	check_screen(s);

	/* Identical lines: a scroll redraws (almost) nothing. */
	for (int i = 0; i < 40; i++)
		put(s, "same\n");
	before = s->con.glyphs_drawn;
	put(s, "same\n");
	assert_true(s->con.glyphs_drawn - before <= 4);	/* the cursor's cells */
	check_screen(s);

	/* Many lines in one write: one redraw of the final picture. */
	before = s->con.glyphs_drawn;
	{
		char many[37 * 3 * 10];
		size_t n = 0;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n, "%d\n", i % 10);
		fbcon_write(&s->con, many, n);
	}
	/* "same" -> "d" on each row: 4 cells a row, not 4 per row per line */
	assert_true(s->con.glyphs_drawn - before <= 37 * 4 + 2);
	assert_int_equal(s->con.scrolls, 4 + 1 + 41 + 100);
	assert_string_equal(row_text(s, 35), "9");
	check_screen(s);
	screen_free(s);
}

static void test_controls(void **state)
{
	struct screen *s = screen_new(640, 480, 2560, "x8r8g8b8");
	char line[100];
	(void)state;

	put(s, "ab\bc\n");
	assert_string_equal(row_text(s, 0), "ac");
	put(s, "\tX\n");
	assert_string_equal(row_text(s, 1), "        X");
	put(s, "abc\rX\n");
	assert_string_equal(row_text(s, 2), "Xbc");
	put(s, "1234567\tY\tZ\n");		/* 7 -> 8, then 9 -> 16 */
	assert_string_equal(row_text(s, 3), "1234567 Y       Z");
	put(s, "bell\a\x01\x7f!\n");		/* nothing to show */
	assert_string_equal(row_text(s, 4), "bell!");
	/* The shell erases a character that wrapped with "\b \b": back
	 * across the line end, and at a pending wrap onto the last column. */
	memset(line, 'w', 80);
	line[80] = 0;
	put(s, line);
	put(s, "v");
	assert_int_equal(s->con.cy, 6);
	put(s, "\b \b");			/* erase the v */
	put(s, "\b \b");			/* back over the line end: the last w */
	assert_int_equal(s->con.cy, 5);
	assert_int_equal(s->con.cx, 79);
	assert_int_equal(strlen(row_text(s, 5)), 79);
	assert_string_equal(row_text(s, 6), "");
	put(s, "\t\t\t\t\t\t\t\t\t\t\t\t");		/* tabs stop at the last column */
	assert_int_equal(s->con.cx, 79);
	check_screen(s);
	screen_free(s);
}

static unsigned fg_at(const struct screen *s, unsigned x, unsigned y)
{
	return (fbcon_cell(&s->con, x, y) >> 8) & 15;
}

static unsigned bg_at(const struct screen *s, unsigned x, unsigned y)
{
	return fbcon_cell(&s->con, x, y) >> 12;
}

static void test_sgr(void **state)
{
	struct screen *s = screen_new(801, 601, 3300, "x8r8g8b8");
	(void)state;

	put(s, "\x1b[31mR\x1b[0mN\x1b[1;32mG\x1b[7mI\x1b[0m\x1b[44;93mB\x1b[39mD\x1b[49mE");
	assert_string_equal(row_text(s, 0), "RNGIBDE");
	assert_int_equal(fg_at(s, 0, 0), 1);		/* red */
	assert_int_equal(fg_at(s, 1, 0), 7);		/* reset: light grey */
	assert_int_equal(fg_at(s, 2, 0), 10);		/* bold green: bright */
	assert_int_equal(fg_at(s, 3, 0), 0);		/* reverse */
	assert_int_equal(bg_at(s, 3, 0), 10);
	assert_int_equal(fg_at(s, 4, 0), 11);		/* bright yellow on blue */
	assert_int_equal(bg_at(s, 4, 0), 4);
	assert_int_equal(fg_at(s, 5, 0), 7);		/* 39: default fg, blue stays */
	assert_int_equal(bg_at(s, 5, 0), 4);
	assert_int_equal(bg_at(s, 6, 0), 0);		/* 49 */
	put(s, "\x1b[m\n\x1b[38;5;12mi\x1b[48;5;5mj\x1b[38;5;200mk\x1b[38;2;1;2;3ml\x1b[105;22mm\x1b[m");
	assert_string_equal(row_text(s, 1), "ijklm");
	assert_int_equal(fg_at(s, 0, 1), 12);		/* 256-colour index < 16 */
	assert_int_equal(bg_at(s, 1, 1), 5);
	assert_int_equal(fg_at(s, 2, 1), 12);		/* index 200: not ours, kept */
	assert_int_equal(fg_at(s, 3, 1), 12);		/* direct colour: skipped whole */
	assert_int_equal(bg_at(s, 4, 1), 13);		/* 105: bright magenta */
	/* Erased cells take the background of the moment. */
	put(s, "\n\x1b[42m\x1b[2K\x1b[m");
	assert_int_equal(bg_at(s, 50, 2), 2);
	check_screen(s);
	screen_free(s);
}

/* Sequences we do not act on leave no trace; nor do broken ones. */
static void test_unknown_escapes(void **state)
{
	struct screen *s = screen_new(801, 601, 3300, "x8r8g8b8");
	(void)state;

	put(s, "a\x1b[12;34Xb\x1b]0;window title\x07" "c\x1b(Bd\x1b[?1049he\x1b[>0cf\x1b]2;t\x1b\\g\x1b=h");
	assert_string_equal(row_text(s, 0), "abcdefgh");
	for (unsigned x = 0; x < 8; x++)
		assert_int_equal(fg_at(s, x, 0), 7);
	/* Too many parameters: ignored whole. CAN cancels a sequence. */
	put(s, "\n\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;31mi\x1b[31\x18j\x1b[1 qk");
	assert_string_equal(row_text(s, 1), "ijk");
	for (unsigned x = 0; x < 3; x++)
		assert_int_equal(fg_at(s, x, 1), 7);
	/* A control inside a sequence acts; an ESC restarts. */
	put(s, "\nx\x1b[3\b1mq\x1b[3\x1b[32mr\x1b[m");
	assert_string_equal(row_text(s, 2), "qr");
	assert_int_equal(fg_at(s, 0, 2), 1);
	assert_int_equal(fg_at(s, 1, 2), 2);
	/* UTF-8: one fallback cell per character, not one per byte. */
	put(s, "\nx\xc3\xa9y\xe2\x82\xacz");
	assert_int_equal(strlen(row_text(s, 3)), 5);
	assert_int_equal(row_text(s, 3)[1], 0x1a);
	assert_int_equal(row_text(s, 3)[4], 'z');
	/* An OSC that never ends gives the screen back after a while. */
	put(s, "\n\x1b]");
	for (int i = 0; i < 513; i++)
		put(s, "z");
	put(s, "visible");
	assert_string_equal(row_text(s, 4), "visible");
	check_screen(s);
	screen_free(s);
}

static void test_erase_and_moves(void **state)
{
	struct screen *s = screen_new(320, 160, 1280, "x8r8g8b8");	/* 40 x 10 */
	(void)state;

	put(s, "0123456789\n0123456789\n0123456789");
	put(s, "\x1b[2;5H\x1b[K");			/* row 2, column 5: erase to the end */
	assert_string_equal(row_text(s, 1), "0123");
	put(s, "\x1b[1;3H\x1b[1K");			/* erase to the start, cursor included */
	assert_string_equal(row_text(s, 0), "   3456789");
	put(s, "\x1b[3;1H\x1b[2K");
	assert_string_equal(row_text(s, 2), "");
	put(s, "\x1b[5;10Hq\x1b[2Aw\x1b[3Dv\x1b[4Cu\x1b[Bt\x1b[20Gs\x1b[7dr");
	assert_string_equal(row_text(s, 2), "        v w  u");
	assert_string_equal(row_text(s, 3), "              t    s");
	assert_string_equal(row_text(s, 4), "         q");
	assert_string_equal(row_text(s, 6), "                    r");
	put(s, "\x1b[99;99HE");				/* clamped to the last cell */
	assert_int_equal(fbcon_cell(&s->con, 39, 9) & 0xff, 'E');
	put(s, "\x1b[4;1H\x1b[J");			/* cursor to the end of the screen */
	assert_string_equal(row_text(s, 2), "        v w  u");
	for (unsigned y = 3; y < 10; y++)
		assert_string_equal(row_text(s, y), "");
	put(s, "\x1b[2;3H\x1b[1J");			/* start to the cursor */
	assert_string_equal(row_text(s, 0), "");
	assert_string_equal(row_text(s, 1), "   3");
	put(s, "\x1b[?25l");
	assert_false(s->con.cursor_drawn);
	check_screen(s);
	put(s, "\x1b[?25h\x1b[2J");
	assert_true(s->con.cursor_drawn);
	for (unsigned y = 0; y < 10; y++)
		assert_string_equal(row_text(s, y), "");
	put(s, "x\x1b" "c");				/* RIS */
	assert_int_equal(s->con.cx, 0);
	assert_string_equal(row_text(s, 0), "");
	check_screen(s);
	screen_free(s);
}

/* ------------------------------------------------------------- formats --- */

static void test_formats(void **state)
{
	const char *names = fb_format_names();
	char copy[256], *save, *tok;
	unsigned n = 0;
	(void)state;

	assert_int_equal(fb_pixel(fb_format_find("x8r8g8b8"), 0xaa5500), 0x00aa5500);
	assert_int_equal(fb_pixel(fb_format_find("a8r8g8b8"), 0xaa5500), 0xffaa5500);
	assert_int_equal(fb_pixel(fb_format_find("x8b8g8r8"), 0xaa5500), 0x000055aa);
	assert_int_equal(fb_pixel(fb_format_find("a8b8g8r8"), 0x123456), 0xff563412);
	assert_int_equal(fb_pixel(fb_format_find("r5g6b5"), 0xffffff), 0xffff);
	assert_int_equal(fb_pixel(fb_format_find("r5g6b5"), 0xaa5500), 21 << 11 | 21 << 5);
	assert_int_equal(fb_pixel(fb_format_find("x1r5g5b5"), 0xffffff), 0x7fff);
	assert_int_equal(fb_pixel(fb_format_find("a1r5g5b5"), 0x000000), 0x8000);
	assert_int_equal(fb_pixel(fb_format_find("r5g5b5a1"), 0x0000ff), 0x003f);
	assert_int_equal(fb_pixel(fb_format_find("x2r10g10b10"), 0xffffff), 0x3fffffff);
	assert_int_equal(fb_pixel(fb_format_find("a2r10g10b10"), 0x000000), 0xc0000000);
	assert_int_equal(fb_pixel(fb_format_find("r8g8b8"), 0x123456), 0x123456);
	/* Unsupported: refused by name, exactly. */
	assert_null(fb_format_find("y8u8v8"));
	assert_null(fb_format_find("X8R8G8B8"));
	assert_null(fb_format_find("x8r8g8b8 "));
	assert_null(fb_format_find(""));
	assert_null(fb_format_find(NULL));
	/* The list in messages is the table. */
	snprintf(copy, sizeof(copy), "%s", names);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++)
		assert_non_null(fb_format_find(tok));
	assert_int_equal(n, 11);
}

/* Every pixel size draws the same text, within its lines. */
static void test_draw_each_format(void **state)
{
	static const struct { const char *fmt; uint32_t w, h, stride; } cases[] = {
		{ "r5g6b5", 801, 601, 1700 },
		{ "x1r5g5b5", 640, 480, 1280 },
		{ "r8g8b8", 801, 601, 2405 },	/* odd stride: 24-bit pixels are stored bytewise */
		{ "x8b8g8r8", 803, 100, 3216 },
		{ "a2r10g10b10", 64, 64, 260 },	/* 4-byte but not 8-byte aligned rows: slow path */
		{ "r5g5b5a1", 802, 33, 1606 },	/* 2-byte aligned rows */
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct screen *s = screen_new(cases[i].w, cases[i].h, cases[i].stride, cases[i].fmt);

		put(s, "Hello, \x1b[1;34mframebuffer\x1b[0m!\n");
		for (int l = 0; l < 50; l++)
			put(s, "The quick brown fox jumps over the lazy dog 0123456789\n");
		check_screen(s);
		screen_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_odd_size),
		cmocka_unit_test(test_init_refusals),
		cmocka_unit_test(test_line_wrap),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_unknown_escapes),
		cmocka_unit_test(test_erase_and_moves),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_draw_each_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
