/* The firmware's Graphics Output Protocol as a simple-framebuffer node
 * (loader.h). Pure: efi_platform.c reads the GOP and hands over its mode in
 * a plain struct; this file decides what the mode is and writes the tree.
 * Binding: Documentation/devicetree/bindings/display/simple-framebuffer.yaml
 * (a node under /chosen, reg/width/height/stride/format). */
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "loader.h"

/* PixelBitMask masks -> the binding's format string. The reserved mask is
 * "x" (UEFI 2.10 12.9: reserved, not alpha); it may also be 0. */
struct gop_mask_format {
	uint32_t r, g, b;
	unsigned bytes;
	const char *format;
};

static const struct gop_mask_format mask_formats[] = {
	{ 0x00ff0000, 0x0000ff00, 0x000000ff, 4, "x8r8g8b8" },
	{ 0x000000ff, 0x0000ff00, 0x00ff0000, 4, "x8b8g8r8" },
	{ 0x3ff00000, 0x000ffc00, 0x000003ff, 4, "x2r10g10b10" },
	{ 0x0000f800, 0x000007e0, 0x0000001f, 2, "r5g6b5" },
	{ 0x00007c00, 0x000003e0, 0x0000001f, 2, "x1r5g5b5" },
};

const char *gop_format(uint32_t pixel_format, const uint32_t mask[4], unsigned *bytes)
{
	/* UEFI 2.10 12.9 EFI_GRAPHICS_PIXEL_FORMAT: 8-bit RGB "Reserved" in
	 * byte order; read as a little-endian word that is x8b8g8r8 for
	 * RGBX and x8r8g8b8 for BGRX. */
	if (pixel_format == GOP_PIXEL_RGBX8) {
		*bytes = 4;
		return "x8b8g8r8";
	}
	if (pixel_format == GOP_PIXEL_BGRX8) {
		*bytes = 4;
		return "x8r8g8b8";
	}
	if (pixel_format != GOP_PIXEL_BITMASK)
		return NULL;
	for (size_t i = 0; i < sizeof(mask_formats) / sizeof(mask_formats[0]); i++) {
		const struct gop_mask_format *f = &mask_formats[i];
		uint32_t colours = f->r | f->g | f->b;
		uint64_t limit = (1ull << (8 * f->bytes)) - 1;

		if (mask[0] != f->r || mask[1] != f->g || mask[2] != f->b)
			continue;
		/* The reserved bits must stay outside the colours and the pixel. */
		if ((mask[3] & colours) || mask[3] > limit)
			return NULL;
		*bytes = f->bytes;
		return f->format;
	}
	return NULL;
}

int gop_parse_size(const char *s, uint32_t *w, uint32_t *h)
{
	uint32_t v[2] = { 0, 0 };
	unsigned k = 0, digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9' && v[k] < 100000) {
			v[k] = v[k] * 10 + (uint32_t)(*s - '0');
			digits++;
		} else if ((*s == 'x' || *s == 'X') && k == 0 && digits) {
			k = 1;
			digits = 0;
		} else {
			return -PLINTH_EINVAL;
		}
	}
	if (k != 1 || !digits || !v[0] || !v[1])
		return -PLINTH_EINVAL;
	*w = v[0];
	*h = v[1];
	return 0;
}

int gop_describe(const struct gop_mode *m, struct gop_fb *fb, const struct plinth_log *log)
{
	unsigned bytes = 0;
	const char *format;

	memset(fb, 0, sizeof(*fb));
	if (m->pixel_format == GOP_PIXEL_BLT_ONLY) {
		lprintf(log, "fdt: gop: %ux%u is Blt only (no linear framebuffer): no framebuffer node",
			m->width, m->height);
		return 0;
	}
	format = gop_format(m->pixel_format, m->mask, &bytes);
	if (!format) {
		lprintf(log, "fdt: gop: %ux%u pixel format %u masks r 0x%08x g 0x%08x b 0x%08x "
			"x 0x%08x: no format string for it, no framebuffer node", m->width,
			m->height, m->pixel_format, m->mask[0], m->mask[1], m->mask[2], m->mask[3]);
		return 0;
	}
	uint64_t stride = (uint64_t)m->pixels_per_line * bytes;
	uint64_t need = stride * m->height;

	if (!m->base || !m->width || !m->height || m->pixels_per_line < m->width ||
	    stride > 0xffffffffu || need > m->size) {
		lprintf(log, "fdt: gop: %ux%u (%u pixels a line) needs 0x%llx bytes, the framebuffer "
			"at 0x%llx has 0x%llx: no framebuffer node", m->width, m->height,
			m->pixels_per_line, (unsigned long long)need, (unsigned long long)m->base,
			(unsigned long long)m->size);
		return 0;
	}
	*fb = (struct gop_fb){ m->base, need, m->size, m->width, m->height, (uint32_t)stride,
			       format, 0 };
	return 1;
}

