/* The UEFI memory map as the tree describes it (loader.h).
 *
 * UEFI 2.10 section 7.2, table 7.10 says which types the OS owns after
 * ExitBootServices: Conventional, Loader code/data and Boot Services
 * code/data are free for it (the kernel, the tree and this log are loader
 * data, so they sit inside /memory and are protected by /memreserve/ and
 * /reserved-memory instead). Runtime Services code/data, ACPI reclaim and
 * NVS and Reserved must be preserved: they become /reserved-memory children
 * with no-map. MMIO, unusable and persistent memory are neither. */
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "loader.h"

#define PAGE_SHIFT 12
#define MAX_LISTED 16		/* ranges listed one per line before "... N more" */

const char *mem_type_name(uint32_t type)
{
	static const char *const names[MEM_TYPE_END] = {
		"Reserved", "LoaderCode", "LoaderData", "BootServicesCode", "BootServicesData",
		"RuntimeServicesCode", "RuntimeServicesData", "Conventional", "Unusable",
		"ACPIReclaim", "ACPINVS", "MMIO", "MMIOPortSpace", "PalCode", "Persistent",
		"Unaccepted",
	};
	return type < MEM_TYPE_END ? names[type] : "unknown";
}

void memmap_sort(struct mem_desc *d, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct mem_desc x = d[i];
		unsigned j = i;

		for (; j > 0 && d[j - 1].base > x.base; j--)
			d[j] = d[j - 1];
		d[j] = x;
	}
}

/* [base, end) of a descriptor; 0 when pages overflow the address space. */
static int desc_range(const struct mem_desc *d, uint64_t *base, uint64_t *end)
{
	if (d->pages == 0 || d->pages > (UINT64_MAX >> PAGE_SHIFT) ||
	    d->base + (d->pages << PAGE_SHIFT) < d->base)
		return 0;
	*base = d->base;
	*end = d->base + (d->pages << PAGE_SHIFT);
	return 1;
}

uint64_t memmap_avail(const struct mem_desc *d, unsigned n, uint64_t addr)
{
	uint64_t b, e;
	unsigned i;

	for (i = 0; i < n; i++)
		if (desc_range(&d[i], &b, &e) && addr >= b && addr < e)
			break;
	if (i == n)
		return 0;
	for (i++; i < n; i++) {
		uint64_t nb, ne;

		if (!desc_range(&d[i], &nb, &ne) || nb != e)
			break;
		e = ne;
	}
	return e - addr;
}

int memmap_find_free(const struct mem_desc *d, unsigned n, uint64_t size, uint64_t align,
		     uint64_t from, uint64_t *base)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t s, e, ne, b;

		if (d[i].type != MEM_CONVENTIONAL || !desc_range(&d[i], &s, &e))
			continue;
		/* Contiguous Conventional descriptors form one run. */
		while (i + 1 < n && d[i + 1].type == MEM_CONVENTIONAL &&
		       desc_range(&d[i + 1], &b, &ne) && b == e) {
			e = ne;
			i++;
		}
		b = s > from ? s : from;
		if (b + align - 1 < b)
			continue;
		b = (b + align - 1) & ~(align - 1);
		if (b >= s && b < e && size <= e - b) {
			*base = b;
			return 0;
		}
	}
	return -PLINTH_ENOMEM;
}

enum mem_class { CLASS_NONE, CLASS_MEMORY, CLASS_RESERVED };

static enum mem_class classify(uint32_t type)
{
	switch (type) {
	case MEM_CONVENTIONAL:
	case MEM_LOADER_CODE:
	case MEM_LOADER_DATA:
	case MEM_BS_CODE:
	case MEM_BS_DATA:
		return CLASS_MEMORY;
	case MEM_RT_CODE:
	case MEM_RT_DATA:
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS:
	case MEM_RESERVED:
		return CLASS_RESERVED;
	default:
		return CLASS_NONE;
	}
}

/* Node names for /reserved-memory children: the binding wants [a-z,-]+. */
static const char *reserved_name(uint32_t type)
{
	switch (type) {
	case MEM_RT_CODE: return "runtime-code";
	case MEM_RT_DATA: return "runtime-data";
	case MEM_ACPI_RECLAIM: return "acpi-reclaim";
	case MEM_ACPI_NVS: return "acpi-nvs";
	default: return "reserved";
	}
}

/* Remove every node with device_type "memory": the map is the authority. */
static int drop_memory_nodes(void *fdt)
{
	for (;;) {
		int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);

		if (node == -FDT_ERR_NOTFOUND)
			return 0;
		if (node < 0)
			return node;
		int err = fdt_del_node(fdt, node);

		if (err < 0)
			return err;
	}
}

