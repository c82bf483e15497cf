/* The framebuffer text console (fbcon.h).
 *
 * Control characters: LF moves to the start of the next line (the console
 * layer hands this console raw bytes, so LF alone must do what CR LF does on
 * a terminal), CR to the start of this one, BS one cell left (from the first
 * column to the end of the previous line: the shell erases a wrapped line
 * with "\b \b"), TAB to the next multiple of 8. A glyph written in the last
 * column leaves the cursor there with a wrap pending (as a VT100 does): the
 * next glyph starts a new line, a CR or LF does not add an empty one.
 *
 * Escape sequences (ECMA-48): ESC [ params final is a CSI sequence; SGR
 * (m: 0 1 7 22 27 30-37 39 40-47 49 90-97 100-107, 38;5;n and 48;5;n for
 * n < 16), EL (K), ED (J), CUP (H, f), CUU/CUD/CUF/CUB (A-D), CHA (G), VPA
 * (d) and ?25h/?25l act; any other CSI sequence, ESC + intermediates + final,
 * and OSC strings (ESC ] ... BEL or ESC \) are consumed without a trace.
 * Bytes from 0x80: a UTF-8 lead byte shows the font's fallback glyph once,
 * continuation bytes nothing. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/fbcon.h>

#define CELL_NONE	0xffffu		/* in `shown`: unknown, redraw (never a text cell) */
#define NOT_IN_FONT	0x1a		/* SUB: stored for a character the font lacks (fallback glyph) */
#define OSC_MAX		512		/* an unterminated OSC ends after this many bytes */
#define PARAM_MAX	9999

enum { ST_TEXT, ST_ESC, ST_ESC_INTER, ST_CSI, ST_OSC, ST_OSC_ESC };

/* VGA text-mode colours, as Linux's console uses them. */
const uint32_t fbcon_palette[FBCON_COLOURS] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

/* ---------------------------------------------------------------- setup --- */

static unsigned grid_pitch(unsigned cols)
{
	return (cols + 3) & ~3u;	/* rows of whole uint64_t words: compared 4 cells at a time */
}

size_t fbcon_mem_size(const struct fb *fb, const struct font *font)
{
	if (!font->width || !font->height)
		return 0;
	return 2 * sizeof(uint16_t) * (size_t)grid_pitch(fb->width / font->width) *
	       (fb->height / font->height);
}

static void fill_rect(struct fbcon *c, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t px)
{
	unsigned bytes = c->fb.fmt->bytes;

	for (uint32_t y = y0; y < y0 + h; y++) {
		uint8_t *p = c->fb.base + (size_t)y * c->fb.stride + (size_t)x0 * bytes;

		for (uint32_t x = 0; x < w; x++, p += bytes) {
			if (bytes == 4)
				*(uint32_t *)(void *)p = px;
			else if (bytes == 2)
				*(uint16_t *)(void *)p = (uint16_t)px;
			else {
				p[0] = (uint8_t)px;
				p[1] = (uint8_t)(px >> 8);
				p[2] = (uint8_t)(px >> 16);
			}
		}
	}
}

static uint16_t *text_row(const struct fbcon *c, unsigned y)
{
	unsigned r = c->top + y;

	if (r >= c->rows)
		r -= c->rows;
	return c->text + (size_t)r * c->pitch;
}

static uint8_t bright(const struct fbcon *c)
{
	return c->bold && c->fg < 8 ? c->fg + 8 : c->fg;
}

static uint8_t attr_fg(const struct fbcon *c)
{
	return c->reverse ? c->bg : bright(c);
}

static uint8_t attr_bg(const struct fbcon *c)
{
	return c->reverse ? bright(c) : c->bg;
}

/* An erased cell: blank in the current background (as xterm erases). A
 * blank's foreground is invisible, so it is always 0: one value per
 * background keeps the compare from redrawing blanks that look the same. */
static uint16_t blank(const struct fbcon *c)
{
	return FBCON_CELL(' ', 0, attr_bg(c));
}

static void clear_cells(uint16_t *row, unsigned from, unsigned to, uint16_t cell)
{
	for (unsigned x = from; x < to; x++)
		row[x] = cell;
}

