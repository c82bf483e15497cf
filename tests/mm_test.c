/* Host tests of kernel/core/mm.c: range_set operations (pure), pmm_init on
 * tests/trees/mm.dts (/memory, /memreserve/, /reserved-memory, extra
 * ranges), and page_alloc/page_free/kzalloc on a tree built at run time whose
 * /memory is a host buffer (physical = virtual, as in the kernel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/mm.h>
#include "host_env.h"

#define MiB (1ull << 20)

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- log ---\n%s\n", needle, text);
		fail();
	}
}

static void expect(const struct range_set *s, const struct range *want, unsigned n)
{
	if (s->n != n)
		fprintf(stderr, "have %u ranges, want %u\n", s->n, n);
	for (unsigned i = 0; i < s->n; i++)
		if (i >= n || s->r[i].base != want[i].base || s->r[i].size != want[i].size)
			fprintf(stderr, "  [%u] 0x%llx+0x%llx\n", i,
				(unsigned long long)s->r[i].base, (unsigned long long)s->r[i].size);
	assert_int_equal(s->n, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(s->r[i].base, want[i].base);
		assert_int_equal(s->r[i].size, want[i].size);
	}
}

/* ------------------------------------------------------------ range_set --- */

static void test_add_sorted_coalesced(void **state)
{
	struct range r[8];
	struct range_set s = { r, 0, 8 };
	(void)state;

	assert_int_equal(range_add(&s, 0x3000, 0x1000), 0);
	assert_int_equal(range_add(&s, 0x1000, 0x1000), 0);	/* before */
	assert_int_equal(range_add(&s, 0x8000, 0x1000), 0);	/* after */
	expect(&s, (struct range[]){ { 0x1000, 0x1000 }, { 0x3000, 0x1000 }, { 0x8000, 0x1000 } }, 3);
	assert_int_equal(range_add(&s, 0x2000, 0x1000), 0);	/* bridges two, touching both */
	expect(&s, (struct range[]){ { 0x1000, 0x3000 }, { 0x8000, 0x1000 } }, 2);
	assert_int_equal(range_add(&s, 0x1800, 0x100), 0);	/* inside: no change */
	expect(&s, (struct range[]){ { 0x1000, 0x3000 }, { 0x8000, 0x1000 } }, 2);
	assert_int_equal(range_add(&s, 0x3800, 0x5000), 0);	/* overlaps both ends */
	expect(&s, (struct range[]){ { 0x1000, 0x8000 } }, 1);
	assert_int_equal(range_add(&s, 0x0, 0x20000), 0);	/* swallows all */
	expect(&s, (struct range[]){ { 0x0, 0x20000 } }, 1);
	assert_int_equal(range_add(&s, 0x50000, 0), 0);		/* empty: no-op */
	assert_int_equal(s.n, 1);
	assert_int_equal(range_total(&s), 0x20000);
}

static void test_add_full_and_overflow(void **state)
{
	struct range r[3];
	struct range_set s = { r, 0, 3 };
	(void)state;

	for (int i = 0; i < 3; i++)
		assert_int_equal(range_add(&s, 0x10000 * (i + 1), 0x1000), 0);
	assert_int_equal(range_add(&s, 0x100000, 0x1000), -PLINTH_ENOMEM);
	assert_int_equal(s.n, 3);
	/* A merge needs no new slot even when full. */
	assert_int_equal(range_add(&s, 0x11000, 0xf000), 0);
	expect(&s, (struct range[]){ { 0x10000, 0x11000 }, { 0x30000, 0x1000 } }, 2);
	assert_int_equal(range_add(&s, UINT64_MAX - 0xfff, 0x1001), -PLINTH_ERANGE);
	assert_int_equal(range_remove(&s, UINT64_MAX, 2), -PLINTH_ERANGE);
	assert_int_equal(s.n, 2);
}

static void test_remove(void **state)
{
	struct range r[4];
	struct range_set s = { r, 0, 4 };
	(void)state;

	range_add(&s, 0x10000, 0x10000);
	range_add(&s, 0x30000, 0x10000);
	assert_int_equal(range_remove(&s, 0x14000, 0x1000), 0);	/* split */
	expect(&s, (struct range[]){ { 0x10000, 0x4000 }, { 0x15000, 0xb000 }, { 0x30000, 0x10000 } }, 3);
	assert_int_equal(range_remove(&s, 0x8000, 0x9000), 0);	/* trims the front */
	assert_int_equal(range_remove(&s, 0x3f000, 0x8000), 0);	/* trims the back */
	expect(&s, (struct range[]){ { 0x11000, 0x3000 }, { 0x15000, 0xb000 }, { 0x30000, 0xf000 } }, 3);
	assert_int_equal(range_remove(&s, 0x12000, 0x1f000), 0);	/* spans: trim, drop, trim */
	expect(&s, (struct range[]){ { 0x11000, 0x1000 }, { 0x31000, 0xe000 } }, 2);
	assert_int_equal(range_remove(&s, 0x0, 0x1000), 0);		/* nothing there */
	assert_int_equal(range_remove(&s, 0x0, 0x100000), 0);		/* everything */
	assert_int_equal(s.n, 0);
	assert_int_equal(range_total(&s), 0);
}

