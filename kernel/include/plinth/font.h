/* A bitmap console font as a C table. The table is generated at build time by
 * gen/psf2c from a PC Screen Font of Debian's console-setup-linux package
 * (tools/fonts.mk), so no glyph is drawn by hand. */
#ifndef PLINTH_FONT_H
#define PLINTH_FONT_H
#include <stdint.h>

struct font {
	const char *name;		/* e.g. "Uni2-Terminus16" */
	uint8_t width, height;		/* one glyph cell, in pixels */
	uint8_t pitch;			/* bytes per glyph row: (width + 7) / 8 */
	uint8_t first;			/* code of glyphs[0] */
	uint16_t count;			/* codes first .. first + count - 1 */
	/* count glyphs of height rows of pitch bytes; most significant bit of
	 * a row's first byte is its leftmost pixel. */
	const uint8_t *glyphs;
	const uint8_t *fallback;	/* drawn for any code outside the table */
};

/* The glyph of a byte: from the table, else the fallback. */
static inline const uint8_t *font_glyph(const struct font *f, unsigned code)
{
	if (code >= f->first && code - f->first < f->count)
		return f->glyphs + (code - f->first) * (unsigned)f->height * f->pitch;
	return f->fallback;
}

/* The font the framebuffer console draws with (build/gen/console_font.c). */
extern const struct font console_font;

#endif
