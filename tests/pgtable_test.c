/* Host tests of kernel/arch/arm64/pgtable.c: block sizes chosen, idempotent
 * remaps, conflicts, break-before-make splits, range checks, allocation
 * failure, unmapping single pages (guard pages). Tables are host memory; "physical" = pointer, as in the kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <plinth/err.h>
#include "../kernel/arch/arm64/pgtable.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct arena {
	void *pages[64];
	unsigned used, limit;
	unsigned flushes;
};

static void *arena_alloc(void *ctx)
{
	struct arena *a = ctx;
	void *p;

	if (a->used == a->limit)
		return NULL;
	p = aligned_alloc(4096, 4096);
	memset(p, 0xa5, 4096);	/* the builder must clear it */
	a->pages[a->used++] = p;
	return p;
}

static void arena_flush(void *ctx, uint64_t va)
{
	(void)va;
	((struct arena *)ctx)->flushes++;
}

static struct pgt *new_pgt(struct arena *a, unsigned va_bits, unsigned limit)
{
	static struct pgt p;

	memset(a, 0, sizeof(*a));
	a->limit = limit;
	memset(&p, 0, sizeof(p));
	p.alloc = arena_alloc;
	p.flush = arena_flush;
	p.ctx = a;
	assert_int_equal(pgt_init(&p, va_bits), 0);
	return &p;
}

static void free_arena(struct arena *a)
{
	for (unsigned i = 0; i < a->used; i++)
		free(a->pages[i]);
}

static void expect_leaf(struct pgt *p, uint64_t va, uint64_t pa, uint64_t attrs, unsigned level)
{
	uint64_t got_pa, got_attrs;
	unsigned got_level;

	assert_int_equal(pgt_lookup(p, va, &got_pa, &got_attrs, &got_level), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_attrs, attrs);
	assert_int_equal(got_level, level);
}

static void largest_blocks(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 44, 64);

	(void)state;
	assert_int_equal(p->start_level, 0);
	/* 1 GiB aligned: one level 1 block. */
	assert_int_equal(pgt_map(p, 1 * GiB, 1 * GiB, 1 * GiB, PGT_NORMAL, 0), 0);
	expect_leaf(p, 1 * GiB + 12345, 1 * GiB + 12345, PGT_NORMAL, 1);
	assert_int_equal(p->tables, 2);		/* L0 + L1 */
	/* 2 MiB aligned, 6 MiB: level 2 blocks. */
	assert_int_equal(pgt_map(p, 2 * GiB, 2 * GiB, 6 * MiB, PGT_NORMAL, 0), 0);
	expect_leaf(p, 2 * GiB + 5 * MiB, 2 * GiB + 5 * MiB, PGT_NORMAL, 2);
	/* Unaligned edges: pages, blocks in the middle. */
	assert_int_equal(pgt_map(p, 3 * GiB - 8 * KiB, 3 * GiB - 8 * KiB, 2 * MiB + 16 * KiB,
				 PGT_DEVICE, 0), 0);
	expect_leaf(p, 3 * GiB - 4 * KiB, 3 * GiB - 4 * KiB, PGT_DEVICE, 3);
	expect_leaf(p, 3 * GiB + 1 * MiB, 3 * GiB + 1 * MiB, PGT_DEVICE, 2);
	expect_leaf(p, 3 * GiB + 2 * MiB + 4 * KiB, 3 * GiB + 2 * MiB + 4 * KiB, PGT_DEVICE, 3);
	assert_int_equal(pgt_lookup(p, 3 * GiB + 2 * MiB + 8 * KiB, &(uint64_t){ 0 },
				    &(uint64_t){ 0 }, &(unsigned){ 0 }), -PLINTH_ENOENT);
	/* A 64-bit window (ECAM at 0x40_1000_0000). */
	assert_int_equal(pgt_map(p, 0x4010000000ull, 0x4010000000ull, 256 * MiB, PGT_DEVICE, 0), 0);
	expect_leaf(p, 0x4010000000ull + 0x8000, 0x4010000000ull + 0x8000, PGT_DEVICE, 2);
	assert_int_equal(a.flushes, 0);
	free_arena(&a);
}

static void idempotent_and_conflicts(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 40, 64);
	unsigned tables;

	(void)state;
	assert_int_equal(pgt_map(p, 0x40000000, 0x40000000, 512 * MiB, PGT_NORMAL, 0), 0);
	tables = p->tables;
	/* The image inside /memory, mapped again by pages: nothing changes. */
	assert_int_equal(pgt_map(p, 0x40201000, 0x40201000, 0x5a000, PGT_NORMAL, 0), 0);
	assert_int_equal(p->tables, tables);
	expect_leaf(p, 0x40201000, 0x40201000, PGT_NORMAL, 2);
	/* Different attributes without replace: refused, nothing written. */
	assert_int_equal(pgt_map(p, 0x40400000, 0x40400000, 4 * KiB, PGT_DEVICE, 0), -PLINTH_EINVAL);
	expect_leaf(p, 0x40400000, 0x40400000, PGT_NORMAL, 2);
	/* Another output address is a conflict too. */
	assert_int_equal(pgt_map(p, 0x40400000, 0x80400000, 2 * MiB, PGT_NORMAL, 0), -PLINTH_EINVAL);
	free_arena(&a);
}

