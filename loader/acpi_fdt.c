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

/* /__symbols__ and /aliases sit after every other root child while the
 * tree is built (libfdt puts a new subnode first), so finding them is a walk
 * over the whole tree: their entries are held in the context and written in
 * one go at the end. When the context's space runs out (a hostile table with
 * hundreds of PCIe segments), an entry is written at once instead. */
static int write_named_path(struct acpi_ctx *c, const char *parent, const char *name,
			    const char *path)
{
	int node = fdt_subnode_offset(c->fdt, 0, parent);

	return node < 0 ? node : fdt_setprop_string(c->fdt, node, name, path);
}

static int hold_named_path(struct acpi_ctx *c, char kind, const char *name, int node)
{
	char path[160];
	size_t nlen = strlen(name), plen;
	int err = fdt_get_path(c->fdt, node, path, sizeof(path));

	if (err < 0)
		return err;
	plen = strlen(path);
	if (sizeof(c->syms) - c->syms_len < nlen + plen + 3)
		return write_named_path(c, kind == 's' ? "__symbols__" : "aliases", name, path);
	c->syms[c->syms_len++] = kind;
	memcpy(c->syms + c->syms_len, name, nlen + 1);
	c->syms_len += nlen + 1;
	memcpy(c->syms + c->syms_len, path, plen + 1);
	c->syms_len += plen + 1;
	return 0;
}

int acpi_fdt_symbols(struct acpi_ctx *c)
{
	static const struct { char kind; const char *node; } parts[] = {
		{ 's', "__symbols__" }, { 'a', "aliases" },
	};

	for (unsigned i = 0; i < 2; i++) {
		int node = fdt_subnode_offset(c->fdt, 0, parts[i].node), err;

		if (node < 0)
			return node;
		for (size_t at = 0; at < c->syms_len;) {
			const char *name = c->syms + at + 1, *path = name + strlen(name) + 1;

			if (c->syms[at] == parts[i].kind &&
			    (err = fdt_setprop_string(c->fdt, node, name, path)) < 0)
				return err;
			at = (size_t)(path + strlen(path) + 1 - c->syms);
		}
	}
	c->syms_len = 0;
	return 0;
}

/* Every labelled node has a phandle, as `dtc -@` gives them: an overlay's
 * reference to a label (<&uart0>) is resolved through that phandle, and
 * libfdt refuses a label whose node has none. */
int acpi_fdt_label(struct acpi_ctx *c, int node, const char *label)
{
	uint32_t ph = 0;
	int err;

	if (!fdt_get_phandle(c->fdt, node)) {
		for (unsigned i = 0; i < sizeof(fixed_phandles) / sizeof(fixed_phandles[0]); i++)
			if (strcmp(label, fixed_phandles[i].label) == 0)
				ph = fixed_phandles[i].phandle;
		err = ph ? fdt_setprop_u32(c->fdt, node, "phandle", ph) : acpi_fdt_phandle(c, node, &ph);
		if (err < 0)
			return err;
	}
	return hold_named_path(c, 's', label, node);
}

