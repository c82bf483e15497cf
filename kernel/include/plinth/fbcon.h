/* A text console on a linear framebuffer (fbcon.c): glyphs from a generated
 * font table, a cursor, CR/LF/backspace/tab, line wrap, scrolling, and the
 * colours of ANSI SGR sequences; other escape sequences are consumed whole.
 *
 * Speed: the console keeps two grids of text cells, what the screen should
 * show (`text`, whose rows are a ring, so scrolling moves no memory) and what
 * the pixels show (`shown`). Writing only changes `text`; fbcon_flush() then
 * draws the cells that differ, so a scroll redraws only the characters that
 * are not the same as the ones above them, and a burst of lines (the log
 * replayed on a new console) costs one redraw. Pure code: the framebuffer is
 * plain memory, so it runs in host tests. */
#ifndef PLINTH_FBCON_H
#define PLINTH_FBCON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fb.h"
#include "font.h"

#define FBCON_COLOURS 16	/* the 8 ANSI colours and their bright forms */
#define FBCON_PARAMS 16		/* CSI parameters kept; more make the sequence ignored */
#define FBCON_DEFAULT_FG 7	/* light grey */
#define FBCON_DEFAULT_BG 0	/* black */

/* A cell: the byte (bits 0-7), foreground colour (8-11), background (12-15). */
#define FBCON_CELL(ch, fg, bg) ((uint16_t)((uint8_t)(ch) | ((fg) & 15) << 8 | ((bg) & 15) << 12))

extern const uint32_t fbcon_palette[FBCON_COLOURS];	/* 0xRRGGBB */

struct fbcon {
	struct fb fb;
	const struct font *font;
	unsigned cols, rows;		/* the text grid; pixels right and below it stay background */
	unsigned pitch;			/* cells per grid row in memory: cols rounded up to 4 */
	unsigned cx, cy;		/* cursor; cx == cols: the next glyph wraps first */
	unsigned top;			/* screen row r is text row (top + r) % rows */
	uint16_t *text;			/* rows * pitch cells: what the screen should show */
	uint16_t *shown;		/* rows * pitch cells, screen order: what it shows */
	unsigned dirty_lo, dirty_hi;	/* screen rows to compare; lo > hi: none */
	uint8_t fg, bg;			/* SGR colours before bold/reverse */
	bool bold, reverse;
	bool cursor_on;			/* DECTCEM (CSI ?25h / ?25l) */
	bool cursor_drawn;
	unsigned cur_x, cur_y;		/* where it was drawn */
	uint32_t pixel[FBCON_COLOURS];	/* the palette in the framebuffer's format */
	uint64_t lut[16][2];		/* 4 glyph bits -> 4 pixels, for lut_fg on lut_bg */
	uint32_t lut_fg, lut_bg;
	bool lut_ok;
	/* escape sequence parser */
	uint8_t state;
	bool priv, bad;			/* CSI with a private marker; one to ignore */
	unsigned nparam;
	uint16_t param[FBCON_PARAMS];
	unsigned osc_len;
	/* counters, for tests and fbbench */
	uint64_t glyphs_drawn;
	uint64_t scrolls;
};

/* Bytes of cell memory fbcon_init needs for this framebuffer and font. */
size_t fbcon_mem_size(const struct fb *fb, const struct font *font);
/* Set up c on fb (cleared to the background) with cell memory mem.
 * -PLINTH_EINVAL: the framebuffer is smaller than one glyph, its base or
 * stride does not suit the pixel size, or mem is too small. */
int fbcon_init(struct fbcon *c, const struct fb *fb, const struct font *font,
	       void *mem, size_t mem_size);
/* Interpret bytes into the text grid; nothing is drawn yet. */
void fbcon_put(struct fbcon *c, const char *s, size_t n);
/* Draw what changed since the last flush, and the cursor. */
void fbcon_flush(struct fbcon *c);
/* fbcon_put then fbcon_flush. */
void fbcon_write(struct fbcon *c, const char *s, size_t n);
/* The cell the screen should show at column x, row y (tests). */
uint16_t fbcon_cell(const struct fbcon *c, unsigned x, unsigned y);

#endif
