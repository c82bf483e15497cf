/* The tree the kernel gets (loader.h, tree_write_final): one sequential
 * pass over the tree the steps and overlays left, with libfdt's
 * sequential-write API, adding /plinth, /memory, /reserved-memory's
 * children and /memreserve/ as it goes.
 *
 * /memory and /reserved-memory come last because they describe the memory
 * map read after every allocation (m1n1's rule); /plinth comes with them,
 * a node of the loader's own that no overlay has reason to touch. They
 * are many nodes: added one by one with
 * the read-write API, each addition walked the tree and moved the rest of
 * it, which was most of the loader's own work. Written here, each costs
 * what writing it costs.
 *
 * Placement: new root children and /reserved-memory's new children go
 * after the ones the node has, which is where the pass learns what the
 * tree already holds. Property names are not deduplicated (the strings
 * block holds each name once per use): a search per property is what the
 * sequential-write API costs otherwise. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "loader.h"

#define MAX_LISTED 16		/* ranges listed one per line before "... N more" */

/* Node names for /reserved-memory children: the binding wants [a-z,-]+. */
static const char *preserved_name(uint32_t type)
{
	switch (type) {
	case MEM_RT_CODE: return "runtime-code";
	case MEM_RT_DATA: return "runtime-data";
	case MEM_ACPI_RECLAIM: return "acpi-reclaim";
	case MEM_ACPI_NVS: return "acpi-nvs";
	default: return "reserved";
	}
}

struct writer {
	const void *src;
	void *out;
	const struct tree_final *f;
	const struct plinth_log *log;
	int nodes;
	int resmem;			/* src's /reserved-memory, once met; or -1 */
	char memory[32];		/* "memory@<first>" */
	char symbol[40];		/* "/memory@<first>", for /__symbols__/memory */
	int symbols;			/* src has /__symbols__ */
	uint64_t first, total;
	unsigned ranges;
};

/* One or two cells (#address-cells or #size-cells); a value one cell cannot
 * hold is FDT_ERR_BADVALUE, as in fdt_appendprop_addrrange. */
static int put_cells(fdt32_t *p, int *k, int cells, uint64_t v)
{
	if (cells == 1 && v >> 32)
		return -FDT_ERR_BADVALUE;
	if (cells == 2)
		p[(*k)++] = cpu_to_fdt32((uint32_t)(v >> 32));
	p[(*k)++] = cpu_to_fdt32((uint32_t)v);
	return 0;
}

/* The cells of src's node (a parent of what is added), 1 or 2 each. */
static int cells_of(const void *src, int node, int *ac, int *sc)
{
	*ac = node < 0 ? 2 : fdt_address_cells(src, node);
	*sc = node < 0 ? 2 : fdt_size_cells(src, node);
	if (*ac < 0 || *sc < 0)
		return *ac < 0 ? *ac : *sc;
	return (*ac == 1 || *ac == 2) && (*sc == 1 || *sc == 2) ? 0 : -FDT_ERR_BADNCELLS;
}

static int begin(struct writer *w, const char *name)
{
	w->nodes++;
	return fdt_begin_node(w->out, name);
}

/* reg = one (base, size) in the parent's cells. */
static int reg1(struct writer *w, int ac, int sc, uint64_t base, uint64_t size)
{
	fdt32_t v[4];
	int k = 0, err = put_cells(v, &k, ac, base);

	if (err == 0)
		err = put_cells(v, &k, sc, size);
	return err < 0 ? err : fdt_property(w->out, "reg", v, k * 4);
}

