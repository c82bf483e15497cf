/* Host tests of loader/pipeline/overlay.c: one overlay checked and applied
 * (or refused, naming the fragment and label, the tree kept), and the
 * board's overlay.dtso and console.dtso with their `fdt:` lines: what
 * applied is said after it applied, a failure says only the failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "pipeline/board.h"
#include "efi_test_log.h"
#include "overlay_util.h"

struct fixture {
	void *fdt;			/* 4 KiB */
	struct overlay_bufs ob;
	struct captured cap;
	struct plinth_log log;
	void *blobs[4];
	size_t sizes[4];
	unsigned nblobs;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fdt = ovl_base_tree(0);
	f->ob = (struct overlay_bufs){ malloc(4096), 4096, malloc(4096), 4096 };
	assert_non_null(f->ob.scratch);
	assert_non_null(f->ob.ovl);
	f->log = captured_log(&f->cap);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < f->nblobs; i++)
		free(f->blobs[i]);
	free(f->ob.scratch);
	free(f->ob.ovl);
	free(f->fdt);
	free(f);
	return 0;
}

/* An overlay blob owned by the fixture; its size in *size. */
static const void *blob(struct fixture *f, const char *target, const char *prop, const char *value,
			size_t *size)
{
	assert_true(f->nblobs < 4);
	f->blobs[f->nblobs] = ovl_blob(target, prop, value, &f->sizes[f->nblobs]);
	*size = f->sizes[f->nblobs];
	return f->blobs[f->nblobs++];
}

static const char *prop(const struct fixture *f, const char *path, const char *name)
{
	int node = fdt_path_offset(f->fdt, path);

	return node < 0 ? NULL : fdt_getprop(f->fdt, node, name, NULL);
}

/* The captured lines, exactly. */
static void assert_log(const struct fixture *f, const char *want)
{
	if (strcmp(f->cap.text, want) != 0)
		fail_msg("log:\n%s\nwanted:\n%s", f->cap.text, want);
}

static void test_apply(void **state)
{
	struct fixture *f = *state;
	size_t n;
	const void *o = blob(f, "uart0", "status", "okay", &n);

	assert_int_equal(overlay_apply_checked(f->fdt, o, n, "10-x.dtbo", &f->ob, &f->log), 0);
	assert_string_equal(prop(f, "/serial@9000000", "status"), "okay");
	assert_log(f, "fdt: overlay 10-x.dtbo: applied\n");
}

/* Each refusal names what failed, and the tree is as it was. */
static void test_refused(void **state)
{
	struct fixture *f = *state;
	uint32_t before = fdt_totalsize(f->fdt);
	void *copy = malloc(before);
	size_t n;
	const void *o;

	assert_non_null(copy);
	memcpy(copy, f->fdt, before);
	o = blob(f, "uart9", "status", "okay", &n);
	assert_int_equal(overlay_apply_checked(f->fdt, o, n, "a.dtbo", &f->ob, &f->log),
			 -FDT_ERR_NOTFOUND);
	o = blob(f, "/nowhere", "status", "okay", &n);
	assert_int_equal(overlay_apply_checked(f->fdt, o, n, "b.dtbo", &f->ob, &f->log),
			 -FDT_ERR_NOTFOUND);
	assert_int_equal(overlay_apply_checked(f->fdt, "garbage", 7, "c.dtbo", &f->ob, &f->log),
			 -FDT_ERR_BADOVERLAY);
	assert_log(f, "fdt: overlay a.dtbo: missing label 'uart9' (node /fragment@0)\n"
		      "fdt: overlay b.dtbo: target-path '/nowhere' is not in the tree (node /fragment@0)\n"
		      "fdt: overlay c.dtbo: not a valid device tree blob (7 bytes: shorter than a header)\n");
	assert_memory_equal(f->fdt, copy, before);
	free(copy);
}

/* Scratch buffers smaller than the tree: NOSPACE, nothing said, the caller
 * grows and runs it again. */
