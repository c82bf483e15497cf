/* Framebuffer pixel formats (fb.h): the `format` strings of the
 * simple-framebuffer binding (Linux 6.1 display/simple-framebuffer.yaml, plus
 * x8b8g8r8, which Linux's simplefb also accepts and a GOP in
 * PixelRedGreenBlueReserved8BitPerColor mode needs) as channel positions. */
#include <stddef.h>
#include <string.h>
#include <plinth/fb.h>

/* name, bytes, r shift/bits, g shift/bits, b shift/bits, a shift/bits */
static const struct fb_format formats[] = {
	{ "x8r8g8b8",    4, 16, 8, 8, 8, 0, 8, 0, 0 },
	{ "a8r8g8b8",    4, 16, 8, 8, 8, 0, 8, 24, 8 },
	{ "x8b8g8r8",    4, 0, 8, 8, 8, 16, 8, 0, 0 },
	{ "a8b8g8r8",    4, 0, 8, 8, 8, 16, 8, 24, 8 },
	{ "x2r10g10b10", 4, 20, 10, 10, 10, 0, 10, 0, 0 },
	{ "a2r10g10b10", 4, 20, 10, 10, 10, 0, 10, 30, 2 },
	{ "r8g8b8",      3, 16, 8, 8, 8, 0, 8, 0, 0 },
	{ "r5g6b5",      2, 11, 5, 5, 6, 0, 5, 0, 0 },
	{ "x1r5g5b5",    2, 10, 5, 5, 5, 0, 5, 0, 0 },
	{ "a1r5g5b5",    2, 10, 5, 5, 5, 0, 5, 15, 1 },
	{ "r5g5b5a1",    2, 11, 5, 6, 5, 1, 5, 0, 1 },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const struct fb_format *fb_format_find(const char *name)
{
	for (size_t i = 0; name && i < NFORMATS; i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const char *fb_format_names(void)
{
	return "x8r8g8b8 a8r8g8b8 x8b8g8r8 a8b8g8r8 x2r10g10b10 a2r10g10b10 r8g8b8 "
	       "r5g6b5 x1r5g5b5 a1r5g5b5 r5g5b5a1";
}

/* An 8-bit channel scaled to `bits` by keeping its top bits. */
static uint32_t channel(uint32_t v8, unsigned bits, unsigned shift)
{
	if (bits == 0)
		return 0;
	if (bits >= 8)
		v8 = (v8 << (bits - 8)) | (v8 >> (16 - bits));	/* replicate: 0xff -> all ones */
	else
		v8 >>= 8 - bits;
	return v8 << shift;
}

uint32_t fb_pixel(const struct fb_format *f, uint32_t rgb)
{
	uint32_t a = f->a_bits ? ((1u << f->a_bits) - 1) << f->a_shift : 0;

	return channel((rgb >> 16) & 0xff, f->r_bits, f->r_shift) |
	       channel((rgb >> 8) & 0xff, f->g_bits, f->g_shift) |
	       channel(rgb & 0xff, f->b_bits, f->b_shift) | a;
}
