/* The tree pipeline: ACPI tables -> a tree, the board's overlays, the
 * user's overlays, on a tree that grows as the steps need (tree_buf.h).
 * One code path for the loader and acpi2dts, so the host tool reproduces
 * the loader's tree by construction. Its stages are functions called in
 * order rather than one call, because the loader puts steps of its own
 * between them:
 *
 *   pipeline_init                  the caller's allocator, limit and log
 *   pipeline_convert               acpi2fdt, converted again in twice the
 *                                  room on -FDT_ERR_NOSPACE
 *     (pipeline_step ...)          the loader's /chosen, /plinth, GOP
 *   pipeline_board                 which boards/<name>/ (board_detect)
 *   pipeline_board_overlays        its overlay.dtso, console.dtso
 *   pipeline_user_overlays         the user's, in the order given
 *     (pipeline_rewrite)           the loader's final tree (final_tree.c)
 *   pipeline_free                  (or keep p->tree.fdt: the loader jumps)
 *
 * Every stage logs what it did through the llog (fdt: lines); a stage that
 * fails has logged `fdt: <step>: <error>: the tree cannot be completed` and
 * returns the negative code. Pure C: the allocator is the caller's (EFI
 * pages in the loader, malloc in acpi2dts). */
#ifndef PLINTH_PIPELINE_PIPELINE_H
#define PLINTH_PIPELINE_PIPELINE_H
#include <stddef.h>
#include "acpi2fdt/acpi2fdt.h"
#include "board.h"
#include "log.h"
#include "tree_buf.h"

struct pipeline {
	struct tree_alloc alloc;	/* every buffer: trees, snapshots, scratch */
	size_t max;			/* no tree grows past this many bytes */
	struct llog *log;
	struct tree_buf tree;		/* fdt NULL until pipeline_convert */
	struct acpi2fdt_result res;	/* the conversion's */
	const struct board *board;	/* pipeline_board's; NULL: none */
};

/* An overlay blob and its name for the log ("10-debug.dtbo"). */
struct pipeline_overlay {
	const char *name;
	const void *data;
	size_t size;
};

/* p refers to itself once converted (the tree's allocator): do not copy it. */
void pipeline_init(struct pipeline *p, const struct tree_alloc *a, size_t max, struct llog *log);

/* The tables into a new tree, in a buffer of acpi2fdt_size_hint bytes that
 * doubles (up to p->max) while the conversion runs out of room; the lines of
 * an attempt that ran out are dropped, so a retried conversion prints once.
 * On success p->tree holds the tree, opened to its whole buffer for the
 * steps that follow, and p->res the conversion's result. */
int pipeline_convert(struct pipeline *p, const struct acpi_table_ref *t, unsigned n);

/* One step on the tree, grown and run again from a copy while it returns
 * -FDT_ERR_NOSPACE (tree_step). name says which step in a failure's line. */
int pipeline_step(struct pipeline *p, const char *name, tree_step_fn step, void *arg);

/* A step that writes the tree anew (tree_rewrite), first into `size`
 * bytes. name says which step in a failure's line. */
int pipeline_rewrite(struct pipeline *p, const char *name, tree_write_fn write, void *arg,
		     size_t size);
/* `fdt: <name>: <error>: the tree cannot be completed`; returns err. */
int pipeline_fail(struct pipeline *p, const char *name, int err);

/* The board (plinth_boards) for ids, with the conversion's OEM ID in place
 * of ids->oem_id; logged by board_detect. Sets and returns p->board. */
const struct board *pipeline_board(struct pipeline *p, const struct board_ids *ids);

/* p->board's overlay.dtso, then its console.dtso when the tree names no
 * console (overlay_apply_board). An overlay that does not apply is logged
 * and skipped: only a tree that cannot grow fails this stage. */
int pipeline_board_overlays(struct pipeline *p);

/* The user's overlays in the order given, each skipped with a log line when
 * it does not apply (overlay_apply_checked). */
int pipeline_user_overlays(struct pipeline *p, const struct pipeline_overlay *o, unsigned n);

/* Free the tree. */
void pipeline_free(struct pipeline *p);

#endif