/* /memory@<first>: every RAM run in one reg, in the root's cells. */
static int write_memory(struct writer *w)
{
	const struct tree_final *f = w->f;
	struct mem_run r;
	unsigned i = 0;
	int ac, sc, k = 0, err;
	fdt32_t *reg;

	if ((err = cells_of(w->src, 0, &ac, &sc)) < 0)
		return err;
	if ((err = begin(w, w->memory)) < 0 ||
	    (err = fdt_property_string(w->out, "device_type", "memory")) < 0 ||
	    (err = fdt_property_placeholder(w->out, "reg", (int)(w->ranges * (unsigned)(ac + sc) * 4),
					    (void **)&reg)) < 0)
		return err;
	while (memmap_next_run(f->map, f->nmap, &i, MEM_CLASS_RAM, &r)) {
		if ((err = put_cells(reg, &k, ac, r.base)) < 0 ||
		    (err = put_cells(reg, &k, sc, r.end - r.base)) < 0)
			return err;
		if ((unsigned)k / (unsigned)(ac + sc) <= MAX_LISTED)
			lprintf(w->log, "fdt: memory: 0x%llx-0x%llx (%llu KiB)", (unsigned long long)r.base,
				(unsigned long long)r.end - 1, (unsigned long long)(r.end - r.base) >> 10);
	}
	if (w->ranges > MAX_LISTED)
		lprintf(w->log, "fdt: memory: ... %u more range(s)", w->ranges - MAX_LISTED);
	lprintf(w->log, "fdt: memory: %s: %u range(s), %llu MiB from the UEFI memory map", w->memory,
		w->ranges, (unsigned long long)(w->total >> 20));
	return fdt_end_node(w->out);
}

/* A child of /reserved-memory, unless src's has one by that name. */
static int reserved_child(struct writer *w, const char *name, int ac, int sc, uint64_t base,
			  uint64_t size, const char *compatible, int no_map)
{
	int err;

	if (w->resmem >= 0 && fdt_subnode_offset(w->src, w->resmem, name) >= 0) {
		lprintf(w->log, "fdt: reserved-memory: %s already present, left as it is", name);
		return 0;
	}
	if ((err = begin(w, name)) < 0 ||
	    (compatible && (err = fdt_property_string(w->out, "compatible", compatible)) < 0) ||
	    (err = reg1(w, ac, sc, base, size)) < 0 ||
	    (no_map && (err = fdt_property(w->out, "no-map", NULL, 0)) < 0))
		return err;
	return fdt_end_node(w->out);
}

/* The log region, then each preserved run of the map. */
static int reserved_children(struct writer *w)
{
	const struct tree_final *f = w->f;
	struct mem_run r;
	unsigned i = 0, listed = 0;
	char name[48];
	int ac, sc, err;

	if ((err = cells_of(w->src, w->resmem, &ac, &sc)) < 0)
		return err;
	if (f->log_size) {
		ksnprintf(name, sizeof(name), "loader-log@%llx", (unsigned long long)f->log_base);
		/* Not no-map: the region is loader data inside /memory, and
		 * the kernel maps /memory and reads the text from there. */
		if ((err = reserved_child(w, name, ac, sc, f->log_base, f->log_size,
					  "plinth,loader-log", 0)) < 0)
			return err;
		lprintf(w->log, "fdt: reserved-memory: %s 0x%llx-0x%llx: this log, for the kernel's `log`",
			name, (unsigned long long)f->log_base,
			(unsigned long long)(f->log_base + f->log_size - 1));
	}
	while (memmap_next_run(f->map, f->nmap, &i, MEM_CLASS_PRESERVE, &r)) {
		ksnprintf(name, sizeof(name), "%s@%llx", preserved_name(r.type),
			  (unsigned long long)r.base);
		if ((err = reserved_child(w, name, ac, sc, r.base, r.end - r.base, NULL, 1)) < 0)
			return err;
		if (listed++ < MAX_LISTED)
			lprintf(w->log, "fdt: reserved-memory: %s 0x%llx-0x%llx no-map (%s)", name,
				(unsigned long long)r.base, (unsigned long long)r.end - 1,
				mem_type_name(r.type));
	}
	if (listed > MAX_LISTED)
		lprintf(w->log, "fdt: reserved-memory: ... %u more region(s)", listed - MAX_LISTED);
	if (listed == 0)
		lprintf(w->log, "fdt: reserved-memory: nothing in the UEFI memory map to preserve");
	return 0;
}

/* /plinth: compatible "plinth,boot-info", the RSDP address and the board=
 * asked for. /chosen's binding (dt-schema chosen.yaml) admits no new
 * property, and a vendor-prefixed property name needs a registered vendor;
 * a node of its own with its own compatible and plain property names
 * passes dt-validate. */
