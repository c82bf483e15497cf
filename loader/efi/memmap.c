/* The UEFI memory map (loader.h): sorting, lookups, and what each type
 * becomes in the tree.
 *
 * UEFI 2.10 section 7.2, table 7.10 says which types the OS owns after
 * ExitBootServices: Conventional, Loader code/data and Boot Services
 * code/data are free for it (the kernel, the tree and this log are loader
 * data, so they sit inside /memory and are protected by /memreserve/ and
 * /reserved-memory instead). Runtime Services code/data, ACPI reclaim and
 * NVS and Reserved must be preserved: they become /reserved-memory children
 * with no-map (final_tree.c). MMIO, unusable and persistent memory are
 * neither. */
#include <string.h>
#include <plinth/err.h>
#include "loader.h"

#define PAGE_SHIFT 12

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

enum mem_class memmap_class(uint32_t type)
{
	switch (type) {
	case MEM_CONVENTIONAL:
	case MEM_LOADER_CODE:
	case MEM_LOADER_DATA:
	case MEM_BS_CODE:
	case MEM_BS_DATA:
		return MEM_CLASS_RAM;
	case MEM_RT_CODE:
	case MEM_RT_DATA:
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS:
	case MEM_RESERVED:
		return MEM_CLASS_PRESERVE;
	default:
		return MEM_CLASS_NONE;
	}
}

int memmap_next_run(const struct mem_desc *d, unsigned n, unsigned *i, enum mem_class cls,
		    struct mem_run *r)
{
	int have = 0;

	for (; *i < n; ++*i) {
		uint64_t b, e;

		if (memmap_class(d[*i].type) != cls || !desc_range(&d[*i], &b, &e))
			continue;
		if (!have) {
			*r = (struct mem_run){ b, e, d[*i].type };
			have = 1;
		} else if (cls == MEM_CLASS_RAM ? b <= r->end
						: b == r->end && d[*i].type == r->type) {
			r->end = e > r->end ? e : r->end;
		} else {
			break;
		}
	}
	return have;
}

void memmap_count_unused(const struct mem_desc *d, unsigned n, unsigned *bad, unsigned *other)
{
	uint64_t b, e;

	*bad = *other = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!desc_range(&d[i], &b, &e))
			++*bad;
		else if (memmap_class(d[i].type) == MEM_CLASS_NONE)
			++*other;
	}
}

uint64_t memmap_reserved_sig(const struct mem_desc *d, unsigned n)
{
	uint64_t sig = 0, b, e;

	for (unsigned i = 0; i < n; i++) {
		if (memmap_class(d[i].type) != MEM_CLASS_PRESERVE || !desc_range(&d[i], &b, &e))
			continue;
		/* sum of b + 4096 k for k < pages, wrapping: additive over any
		 * split of the range. */
		uint64_t p = d[i].pages;
		uint64_t tri = (p & 1) ? p * ((p - 1) / 2) : (p / 2) * (p - 1);

		sig += (d[i].type + 1) * (p * b + (tri << PAGE_SHIFT));
	}
	return sig;
}
