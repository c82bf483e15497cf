/* simple-framebuffer: the plain configuration parse() derives from the node
 * (fb_simple.c), shared with tests/fb_simple_test.c. */
#ifndef PLINTH_FB_SIMPLE_H
#define PLINTH_FB_SIMPLE_H
#include <stdint.h>
#include <plinth/fb.h>

struct fb_simple_config {
	uint64_t base;			/* CPU physical address of the first pixel */
	uint64_t size;			/* bytes used: stride * (height - 1) + one line */
	uint32_t width, height;		/* pixels */
	uint32_t stride;		/* bytes per line */
	const struct fb_format *format;
};

#endif
