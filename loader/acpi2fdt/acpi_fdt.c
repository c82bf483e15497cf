/* Tree and log helpers shared by the converters (acpi.h): labels, aliases,
 * phandles, reg and interrupt specifiers, and the final rewrite that puts
 * nodes and properties in the order they were made. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define FINISH_DEPTH	16	/* deeper than any tree the converters build */

void acpi_log(struct acpi_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lvfdt(c->log, fmt, ap);
	va_end(ap);
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

/* /chosen, /aliases and /__symbols__ are made first, so while the tree is
 * built they sit after every other root child (libfdt puts a new subnode
 * first): each libfdt write to them is a walk over the whole tree and a scan
 * of the strings block. Their string properties are held in the context
 * instead (kind, name, value; each NUL-terminated; kind '-' is an entry set
 * again later) and acpi_fdt_finish writes them as raw records. When the
 * context's space runs out (a hostile table with hundreds of PCIe segments),
 * an entry is written through libfdt at once. */
static const struct {
	char kind;
	const char *node;
} held_nodes[] = { { 'c', "chosen" }, { 'a', "aliases" }, { 's', "__symbols__" } };

static size_t held_next(const struct acpi_ctx *c, size_t at)
{
	const char *name = c->syms + at + 1, *value = name + strlen(name) + 1;

	return (size_t)(value + strlen(value) + 1 - c->syms);
}

int acpi_fdt_hold(struct acpi_ctx *c, char kind, const char *name, const char *value)
{
	size_t nlen = strlen(name), vlen = strlen(value);
	unsigned i;
	int node;

	for (i = 0; i < sizeof(held_nodes) / sizeof(held_nodes[0]); i++)
		if (held_nodes[i].kind == kind)
			break;
	if (i == sizeof(held_nodes) / sizeof(held_nodes[0]))
		return -FDT_ERR_BADVALUE;
	for (size_t at = 0; at < c->syms_len; at = held_next(c, at))
		if (c->syms[at] == kind && strcmp(c->syms + at + 1, name) == 0)
			c->syms[at] = '-';	/* the last value wins */
	if (sizeof(c->syms) - c->syms_len < nlen + vlen + 3) {
		node = fdt_subnode_offset(c->fdt, 0, held_nodes[i].node);
		return node < 0 ? node : fdt_setprop_string(c->fdt, node, name, value);
	}
	c->syms[c->syms_len++] = kind;
	memcpy(c->syms + c->syms_len, name, nlen + 1);
	c->syms_len += nlen + 1;
	memcpy(c->syms + c->syms_len, value, vlen + 1);
	c->syms_len += vlen + 1;
	return 0;
}

static int hold_path(struct acpi_ctx *c, char kind, const char *name, int node)
{
	char path[160];
	int err = fdt_get_path(c->fdt, node, path, sizeof(path));

	return err < 0 ? err : acpi_fdt_hold(c, kind, name, path);
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
	return hold_path(c, 's', label, node);
}

int acpi_fdt_alias(struct acpi_ctx *c, const char *alias, int node)
{
	return hold_path(c, 'a', alias, node);
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

/* ---------------------------------------------------------- raw nodes ---- */

/* fdt_add_subnode compares a new name with every sibling's, so a node with
 * n children made one by one costs O(n^2): 512 CPUs took 700 M instructions.
 * For such runs of siblings the converter writes the structure records
 * itself (DT spec 5.4): acpi_fdt_reserve makes a child of `parent` that is
 * exactly `bytes` long (a node "_" holding one placeholder property) and
 * returns its first byte, for the caller to overwrite with that many bytes
 * of raw_begin / raw_prop / raw_end records. Names must be unique among the
 * siblings: nothing checks them. Like every new child, the records go first
 * among the parent's children, and acpi_fdt_finish reverses the order, so
 * they are written last node first, each node's properties last first. */
void *acpi_fdt_reserve(struct acpi_ctx *c, int parent, size_t bytes, int *err)
{
	const size_t frame = 8 + 12 + 4;	/* BEGIN "_", PROP header, END */
	int node, off, next, i;
	static const uint32_t want[3] = { FDT_BEGIN_NODE, FDT_PROP, FDT_END_NODE };
	void *p;

	if (bytes < frame || bytes % 4 || bytes > 0x7fffffff) {
		*err = -FDT_ERR_BADVALUE;
		return NULL;
	}
	if ((node = fdt_add_subnode(c->fdt, parent, "_")) < 0 ||
	    (*err = fdt_setprop_placeholder(c->fdt, node, "reg", (int)(bytes - frame), &p)) < 0) {
		*err = node < 0 ? node : *err;
		return NULL;
	}
	for (i = 0, off = node; i < 3; i++, off = next)
		if (fdt_next_tag(c->fdt, off, &next) != want[i])
			break;
	if (i < 3 || (size_t)(off - node) != bytes) {
		*err = -FDT_ERR_INTERNAL;
		return NULL;
	}
	*err = 0;
	return (uint8_t *)c->fdt + fdt_off_dt_struct(c->fdt) + node;
}

size_t raw_node_size(const char *name)
{
	return 4 + ((strlen(name) + 1 + 3) & ~(size_t)3) + 4;
}

size_t raw_prop_size(uint32_t len)
{
	return 12 + ((len + 3) & ~(uint32_t)3);
}

static uint8_t *raw_u32(uint8_t *p, uint32_t v)
{
	fdt32_t x = cpu_to_fdt32(v);

	memcpy(p, &x, 4);
	return p + 4;
}

uint8_t *raw_begin(uint8_t *p, const char *name)
{
	size_t n = strlen(name) + 1, padded = (n + 3) & ~(size_t)3;

	p = raw_u32(p, FDT_BEGIN_NODE);
	memcpy(p, name, n);
	memset(p + n, 0, padded - n);
	return p + padded;
}

uint8_t *raw_prop(uint8_t *p, uint32_t nameoff, const void *v, uint32_t len)
{
	uint32_t padded = (len + 3) & ~(uint32_t)3;

	p = raw_u32(p, FDT_PROP);
	p = raw_u32(p, len);
	p = raw_u32(p, nameoff);
	memcpy(p, v, len);
	memset(p + len, 0, padded - len);
	return p + padded;
}

uint8_t *raw_end(uint8_t *p)
{
	return raw_u32(p, FDT_END_NODE);
}

int acpi_fdt_nameoff(struct acpi_ctx *c, int node, const char *name)
{
	int len;
	const struct fdt_property *prop = fdt_get_property(c->fdt, node, name, &len);

	return prop ? (int)fdt32_to_cpu(prop->nameoff) : len;
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
 * strings block is unique and stays valid byte for byte, so no name is
 * looked up again. One forward walk indexes the tree, linking each property
 * and child in front of its node's list (so the lists come out reversed);
 * a second emits from the index. The index lives in the buffer's free space
 * past the copy: -FDT_ERR_NOSPACE when it does not fit, and the callers
 * convert again in a larger buffer. */
struct fnode {
	int off;		/* FDT_BEGIN_NODE */
	int props, children;	/* first of each list (index), -1: none */
	int next;		/* next sibling in the parent's list */
	int depth;
};

struct fprop {
	int off, next;
};

struct index {
	struct fnode *node;
	struct fprop *prop;	/* grows down from the end of the space */
	size_t nnode, nprop, room;	/* room: bytes for both */
};

static int index_tree(const void *fdt, struct index *x)
{
	int stack[FINISH_DEPTH + 1], depth = -1, off = 0, next, tag;

	do {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_BEGIN_NODE || tag == FDT_PROP) {
			size_t used = x->nnode * sizeof(struct fnode) + x->nprop * sizeof(struct fprop);

			if (x->room - used < sizeof(struct fnode) || x->nnode + x->nprop >= 0x7fffffff)
				return -FDT_ERR_NOSPACE;
		}
		if (tag == FDT_BEGIN_NODE) {
			int i = (int)x->nnode++;

			if (depth == FINISH_DEPTH)
				return -FDT_ERR_BADSTRUCTURE;
			x->node[i] = (struct fnode){ off, -1, -1, -1, depth + 1 };
			if (depth >= 0) {
				x->node[i].next = x->node[stack[depth]].children;
				x->node[stack[depth]].children = i;
			} else if (i != 0) {
				return -FDT_ERR_BADSTRUCTURE;	/* a second root */
			}
			stack[++depth] = i;
		} else if (tag == FDT_PROP) {
			struct fprop *p = x->prop - ++x->nprop;

			if (depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			p->off = off;
			p->next = x->node[stack[depth]].props;
			x->node[stack[depth]].props = (int)x->nprop;
		} else if (tag == FDT_END_NODE) {
			if (depth-- < 0)
				return -FDT_ERR_BADSTRUCTURE;
		} else if (tag != FDT_NOP && tag != FDT_END) {
			return next < 0 ? next : -FDT_ERR_BADSTRUCTURE;
		}
		off = next;
	} while (tag != FDT_END);
	return depth == -1 && x->nnode ? 0 : -FDT_ERR_BADSTRUCTURE;
}

struct out {
	const void *src;
	const struct index *x;
	uint8_t *p;
	size_t len, cap;
	const struct acpi_ctx *c;	/* held /chosen, /aliases, /__symbols__ entries */
	uint32_t held_names;		/* their names' offset in the strings block */
};

/* The source's tag record at `off` (up to the next tag), as it is. */
static int put_record(struct out *o, int off)
{
	int next;

	fdt_next_tag(o->src, off, &next);
	if (next < off || (size_t)(next - off) > o->cap - o->len)
		return -FDT_ERR_NOSPACE;
	memcpy(o->p + o->len, (const uint8_t *)o->src + fdt_off_dt_struct(o->src) + off,
	       (size_t)(next - off));
	o->len += (size_t)(next - off);
	return 0;
}

/* The held entries of one kind as properties. Every held name (dead ones
 * too) is appended to the strings block in order, so an entry's name is at
 * held_names + the length of the names before it. */
static int put_held(struct out *o, char kind)
{
	const struct acpi_ctx *c = o->c;
	uint32_t nameoff = o->held_names;

	for (size_t at = 0; at < c->syms_len; at = held_next(c, at)) {
		const char *name = c->syms + at + 1, *value = name + strlen(name) + 1;
		uint32_t len = (uint32_t)strlen(value) + 1;

		if (c->syms[at] == kind) {
			if (raw_prop_size(len) > o->cap - o->len)
				return -FDT_ERR_NOSPACE;
			o->len = (size_t)(raw_prop(o->p + o->len, nameoff, value, len) - o->p);
		}
		nameoff += (uint32_t)strlen(name) + 1;
	}
	return 0;
}

static int is_symbols(const struct out *o, int n)
{
	const char *name = fdt_get_name(o->src, o->x->node[n].off, NULL);

	return name && strcmp(name, "__symbols__") == 0;
}

/* /__symbols__ goes last among the root's children, where dtc -@ puts it. */
static int put_node(struct out *o, int n)
{
	const struct fnode *f = &o->x->node[n];
	const char *name = fdt_get_name(o->src, f->off, NULL);
	int err, symbols = -1;

	if ((err = put_record(o, f->off)) < 0)
		return err;
	for (int p = f->props; p > 0; p = o->x->prop[-p].next)
		if ((err = put_record(o, o->x->prop[-p].off)) < 0)
			return err;
	for (unsigned i = 0; f->depth == 1 && name && i < sizeof(held_nodes) / sizeof(held_nodes[0]); i++)
		if (strcmp(name, held_nodes[i].node) == 0 && (err = put_held(o, held_nodes[i].kind)) < 0)
			return err;
	for (int k = f->children; k >= 0; k = o->x->node[k].next) {
		if (f->depth == 0 && symbols < 0 && is_symbols(o, k))
			symbols = k;
		else if ((err = put_node(o, k)) < 0)
			return err;
	}
	if (symbols >= 0 && (err = put_node(o, symbols)) < 0)
		return err;
	if (o->cap - o->len < 4)
		return -FDT_ERR_NOSPACE;
	o->len = (size_t)(raw_end(o->p + o->len) - o->p);
	return 0;
}

int acpi_fdt_finish(struct acpi_ctx *c, size_t size, size_t *packed, unsigned *nodes)
{
	void *buf = c->fdt;
	int err = fdt_pack(buf);
	uint32_t hdr, strings, used;
	size_t off, idx, held_struct = 0, held_strings = 0, need;
	uint8_t *dst;
	struct index x;
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
	for (size_t at = 0; at < c->syms_len; at = held_next(c, at)) {
		const char *name = c->syms + at + 1;

		held_strings += strlen(name) + 1;
		if (c->syms[at] != '-')
			held_struct += raw_prop_size((uint32_t)strlen(name + strlen(name) + 1) + 1);
	}
	/* buf: the packed tree, the copy (dst), the index */
	need = used + held_struct + held_strings;
	off = ((size_t)used + 7) & ~(size_t)7;
	idx = (off + need + 7) & ~(size_t)7;
	if (need > 0x7fffffff || idx >= size)
		return -FDT_ERR_NOSPACE;
	x.node = (struct fnode *)((uint8_t *)buf + idx);
	x.room = (size - idx) & ~(size_t)7;
	x.prop = (struct fprop *)((uint8_t *)x.node + x.room);
	x.nnode = x.nprop = 0;
	if ((err = index_tree(buf, &x)) < 0)
		return err;
	dst = (uint8_t *)buf + off;
	o = (struct out){ buf, &x, dst + hdr, 0, fdt_size_dt_struct(buf) + held_struct, c, strings };
	if ((err = put_node(&o, 0)) < 0)
		return err;
	if (o.cap - o.len < 4)
		return -FDT_ERR_NOSPACE;
	memcpy(o.p + o.len, &(fdt32_t){ cpu_to_fdt32(FDT_END) }, 4);
	o.len += 4;
	memcpy(dst, buf, hdr);
	memcpy(o.p + o.len, (uint8_t *)buf + fdt_off_dt_strings(buf), strings);
	for (size_t at = 0, s = strings; at < c->syms_len; at = held_next(c, at)) {
		size_t n = strlen(c->syms + at + 1) + 1;

		memcpy(o.p + o.len + s, c->syms + at + 1, n);
		s += n;
	}
	fdt_set_size_dt_struct(dst, (uint32_t)o.len);
	fdt_set_off_dt_strings(dst, hdr + (uint32_t)o.len);
	fdt_set_size_dt_strings(dst, strings + (uint32_t)held_strings);
	fdt_set_totalsize(dst, hdr + (uint32_t)(o.len + strings + held_strings));
	*packed = fdt_totalsize(dst);
	*nodes = (unsigned)x.nnode;
	memmove(buf, dst, *packed);
	return fdt_open_into(buf, buf, (int)size);
}