static int write_plinth(struct writer *w)
{
	const struct tree_final *f = w->f;
	const char *board = f->board && f->board[0] ? f->board : NULL;
	int err;

	if ((err = begin(w, "plinth")) < 0 ||
	    (err = fdt_property_string(w->out, "compatible", "plinth,boot-info")) < 0 ||
	    (err = fdt_property_u64(w->out, "acpi-rsdp", f->rsdp)) < 0 ||
	    (board && (err = fdt_property_string(w->out, "board", board)) < 0))
		return err;
	lprintf(w->log, "fdt: plinth: /plinth acpi-rsdp = 0x%llx%s%s", (unsigned long long)f->rsdp,
		board ? ", board = " : "", board ? board : "");
	return fdt_end_node(w->out);
}

/* The root's new children, after the ones it has: /plinth, /memory, and
 * /reserved-memory and /__symbols__ when the tree had none. */
static int root_children(struct writer *w)
{
	int err = write_plinth(w);

	if (err == 0)
		err = write_memory(w);

	/* reserved-memory.yaml: the root's cells and an empty ranges. */
	if (err == 0 && w->resmem < 0 &&
	    ((err = begin(w, "reserved-memory")) < 0 ||
	     (err = fdt_property_u32(w->out, "#address-cells", 2)) < 0 ||
	     (err = fdt_property_u32(w->out, "#size-cells", 2)) < 0 ||
	     (err = fdt_property(w->out, "ranges", NULL, 0)) < 0 ||
	     (err = reserved_children(w)) < 0 || (err = fdt_end_node(w->out)) < 0))
		return err;
	if (err == 0 && !w->symbols && ((err = begin(w, "__symbols__")) < 0 ||
	    (err = fdt_property_string(w->out, "memory", w->symbol)) < 0))
		return err;
	return err == 0 && !w->symbols ? fdt_end_node(w->out) : err;
}

/* Whether the node beginning at `node` (its first property at `props`) has
 * device_type "memory": its properties only, read in place. */
static int is_memory_node(const void *src, int props)
{
	int next;

	while (fdt_next_tag(src, props, &next) == FDT_PROP) {
		const struct fdt_property *pr = fdt_offset_ptr(src, props, sizeof(*pr));
		const char *name = pr ? fdt_string(src, (int)fdt32_to_cpu(pr->nameoff)) : NULL;

		if (name && strcmp(name, "device_type") == 0)
			return fdt32_to_cpu(pr->len) == 7 && memcmp(pr->data, "memory", 7) == 0;
		props = next;
	}
	return 0;
}

/* Past the node that begins at `node`: the offset after its END_NODE. */
static int skip_node(const void *src, int node)
{
	int depth = 0, next;

	do {
		uint32_t tag = fdt_next_tag(src, node, &next);

		if (next < 0 || tag == FDT_END)
			return next < 0 ? next : -FDT_ERR_BADSTRUCTURE;
		depth += tag == FDT_BEGIN_NODE ? 1 : tag == FDT_END_NODE ? -1 : 0;
		node = next;
	} while (depth > 0);
	return next;
}

/* src's structure block, tag by tag, with the additions spliced in. */
static int copy_nodes(struct writer *w)
{
	const void *src = w->src;
	int offset = 0, next, depth = 0, err = 0;
	enum { OTHER, RESMEM, SYMBOLS } kind = OTHER;	/* of the depth-2 node we are in */

	for (;;) {
		uint32_t tag = fdt_next_tag(src, offset, &next);
		const char *name;
		int len;

		if (next < 0)
			return next;
		switch (tag) {
		case FDT_BEGIN_NODE:
			name = fdt_get_name(src, offset, &len);
			if (!name)
				return len;
			if (++depth == 2) {
				if (strcmp(name, "plinth") == 0) {	/* ours to write */
					if ((next = skip_node(src, offset)) < 0)
						return next;
					depth--;
					break;
				}
				if (strcmp(name, w->memory) == 0 || is_memory_node(src, next)) {
					lprintf(w->log, "fdt: memory: /%s dropped: the UEFI memory map "
						"is the authority", name);
					if ((next = skip_node(src, offset)) < 0)
						return next;
					depth--;
					break;
				}
				kind = strcmp(name, "reserved-memory") == 0 ? RESMEM :
				       strcmp(name, "__symbols__") == 0 ? SYMBOLS : OTHER;
				if (kind == RESMEM)
					w->resmem = offset;
				w->symbols |= kind == SYMBOLS;
			}
			err = begin(w, name);
			break;
		case FDT_PROP: {
			const struct fdt_property *pr = fdt_get_property_by_offset(src, offset, &len);
			const char *pname = pr ? fdt_string(src, (int)fdt32_to_cpu(pr->nameoff)) : NULL;

			if (!pname)
				return -FDT_ERR_BADSTRUCTURE;
			/* The label is ours to set, at the node's end. */
			if (depth == 2 && kind == SYMBOLS && strcmp(pname, "memory") == 0)
				break;
			err = fdt_property(w->out, pname, pr->data, len);
			break;
		}
		case FDT_END_NODE:
			if (depth == 2 && kind == RESMEM)
				err = reserved_children(w);
			else if (depth == 2 && kind == SYMBOLS)
				err = fdt_property_string(w->out, "memory", w->symbol);
			else if (depth == 1)
				err = root_children(w);
			if (err == 0)
				err = fdt_end_node(w->out);
			depth--;
			break;
		case FDT_END:
			return depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:		/* FDT_NOP */
			break;
		}
		if (err < 0)
			return err;
		offset = next;
	}
}

