/* Host tests of the DTS printer (lib/dt_print.c) on
 * tests/trees/dt_print.dts: what it prints, and that dtc compiles it back to
 * the same tree. */
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
#include <plinth/dt_print.h>
#include "host_env.h"

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_write(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void *tree(void)
{
	return host_read_file(host_tree_path("dt_print"), NULL);
}

static char *print(const void *fdt, const char *path, int *err)
{
	struct buf b = { 0 };
	buf_write(&b, "", 0);
	*err = dt_print(fdt, path, buf_write, &b);
	return b.s;
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- output ---\n%s\n", needle, text);
		fail();
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Runs a shell command; returns its exit status and its combined output. */
static int run(const char *cmd, char *out, size_t outlen)
{
	char full[1024];
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, outlen - 1, p);
	out[n] = 0;
	return pclose(p);
}

static void tmpname(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/tmp/plinth-dt_print-%d-%s", (int)getpid(), what);
}

static void test_full_dump_text(void **state)
{
	(void)state;
	int err;
	void *fdt = tree();
	char *t = print(fdt, NULL, &err);
	assert_int_equal(err, 0);
	assert_true(strncmp(t, "/dts-v1/;\n", 10) == 0);
	assert_has(t, "/memreserve/ 0x48000000 0x100000;\n");
	assert_has(t, "\n/ {\n");
	assert_has(t, "\t#address-cells = <0x2>;\n");
	assert_has(t, "\tmodel = \"quote \\\" backslash \\\\ tab\\t\";\n");
	assert_has(t, "\tinterrupt-parent = <&gic>;\n");
	assert_has(t, "main_gic: ");
	assert_has(t, "interrupt-controller@8000000 {\n");
	assert_has(t, "\t\treg = <0x0 0x8000000 0x0 0x10000 0x0 0x8010000 0x0 0x10000>;\n");
	assert_has(t, "\t\tinterrupt-controller;\n");
	assert_has(t, "\t\tphandle = <0x");
	assert_has(t, "\tuart0: serial@2000 {\n");
	assert_has(t, "\t\t\tcompatible = \"arm,pl011\", \"arm,primecell\";\n");
	assert_has(t, "\t\t\tinterrupt-parent = <&intc2>;\n");
	assert_has(t, "\t\t\tmac = [00 11 22 33 44 55];\n");
	assert_has(t, "\t\t\todd = [01 02 03];\n");
	assert_has(t, "\t\t\tblob = <0x1>;\n");
	assert_has(t, "\t\tinterrupt-parent = <&{/pathonly}>;\n");
	assert_has(t, "\t\tbootargs = \"\";\n");
	assert_has(t, "\t\tstdout-path = \"serial0:115200n8\";\n");
	assert_has(t, "\t__symbols__ {\n");
	assert_has(t, "\t\tclocks = <&clk24 &clk24>;\n");
	assert_has(t, "\t\treset-gpios = <&gpio1 0x7 0x1>;\n");
	assert_has(t, "\t\tmsi-parent = <&{/pathonly}>;\n");
	/* the unlabelled node that only a path names */
	assert_has(t, "\tpathonly {\n");
	free(t);
	free(fdt);
}

/* Full dump -> dtc -> dtb -> dts equals the original tree -> dts. */
static void test_full_dump_recompiles_to_same_tree(void **state)
{
	(void)state;
	int err;
	char dts[256], dtb[256], a[256], b[256], cmd[1400], out[8192];
	void *fdt = tree();
	char *t = print(fdt, "/", &err);
	assert_int_equal(err, 0);
	tmpname(dts, sizeof(dts), "full.dts");
	tmpname(dtb, sizeof(dtb), "full.dtb");
	tmpname(a, sizeof(a), "a.dts");
	tmpname(b, sizeof(b), "b.dts");
	write_file(dts, t);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s %s", dtb, dts);
	if (run(cmd, out, sizeof(out)) != 0) {
		fprintf(stderr, "dtc failed: %s\n--- input ---\n%s\n", out, t);
		fail();
	}
	/* No warnings either: phandle cells are &label / &{/path} references. */
	snprintf(cmd, sizeof(cmd), "dtc -I dts -O dtb -o /dev/null %s", dts);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	if (out[0]) {
		fprintf(stderr, "dtc warnings:\n%s\n", out);
		fail();
	}
	snprintf(cmd, sizeof(cmd),
		 "dtc -q -I dtb -O dts -o %s %s && dtc -q -I dtb -O dts -o %s %s && diff -u %s %s",
		 a, host_tree_path("dt_print"), b, dtb, a, b);
	if (run(cmd, out, sizeof(out)) != 0) {
		fprintf(stderr, "trees differ:\n%s\n", out);
		fail();
	}
	unlink(dts);
	unlink(dtb);
	unlink(a);
	unlink(b);
	free(t);
	free(fdt);
}

static void compiles(const char *text, const char *what)
{
	char dts[256], cmd[600], out[8192];
	tmpname(dts, sizeof(dts), what);
	write_file(dts, text);
	snprintf(cmd, sizeof(cmd), "dtc -I dts -O dtb -o /dev/null %s", dts);
	if (run(cmd, out, sizeof(out)) != 0) {
		fprintf(stderr, "dtc rejected the %s print: %s\n--- input ---\n%s\n", what, out, text);
		fail();
	}
	unlink(dts);
}

static void test_subtree_is_wrapped(void **state)
{
	(void)state;
	int err;
	void *fdt = tree();
	char *t = print(fdt, "/soc@0/serial@2000", &err);
	assert_int_equal(err, 0);
	assert_true(strncmp(t, "/dts-v1/;\n", 10) == 0);
	assert_null(strstr(t, "/memreserve/"));
	assert_has(t, "/ {\n\t#address-cells = <0x2>;\n\t#size-cells = <0x2>;\n");
	assert_has(t, "\tsoc@0 {\n\t\t#address-cells = <0x1>;\n\t\t#size-cells = <0x1>;\n");
	assert_has(t, "\t\tuart0: serial@2000 {\n");
	/* the controller is outside the subtree: a raw phandle, not a reference */
	assert_null(strstr(t, "&"));
	assert_has(t, "\t\t\tinterrupt-parent = <0x");
	/* no sibling leaks into the wrapper */
	assert_null(strstr(t, "interrupt-controller@1000"));
	assert_has(t, "\t\t};\n\t};\n};\n");
	compiles(t, "serial.dts");
	free(t);
	free(fdt);
}

static void test_subtree_keeps_inner_references(void **state)
{
	(void)state;
	int err;
	void *fdt = tree();
	char *t = print(fdt, "/soc@0", &err);
	assert_int_equal(err, 0);
	assert_has(t, "\t\t\tinterrupt-parent = <&intc2>;\n");
	compiles(t, "soc.dts");
	free(t);
	t = print(fdt, "/nolabel", &err);
	assert_int_equal(err, 0);
	assert_has(t, "\t\tinner: inner {\n");
	compiles(t, "nolabel.dts");
	free(t);
	free(fdt);
}

static void test_alias_path(void **state)
{
	(void)state;
	int e1, e2;
	void *fdt = tree();
	char *a = print(fdt, "serial0", &e1);
	char *b = print(fdt, "/soc@0/serial@2000", &e2);
	assert_int_equal(e1, 0);
	assert_int_equal(e2, 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(fdt);
}

static void test_chosen(void **state)
{
	(void)state;
	int err;
	void *fdt = tree();
	char *t = print(fdt, "/chosen", &err);
	assert_int_equal(err, 0);
	assert_string_equal(t, "/dts-v1/;\n\n/ {\n\t#address-cells = <0x2>;\n\t#size-cells = <0x2>;\n\n"
			       "\tchosen {\n\t\tstdout-path = \"serial0:115200n8\";\n\t\tbootargs = \"\";\n\t};\n};\n");
	free(t);
	free(fdt);
}

static void test_unknown_path(void **state)
{
	(void)state;
	int err;
	void *fdt = tree();
	char *t = print(fdt, "/no/such/node", &err);
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	free(t);
	t = print(fdt, "nosuchalias", &err);
	assert_true(err < 0);
	free(t);
	free(fdt);
}

static void test_bad_blob(void **state)
{
	(void)state;
	int err;
	size_t len;
	uint8_t *fdt = host_read_file(host_tree_path("dt_print"), &len);
	fdt[0] ^= 0xff;		/* magic */
	char *t = print(fdt, NULL, &err);
	assert_int_equal(err, -FDT_ERR_BADMAGIC);
	assert_string_equal(t, "");
	free(t);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_dump_text),
		cmocka_unit_test(test_full_dump_recompiles_to_same_tree),
		cmocka_unit_test(test_subtree_is_wrapped),
		cmocka_unit_test(test_subtree_keeps_inner_references),
		cmocka_unit_test(test_alias_path),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_unknown_path),
		cmocka_unit_test(test_bad_blob),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