static void test_remove_split_when_full(void **state)
{
	struct range r[2];
	struct range_set s = { r, 0, 2 };
	(void)state;

	range_add(&s, 0x10000, 0x10000);
	range_add(&s, 0x30000, 0x10000);
	assert_int_equal(range_remove(&s, 0x14000, 0x1000), -PLINTH_ENOMEM);
	expect(&s, (struct range[]){ { 0x10000, 0x10000 }, { 0x30000, 0x10000 } }, 2);
}

static void test_alloc(void **state)
{
	struct range r[4];
	struct range_set s = { r, 0, 4 };
	uint64_t a;
	(void)state;

	range_add(&s, 0x1800, 0x800);		/* too small once aligned */
	range_add(&s, 0x10800, 0x10000);
	assert_int_equal(range_alloc(&s, 0x1000, 0x1000, &a), 0);
	assert_int_equal(a, 0x11000);		/* first fit, aligned up */
	expect(&s, (struct range[]){ { 0x1800, 0x800 }, { 0x10800, 0x800 }, { 0x12000, 0xe800 } }, 3);
	assert_int_equal(range_alloc(&s, 0x800, 0x800, &a), 0);
	assert_int_equal(a, 0x1800);		/* an exact fit consumes the range */
	expect(&s, (struct range[]){ { 0x10800, 0x800 }, { 0x12000, 0xe800 } }, 2);
	assert_int_equal(range_alloc(&s, 0x8000, 0x8000, &a), 0);
	assert_int_equal(a, 0x18000);
	assert_int_equal(range_alloc(&s, 0x100000, 0x1000, &a), -PLINTH_ENOMEM);
	assert_int_equal(range_alloc(&s, 0x1000, 0x3000, &a), -PLINTH_EINVAL);	/* not 2^n */
	assert_int_equal(range_alloc(&s, 0, 0x1000, &a), -PLINTH_EINVAL);
	assert_int_equal(range_alloc(&s, 0x1000, 0, &a), -PLINTH_EINVAL);
	assert_int_equal(range_total(&s), 0x800 + 0xe800 - 0x8000);
}

/* When the set is full, a block that would split a range is taken from a
 * later range where it does not. */
static void test_alloc_full_set(void **state)
{
	struct range r[2];
	struct range_set s = { r, 0, 2 };
	uint64_t a;
	(void)state;

	range_add(&s, 0x800, 0x4000);		/* aligned block would split it */
	range_add(&s, 0x10000, 0x2000);
	assert_int_equal(range_alloc(&s, 0x1000, 0x1000, &a), 0);
	assert_int_equal(a, 0x10000);
	expect(&s, (struct range[]){ { 0x800, 0x4000 }, { 0x11000, 0x1000 } }, 2);
}

/* --------------------------------------------------------------- pmm_init --- */

static void test_pmm_init_tree(void **state)
{
	void *fdt = host_read_file(host_tree_path("mm"), NULL);
	const struct range extra[] = {
		{ 0x40080000, 0x1ff800 },	/* "kernel": widened to a whole page */
		{ 0x44000000, 0x2345 },		/* "tree" */
	};
	const char *log;
	void *p;
	(void)state;

	host_log_clear();
	assert_int_equal(pmm_init(fdt, extra, 2), 0);
	log = host_log();
	/* 256 MiB (two touching reg entries) + 1 MiB above 4 GiB */
	assert_has(log, "mm: memory 263168 KiB in 2 range(s), 5 reservation(s)");
	assert_has(log, "pool: no reg");
	/* free = memory - reservations, page-aligned:
	 *   0x40010000-0x40080000, 0x40280000-0x44000000, 0x44003000-0x48000000,
	 *   0x48200000-0x4c000000, 0x4c002000-0x50000000, 0x100000000-0x100100000 */
	uint64_t want_free = 0x70000 + 0x3d80000 + 0x3ffd000 + 0x3e00000 + 0x3ffe000 + 0x100000;
	char want[96];
	snprintf(want, sizeof(want), "free %llu KiB in 6 range(s)", (unsigned long long)want_free >> 10);
	assert_has(log, want);

	host_log_clear();
	pmm_dump();
	log = host_log();
	assert_has(log, "0x0000000040000000-0x000000004fffffff   262144 KiB");
	assert_has(log, "0x0000000040000000-0x000000004000ffff       64 KiB  /memreserve/ #0");
	assert_has(log, "0x0000000048000000-0x00000000481fffff     2048 KiB  /reserved-memory firmware@48000000");
	assert_has(log, "/reserved-memory shared@4c000800");
	assert_has(log, "extra #0");
	assert_has(log, "extra #1");
	assert_has(log, "0x0000000040010000-0x000000004007ffff      448 KiB");
	assert_has(log, "0x0000000044003000-0x0000000047ffffff");
	assert_has(log, "0x000000004c002000-0x000000004fffffff");
	assert_has(log, "0x0000000100000000-0x00000001000fffff     1024 KiB");
	assert_has(log, "allocated since boot: 0 KiB");
	(void)p;
	free(fdt);
}

