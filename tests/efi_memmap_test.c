/* Host tests of loader/efi/memmap.c and final_tree.c: sorting, bounds for
 * ACPI tables, Image placement search, the reserved-region signature, and
 * the final tree's /memory, /reserved-memory and /memreserve/ from a UEFI
 * map shaped like AAVMF's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/err.h>
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

static const char *prop(const void *fdt, const char *path, const char *name)
{
	int len;

	return fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len);
}

static struct tree_final final_args(const struct mem_desc *d, unsigned n, size_t size)
{
	return (struct tree_final){ .map = d, .nmap = n, .log_base = 0x40100000,
				    .log_size = 0x10000, .image_base = 0x40000000,
				    .image_size = 0x80000, .self_size = size,
				    .rsdp = 0x5c430018, .board = "vmware" };
}

static void test_final_tree(void **state)
{
	static char src_buf[8192], out[16384];
	struct mem_desc d[N];
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct tree_final_result res;
	void *src = empty_tree(src_buf, sizeof(src_buf));
	uint64_t a, sz;
	int len;

	(void)state;
	sorted(d);
	/* A stale /memory (e.g. a board's) is dropped, not added to; the
	 * tree's own nodes, properties and /memreserve/ entries are kept. */
	int old = fdt_add_subnode(src, 0, "memory@0");

	assert_true(old >= 0);
	assert_int_equal(fdt_setprop_string(src, old, "device_type", "memory"), 0);
	assert_true(fdt_add_subnode(src, 0, "soc") >= 0);
	assert_int_equal(fdt_setprop_string(src, fdt_path_offset(src, "/soc"), "x", "y"), 0);
	assert_int_equal(fdt_add_mem_rsv(src, 0x48000000, 0x1000), 0);

	struct tree_final f = final_args(d, N, sizeof(out));

	assert_int_equal(tree_write_final(src, out, sizeof(out), &f, &res, &log), 0);
	assert_int_equal(fdt_check_full(out, fdt_totalsize(out)), 0);
	assert_true(fdt_path_offset(out, "/memory@0") < 0);
	assert_string_equal(prop(out, "/soc", "x"), "y");
	const uint64_t mem[] = { 0x40000000, 0x200000, 0x40240000, 0x2c0000 };

	check_reg(out, "/memory@40000000", mem, 4);
	assert_string_equal(prop(out, "/memory@40000000", "device_type"), "memory");
	const uint64_t acpi[] = { 0x40200000, 0x10000 };
	const uint64_t rtc[] = { 0x40210000, 0x20000 };	/* two RT code descriptors, merged */
	const uint64_t rtd[] = { 0x40230000, 0x10000 };
	const uint64_t lg[] = { 0x40100000, 0x10000 };

	check_reg(out, "/reserved-memory/acpi-reclaim@40200000", acpi, 2);
	check_reg(out, "/reserved-memory/runtime-code@40210000", rtc, 2);
	check_reg(out, "/reserved-memory/runtime-data@40230000", rtd, 2);
	check_reg(out, "/reserved-memory/loader-log@40100000", lg, 2);
	assert_non_null(prop(out, "/reserved-memory/runtime-data@40230000", "no-map"));
	assert_null(prop(out, "/reserved-memory/loader-log@40100000", "no-map"));
	assert_string_equal(prop(out, "/reserved-memory/loader-log@40100000", "compatible"),
			    "plinth,loader-log");
	assert_non_null(prop(out, "/reserved-memory", "ranges"));
	assert_string_equal(prop(out, "/__symbols__", "memory"), "/memory@40000000");
	/* New root children after the tree's own. */
	assert_int_equal(fdt_first_subnode(out, 0), fdt_path_offset(out, "/soc"));
	assert_int_equal(fdt_next_subnode(out, fdt_path_offset(out, "/soc")),
			 fdt_path_offset(out, "/plinth"));
	/* root, soc, plinth, memory, reserved-memory and its 4 children,
	 * __symbols__ */
	assert_int_equal(res.nodes, 10);
	assert_string_equal(prop(out, "/plinth", "compatible"), "plinth,boot-info");
	assert_int_equal(fdt64_ld(fdt_getprop(out, fdt_path_offset(out, "/plinth"), "acpi-rsdp", &len)),
			 0x5c430018);
	assert_int_equal(len, 8);
	assert_string_equal(prop(out, "/plinth", "board"), "vmware");
	assert_true(captured_has(&cap, "fdt: plinth: /plinth acpi-rsdp = 0x5c430018, board = vmware"));
	assert_int_equal(fdt_num_mem_rsv(out), 3);
	assert_int_equal(fdt_get_mem_rsv(out, 0, &a, &sz), 0);
	assert_true(a == 0x48000000 && sz == 0x1000);
	assert_int_equal(fdt_get_mem_rsv(out, 1, &a, &sz), 0);
	assert_true(a == 0x40000000 && sz == 0x80000);
	assert_int_equal(fdt_get_mem_rsv(out, 2, &a, &sz), 0);
	assert_true(a == (uintptr_t)out && sz == sizeof(out));
	assert_true(captured_has(&cap, "fdt: memory: /memory@0 dropped: the UEFI memory map is the authority"));
	assert_true(captured_has(&cap, "fdt: memory: 0x40000000-0x401fffff (2048 KiB)"));
	assert_true(captured_has(&cap, "fdt: memory: memory@40000000: 2 range(s), 4 MiB"));
	assert_true(captured_has(&cap, "2 descriptor(s) of MMIO/unusable/persistent/other types"));
	assert_true(captured_has(&cap, "runtime-code@40210000 0x40210000-0x4022ffff no-map (RuntimeServicesCode)"));
	assert_true(captured_has(&cap, "fdt: reserved-memory: loader-log@40100000 0x40100000-0x4010ffff: this log"));
	assert_true(captured_has(&cap, "fdt: memreserve: Image 0x40000000-0x4007ffff"));
	assert_true(captured_has(&cap, "fdt: memreserve: tree 0x"));
}