/* Rows dirty_lo..dirty_hi need a compare; none: lo = NONE_DIRTY, hi = 0. */
#define NONE_DIRTY	(~0u)

static void mark(struct fbcon *c, unsigned y)
{
	if (y < c->dirty_lo)
		c->dirty_lo = y;
	if (y > c->dirty_hi)
		c->dirty_hi = y;
}

static void mark_all(struct fbcon *c)
{
	c->dirty_lo = 0;
	c->dirty_hi = c->rows - 1;
}

static void reset_attrs(struct fbcon *c)
{
	c->fg = FBCON_DEFAULT_FG;
	c->bg = FBCON_DEFAULT_BG;
	c->bold = c->reverse = false;
}

static void clear_screen(struct fbcon *c)
{
	for (unsigned y = 0; y < c->rows; y++)
		clear_cells(text_row(c, y), 0, c->cols, blank(c));
	mark_all(c);
}

int fbcon_init(struct fbcon *c, const struct fb *fb, const struct font *font,
	       void *mem, size_t mem_size)
{
	const struct fb_format *f = fb->fmt;
	size_t need = fbcon_mem_size(fb, font);
	unsigned align;

	if (!f || !fb->base || !font->width || !font->height || font->pitch * 8u < font->width ||
	    font->width > 32 || fb->width < font->width || fb->height < font->height)
		return -PLINTH_EINVAL;
	/* Pixels are stored as whole uint16_t/uint32_t: those must be aligned. */
	align = f->bytes == 3 ? 1 : f->bytes;
	if ((uintptr_t)fb->base % align || fb->stride % align ||
	    fb->stride / f->bytes < fb->width || !mem || mem_size < need || (uintptr_t)mem % 8)
		return -PLINTH_EINVAL;
	memset(c, 0, sizeof(*c));
	c->fb = *fb;
	c->font = font;
	c->cols = fb->width / font->width;
	c->rows = fb->height / font->height;
	c->pitch = grid_pitch(c->cols);
	c->text = mem;
	c->shown = c->text + (size_t)c->pitch * c->rows;
	memset(mem, 0, need);
	for (unsigned i = 0; i < FBCON_COLOURS; i++)
		c->pixel[i] = fb_pixel(f, fbcon_palette[i]);
	reset_attrs(c);
	c->cursor_on = true;
	c->dirty_lo = NONE_DIRTY;
	c->dirty_hi = 0;
	/* The whole framebuffer, margins included, to the background; the
	 * grid then matches: every cell shows a blank. */
	fill_rect(c, 0, 0, fb->width, fb->height, c->pixel[FBCON_DEFAULT_BG]);
	for (unsigned y = 0; y < c->rows; y++) {
		clear_cells(text_row(c, y), 0, c->cols, blank(c));
		clear_cells(c->shown + (size_t)y * c->pitch, 0, c->cols, blank(c));
	}
	return 0;
}

uint16_t fbcon_cell(const struct fbcon *c, unsigned x, unsigned y)
{
	if (x >= c->cols || y >= c->rows)
		return 0;
	return text_row(c, y)[x];
}

/* ------------------------------------------------------------- drawing --- */

/* One glyph row into 32-bit pixels: bits holds the row's pixels from bit
 * (w - 1) (leftmost) down. */
static void row32(uint32_t *p, uint32_t bits, unsigned w, uint32_t fg, uint32_t bg)
{
	for (unsigned x = 0; x < w; x++)
		p[x] = bits >> (w - 1 - x) & 1 ? fg : bg;
}

static void row16(uint16_t *p, uint32_t bits, unsigned w, uint32_t fg, uint32_t bg)
{
	for (unsigned x = 0; x < w; x++)
		p[x] = (uint16_t)(bits >> (w - 1 - x) & 1 ? fg : bg);
}

static void row24(uint8_t *p, uint32_t bits, unsigned w, uint32_t fg, uint32_t bg)
{
	for (unsigned x = 0; x < w; x++, p += 3) {
		uint32_t v = bits >> (w - 1 - x) & 1 ? fg : bg;

		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
	}
}

