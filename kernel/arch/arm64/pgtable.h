/* Stage 1 translation tables, 4 KiB granule (ARM ARM D8.3). Pure logic: the
 * tables are plain memory, an identity "physical = pointer" convention, and
 * the only hardware effect (TLB maintenance for break-before-make) goes
 * through a hook, so the builder runs in host tests too (PLINTH_HOST). */
#ifndef PLINTH_ARM64_PGTABLE_H
#define PLINTH_ARM64_PGTABLE_H
#include <stdint.h>

/* MAIR_EL1 attribute indexes (mmu.c programs MAIR to match). */
#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MT_NORMAL_NC	2

#define PTE_VALID	(1ull << 0)
#define PTE_TABLE	(1ull << 1)	/* table (L0-L2) or page (L3); clear: block */
#define PTE_ATTRIDX(i)	((uint64_t)(i) << 2)
#define PTE_SH_INNER	(3ull << 8)
#define PTE_AF		(1ull << 10)
#define PTE_NG		(1ull << 11)	/* ASID-tagged: lets mmu_init switch tables without TLB conflicts */
#define PTE_PXN		(1ull << 53)
#define PTE_UXN		(1ull << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000ull
#define PTE_ATTR_MASK	(~PTE_ADDR_MASK & ~3ull)

#define PGT_NORMAL	(PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_UXN)
#define PGT_NORMAL_NC	(PTE_ATTRIDX(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_UXN | PTE_PXN)
#define PGT_DEVICE	(PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_NG | PTE_UXN | PTE_PXN)

#define PGT_PAGE	4096ull
#define PGT_ENTRIES	512

struct pgt {
	uint64_t *root;
	unsigned va_bits;	/* 32..48; addresses at or above 1 << va_bits are refused */
	unsigned start_level;	/* 0 when va_bits > 39, else 1 */
	/* One zeroed, 4 KiB aligned page for a new table, or NULL. */
	void *(*alloc)(void *ctx);
	/* After an entry of live tables was made invalid (break-before-make):
	 * make that visible and invalidate the TLB. NULL for tables not in use. */
	void (*flush)(void *ctx, uint64_t va);
	void *ctx;
	unsigned tables;	/* table pages allocated so far */
};

/* Start level for a VA size (D8.2.6: 4 KiB granule, 48 bits -> level 0). */
unsigned pgt_start_level(unsigned va_bits);

/* Allocates the root table. 0 or -PLINTH_ENOMEM. */
int pgt_init(struct pgt *p, unsigned va_bits);

/* Map [va, va + size) to pa with attrs (PGT_*), the largest blocks that fit
 * (1 GiB, 2 MiB, 4 KiB). All three 4 KiB aligned. Entries already mapping
 * the same addresses with the same attributes are kept (idempotent). A
 * different existing mapping is an error (-PLINTH_EINVAL) unless `replace`:
 * then it is replaced with break-before-make, blocks split as needed.
 * Returns the number of entries replaced (>= 0) or a negative code. */
int pgt_map(struct pgt *p, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, int replace);

/* Unmap [va, va + size) (4 KiB aligned), page by page, splitting blocks
 * with break-before-make so the rest of a block stays mapped: guard pages.
 * Returns how many pages were mapped before (>= 0) or a negative code
 * (-PLINTH_ENOMEM when a split finds no table page). */
int pgt_unmap(struct pgt *p, uint64_t va, uint64_t size);

/* Walk va: 0 with *pa, *attrs and the level of the leaf, or -PLINTH_ENOENT. */
int pgt_lookup(const struct pgt *p, uint64_t va, uint64_t *pa, uint64_t *attrs, unsigned *level);

#endif