static void test_nospace(void **state)
{
	struct fixture *f = *state;
	size_t n;
	const void *o = blob(f, "uart0", "status", "okay", &n);

	f->ob.scratch_size = 1024;
	assert_int_equal(overlay_apply_checked(f->fdt, o, n, "x.dtbo", &f->ob, &f->log),
			 -FDT_ERR_NOSPACE);
	assert_int_equal(f->cap.lines, 0);
	assert_null(prop(f, "/serial@9000000", "status"));
}

static struct board board(const void *ovl, size_t ovl_size, const void *con, size_t con_size)
{
	return (struct board){ "acme", "ACME", "", "", ovl, (uint32_t)ovl_size, con,
			       (uint32_t)con_size };
}

/* Both apply: each line after its overlay's, saying why it was applied. */
static void test_board_applied(void **state)
{
	struct fixture *f = *state;
	size_t on, cn;
	const void *o = blob(f, "/", "quirk", "fixed", &on);
	const void *c = blob(f, "/chosen", "stdout-path", "serial0", &cn);
	struct board bd = board(o, on, c, cn);

	assert_int_equal(overlay_apply_board(f->fdt, &bd, &f->ob, &f->log), 0);
	assert_string_equal(prop(f, "/", "quirk"), "fixed");
	assert_string_equal(prop(f, "/chosen", "stdout-path"), "serial0");
	assert_log(f, "fdt: overlay acme/overlay.dtso: applied\n"
		      "fdt: board acme: overlay.dtso: applied always (quirk fixes)\n"
		      "fdt: overlay acme/console.dtso: applied\n"
		      "fdt: board acme: console.dtso applied: the tables named no console "
		      "(no /chosen/stdout-path)\n");
}

/* overlay.dtso fails: its failure only, no "applied"; console.dtso fails:
 * the same. The tree is kept. */
static void test_board_failed(void **state)
{
	struct fixture *f = *state;
	size_t on, cn;
	const void *o = blob(f, "nolabel", "quirk", "fixed", &on);
	const void *c = blob(f, "/nochosen", "stdout-path", "serial0", &cn);
	struct board bd = board(o, on, c, cn);

	assert_int_equal(overlay_apply_board(f->fdt, &bd, &f->ob, &f->log), 0);
	assert_null(prop(f, "/", "quirk"));
	assert_null(prop(f, "/chosen", "stdout-path"));
	assert_log(f, "fdt: overlay acme/overlay.dtso: missing label 'nolabel' (node /fragment@0)\n"
		      "fdt: overlay acme/console.dtso: target-path '/nochosen' is not in the tree "
		      "(node /fragment@0)\n");
}

/* The tables named a console: console.dtso is left out, and says so; a
 * board without one says that. */
static void test_board_console_kept(void **state)
{
	struct fixture *f = *state;
	size_t on, cn;
	const void *o = blob(f, "/", "quirk", "fixed", &on);
	const void *c = blob(f, "/chosen", "stdout-path", "serial1", &cn);
	struct board bd = board(o, on, c, cn);

	free(f->fdt);
	f->fdt = ovl_base_tree(1);
	assert_int_equal(overlay_apply_board(f->fdt, &bd, &f->ob, &f->log), 0);
	assert_string_equal(prop(f, "/chosen", "stdout-path"), "serial0");
	bd = board(o, on, NULL, 0);
	assert_int_equal(overlay_apply_board(f->fdt, &bd, &f->ob, &f->log), 0);
	assert_log(f, "fdt: overlay acme/overlay.dtso: applied\n"
		      "fdt: board acme: overlay.dtso: applied always (quirk fixes)\n"
		      "fdt: board acme: console.dtso not applied: the tables named a console "
		      "(/chosen/stdout-path set)\n"
		      "fdt: overlay acme/overlay.dtso: applied\n"
		      "fdt: board acme: overlay.dtso: applied always (quirk fixes)\n"
		      "fdt: board acme: no console.dtso\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nospace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board_applied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board_console_kept, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
