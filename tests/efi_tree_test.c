/* Host tests of loader/efi/tree.c: /chosen, /plinth, the loader-log region,
 * /memreserve/, and tree_step's grow-and-redo on FDT_ERR_NOSPACE (each
 * step's lines printed once). The assembled tree must compile with dtc
 * without warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>
#include "efi/loader.h"
#include "pipeline/tree_buf.h"
#include "efi_test_log.h"

static void *new_tree(int size)
{
	void *fdt = calloc(1, (size_t)size);

	assert_non_null(fdt);
	assert_int_equal(fdt_create_empty_tree(fdt, size), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "linux,dummy-virt"), 0);
	assert_int_equal(fdt_setprop_string(fdt, 0, "model", "test"), 0);
	return fdt;
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
	int len;

	return fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, &len);
}

static uint64_t u64(const void *fdt, const char *path, const char *prop)
{
	int len;
	const fdt64_t *v = fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, &len);

	assert_non_null(v);
	assert_int_equal(len, 8);
	return fdt64_ld(v);	/* a property is only 4-byte aligned */
}

static void test_chosen(void **state)
{
	void *fdt = new_tree(4096);
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct chosen_args a = { "earlycon console=ttyAMA0", 0x48000000, 0x1234 };

	(void)state;
	int chosen = fdt_add_subnode(fdt, 0, "chosen");

	assert_int_equal(fdt_setprop_string(fdt, chosen, "stdout-path", "serial0:9600n8"), 0);
	assert_int_equal(tree_set_chosen(fdt, &a, &log), 0);
	assert_string_equal(str(fdt, "/chosen", "stdout-path"), "serial0:9600n8");	/* kept */
	assert_string_equal(str(fdt, "/chosen", "bootargs"), "earlycon console=ttyAMA0");
	assert_int_equal(u64(fdt, "/chosen", "linux,initrd-start"), 0x48000000);
	assert_int_equal(u64(fdt, "/chosen", "linux,initrd-end"), 0x48001234);
	assert_true(captured_has(&cap, "fdt: chosen: stdout-path \"serial0:9600n8\" (from the converter), kept"));
	assert_true(captured_has(&cap, "fdt: chosen: bootargs \"earlycon console=ttyAMA0\""));
	free(fdt);

	/* No console from the tables, no bootargs, no initrd. */
	fdt = new_tree(4096);
	log = captured_log(&cap);
	a = (struct chosen_args){ NULL, 0, 0 };
	assert_int_equal(tree_set_chosen(fdt, &a, &log), 0);
	assert_true(fdt_path_offset(fdt, "/chosen") >= 0);
	assert_null(str(fdt, "/chosen", "bootargs"));
	assert_null(str(fdt, "/chosen", "linux,initrd-start"));
	assert_true(captured_has(&cap, "fdt: chosen: no stdout-path"));
	free(fdt);
}

static void test_plinth_log_memreserve(void **state)
{
	void *fdt = new_tree(4096);
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	uint64_t a, s;
	int len;

	(void)state;
	assert_int_equal(tree_set_plinth(fdt, 0x5c430018, "vmware", &log), 0);
	assert_string_equal(str(fdt, "/plinth", "compatible"), "plinth,boot-info");
	assert_int_equal(u64(fdt, "/plinth", "acpi-rsdp"), 0x5c430018);
	assert_string_equal(str(fdt, "/plinth", "board"), "vmware");
	assert_true(captured_has(&cap, "fdt: plinth: /plinth acpi-rsdp = 0x5c430018, board = vmware"));

	assert_int_equal(tree_add_log_region(fdt, 0x5c41d000, 0x10000, &log), 0);
	int node = fdt_node_offset_by_compatible(fdt, -1, "plinth,loader-log");

	assert_true(node >= 0);
	assert_string_equal(fdt_get_name(fdt, node, NULL), "loader-log@5c41d000");
	assert_null(fdt_getprop(fdt, node, "no-map", &len));	/* the kernel maps and reads it */
	const fdt64_t *reg = fdt_getprop(fdt, node, "reg", &len);

	assert_int_equal(len, 16);
	assert_int_equal(fdt64_ld(&reg[0]), 0x5c41d000);
	assert_int_equal(fdt64_ld(&reg[1]), 0x10000);
	const fdt32_t *cells = fdt_getprop(fdt, fdt_path_offset(fdt, "/reserved-memory"),
					   "#address-cells", &len);

	assert_non_null(cells);
	assert_int_equal(fdt32_ld(cells), 2);

	assert_int_equal(tree_add_memreserve(fdt, 0x40000000, 0x66000, "Image", &log), 0);
	assert_int_equal(fdt_num_mem_rsv(fdt), 1);
	assert_int_equal(fdt_get_mem_rsv(fdt, 0, &a, &s), 0);
	assert_int_equal(a, 0x40000000);
	assert_int_equal(s, 0x66000);
	assert_true(captured_has(&cap, "fdt: memreserve: Image 0x40000000-0x40065fff"));
	free(fdt);
}

/* tree_step with malloc as the allocator. */
static void *h_alloc(void *ctx, size_t size)
{
	(*(int *)ctx)++;
	return calloc(1, size);
}

static void h_free(void *ctx, void *p, size_t size)
{
	(void)size;
	(*(int *)ctx)--;
	free(p);
}

/* A step that logs, then adds more than fits in a small tree. */
static int big_step(void *fdt, void *arg, const struct plinth_log *log)
{
	static char blob[3000];
	int node, err;

	(void)arg;
	lprintf(log, "fdt: test: adding a big node");
	node = fdt_add_subnode(fdt, 0, "big");
	if (node < 0)
		return node;
	memset(blob, 'x', sizeof(blob) - 1);
	err = fdt_setprop_string(fdt, node, "data", blob);
	if (err < 0)
		return err;
	lprintf(log, "fdt: test: big node added");
	return 0;
}

