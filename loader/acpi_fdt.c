/* Tree and log helpers shared by the converters (acpi.h): labels, aliases,
 * phandles, reg and interrupt specifiers, and the final rewrite that puts
 * nodes and properties in the order they were made. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define LOG_LINE	240
#define FINISH_DEPTH	16	/* deeper than any tree the converters build */

static void log_v(const struct acpi2fdt_log *log, const char *fmt, va_list ap)
{
	char line[LOG_LINE];
	const char prefix[] = "fdt: ";

	if (!log || !log->line)
		return;
	memcpy(line, prefix, sizeof(prefix));
	kvsnprintf(line + sizeof(prefix) - 1, sizeof(line) - (sizeof(prefix) - 1), fmt, ap);
	/* Strings from the tables (DBG2 namespace strings, OEM IDs) are
	 * untrusted: a control byte in one must not start a forged line of
	 * its own or drive the terminal (found by tests/fuzz/fuzz_acpi.c). */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	log->line(log->arg, line);
}

void acpi_log(struct acpi_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(c->log, fmt, ap);
	va_end(ap);
}

void acpi_log_to(const struct acpi2fdt_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(log, fmt, ap);
	va_end(ap);
}

const char *acpi_printable(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	if (!size)
		return dst;
	for (i = 0; i < n && i + 1 < size && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = 0;
	return dst;
}

int acpi_fdt_node(struct acpi_ctx *c, int parent, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -FDT_ERR_BADVALUE;
	return fdt_add_subnode(c->fdt, parent, name);
}

/* The contract's labels get fixed phandles, so a tree's numbering does not
 * depend on which tables were present; everything else counts up from
 * ACPI_PHANDLE_FIRST_FREE. */
static const struct {
	const char *label;
	uint32_t phandle;
} fixed_phandles[] = {
	{ "gic", 1 }, { "cpus", 2 }, { "psci", 3 }, { "timer", 4 },
};

/* Every labelled node has a phandle, as `dtc -@` gives them: an overlay's
 * reference to a label (<&uart0>) is resolved through that phandle, and
 * libfdt refuses a label whose node has none. */
int acpi_fdt_label(struct acpi_ctx *c, int node, const char *label)
{
	char path[160];
	uint32_t ph = 0;
	int sym, err;

	if (!fdt_get_phandle(c->fdt, node)) {
		for (unsigned i = 0; i < sizeof(fixed_phandles) / sizeof(fixed_phandles[0]); i++)
			if (strcmp(label, fixed_phandles[i].label) == 0)
				ph = fixed_phandles[i].phandle;
		err = ph ? fdt_setprop_u32(c->fdt, node, "phandle", ph) : acpi_fdt_phandle(c, node, &ph);
		if (err < 0)
			return err;
	}
	err = fdt_get_path(c->fdt, node, path, sizeof(path));
	if (err < 0)
		return err;
	sym = fdt_subnode_offset(c->fdt, 0, "__symbols__");
	if (sym < 0)
		return sym;
	return fdt_setprop_string(c->fdt, sym, label, path);
}

int acpi_fdt_alias(struct acpi_ctx *c, const char *alias, int node)
{
	char path[160];
	int al, err;

	err = fdt_get_path(c->fdt, node, path, sizeof(path));
	if (err < 0)
		return err;
	al = fdt_subnode_offset(c->fdt, 0, "aliases");
	if (al < 0)
		return al;
	return fdt_setprop_string(c->fdt, al, alias, path);
}

int acpi_fdt_phandle(struct acpi_ctx *c, int node, uint32_t *phandle)
{
	uint32_t ph = c->next_phandle++;
	int err = fdt_setprop_u32(c->fdt, node, "phandle", ph);

	if (err < 0)
		return err;
	*phandle = ph;
	return 0;
}

/* reg with the root's 2/2 cells: (address, size) pairs. */
int acpi_fdt_reg(struct acpi_ctx *c, int node, const uint64_t *pairs, unsigned npairs)
{
	int err = fdt_setprop(c->fdt, node, "reg", NULL, 0);

	for (unsigned i = 0; i < 2 * npairs && err >= 0; i++)
		err = fdt_appendprop_u64(c->fdt, node, "reg", pairs[i]);
	return err;
}

int acpi_fdt_u32s(struct acpi_ctx *c, int node, const char *name, const uint32_t *v, unsigned n)
{
	int err = fdt_setprop(c->fdt, node, name, NULL, 0);

	for (unsigned i = 0; i < n && err >= 0; i++)
		err = fdt_appendprop_u32(c->fdt, node, name, v[i]);
	return err;
}

/* GIC INTID ranges (GICv3 architecture 2.2): PPI 16-31, SPI 32-1019,
 * EPPI 1056-1119, ESPI 4096-5119; binding types 1, 0, 3, 2. */
int acpi_gic_spec(const struct acpi_ctx *c, uint32_t gsiv, uint32_t flags, uint32_t spec[3],
		  int *normalised)
{
	int ppi = 0;

	*normalised = 0;
	if (gsiv >= 16 && gsiv < 32) {
		spec[0] = 1, spec[1] = gsiv - 16, ppi = 1;
	} else if (gsiv >= 32 && gsiv < 1020) {
		spec[0] = 0, spec[1] = gsiv - 32;
	} else if (c->gic_version >= 3 && gsiv >= 1056 && gsiv < 1120) {
		spec[0] = 3, spec[1] = gsiv - 1056, ppi = 1;
	} else if (c->gic_version >= 3 && gsiv >= 4096 && gsiv < 5120) {
		spec[0] = 2, spec[1] = gsiv - 4096;
	} else {
		return -PLINTH_ERANGE;
	}
	if (!ppi && (flags == 2 || flags == 8)) {
		flags = flags == 2 ? 1 : 4;
		*normalised = 1;
	}
	/* GICv2 PPIs carry the mask of CPUs they are wired to (arm,gic.yaml). */
	if (ppi && c->gic_version == 2 && c->ncpus > 0 && c->ncpus <= 8)
		flags |= ((1u << c->ncpus) - 1) << 8;
	spec[2] = flags;
	return 0;
}

const char *acpi_gsiv_str(uint32_t gsiv, char *buf, size_t size)
{
	if (gsiv >= 16 && gsiv < 32)
		ksnprintf(buf, size, "GSIV %u (PPI %u)", gsiv, gsiv - 16);
	else if (gsiv >= 32 && gsiv < 1020)
		ksnprintf(buf, size, "GSIV %u (SPI %u)", gsiv, gsiv - 32);
	else
		ksnprintf(buf, size, "GSIV %u", gsiv);
	return buf;
}

int acpi_fdt_interrupt(struct acpi_ctx *c, int node, const char *who, uint32_t gsiv,
		       uint32_t flags)
{
	uint32_t spec[3];
	int norm;
	char g[40];

	if (!c->gic_phandle) {
		acpi_log(c, "%s: %s: no GIC in the MADT: interrupt not described", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
		return 0;
	}
	if (acpi_gic_spec(c, gsiv, flags, spec, &norm) < 0) {
		acpi_log(c, "%s: %s is not a GIC PPI or SPI: interrupt not described", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
		return 0;
	}
	if (norm)
		acpi_log(c, "%s: %s active-low: GIC SPIs are active-high, written as such", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
	int err = acpi_fdt_u32s(c, node, "interrupts", spec, 3);
	return err < 0 ? err : 1;
}

/* ------------------------------------------------------------- finish ---- */

/* Reverse walks over properties / subnodes (libfdt offers only forward walks):
 * offsets are collected FINISH_BATCH at a time, last batch first, so a node
 * with n entries costs about n * (n / FINISH_BATCH + 1) forward steps. */
#define FINISH_BATCH	64

/* Entries [from, from + max) of `node` into offs; returns how many or error. */
static int collect(const void *fdt, int node, int subnodes, int from, int *offs, int max)
{
	int off, i = 0, n = 0;

	if (subnodes) {
		fdt_for_each_subnode(off, fdt, node) {
			if (i++ >= from && (offs[n++] = off, n == max))
				return n;
		}
	} else {
		fdt_for_each_property_offset(off, fdt, node) {
			if (i++ >= from && (offs[n++] = off, n == max))
				return n;
		}
	}
	return off == -FDT_ERR_NOTFOUND ? n : off;
}

static int count_props(const void *fdt, int node)
{
	int off, n = 0;

	fdt_for_each_property_offset(off, fdt, node)
		n++;
	return off == -FDT_ERR_NOTFOUND ? n : off;
}

static int count_subnodes(const void *fdt, int node)
{
	int off, n = 0;

	fdt_for_each_subnode(off, fdt, node)
		n++;
	return off == -FDT_ERR_NOTFOUND ? n : off;
}

/* Children and properties in reverse storage order = creation order;
 * /__symbols__ goes last, where dtc -@ puts it. */
static int copy_node(const void *src, int node, void *dst, int depth, unsigned *nodes)
{
	const char *name = depth ? fdt_get_name(src, node, NULL) : "";
	int np, nc, err, symbols = -1;
	int offs[FINISH_BATCH];

	if (depth > FINISH_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;
	if (!name)
		return -FDT_ERR_BADSTRUCTURE;
	if ((err = fdt_begin_node(dst, name)) < 0)
		return err;
	(*nodes)++;
	if ((np = count_props(src, node)) < 0)
		return np;
	for (int hi = np, lo; hi > 0; hi = lo) {
		int k;

		lo = hi > FINISH_BATCH ? hi - FINISH_BATCH : 0;
		if ((k = collect(src, node, 0, lo, offs, hi - lo)) < 0)
			return k;
		if (k != hi - lo)
			return -FDT_ERR_BADSTRUCTURE;
		while (k-- > 0) {
			const char *pname;
			int len;
			const void *v = fdt_getprop_by_offset(src, offs[k], &pname, &len);

			if (!v)
				return len;
			if ((err = fdt_property(dst, pname, v, len)) < 0)
				return err;
		}
	}
	if ((nc = count_subnodes(src, node)) < 0)
		return nc;
	for (int hi = nc, lo; hi > 0; hi = lo) {
		int k;

		lo = hi > FINISH_BATCH ? hi - FINISH_BATCH : 0;
		if ((k = collect(src, node, 1, lo, offs, hi - lo)) < 0)
			return k;
		if (k != hi - lo)
			return -FDT_ERR_BADSTRUCTURE;
		while (k-- > 0) {
			int child = offs[k];
			const char *cname = fdt_get_name(src, child, NULL);

			if (depth == 0 && cname && strcmp(cname, "__symbols__") == 0) {
				symbols = child;
				continue;
			}
			if ((err = copy_node(src, child, dst, depth + 1, nodes)) < 0)
				return err;
		}
	}
	if (symbols >= 0 && (err = copy_node(src, symbols, dst, depth + 1, nodes)) < 0)
		return err;
	return fdt_end_node(dst);
}

int acpi_fdt_finish(void *buf, size_t size, size_t *packed, unsigned *nodes)
{
	int err = fdt_pack(buf);
	size_t used, off;
	uint8_t *dst;

	if (err < 0)
		return err;
	used = fdt_totalsize(buf);
	off = (used + 7) & ~(size_t)7;
	if (off >= size || size - off > 0x7fffffff)
		return off >= size ? -FDT_ERR_NOSPACE : -FDT_ERR_BADVALUE;
	dst = (uint8_t *)buf + off;
	*nodes = 0;
	if ((err = fdt_create(dst, (int)(size - off))) < 0 ||
	    (err = fdt_finish_reservemap(dst)) < 0 ||
	    (err = copy_node(buf, 0, dst, 0, nodes)) < 0 ||
	    (err = fdt_finish(dst)) < 0)
		return err;
	*packed = fdt_totalsize(dst);
	memmove(buf, dst, *packed);
	return fdt_open_into(buf, buf, (int)size);
}