static void test_pmm_init_no_memory(void **state)
{
	char fdt[512];
	(void)state;

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	host_log_clear();
	assert_int_equal(pmm_init(fdt, NULL, 0), -PLINTH_ENOENT);
	assert_has(host_log(), "mm: no /memory node");
	assert_null(page_alloc(1));
}

/* ------------------------------------------- pages on a host "memory" --- */

#define ARENA_PAGES 16

static uint8_t *arena;

/* A tree whose /memory is the host arena, with its first page in
 * /memreserve/ and its second page given as an extra range. */
static void *arena_tree(void)
{
	static char fdt[1024];
	uint64_t base = (uintptr_t)arena;
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(ARENA_PAGES * PAGE_SIZE) };
	int node;

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
	assert_int_equal(fdt_add_mem_rsv(fdt, base, PAGE_SIZE), 0);
	node = fdt_add_subnode(fdt, 0, "memory");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(fdt, node, "device_type", "memory"), 0);
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	return fdt;
}

static int arena_setup(void **state)
{
	struct range extra = { 0, PAGE_SIZE };
	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
	if (!arena)
		return -1;
	memset(arena, 0xa5, ARENA_PAGES * PAGE_SIZE);
	extra.base = (uintptr_t)arena + PAGE_SIZE;
	return pmm_init(arena_tree(), &extra, 1);
}

static int arena_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_page_alloc_free(void **state)
{
	uint8_t *a, *b, *c;
	(void)state;

	a = page_alloc(1);
	assert_ptr_equal(a, arena + 2 * PAGE_SIZE);	/* pages 0, 1 reserved */
	assert_true(all_zero(a, PAGE_SIZE));
	b = page_alloc(3);
	assert_ptr_equal(b, arena + 3 * PAGE_SIZE);
	assert_true(all_zero(b, 3 * PAGE_SIZE));
	memset(a, 0xff, PAGE_SIZE);
	page_free(a, 1);
	c = page_alloc(1);
	assert_ptr_equal(c, a);				/* reused, and zeroed again */
	assert_true(all_zero(c, PAGE_SIZE));

	host_log_clear();
	page_free(arena, 1);				/* reserved, never allocated... */
	page_free(b + 1, 1);				/* ...unaligned... */
	page_free(arena + 20 * PAGE_SIZE, 1);		/* ...outside memory */
	assert_has(host_log(), "not an allocated block");
	page_free(c, 1);
	host_log_clear();
	page_free(c, 1);				/* double free */
	assert_has(host_log(), "not an allocated block");

	host_log_clear();
	assert_null(page_alloc(ARENA_PAGES));		/* more than there is */
	assert_has(host_log(), "mm: page_alloc(16): ");
	assert_has(host_log(), "ENOMEM, 48 KiB free");
	assert_null(page_alloc(0));
	page_free(b, 3);
}

static void test_kzalloc(void **state)
{
	uint8_t *p[4];
	(void)state;

	p[0] = kzalloc(1);
	p[1] = kzalloc(24);
	p[2] = kzalloc(PAGE_SIZE * 2);			/* bigger than what is left */
	p[3] = kzalloc(16);
	for (int i = 0; i < 4; i++) {
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(p[i] >= arena + 2 * PAGE_SIZE && p[i] < arena + ARENA_PAGES * PAGE_SIZE);
	}
	assert_ptr_equal(p[1], p[0] + 16);
	assert_ptr_equal(p[3], p[2] + PAGE_SIZE * 2);
	assert_true(all_zero(p[2], PAGE_SIZE * 2));
	/* Exhaust the arena: kzalloc returns NULL and says why. */
	host_log_clear();
	void *q;
	int n = 0;
	while ((q = kzalloc(PAGE_SIZE)) != NULL)
		assert_true(++n < ARENA_PAGES);
	assert_has(host_log(), "mm: kzalloc(4096): out of memory");
}

int main(void)
{
	const struct CMUnitTest ranges[] = {
		cmocka_unit_test(test_add_sorted_coalesced),
		cmocka_unit_test(test_add_full_and_overflow),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_remove_split_when_full),
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_alloc_full_set),
		cmocka_unit_test(test_pmm_init_tree),
		cmocka_unit_test(test_pmm_init_no_memory),
	};
	const struct CMUnitTest pages[] = {
		cmocka_unit_test(test_page_alloc_free),
		cmocka_unit_test(test_kzalloc),
	};
	int failed = cmocka_run_group_tests_name("ranges", ranges, NULL, NULL);
	return failed + cmocka_run_group_tests_name("pages", pages, arena_setup, arena_teardown);
}
