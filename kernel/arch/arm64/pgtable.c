/* Translation table builder (see pgtable.h). */
#include <stddef.h>
#include "plinth/err.h"
#include "pgtable.h"

static inline unsigned level_shift(unsigned level)
{
	return 39 - 9 * level;
}

static inline uint64_t *table_of(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & PTE_ADDR_MASK);
}

static inline int is_table(uint64_t desc, unsigned level)
{
	return level < 3 && (desc & 3) == (PTE_VALID | PTE_TABLE);
}

/* A leaf (block or page) descriptor for level. */
static inline uint64_t leaf(uint64_t pa, uint64_t attrs, unsigned level)
{
	return (pa & PTE_ADDR_MASK) | (attrs & PTE_ATTR_MASK) | PTE_VALID |
	       (level == 3 ? PTE_TABLE : 0);
}

unsigned pgt_start_level(unsigned va_bits)
{
	return va_bits > 39 ? 0 : 1;
}

static uint64_t *new_table(struct pgt *p)
{
	uint64_t *t = p->alloc(p->ctx);

	if (!t)
		return NULL;
	for (unsigned i = 0; i < PGT_ENTRIES; i++)
		t[i] = 0;
	p->tables++;
	return t;
}

int pgt_init(struct pgt *p, unsigned va_bits)
{
	p->va_bits = va_bits;
	p->start_level = pgt_start_level(va_bits);
	p->tables = 0;
	p->root = new_table(p);
	return p->root ? 0 : -PLINTH_ENOMEM;
}

/* Break-before-make (ARM ARM D8.14.1): invalid first, TLB flushed, then the
 * new descriptor. For tables not yet in use the hook is absent. */
static void replace_entry(struct pgt *p, uint64_t *slot, uint64_t desc, uint64_t va)
{
	*slot = 0;
	if (p->flush)
		p->flush(p->ctx, va);
	*slot = desc;
}

/* Turn the block in *slot (level) into a table of next-level entries with
 * the same output and attributes. */
static int split_block(struct pgt *p, uint64_t *slot, unsigned level, uint64_t va)
{
	uint64_t block = *slot, step = 1ull << level_shift(level + 1);
	uint64_t base = block & PTE_ADDR_MASK, attrs = block & PTE_ATTR_MASK;
	uint64_t *t = new_table(p);

	if (!t)
		return -PLINTH_ENOMEM;
	for (unsigned i = 0; i < PGT_ENTRIES; i++)
		t[i] = leaf(base + i * step, attrs, level + 1);
	replace_entry(p, slot, (uint64_t)(uintptr_t)t | PTE_VALID | PTE_TABLE, va);
	return 0;
}

static int map_level(struct pgt *p, uint64_t *table, unsigned level, uint64_t va,
		     uint64_t pa, uint64_t size, uint64_t attrs, int replace)
{
	unsigned shift = level_shift(level);
	uint64_t blk = 1ull << shift;
	int changed = 0;

	while (size) {
		uint64_t entry_va = va & ~(blk - 1);
		uint64_t chunk = entry_va + blk - va;
		uint64_t *slot = &table[(va >> shift) & (PGT_ENTRIES - 1)];
		uint64_t want = leaf(pa, attrs, level);
		int r;

		if (chunk > size)
			chunk = size;
		/* Level 0 cannot hold blocks with a 4 KiB granule. */
		int fits = level > 0 && chunk == blk && (pa & (blk - 1)) == 0;

		if (!(*slot & PTE_VALID)) {
			if (fits) {
				*slot = want;
			} else {
				uint64_t *t = new_table(p);

				if (!t)
					return -PLINTH_ENOMEM;
				*slot = (uint64_t)(uintptr_t)t | PTE_VALID | PTE_TABLE;
				r = map_level(p, t, level + 1, va, pa, chunk, attrs, replace);
				if (r < 0)
					return r;
				changed += r;
			}
		} else if (is_table(*slot, level)) {
			r = map_level(p, table_of(*slot), level + 1, va, pa, chunk, attrs, replace);
			if (r < 0)
				return r;
			changed += r;
		} else {
			/* An existing block or page. Same output and attributes
			 * over our chunk: nothing to do. */
			uint64_t out = (*slot & PTE_ADDR_MASK) + (va - entry_va);

			if (out == pa && (*slot & PTE_ATTR_MASK) == (attrs & PTE_ATTR_MASK)) {
				/* covered */
			} else if (!replace) {
				return -PLINTH_EINVAL;
			} else if (fits || level == 3) {
				replace_entry(p, slot, want, va);
				changed++;
			} else {
				r = split_block(p, slot, level, va);
				if (r < 0)
					return r;
				r = map_level(p, table_of(*slot), level + 1, va, pa, chunk,
					      attrs, replace);
				if (r < 0)
					return r;
				changed += r;
			}
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return changed;
}

int pgt_map(struct pgt *p, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, int replace)
{
	uint64_t limit = 1ull << p->va_bits;

	if ((va | pa | size) & (PGT_PAGE - 1))
		return -PLINTH_EINVAL;
	if (size == 0)
		return 0;
	if (va >= limit || size > limit - va || pa >= limit || size > limit - pa)
		return -PLINTH_ERANGE;
	return map_level(p, p->root, p->start_level, va, pa, size, attrs, replace);
}

/* Make the page at va invalid: blocks on the way down are split so only
 * that page goes. 1 when it was mapped, 0 when it was not. */
static int unmap_page(struct pgt *p, uint64_t va)
{
	uint64_t *table = p->root;

	for (unsigned l = p->start_level; l <= 3; l++) {
		uint64_t *slot = &table[(va >> level_shift(l)) & (PGT_ENTRIES - 1)];
		int r;

		if (!(*slot & PTE_VALID))
			return 0;
		if (l == 3) {
			replace_entry(p, slot, 0, va);
			return 1;
		}
		if (!is_table(*slot, l) && (r = split_block(p, slot, l, va)) < 0)
			return r;
		table = table_of(*slot);
	}
	return 0;
}

int pgt_unmap(struct pgt *p, uint64_t va, uint64_t size)
{
	uint64_t limit = 1ull << p->va_bits;
	int n = 0;

	if ((va | size) & (PGT_PAGE - 1))
		return -PLINTH_EINVAL;
	if (va >= limit || size > limit - va)
		return -PLINTH_ERANGE;
	for (uint64_t off = 0; off < size; off += PGT_PAGE) {
		int r = unmap_page(p, va + off);

		if (r < 0)
			return r;
		n += r;
	}
	return n;
}

int pgt_lookup(const struct pgt *p, uint64_t va, uint64_t *pa, uint64_t *attrs, unsigned *level)
{
	const uint64_t *table = p->root;

	if (va >> p->va_bits)
		return -PLINTH_ENOENT;
	for (unsigned l = p->start_level; l <= 3; l++) {
		uint64_t shift = level_shift(l), d = table[(va >> shift) & (PGT_ENTRIES - 1)];

		if (!(d & PTE_VALID))
			return -PLINTH_ENOENT;
		if (is_table(d, l)) {
			table = table_of(d);
			continue;
		}
		if (l == 0)
			return -PLINTH_ENOENT;	/* a level 0 block is not valid here */
		*pa = (d & PTE_ADDR_MASK) + (va & ((1ull << shift) - 1));
		*attrs = d & PTE_ATTR_MASK;
		*level = l;
		return 0;
	}
	return -PLINTH_ENOENT;
}