static struct captured printed;

static void print_line(void *arg, const char *line)
{
	captured_line(arg, line);
}

static void test_step_grows(void **state)
{
	int live = 0;
	struct tree_alloc a = { h_alloc, h_free, &live };
	struct tree_buf t = { new_tree(512), 512, 1 << 16, &a, 0 };
	struct llog l;
	static char logbuf[4096];

	(void)state;
	live = 1;	/* the first buffer */
	memset(&printed, 0, sizeof(printed));
	llog_init(&l, print_line, &printed);
	llog_set_buffer(&l, logbuf, sizeof(logbuf));
	assert_int_equal(tree_step(&t, big_step, NULL, &l), 0);
	assert_int_equal(t.grown, 3);		/* 512 -> 1024 -> 2048 -> 4096 */
	assert_int_equal(t.size, 4096);
	assert_int_equal(fdt_totalsize(t.fdt), 4096);
	assert_int_equal(live, 1);		/* snapshots and old buffers freed */
	/* The redone step left one node and printed its lines once. */
	assert_true(fdt_path_offset(t.fdt, "/big") >= 0);
	assert_int_equal(fdt_first_subnode(t.fdt, 0), fdt_path_offset(t.fdt, "/big"));
	assert_int_equal(fdt_next_subnode(t.fdt, fdt_path_offset(t.fdt, "/big")), -FDT_ERR_NOTFOUND);
	const char *first = strstr(printed.text, "adding a big node");

	assert_non_null(first);
	assert_null(strstr(first + 1, "adding a big node"));
	assert_non_null(strstr(printed.text, "fdt: tree: out of space at 2048 bytes, grown to 4096"));
	assert_non_null(strstr(logbuf, "big node added"));
	assert_int_equal(tree_count_nodes(t.fdt), 2);

	/* tree_move to an exact size. */
	assert_int_equal(tree_move(&t, 8192), 0);
	assert_int_equal(fdt_totalsize(t.fdt), 8192);
	assert_int_equal(live, 1);
	h_free(&live, t.fdt, t.size);

	/* At the limit, NOSPACE comes back, named. */
	struct tree_buf small = { new_tree(512), 512, 1024, &a, 0 };

	live = 1;
	memset(&printed, 0, sizeof(printed));
	assert_int_equal(tree_step(&small, big_step, NULL, &l), -FDT_ERR_NOSPACE);
	assert_non_null(strstr(printed.text, "fdt: tree: out of space at 1024 bytes, limit 1024 reached"));
	assert_int_equal(live, 1);
	h_free(&live, small.fdt, small.size);
}

/* pci-probe-only goes into /chosen (made when the converter made none);
 * a full tree is NOSPACE, for tree_step to grow. */
static void test_pci_probe_only(void **state)
{
	void *fdt = new_tree(4096);
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	int len;
	const fdt32_t *v;

	(void)state;
	assert_int_equal(tree_set_pci_probe_only(fdt, &log), 0);
	v = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "linux,pci-probe-only", &len);
	assert_non_null(v);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(*v), 1);
	assert_string_equal(cap.text, "fdt: chosen: linux,pci-probe-only = 1 (the firmware's PCI "
				      "assignment is kept)\n");
	free(fdt);

	fdt = new_tree(4096);
	assert_int_equal(fdt_pack(fdt), 0);
	log = captured_log(&cap);
	assert_int_equal(tree_set_pci_probe_only(fdt, &log), -FDT_ERR_NOSPACE);
	assert_int_equal(cap.lines, 0);
	free(fdt);
}

/* A tree with everything the loader adds compiles with dtc, no warnings. */
static void test_dtc_clean(void **state)
{
	void *fdt = new_tree(16384);
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct chosen_args a = { "earlycon", 0, 0 };
	const struct mem_desc map[] = {
		{ MEM_CONVENTIONAL, 0x40000000, 0x1000 },
		{ MEM_ACPI_RECLAIM, 0x41000000, 0x10 },
		{ MEM_RT_DATA, 0x41010000, 0x10 },
		{ MEM_BS_DATA, 0x41020000, 0x100 },
	};
	char path[] = "/tmp/efi_tree_testXXXXXX";
	char cmd[256], out[4096];
	int fd;
	FILE *p;
	size_t n;

	(void)state;
	assert_int_equal(tree_set_chosen(fdt, &a, &log), 0);
	assert_int_equal(tree_set_plinth(fdt, 0x41000018, "", &log), 0);
	assert_int_equal(tree_add_log_region(fdt, 0x40100000, 0x10000, &log), 0);
	assert_int_equal(tree_set_memory(fdt, map, 4, &log), 0);
	assert_int_equal(tree_add_memreserve(fdt, 0x40000000, 0x100000, "Image", &log), 0);
	assert_int_equal(fdt_pack(fdt), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, fdt, fdt_totalsize(fdt)), (ssize_t)fdt_totalsize(fdt));
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>&1", path);
	p = popen(cmd, "r");
	if (!p)
		skip();
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	int rc = pclose(p);

	unlink(path);
	if (rc == 127 << 8)
		skip();	/* no dtc */
	if (n)
		fprintf(stderr, "dtc said:\n%s", out);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 0);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_pci_probe_only),
		cmocka_unit_test(test_plinth_log_memreserve),
		cmocka_unit_test(test_step_grows),
		cmocka_unit_test(test_dtc_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
