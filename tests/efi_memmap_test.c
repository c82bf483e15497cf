/* Host tests of loader/efi_memmap.c: sorting, bounds for ACPI tables, Image
 * placement search, /memory and /reserved-memory from a UEFI map shaped
 * like AAVMF's, and the reserved-region signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "efi/loader.h"
#include "efi_test_log.h"

/* Deliberately unsorted, with descriptors to merge and to leave out. */
static const struct mem_desc aavmf_like[] = {
	{ MEM_CONVENTIONAL, 0x40240000, 0x1c0 },
	{ MEM_MMIO, 0x04000000, 0x4000 },
	{ MEM_LOADER_DATA, 0x40100000, 0x10 },
	{ MEM_BS_DATA, 0x40110000, 0xf0 },
	{ MEM_ACPI_RECLAIM, 0x40200000, 0x10 },
	{ MEM_RT_CODE, 0x40210000, 0x10 },
	{ MEM_RT_CODE, 0x40220000, 0x10 },
	{ MEM_RT_DATA, 0x40230000, 0x10 },
	{ MEM_CONVENTIONAL, 0x40000000, 0x100 },
	{ MEM_BS_CODE, 0x40400000, 0x100 },
	{ MEM_PERSISTENT, 0x80000000, 0x100 },
};
#define N (sizeof(aavmf_like) / sizeof(aavmf_like[0]))

static void sorted(struct mem_desc *d)
{
	memcpy(d, aavmf_like, sizeof(aavmf_like));
	memmap_sort(d, N);
}

static void *empty_tree(char *buf, int size)
{
	assert_int_equal(fdt_create_empty_tree(buf, size), 0);
	assert_int_equal(fdt_setprop_u32(buf, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(buf, 0, "#size-cells", 2), 0);
	return buf;
}

static void test_sort_and_avail(void **state)
{
	struct mem_desc d[N];

	(void)state;
	sorted(d);
	for (unsigned i = 1; i < N; i++)
		assert_true(d[i - 1].base <= d[i].base);
	assert_int_equal(d[0].base, 0x04000000);
	/* From an ACPI table to the end of its run of contiguous descriptors. */
	assert_int_equal(memmap_avail(d, N, 0x40205000), 0x40500000 - 0x40205000);
	assert_int_equal(memmap_avail(d, N, 0x40000000), 0x40500000 - 0x40000000);
	assert_int_equal(memmap_avail(d, N, 0x30000000), 0);	/* not in the map */
	assert_int_equal(memmap_avail(d, N, 0x80000fff), 0x100000 - 0xfff);
}

static void test_find_free(void **state)
{
	struct mem_desc d[N];
	uint64_t base = 1;

	(void)state;
	sorted(d);
	assert_int_equal(memmap_find_free(d, N, 0x100000, SZ_2M, 0, &base), 0);
	assert_int_equal(base, 0x40000000);
	/* 2 MiB aligned, 2 MiB long: nothing (the second run starts unaligned). */
	assert_int_equal(memmap_find_free(d, N, SZ_2M, SZ_2M, 0, &base), -PLINTH_ENOMEM);
	assert_int_equal(memmap_find_free(d, N, 0x10000, SZ_4K, 0x40000001, &base), 0);
	assert_int_equal(base, 0x40001000);
	assert_int_equal(memmap_find_free(d, N, 0x100000, SZ_4K, 0x40100000, &base), 0);
	assert_int_equal(base, 0x40240000);

	/* RAM at address 0 is a valid answer, not "none". */
	struct mem_desc low[] = { { MEM_CONVENTIONAL, 0, 0x200 }, { MEM_CONVENTIONAL, 0x200000, 0x200 } };

	assert_int_equal(memmap_find_free(low, 2, 0x400000, SZ_2M, 0, &base), 0);
	assert_int_equal(base, 0);
}

static void check_reg(const void *fdt, const char *path, const uint64_t *want, int n)
{
	int node = fdt_path_offset(fdt, path), len;
	const fdt64_t *reg;

	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, n * 8);
	for (int i = 0; i < n; i++)
		assert_int_equal(fdt64_ld(&reg[i]), want[i]);	/* reg is 4-byte aligned */
}

