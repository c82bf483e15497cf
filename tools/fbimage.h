/* Screen images for tests (fbimage.c): a PPM (what QEMU's `screendump`
 * writes) in, the text on it out, by exact glyph matching on the console's
 * cell grid with the console's font; and the image as PNG for people. Pure
 * functions on memory, shared by build/host/fbtext and its unit test. */
#ifndef PLINTH_TOOLS_FBIMAGE_H
#define PLINTH_TOOLS_FBIMAGE_H
#include <stddef.h>
#include <stdint.h>
#include <plinth/font.h>

struct image {
	uint32_t width, height;
	uint8_t *rgb;		/* width * height * 3 bytes, rows top to bottom */
};

/* Parse a binary PPM (P6, maxval 255; comments allowed in the header) into
 * img (img->rgb points into data). 0, or -1 with *why set. */
int image_read_ppm(const uint8_t *data, size_t len, struct image *img, const char **why);

/* The text on img: the grid is the font's cells from the top left, as the
 * framebuffer console lays them out. A cell of one colour is a blank; a cell
 * of two is the glyph whose bits are the pixels of one of them (the other
 * being the background: either way round, so the inverted cursor cell reads
 * too; when both fit, the one whose background is `bg`, 0xRRGGBB, wins).
 * Anything else is unrecognised and becomes `unknown` (a UTF-8 string).
 * One line per row, trailing blanks and empty rows at the end dropped.
 * Returns a malloc'd string (NULL when out of memory); *cols, *rows and
 * *unrecognised are set when not NULL. */
char *image_text(const struct image *img, const struct font *font, uint32_t bg,
		 const char *unknown, unsigned *cols, unsigned *rows, unsigned *unrecognised);

/* img as a PNG (RGB, 8 bits, filter 0, zlib stored blocks: no compression,
 * no dependency). Returns a malloc'd buffer and *len, or NULL. */
uint8_t *image_png(const struct image *img, size_t *len);

/* CRC-32 (ISO 3309, as PNG uses it) and Adler-32 (RFC 1950), for the
 * encoder and for tests that check its output. */
uint32_t image_crc32(uint32_t crc, const uint8_t *p, size_t n);
uint32_t image_adler32(uint32_t adler, const uint8_t *p, size_t n);

#endif