int gop_in_ram(const struct mem_desc *d, unsigned n, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t b = d[i].base, e = b + (d[i].pages << 12);

		if (base + size > b && base < e && memmap_class(d[i].type) == MEM_CLASS_RAM)
			return 1;
	}
	return 0;
}

/* The framebuffer node's reg is in the root's 2/2 cells, and an empty
 * ranges makes it a CPU address (dtc warns without these). */
static int chosen_cells(void *fdt)
{
	int node = tree_subnode(fdt, 0, "chosen");

	return node < 0 ? node : tree_cpu_ranges(fdt, node);
}

static int set_alias(void *fdt, const char *alias, const char *path)
{
	int node = fdt_path_offset(fdt, "/aliases");

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "aliases");
	if (node < 0)
		return node;
	return fdt_setprop_string(fdt, node, alias, path);
}

/* /reserved-memory/framebuffer@base no-map: RAM-backed framebuffers (ramfb)
 * lie inside /memory, and the kernel must neither allocate nor map it as
 * ordinary memory. */
static int reserve_fb(void *fdt, const struct gop_fb *fb, const struct plinth_log *log)
{
	char name[40];
	uint64_t base = fb->base & ~(SZ_4K - 1);
	uint64_t end = (fb->base + fb->region + SZ_4K - 1) & ~(SZ_4K - 1);
	int parent = tree_reserved_memory(fdt), node, err;

	if (parent < 0)
		return parent;
	ksnprintf(name, sizeof(name), "framebuffer@%llx", (unsigned long long)base);
	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0)
		return node;
	err = fdt_appendprop_addrrange(fdt, parent, node, "reg", base, end - base);
	if (err == 0)
		err = fdt_setprop_empty(fdt, node, "no-map");
	if (err < 0)
		return err;
	lprintf(log, "fdt: reserved-memory: %s 0x%llx-0x%llx no-map (the GOP framebuffer)", name,
		(unsigned long long)base, (unsigned long long)(end - 1));
	return 0;
}

int tree_add_framebuffer(void *fdt, const struct gop_fb *fb, const struct plinth_log *log)
{
	char path[64];
	int chosen = chosen_cells(fdt), node, err;

	if (chosen < 0)
		return chosen;
	ksnprintf(path, sizeof(path), "framebuffer@%llx", (unsigned long long)fb->base);
	node = fdt_add_subnode(fdt, chosen, path);
	if (node < 0)
		return node;
	err = fdt_setprop_string(fdt, node, "compatible", "simple-framebuffer");
	if (err == 0)
		err = fdt_appendprop_addrrange(fdt, chosen, node, "reg", fb->base, fb->size);
	if (err == 0)
		err = fdt_setprop_u32(fdt, node, "width", fb->width);
	if (err == 0)
		err = fdt_setprop_u32(fdt, node, "height", fb->height);
	if (err == 0)
		err = fdt_setprop_u32(fdt, node, "stride", fb->stride);
	if (err == 0)
		err = fdt_setprop_string(fdt, node, "format", fb->format);
	if (err == 0)
		err = fdt_setprop_string(fdt, node, "status", "okay");
	/* A phandle: libfdt resolves an overlay's `&fb0` through __symbols__
	 * to this node and then needs its phandle (FDT_ERR_NOTFOUND without). */
	uint32_t phandle = 0;

	if (err == 0)
		err = fdt_generate_phandle(fdt, &phandle);
	if (err == 0)
		err = fdt_setprop_u32(fdt, node, "phandle", phandle);
	ksnprintf(path, sizeof(path), "/chosen/framebuffer@%llx", (unsigned long long)fb->base);
	/* The label before user overlays run, so `&fb0` resolves in them. */
	if (err == 0)
		err = tree_set_symbol(fdt, "fb0", path);
	if (err == 0)
		err = set_alias(fdt, "fb0", path);
	if (err == 0 && fb->reserve)
		err = reserve_fb(fdt, fb, log);
	if (err < 0)
		return err;
	lprintf(log, "fdt: gop: fb0 = %ux%u %s @0x%llx, stride %u, %s%s", fb->width, fb->height,
		fb->format, (unsigned long long)fb->base, fb->stride, path,
		fb->reserve ? "" : " (outside /memory: the memory map's no-map entry or none)");
	return 0;
}
