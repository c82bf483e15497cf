/* Screen images: PPM in, text and PNG out (fbimage.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "fbimage.h"

/* ------------------------------------------------------------------ PPM --- */

/* Skip whitespace and '#' comments (netpbm's ppm(5)), then read a decimal. */
static int ppm_number(const uint8_t *d, size_t len, size_t *pos, uint32_t *out)
{
	uint64_t v = 0;
	size_t start;

	for (;;) {
		while (*pos < len && (d[*pos] == ' ' || d[*pos] == '\t' || d[*pos] == '\n' ||
				      d[*pos] == '\r'))
			(*pos)++;
		if (*pos < len && d[*pos] == '#') {
			while (*pos < len && d[*pos] != '\n')
				(*pos)++;
			continue;
		}
		break;
	}
	start = *pos;
	while (*pos < len && d[*pos] >= '0' && d[*pos] <= '9' && v <= UINT32_MAX)
		v = v * 10 + (d[(*pos)++] - '0');
	if (*pos == start || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int image_read_ppm(const uint8_t *data, size_t len, struct image *img, const char **why)
{
	size_t pos = 2;
	uint32_t maxval;

	if (len < 2 || data[0] != 'P' || data[1] != '6') {
		*why = "not a binary PPM (magic P6)";
		return -1;
	}
	if (ppm_number(data, len, &pos, &img->width) < 0 ||
	    ppm_number(data, len, &pos, &img->height) < 0 ||
	    ppm_number(data, len, &pos, &maxval) < 0) {
		*why = "PPM header: width, height or maxval missing";
		return -1;
	}
	if (maxval != 255) {
		*why = "PPM maxval is not 255 (8-bit samples only)";
		return -1;
	}
	if (pos >= len || !(data[pos] == ' ' || data[pos] == '\n' || data[pos] == '\t' ||
			     data[pos] == '\r')) {
		*why = "PPM header: no whitespace before the pixels";
		return -1;
	}
	pos++;
	if (!img->width || !img->height ||
	    (uint64_t)img->width * img->height * 3 > len - pos) {
		*why = "PPM pixels truncated (or zero size)";
		return -1;
	}
	img->rgb = (uint8_t *)data + pos;
	return 0;
}

/* ----------------------------------------------------------------- text --- */

static uint32_t pixel_at(const struct image *img, uint32_t x, uint32_t y)
{
	const uint8_t *p = img->rgb + ((size_t)y * img->width + x) * 3;

	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* The cell's bitmap in the font's layout, bit set where the pixel is fg. */
static void cell_bits(const struct image *img, const struct font *f, uint32_t x0, uint32_t y0,
		      uint32_t fg, uint8_t *bits)
{
	memset(bits, 0, (size_t)f->height * f->pitch);
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++)
			if (pixel_at(img, x0 + x, y0 + y) == fg)
				bits[y * f->pitch + x / 8] |= (uint8_t)(0x80 >> (x % 8));
}

/* The code whose glyph is bits: a table code, 0x100 for the fallback
 * glyph, -1 for none. */
static int glyph_code(const struct font *f, const uint8_t *bits)
{
	size_t size = (size_t)f->height * f->pitch;

	for (unsigned i = 0; i < f->count; i++)
		if (!memcmp(f->glyphs + i * size, bits, size))
			return f->first + i;
	if (!memcmp(f->fallback, bits, size))
		return 0x100;
	return -1;
}

/* Up to three distinct colours of a cell; returns how many (3: too many). */
static unsigned cell_colours(const struct image *img, const struct font *f, uint32_t x0,
			     uint32_t y0, uint32_t col[2])
{
	unsigned n = 0;

	for (unsigned y = 0; y < f->height; y++) {
		for (unsigned x = 0; x < f->width; x++) {
			uint32_t p = pixel_at(img, x0 + x, y0 + y);

			if (n > 0 && p == col[0])
				continue;
			if (n > 1 && p == col[1])
				continue;
			if (n == 2)
				return 3;
			col[n++] = p;
		}
	}
	return n;
}

/* ' ' for a blank, the code, 0x100 (fallback glyph), or -1. */
static int read_cell(const struct image *img, const struct font *f, uint32_t x0, uint32_t y0,
		     uint32_t bg, uint8_t *bits)
{
	uint32_t col[2];
	unsigned n = cell_colours(img, f, x0, y0, col);
	int a, b;

	if (n == 1)
		return ' ';
	if (n != 2)
		return -1;
	cell_bits(img, f, x0, y0, col[0], bits);
	a = glyph_code(f, bits);		/* col[0] the foreground */
	cell_bits(img, f, x0, y0, col[1], bits);
	b = glyph_code(f, bits);		/* col[1] the foreground */
	if (a >= 0 && b >= 0)
		return col[1] == bg ? a : b;
	return a >= 0 ? a : b;
}

char *image_text(const struct image *img, const struct font *font, uint32_t bg,
		 const char *unknown, unsigned *cols_out, unsigned *rows_out, unsigned *unrecognised)
{
	unsigned cols = img->width / font->width, rows = img->height / font->height, bad = 0;
	size_t ulen = strlen(unknown), cap = (size_t)rows * (cols * (ulen > 3 ? ulen : 3) + 1) + 1;
	uint8_t *bits = malloc((size_t)font->height * font->pitch);
	char *out = malloc(cap), *p = out, *keep = out;

	if (!out || !bits) {
		free(out);
		free(bits);
		return NULL;
	}
	for (unsigned r = 0; r < rows; r++) {
		char *line = p, *end = p;

		for (unsigned c = 0; c < cols; c++) {
			int code = read_cell(img, font, c * font->width, r * font->height, bg, bits);

			if (code < 0 || code == 0x100) {
				bad += code < 0;
				memcpy(p, code < 0 ? unknown : "\xef\xbf\xbd", code < 0 ? ulen : 3);
				p += code < 0 ? ulen : 3;
			} else {
				*p++ = (char)code;
			}
			if (code != ' ')
				end = p;
		}
		p = end;		/* trailing blanks dropped */
		*p++ = '\n';
		if (end != line)
			keep = p;	/* empty rows at the end are dropped */
	}
	*keep = '\0';
	free(bits);
	if (cols_out)
		*cols_out = cols;
	if (rows_out)
		*rows_out = rows;
	if (unrecognised)
		*unrecognised = bad;
	return out;
}

/* ------------------------------------------------------------------ PNG --- */

uint32_t image_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	static bool ready;

	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = true;
	}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t image_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;

	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

/* A chunk: length, type, data (already at p + 8), CRC over type and data. */
static uint8_t *chunk(uint8_t *p, const char *type, size_t n)
{
	put32(p, (uint32_t)n);
	memcpy(p + 4, type, 4);
	put32(p + 8 + n, image_crc32(0, p + 4, n + 4));
	return p + 12 + n;
}

#define STORED_MAX 65535u	/* RFC 1951 3.2.4: LEN is 16 bits */

uint8_t *image_png(const struct image *img, size_t *len)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t row = (size_t)img->width * 3 + 1, raw = row * img->height;
	size_t blocks = raw / STORED_MAX + 1;
	size_t zlen = 2 + raw + 5 * blocks + 4, total = 8 + 25 + 12 + zlen + 12;
	uint8_t *out = malloc(total), *p, *z;
	uint32_t adler = 1;
	size_t done = 0;

	if (!out || !img->width || !img->height) {
		free(out);
		return NULL;
	}
	memcpy(out, sig, 8);
	p = out + 8;
	put32(p + 8, img->width);		/* IHDR: 13 bytes */
	put32(p + 12, img->height);
	memcpy(p + 16, "\x08\x02\x00\x00\x00", 5);	/* 8 bits, RGB, deflate, filter 0, no interlace */
	p = chunk(p, "IHDR", 13);
	z = p + 8;
	*z++ = 0x78;				/* zlib: deflate, 32 KiB window */
	*z++ = 0x01;				/* no preset dictionary, fastest; (0x7801 % 31 == 0) */
	/* Stored blocks over the filtered rows (filter byte 0, then the row),
	 * produced as one stream: each block holds up to 65535 bytes of it. */
	for (size_t b = 0; b < blocks; b++) {
		size_t n = raw - done < STORED_MAX ? raw - done : STORED_MAX;

		*z++ = b + 1 == blocks ? 1 : 0;	/* BFINAL, BTYPE 00 */
		*z++ = (uint8_t)n;
		*z++ = (uint8_t)(n >> 8);
		*z++ = (uint8_t)~n;
		*z++ = (uint8_t)(~n >> 8);
		for (size_t i = 0; i < n; i++, done++) {
			size_t y = done / row, x = done % row;

			*z++ = x == 0 ? 0 : img->rgb[y * (row - 1) + x - 1];
		}
		adler = image_adler32(adler, z - n, n);
	}
	put32(z, adler);
	p = chunk(p, "IDAT", zlen);
	p = chunk(p, "IEND", 0);
	*len = (size_t)(p - out);
	return out;
}
