/* Host tests of loader/efi/tree.c: /chosen, pci-probe-only, and
 * tree_step's and tree_rewrite's grow-and-redo on FDT_ERR_NOSPACE (each
 * step's lines printed once). The assembled tree, final_tree.c's additions
 * included, must compile with dtc without warnings. */
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

/* A rewrite that logs, then needs 3000 bytes: run again in twice the room,
 * its lines printed once; the old buffer is freed only on success. */
static int big_rewrite(const void *src, void *out, size_t size, void *arg,
		       const struct plinth_log *log)
{
	static char blob[3000];
	int err;

	(void)arg;
	lprintf(log, "fdt: test: rewriting into %zu bytes", size);
	memset(blob, 'x', sizeof(blob) - 1);
	err = fdt_open_into(src, out, (int)size);
	if (err == 0)
		err = fdt_setprop_string(out, 0, "data", blob);
	return err;
}

static int failing_rewrite(const void *src, void *out, size_t size, void *arg,
			   const struct plinth_log *log)
{
	(void)src, (void)out, (void)size, (void)arg, (void)log;
	return -FDT_ERR_BADSTRUCTURE;
}

static void test_rewrite(void **state)
{
	int live = 0;
	struct tree_alloc a = { h_alloc, h_free, &live };
	struct tree_buf t = { new_tree(512), 512, 1 << 16, &a, 0 };
	void *first = t.fdt;
	struct llog l;
	static char logbuf[4096];

	(void)state;
	live = 1;
	memset(&printed, 0, sizeof(printed));
	llog_init(&l, print_line, &printed);
	llog_set_buffer(&l, logbuf, sizeof(logbuf));
	assert_int_equal(tree_rewrite(&t, big_rewrite, NULL, 1024, &l), 0);
	assert_int_equal(t.size, 4096);			/* 1024 -> 2048 -> 4096 */
	assert_int_equal(t.grown, 2);
	assert_int_equal(live, 1);			/* the old tree and the tries freed */
	assert_non_null(fdt_getprop(t.fdt, 0, "data", NULL));
	assert_string_equal(printed.text, "fdt: test: rewriting into 4096 bytes\n");

	/* A failure leaves the tree as it was, and says nothing of its own. */
	first = t.fdt;
	memset(&printed, 0, sizeof(printed));
	assert_int_equal(tree_rewrite(&t, failing_rewrite, NULL, 1024, &l), -FDT_ERR_BADSTRUCTURE);
	assert_ptr_equal(t.fdt, first);
	assert_int_equal(live, 1);
	/* At the limit, NOSPACE comes back, named. */
	t.max = 2048;
	assert_int_equal(tree_rewrite(&t, big_rewrite, NULL, 1024, &l), -FDT_ERR_NOSPACE);
	assert_non_null(strstr(printed.text, "fdt: tree: out of space at 2048 bytes, limit 2048 reached"));
	assert_ptr_equal(t.fdt, first);
	h_free(&live, t.fdt, t.size);
	assert_int_equal(live, 0);
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
	const struct tree_final f = { .map = map, .nmap = 4, .log_base = 0x40100000,
				      .log_size = 0x10000, .image_base = 0x40000000,
				      .image_size = 0x100000, .self_size = 16384,
				      .rsdp = 0x41000018 };
	void *final = calloc(1, 16384);

	assert_non_null(final);
	assert_int_equal(tree_write_final(fdt, final, 16384, &f, NULL, &log), 0);
	free(fdt);
	fdt = final;
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
		cmocka_unit_test(test_step_grows),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_dtc_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