static int write_memory(void *fdt, const struct mem_desc *d, unsigned n,
			const struct plinth_log *log)
{
	uint64_t first = 0, total = 0, cur_b = 0, cur_e = 0;
	unsigned ranges = 0, listed = 0;
	char name[32], path[40];
	int node = -1, err;

	for (unsigned i = 0; i <= n; i++) {
		uint64_t b = 0, e = 0;
		int last = i == n;

		if (!last && (classify(d[i].type) != CLASS_MEMORY || !desc_range(&d[i], &b, &e)))
			continue;
		/* Contiguous (or, from buggy firmware, overlapping): merge. */
		if (!last && cur_e > cur_b && b <= cur_e) {
			if (e > cur_e)
				cur_e = e;
			continue;
		}
		if (cur_e > cur_b) {
			if (node < 0) {
				first = cur_b;
				ksnprintf(name, sizeof(name), "memory@%llx", (unsigned long long)first);
				node = fdt_add_subnode(fdt, 0, name);
				if (node < 0)
					return node;
				err = fdt_setprop_string(fdt, node, "device_type", "memory");
				if (err < 0)
					return err;
			}
			err = fdt_appendprop_addrrange(fdt, 0, node, "reg", cur_b, cur_e - cur_b);
			if (err < 0)
				return err;
			if (listed++ < MAX_LISTED)
				lprintf(log, "fdt: memory: 0x%llx-0x%llx (%llu KiB)",
					(unsigned long long)cur_b, (unsigned long long)cur_e - 1,
					(unsigned long long)(cur_e - cur_b) >> 10);
			total += cur_e - cur_b;
			ranges++;
		}
		cur_b = b;
		cur_e = e;
	}
	if (node < 0) {
		lprintf(log, "fdt: memory: the UEFI memory map has no usable RAM");
		return -PLINTH_ENOENT;
	}
	if (listed > MAX_LISTED)
		lprintf(log, "fdt: memory: ... %u more range(s)", listed - MAX_LISTED);
	lprintf(log, "fdt: memory: %s: %u range(s), %llu MiB from the UEFI memory map", name, ranges,
		(unsigned long long)(total >> 20));
	ksnprintf(path, sizeof(path), "/%s", name);
	return tree_set_symbol(fdt, "memory", path);
}

static int add_reserved(void *fdt, int parent, uint32_t type, uint64_t b, uint64_t e,
			unsigned *listed, const struct plinth_log *log)
{
	char name[48];
	int node, err;

	ksnprintf(name, sizeof(name), "%s@%llx", reserved_name(type), (unsigned long long)b);
	node = fdt_add_subnode(fdt, parent, name);
	if (node == -FDT_ERR_EXISTS) {
		lprintf(log, "fdt: reserved-memory: %s already present, left as it is", name);
		return 0;
	}
	if (node < 0)
		return node;
	err = fdt_appendprop_addrrange(fdt, parent, node, "reg", b, e - b);
	if (err == 0)
		err = fdt_setprop_empty(fdt, node, "no-map");
	if (err < 0)
		return err;
	if ((*listed)++ < MAX_LISTED)
		lprintf(log, "fdt: reserved-memory: %s 0x%llx-0x%llx no-map (%s)", name,
			(unsigned long long)b, (unsigned long long)e - 1, mem_type_name(type));
	return 0;
}

static int write_reserved(void *fdt, const struct mem_desc *d, unsigned n,
			  const struct plinth_log *log)
{
	uint64_t cur_b = 0, cur_e = 0;
	uint32_t cur_t = 0;
	unsigned listed = 0;
	int parent = -1, err;

	for (unsigned i = 0; i <= n; i++) {
		uint64_t b = 0, e = 0;
		int last = i == n;

		if (!last && (classify(d[i].type) != CLASS_RESERVED || !desc_range(&d[i], &b, &e)))
			continue;
		/* Merge only neighbours of the same type: the name says the type. */
		if (!last && cur_e > cur_b && b == cur_e && d[i].type == cur_t) {
			cur_e = e;
			continue;
		}
		if (cur_e > cur_b) {
			if (parent < 0) {
				parent = tree_reserved_memory(fdt);
				if (parent < 0)
					return parent;
			}
			err = add_reserved(fdt, parent, cur_t, cur_b, cur_e, &listed, log);
			if (err < 0)
				return err;
		}
		cur_b = b;
		cur_e = e;
		cur_t = last ? 0 : d[i].type;
	}
	if (listed > MAX_LISTED)
		lprintf(log, "fdt: reserved-memory: ... %u more region(s)", listed - MAX_LISTED);
	if (listed == 0)
		lprintf(log, "fdt: reserved-memory: nothing in the UEFI memory map to preserve");
	return 0;
}

uint64_t memmap_reserved_sig(const struct mem_desc *d, unsigned n)
{
	uint64_t sig = 0, b, e;

	for (unsigned i = 0; i < n; i++) {
		if (classify(d[i].type) != CLASS_RESERVED || !desc_range(&d[i], &b, &e))
			continue;
		/* sum of b + 4096 k for k < pages, wrapping: additive over any
		 * split of the range. */
		uint64_t p = d[i].pages;
		uint64_t tri = (p & 1) ? p * ((p - 1) / 2) : (p / 2) * (p - 1);

		sig += (d[i].type + 1) * (p * b + (tri << PAGE_SHIFT));
	}
	return sig;
}

int tree_set_memory(void *fdt, const struct mem_desc *d, unsigned n,
		    const struct plinth_log *log)
{
	unsigned other = 0, bad = 0;
	uint64_t b, e;
	int err;

	for (unsigned i = 0; i < n; i++) {
		if (!desc_range(&d[i], &b, &e))
			bad++;
		else if (classify(d[i].type) == CLASS_NONE)
			other++;
	}
	if (bad)
		lprintf(log, "fdt: memory: %u descriptor(s) with 0 pages or past 2^64 ignored", bad);
	if (other)
		lprintf(log, "fdt: memory: %u descriptor(s) of MMIO/unusable/persistent/other types "
			"not described", other);
	err = drop_memory_nodes(fdt);
	if (err == 0)
		err = write_memory(fdt, d, n, log);
	if (err == 0)
		err = write_reserved(fdt, d, n, log);
	return err;
}