static void test_tree_memory(void **state)
{
	static char buf[8192];
	struct mem_desc d[N];
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	void *fdt = empty_tree(buf, sizeof(buf));
	int len;

	(void)state;
	sorted(d);
	/* A stale /memory (e.g. a board's) is replaced, not added to. */
	int old = fdt_add_subnode(fdt, 0, "memory@0");

	assert_true(old >= 0);
	assert_int_equal(fdt_setprop_string(fdt, old, "device_type", "memory"), 0);

	assert_int_equal(tree_set_memory(fdt, d, N, &log), 0);
	assert_true(fdt_path_offset(fdt, "/memory@0") < 0);
	const uint64_t mem[] = { 0x40000000, 0x200000, 0x40240000, 0x2c0000 };

	check_reg(fdt, "/memory@40000000", mem, 4);
	const uint64_t acpi[] = { 0x40200000, 0x10000 };
	const uint64_t rtc[] = { 0x40210000, 0x20000 };	/* two RT code descriptors, merged */
	const uint64_t rtd[] = { 0x40230000, 0x10000 };

	check_reg(fdt, "/reserved-memory/acpi-reclaim@40200000", acpi, 2);
	check_reg(fdt, "/reserved-memory/runtime-code@40210000", rtc, 2);
	check_reg(fdt, "/reserved-memory/runtime-data@40230000", rtd, 2);
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/reserved-memory/runtime-data@40230000"),
				    "no-map", &len));
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/__symbols__"), "memory", &len),
			    "/memory@40000000");
	assert_true(captured_has(&cap, "fdt: memory: 0x40000000-0x401fffff (2048 KiB)"));
	assert_true(captured_has(&cap, "fdt: memory: memory@40000000: 2 range(s), 4 MiB"));
	assert_true(captured_has(&cap, "2 descriptor(s) of MMIO/unusable/persistent/other types"));
	assert_true(captured_has(&cap, "runtime-code@40210000 0x40210000-0x4022ffff no-map (RuntimeServicesCode)"));
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
}

static void test_tree_memory_bad(void **state)
{
	static char buf[4096];
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	void *fdt = empty_tree(buf, sizeof(buf));
	const struct mem_desc none[] = {
		{ MEM_RT_DATA, 0x1000, 1 },
		{ MEM_CONVENTIONAL, 0xfffffffffffff000ull, 2 },	/* past 2^64 */
		{ MEM_CONVENTIONAL, 0x2000, 0 },		/* 0 pages */
	};

	(void)state;
	assert_int_equal(tree_set_memory(fdt, none, 3, &log), -PLINTH_ENOENT);
	assert_true(captured_has(&cap, "2 descriptor(s) with 0 pages or past 2^64 ignored"));
	assert_true(captured_has(&cap, "the UEFI memory map has no usable RAM"));

	/* A tree too small: NOSPACE passes up for the caller to grow. */
	static char tiny[256];
	struct mem_desc d[N];

	sorted(d);
	fdt = empty_tree(tiny, sizeof(tiny));
	assert_int_equal(tree_set_memory(fdt, d, N, &log), -FDT_ERR_NOSPACE);
}

static void test_reserved_sig(void **state)
{
	struct mem_desc d[N], split[N + 1];

	(void)state;
	sorted(d);
	uint64_t sig = memmap_reserved_sig(d, N);

	/* Firmware splitting a reserved descriptor (or merging two) is no change. */
	memcpy(split, d, sizeof(d));
	for (unsigned i = 0; i < N; i++) {
		if (split[i].type == MEM_RT_DATA) {
			split[N] = (struct mem_desc){ MEM_RT_DATA, split[i].base + 0x8000, 8 };
			split[i].pages = 8;
		}
	}
	memmap_sort(split, N + 1);
	assert_true(memmap_reserved_sig(split, N + 1) == sig);
	/* Conventional memory changing hands is no change either... */
	for (unsigned i = 0; i < N; i++)
		if (d[i].type == MEM_CONVENTIONAL)
			d[i].type = MEM_LOADER_DATA;
	assert_true(memmap_reserved_sig(d, N) == sig);
	/* ...but a new runtime region is. */
	for (unsigned i = 0; i < N; i++)
		if (d[i].type == MEM_LOADER_DATA && d[i].base == 0x40000000)
			d[i].type = MEM_RT_DATA;
	assert_true(memmap_reserved_sig(d, N) != sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_avail),
		cmocka_unit_test(test_find_free),
		cmocka_unit_test(test_tree_memory),
		cmocka_unit_test(test_tree_memory_bad),
		cmocka_unit_test(test_reserved_sig),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