int acpi_fdt_alias(struct acpi_ctx *c, const char *alias, int node)
{
	return hold_named_path(c, 'a', alias, node);
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

/* Array properties are written with one fdt_setprop_placeholder: each
 * libfdt read-write call looks the node's properties and the strings block
 * over again, so appending cell by cell costs a walk per cell. */

/* reg with the root's 2/2 cells: (address, size) pairs. */
int acpi_fdt_reg(struct acpi_ctx *c, int node, const uint64_t *pairs, unsigned npairs)
{
	void *p;
	int err = fdt_setprop_placeholder(c->fdt, node, "reg", (int)(16 * npairs), &p);

	for (unsigned i = 0; i < 2 * npairs && err >= 0; i++) {
		fdt64_t v = cpu_to_fdt64(pairs[i]);

		memcpy((uint8_t *)p + 8 * i, &v, 8);
	}
	return err;
}

int acpi_fdt_u32s(struct acpi_ctx *c, int node, const char *name, const uint32_t *v, unsigned n)
{
	void *p;
	int err = fdt_setprop_placeholder(c->fdt, node, name, (int)(4 * n), &p);

	for (unsigned i = 0; i < n && err >= 0; i++) {
		fdt32_t x = cpu_to_fdt32(v[i]);

		memcpy((uint8_t *)p + 4 * i, &x, 4);
	}
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

/* libfdt's read-write calls put a new property or subnode first in its
 * node, so the converters' tree holds everything in reverse creation order.
 * The finish rewrites the structure block with each node's properties and
 * children reversed, copying the tag records as they are: after fdt_pack the
 * strings block is unique and stays valid byte for byte, so no name is looked
 * up again. libfdt offers only forward walks, so entries are collected
 * FINISH_BATCH at a time, last batch first: a node with n entries costs about
 * n * (n / FINISH_BATCH + 1) forward steps. */
#define FINISH_BATCH	64

struct out {
	uint8_t *p;
	size_t len, cap;
};

static int put(struct out *o, const void *fdt, int from, int to)
{
	size_t n = (size_t)(to - from);

	if (to < from || n > o->cap - o->len)
		return -FDT_ERR_NOSPACE;
	memcpy(o->p + o->len, (const uint8_t *)fdt + fdt_off_dt_struct(fdt) + from, n);
	o->len += n;
	return 0;
}

static int put_tag(struct out *o, uint32_t tag)
{
	fdt32_t t = cpu_to_fdt32(tag);

	if (o->cap - o->len < sizeof(t))
		return -FDT_ERR_NOSPACE;
	memcpy(o->p + o->len, &t, sizeof(t));
	o->len += sizeof(t);
	return 0;
}

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

static int count_entries(const void *fdt, int node, int subnodes)
{
	int off, n = 0;

	if (subnodes) {
		fdt_for_each_subnode(off, fdt, node)
			n++;
	} else {
		fdt_for_each_property_offset(off, fdt, node)
			n++;
	}
	return off == -FDT_ERR_NOTFOUND ? n : off;
}

static int copy_node(const void *src, int node, struct out *o, int depth, unsigned *nodes);

/* A node's properties (subnodes = 0) or children (1), last first;
 * /__symbols__ goes last, where dtc -@ puts it. */
static int copy_reversed(const void *src, int node, struct out *o, int depth, unsigned *nodes,
			 int subnodes)
{
	int offs[FINISH_BATCH], symbols = -1, n, err, next;

	if ((n = count_entries(src, node, subnodes)) < 0)
		return n;
	for (int hi = n, lo; hi > 0; hi = lo) {
		int k;

		lo = hi > FINISH_BATCH ? hi - FINISH_BATCH : 0;
		if ((k = collect(src, node, subnodes, lo, offs, hi - lo)) < 0)
			return k;
		if (k != hi - lo)
			return -FDT_ERR_BADSTRUCTURE;
		while (k-- > 0) {
			if (subnodes) {
				const char *name = fdt_get_name(src, offs[k], NULL);

				if (depth == 0 && name && strcmp(name, "__symbols__") == 0)
					symbols = offs[k];
				else if ((err = copy_node(src, offs[k], o, depth + 1, nodes)) < 0)
					return err;
			} else {
				if (fdt_next_tag(src, offs[k], &next) != FDT_PROP)
					return -FDT_ERR_BADSTRUCTURE;
				if ((err = put(o, src, offs[k], next)) < 0)
					return err;
			}
		}
	}
	return symbols >= 0 ? copy_node(src, symbols, o, depth + 1, nodes) : 0;
}

static int copy_node(const void *src, int node, struct out *o, int depth, unsigned *nodes)
{
	int next, err;

	if (depth > FINISH_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;
	/* the FDT_BEGIN_NODE record: tag, name, padding */
	if (fdt_next_tag(src, node, &next) != FDT_BEGIN_NODE)
		return -FDT_ERR_BADSTRUCTURE;
	if ((err = put(o, src, node, next)) < 0)
		return err;
	(*nodes)++;
	if ((err = copy_reversed(src, node, o, depth, nodes, 0)) < 0 ||
	    (err = copy_reversed(src, node, o, depth, nodes, 1)) < 0)
		return err;
	return put_tag(o, FDT_END_NODE);
}

int acpi_fdt_finish(void *buf, size_t size, size_t *packed, unsigned *nodes)
{
	int err = fdt_pack(buf);
	uint32_t hdr, strings, used;
	size_t off;
	uint8_t *dst;
	struct out o;

	if (err < 0)
		return err;
	used = fdt_totalsize(buf);
	hdr = fdt_off_dt_struct(buf);
	strings = fdt_size_dt_strings(buf);
	/* fdt_pack lays out header, reservations, structure, strings */
	if (fdt_off_dt_strings(buf) != hdr + fdt_size_dt_struct(buf) ||
	    fdt_off_dt_strings(buf) + strings != used)
		return -FDT_ERR_BADLAYOUT;
	off = ((size_t)used + 7) & ~(size_t)7;
	if (off >= size || size - off < used)
		return -FDT_ERR_NOSPACE;
	dst = (uint8_t *)buf + off;
	o.p = dst + hdr;
	o.len = 0;
	o.cap = fdt_size_dt_struct(buf);
	*nodes = 0;
	if ((err = copy_node(buf, 0, &o, 0, nodes)) < 0)
		return err;
	if ((err = put_tag(&o, FDT_END)) < 0)
		return err;
	memcpy(dst, buf, hdr);
	memcpy(o.p + o.len, (uint8_t *)buf + fdt_off_dt_strings(buf), strings);
	fdt_set_size_dt_struct(dst, (uint32_t)o.len);
	fdt_set_off_dt_strings(dst, hdr + (uint32_t)o.len);
	fdt_set_totalsize(dst, hdr + (uint32_t)o.len + strings);
	*packed = fdt_totalsize(dst);
	memmove(buf, dst, *packed);
	return fdt_open_into(buf, buf, (int)size);
}
