/* A linear framebuffer: memory the display scans out, described by the tree
 * (the simple-framebuffer binding: width, height, stride, format). Pixel
 * formats are data (fb_format.c); the text console draws through them. */
#ifndef PLINTH_FB_H
#define PLINTH_FB_H
#include <stdint.h>

/* One `format` of the binding: bit positions of each channel in a pixel value
 * of `bytes` bytes, stored little-endian (so r8g8b8 is b, g, r in memory). */
struct fb_format {
	const char *name;		/* the binding's string, e.g. "x8r8g8b8" */
	uint8_t bytes;			/* per pixel: 2, 3 or 4 */
	uint8_t r_shift, r_bits;
	uint8_t g_shift, g_bits;
	uint8_t b_shift, b_bits;
	uint8_t a_shift, a_bits;	/* a_bits 0: no alpha (x8..., r5g6b5) */
};

struct fb {
	uint8_t *base;			/* mapped (Normal Non-cacheable on hardware) */
	uint32_t width, height;		/* pixels */
	uint32_t stride;		/* bytes from one line to the next */
	const struct fb_format *fmt;
};

/* The format the binding names `name`, or NULL when it is not supported. */
const struct fb_format *fb_format_find(const char *name);
/* The supported names, space-separated, for messages. */
const char *fb_format_names(void);
/* The pixel value of colour 0xRRGGBB; alpha, when the format has it, opaque. */
uint32_t fb_pixel(const struct fb_format *f, uint32_t rgb);

#endif