/* What the tree had is respected: a /reserved-memory of its own (1-cell,
 * as an overlay may make it) gets the children in its cells, one already
 * there by name is left as it is; an existing `memory` label is replaced. */
static void test_final_tree_existing(void **state)
{
	static char src_buf[8192], out[16384];
	const struct mem_desc d[] = {
		{ MEM_CONVENTIONAL, 0x40000000, 0x100 },
		{ MEM_RT_DATA, 0x40100000, 0x10 },
		{ MEM_RT_CODE, 0x40110000, 0x10 },
	};
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	void *src = empty_tree(src_buf, sizeof(src_buf));
	int rm, syms, len;

	(void)state;
	rm = fdt_add_subnode(src, 0, "reserved-memory");
	assert_true(rm >= 0);
	assert_int_equal(fdt_setprop_u32(src, rm, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(src, rm, "#size-cells", 1), 0);
	assert_int_equal(fdt_setprop_empty(src, rm, "ranges"), 0);
	assert_true(fdt_add_subnode(src, rm, "runtime-code@40110000") >= 0);
	assert_true(fdt_add_subnode(src, 0, "plinth") >= 0);		/* a stale one: replaced */
	assert_int_equal(fdt_setprop_string(src, fdt_path_offset(src, "/plinth"), "board", "old"), 0);
	syms = fdt_add_subnode(src, 0, "__symbols__");
	assert_true(syms >= 0);
	assert_int_equal(fdt_setprop_string(src, syms, "memory", "/elsewhere"), 0);
	assert_int_equal(fdt_setprop_string(src, syms, "uart0", "/uart"), 0);

	struct tree_final f = { .map = d, .nmap = 3, .self_size = sizeof(out) };

	assert_int_equal(tree_write_final(src, out, sizeof(out), &f, NULL, &log), 0);
	const fdt32_t *reg = fdt_getprop(out, fdt_path_offset(out, "/reserved-memory/runtime-data@40100000"),
					 "reg", &len);

	assert_non_null(reg);
	assert_int_equal(len, 8);			/* 1 + 1 cells */
	assert_int_equal(fdt32_ld(&reg[0]), 0x40100000);
	assert_int_equal(fdt32_ld(&reg[1]), 0x10000);
	assert_null(prop(out, "/reserved-memory/runtime-code@40110000", "reg"));	/* left as it was */
	assert_true(captured_has(&cap, "runtime-code@40110000 already present, left as it is"));
	assert_string_equal(prop(out, "/__symbols__", "memory"), "/memory@40000000");
	assert_string_equal(prop(out, "/__symbols__", "uart0"), "/uart");
	assert_int_equal(fdt_num_mem_rsv(out), 1);	/* the tree only: no Image given */
	assert_string_equal(prop(out, "/plinth", "compatible"), "plinth,boot-info");
	assert_null(prop(out, "/plinth", "board"));	/* none given: none written */
	int plinths = 0, node;

	fdt_for_each_subnode(node, out, 0)
		plinths += strcmp(fdt_get_name(out, node, NULL), "plinth") == 0;
	assert_int_equal(plinths, 1);
	assert_int_equal(fdt_check_full(out, fdt_totalsize(out)), 0);
}

/* No RAM: nothing to boot into. Too small: NOSPACE, for the caller to grow.
 * A 1-cell root cannot hold a 64-bit address: BADVALUE, not a wrapped one. */
static void test_final_tree_bad(void **state)
{
	static char src_buf[4096], out[4096], tiny[256];
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	void *src = empty_tree(src_buf, sizeof(src_buf));
	const struct mem_desc none[] = {
		{ MEM_RT_DATA, 0x1000, 1 },
		{ MEM_CONVENTIONAL, 0xfffffffffffff000ull, 2 },	/* past 2^64 */
		{ MEM_CONVENTIONAL, 0x2000, 0 },		/* 0 pages */
	};
	const struct mem_desc high[] = { { MEM_CONVENTIONAL, 0x100000000ull, 0x10 } };
	struct tree_final f = { .map = none, .nmap = 3, .self_size = sizeof(out) };
	struct mem_desc d[N];

	(void)state;
	assert_int_equal(tree_write_final(src, out, sizeof(out), &f, NULL, &log), -PLINTH_ENOENT);
	assert_true(captured_has(&cap, "2 descriptor(s) with 0 pages or past 2^64 ignored"));
	assert_true(captured_has(&cap, "the UEFI memory map has no usable RAM"));

	sorted(d);
	f = final_args(d, N, sizeof(tiny));
	assert_int_equal(tree_write_final(src, tiny, sizeof(tiny), &f, NULL, &log), -FDT_ERR_NOSPACE);
	/* tree_final_size's room is enough: no retry in the common case. */
	static char room[8192];

	assert_true(tree_final_size(src, N) <= sizeof(room));
	f.self_size = tree_final_size(src, N);
	assert_int_equal(tree_write_final(src, room, f.self_size, &f, NULL, &log), 0);

	assert_int_equal(fdt_setprop_u32(src, 0, "#address-cells", 1), 0);
	f = (struct tree_final){ .map = high, .nmap = 1, .self_size = sizeof(out) };
	assert_int_equal(tree_write_final(src, out, sizeof(out), &f, NULL, &log), -FDT_ERR_BADVALUE);
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
		cmocka_unit_test(test_final_tree),
		cmocka_unit_test(test_final_tree_existing),
		cmocka_unit_test(test_final_tree_bad),
		cmocka_unit_test(test_reserved_sig),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