/* /memreserve/: src's entries, then the Image and the tree itself. */
static int memreserve(struct writer *w)
{
	const struct tree_final *f = w->f;
	const struct { const char *what; uint64_t base, size; } ours[] = {
		{ "Image", f->image_base, f->image_size },
		{ "tree", (uint64_t)(uintptr_t)w->out, f->self_size },
	};
	int n = fdt_num_mem_rsv(w->src), err;

	for (int i = 0; i < n; i++) {
		uint64_t a, s;

		if ((err = fdt_get_mem_rsv(w->src, i, &a, &s)) < 0 ||
		    (err = fdt_add_reservemap_entry(w->out, a, s)) < 0)
			return err;
	}
	for (unsigned i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		if (!ours[i].size)
			continue;
		if ((err = fdt_add_reservemap_entry(w->out, ours[i].base, ours[i].size)) < 0)
			return err;
		lprintf(w->log, "fdt: memreserve: %s 0x%llx-0x%llx", ours[i].what,
			(unsigned long long)ours[i].base,
			(unsigned long long)(ours[i].base + ours[i].size - 1));
	}
	return fdt_finish_reservemap(w->out);
}

int tree_write_final(const void *src, void *out, size_t size, const struct tree_final *f,
		     struct tree_final_result *res, const struct plinth_log *log)
{
	struct writer w = { .src = src, .out = out, .f = f, .log = log };
	unsigned bad, other, i = 0;
	struct mem_run r;
	int err;

	memmap_count_unused(f->map, f->nmap, &bad, &other);
	if (bad)
		lprintf(log, "fdt: memory: %u descriptor(s) with 0 pages or past 2^64 ignored", bad);
	if (other)
		lprintf(log, "fdt: memory: %u descriptor(s) of MMIO/unusable/persistent/other types "
			"not described", other);
	while (memmap_next_run(f->map, f->nmap, &i, MEM_CLASS_RAM, &r)) {
		if (!w.ranges++)
			w.first = r.base;
		w.total += r.end - r.base;
	}
	if (!w.ranges) {
		lprintf(log, "fdt: memory: the UEFI memory map has no usable RAM");
		return -PLINTH_ENOENT;
	}
	ksnprintf(w.memory, sizeof(w.memory), "memory@%llx", (unsigned long long)w.first);
	ksnprintf(w.symbol, sizeof(w.symbol), "/%s", w.memory);
	w.resmem = -1;		/* until the copy meets it */
	if (size > INT32_MAX)
		size = INT32_MAX;
	if ((err = fdt_create_with_flags(out, (int)size, FDT_CREATE_FLAG_NO_NAME_DEDUP)) < 0 ||
	    (err = memreserve(&w)) < 0 || (err = copy_nodes(&w)) < 0 || (err = fdt_finish(out)) < 0)
		return err;
	if (res)
		res->nodes = w.nodes;
	return 0;
}

size_t tree_final_size(const void *src, unsigned nmap)
{
	/* src's blocks as they are, and per descriptor at most one node (a
	 * name, reg, no-map and their strings: under 128 bytes), with room
	 * for the rest of what is added. */
	size_t used = fdt_off_dt_strings(src) + fdt_size_dt_strings(src);

	return used + 1024 + 128 * (size_t)nmap;
}
