/* A framebuffer the firmware set up, as the simple-framebuffer binding
 * describes it (Linux 6.1 display/simple-framebuffer.yaml): `reg`, `width`,
 * `height`, `stride` and `format`; the display already scans it out, so
 * there is no hardware to program. The probe maps it Normal Non-cacheable
 * (ioremap_wc: glyph stores merge, nothing stays in a cache the scanout does
 * not see) and registers a text console on it (fbcon.c) that mirrors the
 * boot log and the shell; a user overlay turns it off with status =
 * "disabled", or makes it the primary console through stdout-path.
 * parse() -> struct fb_simple_config (no memory touched); probe() uses only
 * that struct. Clocks, power domains and regulators of the binding are left
 * as the firmware set them. */
#include <string.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/fbcon.h>
#include <plinth/font.h>
#include <plinth/printk.h>
#include "fb_simple.h"

#define FB_MAX_DIM	16384u	/* pixels; larger is a broken node, not a screen */

/* A u32 property in 1..max. */
static int read_dim(struct device *dev, const char *prop, uint32_t max, uint32_t *out)
{
	int err = dt_read_u32(dev->fdt, dev->node, prop, out);

	if (err == -PLINTH_ENOENT || err == -FDT_ERR_NOTFOUND)
		return dev_fail(dev, -PLINTH_ENOENT, "no %s", prop);
	if (err < 0)
		return dev_fail(dev, err, "bad %s: %s", prop, plinth_strerror(err));
	if (*out == 0 || *out > max)
		return dev_fail(dev, -PLINTH_ERANGE, "%s %u out of range (1..%u)", prop, *out, max);
	return 0;
}

/* `format`: a string the binding lists (and we draw). */
static int parse_format(struct device *dev, struct fb_simple_config *c)
{
	int len;
	const char *f = fdt_getprop(dev->fdt, dev->node, "format", &len);

	if (!f)
		return dev_fail(dev, -PLINTH_ENOENT, "no format");
	if (len < 2 || f[len - 1] != '\0' || strlen(f) != (size_t)len - 1)
		return dev_fail(dev, -PLINTH_EINVAL, "format is not one string");
	c->format = fb_format_find(f);
	if (!c->format) {
		kprintf("simple-framebuffer: %s: format \"%s\" unknown; supported: %s\n", dev->name,
			f, fb_format_names());
		return dev_fail(dev, -PLINTH_ENOTSUP, "format \"%.40s\" not supported", f);
	}
	return 0;
}

static int fb_parse(struct device *dev)
{
	struct fb_simple_config *c = dev->config;
	unsigned bytes, align;
	uint64_t line, need;
	int err;

	if (dev->nreg == 0) {
		if (dev->reg_err < 0)
			return dev_fail(dev, dev->reg_err, "reg not translatable: %s",
					plinth_strerror(dev->reg_err));
		return dev_fail(dev, -PLINTH_ENOENT, "no reg");
	}
	if ((err = read_dim(dev, "width", FB_MAX_DIM, &c->width)) < 0 ||
	    (err = read_dim(dev, "height", FB_MAX_DIM, &c->height)) < 0 ||
	    (err = read_dim(dev, "stride", UINT32_MAX, &c->stride)) < 0 ||
	    (err = parse_format(dev, c)) < 0)
		return err;
	bytes = c->format->bytes;
	align = bytes == 3 ? 1 : bytes;
	line = (uint64_t)c->width * bytes;
	if (c->stride < line)
		return dev_fail(dev, -PLINTH_ERANGE, "stride %u < width %u x %u bytes", c->stride,
				c->width, bytes);
	/* Pixels are stored whole (uint16_t/uint32_t): aligned, as a GOP's are. */
	if (c->stride % align || dev->reg[0].addr % align)
		return dev_fail(dev, -PLINTH_EINVAL, "stride %u or address 0x%llx not %u-byte aligned",
				c->stride, (unsigned long long)dev->reg[0].addr, align);
	need = (uint64_t)c->stride * (c->height - 1) + line;
	if (dev->reg[0].size < need)
		return dev_fail(dev, -PLINTH_ERANGE, "reg size 0x%llx < 0x%llx (%u lines of %u bytes)",
				(unsigned long long)dev->reg[0].size, (unsigned long long)need,
				c->height, c->stride);
	c->base = dev->reg[0].addr;
	c->size = need;
	return 0;
}

static void fb_putc(void *ctx, char ch)
{
	fbcon_write(ctx, &ch, 1);
}

static void fb_write(void *ctx, const char *s, size_t n)
{
	fbcon_write(ctx, s, n);
}

/* Output only: a keyboard is another device. */
static const struct console_ops fb_console_ops = {
	.putc = fb_putc,
	.write = fb_write,
};

static int fb_probe(struct device *dev)
{
	const struct fb_simple_config *c = dev->config;
	struct fb fb = {
		.base = (uint8_t *)(uintptr_t)c->base,
		.width = c->width,
		.height = c->height,
		.stride = c->stride,
		.fmt = c->format,
	};
	const struct font *font = &console_font;
	size_t need = fbcon_mem_size(&fb, font);
	struct fbcon *con;
	void *cells;
	int err;

	if (c->width < font->width || c->height < font->height)
		return dev_fail(dev, -PLINTH_ERANGE, "%ux%u is smaller than one %ux%u glyph",
				c->width, c->height, font->width, font->height);
	err = ioremap_wc(c->base, c->size);
	if (err < 0)
		return dev_fail(dev, err, "mapping 0x%llx+0x%llx write-combining: %s",
				(unsigned long long)c->base, (unsigned long long)c->size,
				plinth_strerror(err));
	con = kzalloc(sizeof(*con));
	cells = kzalloc(need);
	if (!con || !cells)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for %zu bytes of text cells", need);
	err = fbcon_init(con, &fb, font, cells, need);
	if (err < 0)
		return dev_fail(dev, err, "text console: %s", plinth_strerror(err));
	dev->priv = con;
	kprintf("simple-framebuffer: %s: %ux%u %s, stride %u, at 0x%llx write-combining; "
		"%ux%u text cells of %s %ux%u\n", dev->name, c->width, c->height, c->format->name,
		c->stride, (unsigned long long)c->base, con->cols, con->rows, font->name,
		font->width, font->height);
	console_register(dev, &fb_console_ops, con);
	return 0;
}

static const struct dt_match fb_match[] = {
	{ "simple-framebuffer", NULL },
	{ NULL, NULL }
};

PLINTH_DRIVER(fb_simple_driver) = {
	.name = "simple-framebuffer",
	.match = fb_match,
	.config_size = sizeof(struct fb_simple_config),
	.parse = fb_parse,
	.probe = fb_probe,
};