/* Pixels for each 4-bit group of a glyph row in the current colours, as
 * whole 64-bit words (4 x 16-bit pixels: one word; 4 x 32-bit: two), so a
 * row of an 8-pixel glyph is two or four stores. Rebuilt when the colours
 * change, which is rarely: most cells share them. */
static void build_lut(struct fbcon *c, uint32_t fg, uint32_t bg)
{
	for (unsigned n = 0; n < 16; n++) {
		uint64_t p[4];

		for (unsigned i = 0; i < 4; i++)
			p[i] = n >> (3 - i) & 1 ? fg : bg;
		if (c->fb.fmt->bytes == 4) {
			c->lut[n][0] = p[0] | p[1] << 32;	/* little-endian: first pixel low */
			c->lut[n][1] = p[2] | p[3] << 32;
		} else {
			c->lut[n][0] = p[0] | p[1] << 16 | p[2] << 32 | p[3] << 48;
		}
	}
	c->lut_fg = fg;
	c->lut_bg = bg;
	c->lut_ok = true;
}

/* Whole groups of 4 pixels from the table, then any pixels left. */
static void row_fast(struct fbcon *c, uint8_t *line, uint32_t bits, unsigned w,
		     uint32_t fg, uint32_t bg)
{
	uint64_t *q = (uint64_t *)(void *)line;
	unsigned x = 0;

	if (c->fb.fmt->bytes == 4) {
		for (; x + 4 <= w; x += 4, q += 2) {
			const uint64_t *v = c->lut[bits >> (w - 4 - x) & 15];

			q[0] = v[0];
			q[1] = v[1];
		}
		row32((uint32_t *)(void *)line + x, bits, w - x, fg, bg);
	} else {
		for (; x + 4 <= w; x += 4, q++)
			*q = c->lut[bits >> (w - 4 - x) & 15][0];
		row16((uint16_t *)(void *)line + x, bits, w - x, fg, bg);
	}
}

static void draw_cell(struct fbcon *c, unsigned cx, unsigned cy, uint16_t cell, bool inverse)
{
	const struct font *f = c->font;
	const uint8_t *g = font_glyph(f, cell & 0xff);
	uint32_t fg = c->pixel[(cell >> 8) & 15], bg = c->pixel[cell >> 12];
	unsigned bytes = c->fb.fmt->bytes, w = f->width, drop = f->pitch * 8u - w;
	uint8_t *line = c->fb.base + (size_t)cy * f->height * c->fb.stride +
			(size_t)cx * w * bytes;
	/* 64-bit stores need 8-byte alignment on every row (-mstrict-align). */
	bool fast = bytes != 3 && !((uintptr_t)line & 7) && !(c->fb.stride & 7);

	if (inverse) {
		uint32_t t = fg;

		fg = bg;
		bg = t;
	}
	if (fast && (!c->lut_ok || c->lut_fg != fg || c->lut_bg != bg))
		build_lut(c, fg, bg);
	if (fast && bytes == 4 && w == 8) {	/* the common case, unrolled: 4 stores a row */
		for (unsigned y = 0; y < f->height; y++, line += c->fb.stride) {
			uint64_t *q = (uint64_t *)(void *)line;
			const uint64_t *hi = c->lut[g[y] >> 4], *lo = c->lut[g[y] & 15];

			q[0] = hi[0];
			q[1] = hi[1];
			q[2] = lo[0];
			q[3] = lo[1];
		}
		c->glyphs_drawn++;
		return;
	}
	for (unsigned y = 0; y < f->height; y++, line += c->fb.stride) {
		uint32_t bits = 0;

		for (unsigned k = 0; k < f->pitch; k++)
			bits = bits << 8 | *g++;
		bits >>= drop;	/* the row's padding bits on the right */
		if (fast)
			row_fast(c, line, bits, w, fg, bg);
		else if (bytes == 4)
			row32((uint32_t *)(void *)line, bits, w, fg, bg);
		else if (bytes == 2)
			row16((uint16_t *)(void *)line, bits, w, fg, bg);
		else
			row24(line, bits, w, fg, bg);
	}
	c->glyphs_drawn++;
}