static void split_with_bbm(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 48, 64);

	(void)state;
	assert_int_equal(pgt_map(p, 0, 0, 1 * GiB, PGT_NORMAL, 0), 0);
	/* One device page inside a 1 GiB block: L1 block -> L2 table ->
	 * L3 table, each split flushed, then the page replaced. */
	assert_int_equal(pgt_map(p, 0x09000000, 0x09000000, 4 * KiB, PGT_DEVICE, 1), 1);
	assert_int_equal(a.flushes, 3);
	expect_leaf(p, 0x09000000, 0x09000000, PGT_DEVICE, 3);
	expect_leaf(p, 0x09001000, 0x09001000, PGT_NORMAL, 3);
	expect_leaf(p, 0x08fff000, 0x08fff000, PGT_NORMAL, 2);
	expect_leaf(p, 0x09200000, 0x09200000, PGT_NORMAL, 2);
	expect_leaf(p, 0x3fe00000, 0x3fe00000, PGT_NORMAL, 2);
	/* Again: already device, nothing to replace. */
	assert_int_equal(pgt_map(p, 0x09000000, 0x09000000, 4 * KiB, PGT_DEVICE, 1), 0);
	assert_int_equal(a.flushes, 3);
	free_arena(&a);
}

static void bad_arguments(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 36, 64);

	(void)state;
	assert_int_equal(p->start_level, 1);
	assert_int_equal(pgt_map(p, 0x1000, 0x1000, 0x800, PGT_NORMAL, 0), -PLINTH_EINVAL);
	assert_int_equal(pgt_map(p, 0x1800, 0x1800, 0x1000, PGT_NORMAL, 0), -PLINTH_EINVAL);
	assert_int_equal(pgt_map(p, 1ull << 36, 1ull << 36, 0x1000, PGT_NORMAL, 0), -PLINTH_ERANGE);
	assert_int_equal(pgt_map(p, (1ull << 36) - 0x1000, (1ull << 36) - 0x1000, 0x2000,
				 PGT_NORMAL, 0), -PLINTH_ERANGE);
	assert_int_equal(pgt_map(p, 0xfffffffffffff000ull, 0, 0x2000, PGT_NORMAL, 0), -PLINTH_ERANGE);
	assert_int_equal(pgt_map(p, (1ull << 36) - 1 * GiB, (1ull << 36) - 1 * GiB, 1 * GiB,
				 PGT_NORMAL, 0), 0);
	expect_leaf(p, (1ull << 36) - 4096, (1ull << 36) - 4096, PGT_NORMAL, 1);
	assert_int_equal(pgt_map(p, 0, 0, 0, PGT_NORMAL, 0), 0);
	free_arena(&a);
}

static void out_of_tables(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 48, 3);

	(void)state;
	/* Root + L1 + L2 fit; the L3 table for the unaligned tail does not. */
	assert_int_equal(pgt_map(p, 0x40000000, 0x40000000, 2 * MiB + 4 * KiB, PGT_NORMAL, 0),
			 -PLINTH_ENOMEM);
	free_arena(&a);
}

/* Guard pages: one page out of a 1 GiB block, the rest of the block
 * still mapped; remapping it later (a freed stack) works. */
static void unmap_guard_page(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 48, 64);
	uint64_t pa, attrs;
	unsigned level;

	(void)state;
	assert_int_equal(pgt_map(p, 0x40000000, 0x40000000, 1 * GiB, PGT_NORMAL, 0), 0);
	assert_int_equal(pgt_unmap(p, 0x40123000, 4 * KiB), 1);
	assert_int_equal(a.flushes, 3);		/* two splits, then the page */
	assert_int_equal(pgt_lookup(p, 0x40123000, &pa, &attrs, &level), -PLINTH_ENOENT);
	assert_int_equal(pgt_lookup(p, 0x40123fff, &pa, &attrs, &level), -PLINTH_ENOENT);
	expect_leaf(p, 0x40122000, 0x40122000, PGT_NORMAL, 3);
	expect_leaf(p, 0x40124000, 0x40124000, PGT_NORMAL, 3);
	expect_leaf(p, 0x40400000, 0x40400000, PGT_NORMAL, 2);
	/* Already unmapped, and never mapped: nothing to do. */
	assert_int_equal(pgt_unmap(p, 0x40123000, 4 * KiB), 0);
	assert_int_equal(pgt_unmap(p, 0x90000000, 8 * KiB), 0);
	/* Remapped: an empty slot takes the page without `replace`. */
	assert_int_equal(pgt_map(p, 0x40123000, 0x40123000, 4 * KiB, PGT_NORMAL, 0), 0);
	expect_leaf(p, 0x40123000, 0x40123000, PGT_NORMAL, 3);
	assert_int_equal(pgt_unmap(p, 0x40123800, 4 * KiB), -PLINTH_EINVAL);
	assert_int_equal(pgt_unmap(p, 1ull << 48, 4 * KiB), -PLINTH_ERANGE);
	free_arena(&a);
}

static void unmap_without_tables(void **state)
{
	struct arena a;
	struct pgt *p = new_pgt(&a, 48, 3);

	(void)state;
	assert_int_equal(pgt_map(p, 0x40000000, 0x40000000, 2 * MiB, PGT_NORMAL, 0), 0);
	/* Splitting the 2 MiB block needs a fourth table page. */
	assert_int_equal(pgt_unmap(p, 0x40001000, 4 * KiB), -PLINTH_ENOMEM);
	expect_leaf(p, 0x40001000, 0x40001000, PGT_NORMAL, 2);
	free_arena(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(largest_blocks),
		cmocka_unit_test(idempotent_and_conflicts),
		cmocka_unit_test(split_with_bbm),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(out_of_tables),
		cmocka_unit_test(unmap_guard_page),
		cmocka_unit_test(unmap_without_tables),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
