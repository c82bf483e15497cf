/* The tree pipeline (pipeline.h): conversion with a growing buffer, then
 * the board's and the user's overlays, each a tree_step. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include "pipeline.h"

void pipeline_init(struct pipeline *p, const struct tree_alloc *a, size_t max, struct llog *log)
{
	memset(p, 0, sizeof(*p));
	p->alloc = *a;
	p->max = max;
	p->log = log;
}

int pipeline_fail(struct pipeline *p, const char *name, int err)
{
	struct plinth_log log = llog_sink(p->log);

	lprintf(&log, "fdt: %s: %s: the tree cannot be completed", name, plinth_strerror(err));
	return err;
}

/* acpi2fdt builds a new tree; on NOSPACE it is run again, from nothing, in
 * twice the room. Its lines are held until an attempt completes. */
int pipeline_convert(struct pipeline *p, const struct acpi_table_ref *t, unsigned n)
{
	struct plinth_log log = llog_sink(p->log);
	size_t size = acpi2fdt_size_hint(t, n);		/* doubled on NOSPACE */
	void *buf;
	int r;

	if (size > p->max)	/* a table may claim any length */
		size = p->max;
	for (;;) {
		buf = p->alloc.alloc(p->alloc.ctx, size);
		if (!buf) {
			lprintf(&log, "fdt: tree: no memory for a %zu-byte tree", size);
			return -PLINTH_ENOMEM;
		}
		memset(&p->res, 0, sizeof(p->res));
		llog_hold(p->log);
		r = acpi2fdt(t, n, buf, size, &log, &p->res);
		if (r != -FDT_ERR_NOSPACE || size * 2 > p->max)
			break;
		llog_release(p->log, 0);
		p->alloc.free(p->alloc.ctx, buf, size);
		lprintf(&log, "fdt: tree: %zu bytes were not enough for the conversion, again in %zu",
			size, size * 2);
		size *= 2;
	}
	llog_release(p->log, 1);
	/* The steps that follow edit the tree in place: open it to the whole
	 * buffer. */
	if (r >= 0)
		r = fdt_open_into(buf, buf, (int)size);
	if (r < 0) {
		p->alloc.free(p->alloc.ctx, buf, size);
		lprintf(&log, "fdt: acpi2fdt: %s: no tree could be built from the tables",
			plinth_strerror(r));
		return r;
	}
	p->tree = (struct tree_buf){ buf, size, p->max, &p->alloc, 0 };
	return 0;
}

int pipeline_step(struct pipeline *p, const char *name, tree_step_fn step, void *arg)
{
	int err = tree_step(&p->tree, step, arg, p->log);

	return err < 0 ? pipeline_fail(p, name, err) : err;
}

int pipeline_rewrite(struct pipeline *p, const char *name, tree_write_fn write, void *arg,
		     size_t size)
{
	int err = tree_rewrite(&p->tree, write, arg, size, p->log);

	return err < 0 ? pipeline_fail(p, name, err) : 0;
}

const struct board *pipeline_board(struct pipeline *p, const struct board_ids *ids)
{
	struct plinth_log log = llog_sink(p->log);
	struct board_ids with_oem = *ids;

	with_oem.oem_id = p->res.oem_id;
	p->board = board_detect(plinth_boards, plinth_board_count, &with_oem, &log);
	return p->board;
}

/* ------------------------------------------------------------ overlays ---- */

/* Scratch buffers for one overlay onto fdt (overlay.c allocates nothing):
 * a tree-sized copy and room for an ovl_max-byte overlay. */
static int ovl_bufs(struct pipeline *p, const void *fdt, size_t ovl_max, struct overlay_bufs *ob)
{
	ob->scratch_size = fdt_totalsize(fdt);
	ob->ovl_size = ovl_max ? ovl_max : 1;
	ob->scratch = p->alloc.alloc(p->alloc.ctx, ob->scratch_size);
	ob->ovl = p->alloc.alloc(p->alloc.ctx, ob->ovl_size);
	if (ob->scratch && ob->ovl)
		return 0;
	if (ob->scratch)
		p->alloc.free(p->alloc.ctx, ob->scratch, ob->scratch_size);
	if (ob->ovl)
		p->alloc.free(p->alloc.ctx, ob->ovl, ob->ovl_size);
	return -PLINTH_ENOMEM;
}

static void ovl_bufs_free(struct pipeline *p, struct overlay_bufs *ob)
{
	p->alloc.free(p->alloc.ctx, ob->scratch, ob->scratch_size);
	p->alloc.free(p->alloc.ctx, ob->ovl, ob->ovl_size);
}

/* A failed overlay is logged and skipped (overlay.c); only NOSPACE comes
 * back, for tree_step to grow the tree and run this again from its copy. */
static int step_board(void *fdt, void *arg, const struct plinth_log *log)
{
	struct pipeline *p = arg;
	const struct board *bd = p->board;
	struct overlay_bufs ob;
	int err;

	if (ovl_bufs(p, fdt, bd->overlay_size > bd->console_size ? bd->overlay_size :
		     bd->console_size, &ob) < 0) {
		lprintf(log, "fdt: board %s: no memory for the overlay buffers: no board overlay",
			bd->name);
		return 0;
	}
	err = overlay_apply_board(fdt, bd, &ob, log);
	ovl_bufs_free(p, &ob);
	return err == -FDT_ERR_NOSPACE ? err : 0;
}

int pipeline_board_overlays(struct pipeline *p)
{
	if (!p->board)
		return 0;
	return pipeline_step(p, "board overlays", step_board, p);
}

struct user_overlays {
	struct pipeline *p;
	const struct pipeline_overlay *o;
	unsigned n;
};

static int step_user_overlays(void *fdt, void *arg, const struct plinth_log *log)
{
	const struct user_overlays *u = arg;
	struct overlay_bufs ob;
	size_t most = 0;
	int err = 0;

	for (unsigned i = 0; i < u->n; i++)
		most = u->o[i].size > most ? u->o[i].size : most;
	if (ovl_bufs(u->p, fdt, most, &ob) < 0) {
		lprintf(log, "fdt: overlays: no memory for the overlay buffers: no user overlay");
		return 0;
	}
	/* Each onto a scratch copy (overlay.c): a failure keeps the tree. */
	for (unsigned i = 0; i < u->n && err != -FDT_ERR_NOSPACE; i++)
		err = overlay_apply_checked(fdt, u->o[i].data, u->o[i].size, u->o[i].name, &ob, log);
	ovl_bufs_free(u->p, &ob);
	return err == -FDT_ERR_NOSPACE ? err : 0;
}

int pipeline_user_overlays(struct pipeline *p, const struct pipeline_overlay *o, unsigned n)
{
	struct user_overlays u = { p, o, n };

	if (!n)
		return 0;
	return pipeline_step(p, "user overlays", step_user_overlays, &u);
}

void pipeline_free(struct pipeline *p)
{
	if (p->tree.fdt)
		p->alloc.free(p->alloc.ctx, p->tree.fdt, p->tree.size);
	p->tree.fdt = NULL;
}