/* Compare one screen row, four cells at a time, and draw what differs. */
static void flush_row(struct fbcon *c, unsigned y)
{
	const uint16_t *t = text_row(c, y);
	uint16_t *s = c->shown + (size_t)y * c->pitch;
	const uint64_t *t64 = (const uint64_t *)(const void *)t;
	const uint64_t *s64 = (const uint64_t *)(const void *)s;

	for (unsigned w = 0; w < c->pitch / 4; w++) {
		if (t64[w] == s64[w])
			continue;
		for (unsigned x = w * 4; x < w * 4 + 4 && x < c->cols; x++) {
			if (t[x] != s[x]) {
				draw_cell(c, x, y, t[x], false);
				s[x] = t[x];
			}
		}
	}
}

void fbcon_flush(struct fbcon *c)
{
	if (c->cursor_drawn) {
		/* Its cell shows inverted: make the compare redraw it. */
		c->shown[(size_t)c->cur_y * c->pitch + c->cur_x] = CELL_NONE;
		mark(c, c->cur_y);
		c->cursor_drawn = false;
	}
	for (unsigned y = c->dirty_lo; y <= c->dirty_hi && y < c->rows; y++)
		flush_row(c, y);
	c->dirty_lo = NONE_DIRTY;
	c->dirty_hi = 0;
	if (c->cursor_on) {
		unsigned x = c->cx < c->cols ? c->cx : c->cols - 1;
		uint16_t cell = text_row(c, c->cy)[x];

		/* A blank's foreground is 0 (see blank()): a block of the
		 * current foreground colour instead. */
		if ((cell & 0xff) == ' ')
			cell = FBCON_CELL(' ', attr_fg(c), cell >> 12);
		draw_cell(c, x, c->cy, cell, true);
		c->shown[(size_t)c->cy * c->pitch + x] = CELL_NONE;
		c->cursor_drawn = true;
		c->cur_x = x;
		c->cur_y = c->cy;
	}
}

/* ------------------------------------------------------ text and moves --- */

static void scroll_up(struct fbcon *c)
{
	c->top = c->top + 1 == c->rows ? 0 : c->top + 1;
	clear_cells(text_row(c, c->rows - 1), 0, c->cols, blank(c));
	c->scrolls++;
	mark_all(c);
}

static void line_feed(struct fbcon *c)
{
	if (c->cy + 1 < c->rows)
		c->cy++;
	else
		scroll_up(c);
}

static void put_glyph(struct fbcon *c, uint8_t ch)
{
	if (c->cx >= c->cols) {	/* wrap pending */
		c->cx = 0;
		line_feed(c);
	}
	text_row(c, c->cy)[c->cx] = ch == ' ' ? blank(c) : FBCON_CELL(ch, attr_fg(c), attr_bg(c));
	mark(c, c->cy);
	c->cx++;
}

static void backspace(struct fbcon *c)
{
	if (c->cx >= c->cols)
		c->cx = c->cols - 1;	/* cancel the pending wrap: stay on the last cell */
	else if (c->cx > 0)
		c->cx--;
	else if (c->cy > 0) {
		c->cy--;
		c->cx = c->cols - 1;
	}
}

static void control(struct fbcon *c, uint8_t ch)
{
	switch (ch) {
	case '\n':
		c->cx = 0;
		line_feed(c);
		break;
	case '\r':
		c->cx = 0;
		break;
	case '\b':
		backspace(c);
		break;
	case '\t':
		if (c->cx < c->cols)
			c->cx = (c->cx + 8) & ~7u;
		if (c->cx >= c->cols)
			c->cx = c->cols - 1;
		break;
	default:		/* BEL and the rest: nothing to show */
		break;
	}
}

/* ---------------------------------------------------------- sequences --- */

static unsigned param(const struct fbcon *c, unsigned i, unsigned dflt)
{
	return i < c->nparam && c->param[i] ? c->param[i] : dflt;
}

