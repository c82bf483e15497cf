/* Host tests of loader/pipeline/pipeline.c, the stages the loader and
 * acpi2dts share: the conversion into a buffer the pipeline allocates, the
 * board's overlays, the user's in the order given, a tree that grows for
 * them, the failure lines, and nothing left allocated afterwards. The
 * tables are the ASL fixtures; the board is this file's own table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/err.h>
#include "pipeline/pipeline.h"
#include "acpi_test_util.h"
#include "overlay_util.h"

/* The board table gen/boards.py would make: one board, whose overlays
 * setup() writes into these buffers (their size is an upper bound, as the
 * loader allows: the blob's own totalsize is what is applied). */
static uint8_t board_overlay[4096], board_console[4096];
const struct board plinth_boards[] = {
	{ "testboard", "NOSUCH", "", "", board_overlay, sizeof(board_overlay), board_console,
	  sizeof(board_console) },
};
const unsigned plinth_board_count = 1;

struct fixture {
	struct tbl t[2];
	struct acpi_table_ref refs[2];
	struct counting_heap heap;
	struct tree_alloc alloc;
	struct llog log;
	struct pipeline p;
};

static void put_blob(uint8_t *dst, size_t cap, const char *target, const char *prop,
		     const char *value)
{
	size_t size;
	void *b = ovl_blob(target, prop, value, &size);

	assert_true(size <= cap);
	memcpy(dst, b, size);
	free(b);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	put_blob(board_overlay, sizeof(board_overlay), "/", "board-fix", "applied");
	put_blob(board_console, sizeof(board_console), "/chosen", "stdout-path", "serial0");
	f->t[0] = fixture("common/apic-gicv3-4cpu");
	f->t[1] = fixture("common/spcr-qemu");
	for (int i = 0; i < 2; i++)
		f->refs[i] = (struct acpi_table_ref){ f->t[i].p, f->t[i].len, f->t[i].origin };
	f->alloc = counting_alloc(&f->heap);
	llog_init(&f->log, NULL, NULL);
	f->log.grow = realloc;
	llog_set_buffer(&f->log, malloc(4096), 4096);
	pipeline_init(&f->p, &f->alloc, 1u << 20, &f->log);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pipeline_free(&f->p);
	assert_int_equal(f->heap.live, 0);	/* every buffer went back */
	free(f->log.buf);
	tbl_free(&f->t[0]);
	tbl_free(&f->t[1]);
	free(f);
	return 0;
}

static const char *log_text(const struct fixture *f)
{
	return f->log.buf ? f->log.buf : "";
}

static void assert_line(const struct fixture *f, const char *line)
{
	if (!strstr(log_text(f), line))
		fail_msg("no line \"%s\" in:\n%s", line, log_text(f));
}

/* Where line starts in the log; fails the test when absent. */
static size_t line_at(const struct fixture *f, const char *line)
{
	const char *text = log_text(f), *at = strstr(text, line);

	if (!at) {
		fail_msg("no line \"%s\" in:\n%s", line, text);
		return 0;
	}
	return (size_t)(at - text);
}

static const char *prop(const struct fixture *f, const char *path, const char *name)
{
	int node = fdt_path_offset(f->p.tree.fdt, path);

	return node < 0 ? NULL : fdt_getprop(f->p.tree.fdt, node, name, NULL);
}

static void test_convert(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	assert_non_null(f->p.tree.fdt);
	/* Opened to its whole buffer for the steps that follow. */
	assert_int_equal(fdt_totalsize(f->p.tree.fdt), f->p.tree.size);
	assert_true(f->p.res.have_console);
	assert_line(f, "fdt: spcr: revision 2: interface 0x03");
	assert_non_null(prop(f, "/chosen", "stdout-path"));
	assert_int_equal(f->heap.live, 1);		/* the tree */
}

static void test_convert_fails(void **state)
{
	struct fixture *f = *state;

	/* No room: NOSPACE at the limit, the tree freed, one line saying so. */
	f->p.max = 512;
	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), -FDT_ERR_NOSPACE);
	assert_null(f->p.tree.fdt);
	assert_line(f, "fdt: acpi2fdt: FDT_ERR_NOSPACE: no tree could be built from the tables\n");
	assert_int_equal(f->heap.live, 0);

	/* No memory. */
	f->p.max = 1u << 20;
	f->heap.fail_at = f->heap.allocs + 1;
	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), -PLINTH_ENOMEM);
	assert_true(strstr(log_text(f), "fdt: tree: no memory for a ") != NULL);
	assert_int_equal(f->heap.live, 0);
}

/* board= forces the board; its overlay.dtso applies; console.dtso does not,
 * since the SPCR named a console. */
static void test_board(void **state)
{
	struct fixture *f = *state;
	struct board_ids ids = { .forced = "testboard" };

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	assert_ptr_equal(pipeline_board(&f->p, &ids), &plinth_boards[0]);
	assert_int_equal(pipeline_board_overlays(&f->p), 0);
	assert_string_equal(prop(f, "/", "board-fix"), "applied");
	assert_line(f, "fdt: board testboard (forced by board=testboard; OEM ID \"");
	assert_line(f, "fdt: overlay testboard/overlay.dtso: applied\n");
	assert_line(f, "fdt: board testboard: console.dtso not applied: the tables named a console");
	assert_int_equal(f->heap.live, 1);		/* scratch buffers freed */
}

