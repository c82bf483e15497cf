/* Physical memory: ranges (pure, host-tested), the page allocator over
 * /memory minus every reservation, and kzalloc on top of it. */
#ifndef PLINTH_MM_H
#define PLINTH_MM_H
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull

struct range {
	uint64_t base, size;
};

/* A sorted, coalesced set of disjoint ranges in a caller-provided array. */
struct range_set {
	struct range *r;
	unsigned n, max;
};

int range_add(struct range_set *s, uint64_t base, uint64_t size);
int range_remove(struct range_set *s, uint64_t base, uint64_t size);
/* First-fit allocation of size bytes aligned to align (power of two):
 * removes it from the set; returns 0 and *out, or -PLINTH_ENOMEM. */
int range_alloc(struct range_set *s, uint64_t size, uint64_t align, uint64_t *out);
uint64_t range_total(const struct range_set *s);

/* Build the free set: /memory minus /memreserve/, /reserved-memory, and the
 * extra ranges given (kernel image, the tree). */
int pmm_init(const void *fdt, const struct range *extra, unsigned nextra);
/* npages of zeroed memory, 4 KiB aligned; NULL when exhausted. */
void *page_alloc(size_t npages);
void page_free(void *p, size_t npages);
/* For `mem`: the /memory ranges, the reserved ones, and what is free now. */
void pmm_dump(void);

#endif