static void sgr_colour(struct fbcon *c, unsigned *i, bool fg)
{
	unsigned kind = *i + 1 < c->nparam ? c->param[*i + 1] : 0;

	if (kind == 5) {		/* 38;5;n: indexed; only the 16 we have */
		if (*i + 2 < c->nparam && c->param[*i + 2] < FBCON_COLOURS) {
			if (fg)
				c->fg = (uint8_t)c->param[*i + 2];
			else
				c->bg = (uint8_t)c->param[*i + 2];
		}
		*i += 2;
	} else if (kind == 2) {		/* 38;2;r;g;b: direct colour, not kept */
		*i += 4;
	} else {
		*i = c->nparam;		/* malformed: drop the rest */
	}
}

static void sgr(struct fbcon *c)
{
	if (c->nparam == 0) {
		reset_attrs(c);
		return;
	}
	for (unsigned i = 0; i < c->nparam; i++) {
		unsigned p = c->param[i];

		if (p == 0)
			reset_attrs(c);
		else if (p == 1)
			c->bold = true;
		else if (p == 22)
			c->bold = false;
		else if (p == 7)
			c->reverse = true;
		else if (p == 27)
			c->reverse = false;
		else if (p >= 30 && p <= 37)
			c->fg = (uint8_t)(p - 30);
		else if (p == 39)
			c->fg = FBCON_DEFAULT_FG;
		else if (p >= 40 && p <= 47)
			c->bg = (uint8_t)(p - 40);
		else if (p == 49)
			c->bg = FBCON_DEFAULT_BG;
		else if (p >= 90 && p <= 97)
			c->fg = (uint8_t)(p - 90 + 8);
		else if (p >= 100 && p <= 107)
			c->bg = (uint8_t)(p - 100 + 8);
		else if (p == 38 || p == 48)
			sgr_colour(c, &i, p == 38);
		/* anything else (italic, underline, blink, ...): no such look here */
	}
}

static void erase_line(struct fbcon *c, unsigned y, unsigned from, unsigned to)
{
	clear_cells(text_row(c, y), from, to, blank(c));
	mark(c, y);
}

static void erase(struct fbcon *c, char final, unsigned mode)
{
	unsigned x = c->cx < c->cols ? c->cx : c->cols - 1;

	if (mode > 3 || (final == 'K' && mode == 3))
		return;
	if (final == 'K') {
		erase_line(c, c->cy, mode == 0 ? x : 0, mode == 1 ? x + 1 : c->cols);
		return;
	}
	if (mode >= 2) {
		clear_screen(c);
		return;
	}
	erase_line(c, c->cy, mode == 0 ? x : 0, mode == 1 ? x + 1 : c->cols);
	for (unsigned y = mode == 0 ? c->cy + 1 : 0; y < (mode == 0 ? c->rows : c->cy); y++)
		erase_line(c, y, 0, c->cols);
}

static unsigned clamp(unsigned v, unsigned max)
{
	return v > max ? max : v;
}

static void csi_dispatch(struct fbcon *c, char final)
{
	unsigned n, x = c->cx < c->cols ? c->cx : c->cols - 1;

	if (c->bad)
		return;
	if (c->priv) {
		if ((final == 'h' || final == 'l') && c->nparam == 1 && c->param[0] == 25)
			c->cursor_on = final == 'h';
		return;
	}
	switch (final) {
	case 'm': sgr(c); break;
	case 'K':
	case 'J': erase(c, final, param(c, 0, 0)); break;
	case 'H':
	case 'f':
		c->cy = clamp(param(c, 0, 1) - 1, c->rows - 1);
		c->cx = clamp(param(c, 1, 1) - 1, c->cols - 1);
		break;
	case 'A': n = param(c, 0, 1); c->cy = n > c->cy ? 0 : c->cy - n; c->cx = x; break;
	case 'B': c->cy = clamp(c->cy + clamp(param(c, 0, 1), c->rows), c->rows - 1); c->cx = x; break;
	case 'C': c->cx = clamp(x + clamp(param(c, 0, 1), c->cols), c->cols - 1); break;
	case 'D': n = param(c, 0, 1); c->cx = n > x ? 0 : x - n; break;
	case 'G': c->cx = clamp(param(c, 0, 1) - 1, c->cols - 1); break;
	case 'd': c->cy = clamp(param(c, 0, 1) - 1, c->rows - 1); c->cx = x; break;
	default: break;		/* unknown: consumed, ignored */
	}
}