static void test_no_board(void **state)
{
	struct fixture *f = *state;
	struct board_ids ids = { 0 };

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	assert_null(pipeline_board(&f->p, &ids));
	assert_line(f, "fdt: board: none matched (ACPI OEM ID \"");
	size_t before = f->log.len;

	assert_int_equal(pipeline_board_overlays(&f->p), 0);
	assert_int_equal(f->log.len, before);		/* nothing to say */
	assert_null(prop(f, "/", "board-fix"));
}

/* In the order given, the last one winning; one that does not apply is
 * logged and skipped, the others still apply. */
static void test_user_overlays(void **state)
{
	struct fixture *f = *state;
	size_t sa, sb, sc, sd;
	void *a = ovl_blob("/chosen", "who", "a", &sa);
	void *bad = ovl_blob("nolabel", "who", "bad", &sb);
	void *c = ovl_blob("uart0", "who", "c", &sc);
	void *d = ovl_blob("/chosen", "who", "d", &sd);
	const struct pipeline_overlay o[] = {
		{ "a.dtbo", a, sa }, { "bad.dtbo", bad, sb }, { "c.dtbo", c, sc }, { "d.dtbo", d, sd },
	};

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	assert_int_equal(pipeline_user_overlays(&f->p, o, 4), 0);
	assert_string_equal(prop(f, "/chosen", "who"), "d");
	assert_string_equal(prop(f, "/serial@9000000", "who"), "c");
	assert_true(line_at(f, "fdt: overlay a.dtbo: applied\n") <
		    line_at(f, "fdt: overlay bad.dtbo: missing label 'nolabel' (node /fragment@0)\n"));
	assert_true(line_at(f, "fdt: overlay bad.dtbo: missing label") <
		    line_at(f, "fdt: overlay c.dtbo: applied\n"));
	assert_true(line_at(f, "fdt: overlay c.dtbo: applied\n") <
		    line_at(f, "fdt: overlay d.dtbo: applied\n"));
	assert_int_equal(f->heap.live, 1);
	free(a);
	free(bad);
	free(c);
	free(d);
}

/* An overlay larger than the tree's free room: the tree grows and the
 * step runs again from its copy, its lines printed once. */
static void test_grow(void **state)
{
	struct fixture *f = *state;
	size_t n = 200000, size;
	char *big = malloc(n + 1);

	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = 0;
	void *o = ovl_blob("/", "big", big, &size);
	const struct pipeline_overlay ovl = { "big.dtbo", o, size };

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	size_t was = f->p.tree.size;

	assert_int_equal(pipeline_user_overlays(&f->p, &ovl, 1), 0);
	assert_true(f->p.tree.size > was);
	assert_true(f->p.tree.grown > 0);
	assert_int_equal(strlen(prop(f, "/", "big")), n);
	assert_line(f, "fdt: tree: out of space at ");
	const char *first = strstr(log_text(f), "fdt: overlay big.dtbo: applied");

	assert_non_null(first);
	assert_null(strstr(first + 1, "fdt: overlay big.dtbo: applied"));
	assert_int_equal(f->heap.live, 1);
	free(o);
	free(big);
}

/* The tree cannot grow past the limit: the stage fails, named. */
static void test_grow_limit(void **state)
{
	struct fixture *f = *state;
	size_t n = 200000, size;
	char *big = malloc(n + 1);

	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = 0;
	void *o = ovl_blob("/", "big", big, &size);
	const struct pipeline_overlay ovl = { "big.dtbo", o, size };

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	f->p.tree.max = f->p.tree.size;
	assert_int_equal(pipeline_user_overlays(&f->p, &ovl, 1), -FDT_ERR_NOSPACE);
	assert_null(prop(f, "/", "big"));
	assert_line(f, "fdt: user overlays: FDT_ERR_NOSPACE: the tree cannot be completed\n");
	assert_int_equal(f->heap.live, 1);
	free(o);
	free(big);
}

/* No memory for an overlay's scratch buffers: said, the tree kept. */
static void test_overlay_no_memory(void **state)
{
	struct fixture *f = *state;
	size_t sa;
	void *a = ovl_blob("/chosen", "who", "a", &sa);
	const struct pipeline_overlay o = { "a.dtbo", a, sa };
	struct board_ids ids = { .forced = "testboard" };

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	pipeline_board(&f->p, &ids);
	f->heap.fail_at = f->heap.allocs + 2;	/* after tree_step's snapshot */
	assert_int_equal(pipeline_board_overlays(&f->p), 0);
	assert_line(f, "fdt: board testboard: no memory for the overlay buffers: no board overlay\n");
	f->heap.fail_at = f->heap.allocs + 2;
	assert_int_equal(pipeline_user_overlays(&f->p, &o, 1), 0);
	assert_line(f, "fdt: overlays: no memory for the overlay buffers: no user overlay\n");
	assert_null(prop(f, "/", "board-fix"));
	assert_null(prop(f, "/chosen", "who"));
	assert_int_equal(f->heap.live, 1);
	free(a);
}

static int step_broken(void *fdt, void *arg, const struct plinth_log *log)
{
	(void)fdt, (void)arg;
	lprintf(log, "fdt: broken: half done");
	return -FDT_ERR_BADSTRUCTURE;
}

/* A step's failure names the step. */
static void test_step_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pipeline_convert(&f->p, f->refs, 2), 0);
	assert_int_equal(pipeline_step(&f->p, "broken", step_broken, NULL), -FDT_ERR_BADSTRUCTURE);
	assert_line(f, "fdt: broken: half done\nfdt: broken: FDT_ERR_BADSTRUCTURE: the tree cannot be "
		       "completed\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_convert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_convert_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_overlays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grow_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlay_no_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