static void csi_byte(struct fbcon *c, uint8_t ch)
{
	if (ch >= '0' && ch <= '9') {
		if (c->nparam == 0)
			c->nparam = 1;
		if (c->nparam <= FBCON_PARAMS) {
			unsigned v = c->param[c->nparam - 1] * 10u + (ch - '0');

			c->param[c->nparam - 1] = (uint16_t)(v > PARAM_MAX ? PARAM_MAX : v);
		}
	} else if (ch == ';' || ch == ':') {
		if (c->nparam == 0)
			c->nparam = 1;	/* ";5" : an empty first parameter */
		if (c->nparam < FBCON_PARAMS)
			c->param[c->nparam] = 0;
		else
			c->bad = true;
		c->nparam++;
	} else if (ch >= 0x3c && ch <= 0x3f) {
		if (c->nparam == 0 && !c->priv)
			c->priv = true;
		else
			c->bad = true;	/* a marker after parameters: not ECMA-48 */
	} else if (ch >= 0x20 && ch <= 0x2f) {
		c->bad = true;		/* intermediates: no such sequence here */
	} else if (ch >= 0x40 && ch <= 0x7e) {
		if (c->nparam > FBCON_PARAMS)
			c->bad = true;
		csi_dispatch(c, (char)ch);
		c->state = ST_TEXT;
	}
}

static void start_csi(struct fbcon *c)
{
	c->state = ST_CSI;
	c->priv = c->bad = false;
	c->nparam = 0;
	memset(c->param, 0, sizeof(c->param));
}

/* ECMA-48 5.3: C0 controls inside a sequence are acted on; CAN and SUB
 * cancel it; ESC starts another. Returns true when ch was one of those. */
static bool in_sequence_control(struct fbcon *c, uint8_t ch)
{
	if (ch == 0x1b) {
		c->state = ST_ESC;
		return true;
	}
	if (ch == 0x18 || ch == 0x1a) {
		c->state = ST_TEXT;
		return true;
	}
	if (ch < 0x20) {
		control(c, ch);
		return true;
	}
	return false;
}

static void put_byte(struct fbcon *c, uint8_t ch)
{
	switch (c->state) {
	case ST_TEXT:
		if (ch == 0x1b)
			c->state = ST_ESC;
		else if (ch < 0x20 || ch == 0x7f)
			control(c, ch);
		else if (ch < 0x80)
			put_glyph(c, ch);
		else if (ch >= 0xc0)
			put_glyph(c, NOT_IN_FONT);	/* a UTF-8 lead byte: one fallback glyph */
		break;
	case ST_ESC:
		if (ch == '[')
			start_csi(c);
		else if (ch == ']') {
			c->state = ST_OSC;
			c->osc_len = 0;
		} else if (in_sequence_control(c, ch))
			break;
		else if (ch >= 0x20 && ch <= 0x2f)
			c->state = ST_ESC_INTER;
		else {
			if (ch == 'c') {	/* RIS: full reset */
				reset_attrs(c);
				c->cursor_on = true;
				clear_screen(c);
				c->cx = c->cy = 0;
			}
			c->state = ST_TEXT;	/* any other final: ignored */
		}
		break;
	case ST_ESC_INTER:
		if (in_sequence_control(c, ch))
			break;
		if (ch >= 0x30)
			c->state = ST_TEXT;
		break;
	case ST_CSI:
		if (ch >= 0x80)
			c->state = ST_TEXT;	/* not a sequence after all */
		else if (!in_sequence_control(c, ch))
			csi_byte(c, ch);
		break;
	case ST_OSC:
		if (ch == 0x07 || ch == 0x18 || ch == 0x1a || ++c->osc_len > OSC_MAX)
			c->state = ST_TEXT;
		else if (ch == 0x1b)
			c->state = ST_OSC_ESC;
		break;
	case ST_OSC_ESC:	/* ESC \ (ST) ends it; anything else too */
		c->state = ST_TEXT;
		break;
	}
}

void fbcon_put(struct fbcon *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte(c, (uint8_t)s[i]);
}

void fbcon_write(struct fbcon *c, const char *s, size_t n)
{
	fbcon_put(c, s, n);
	fbcon_flush(c);
}
