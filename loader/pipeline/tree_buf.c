/* tree_step and tree_rewrite (tree_buf.h): the tree in a buffer that grows,
 * each step run again, from a snapshot or from the tree it reads, when it
 * ran out of room. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include "tree_buf.h"

int tree_step(struct tree_buf *t, tree_step_fn step, void *arg, struct llog *l)
{
	struct plinth_log log = llog_sink(l);

	for (;;) {
		/* The snapshot holds the blocks in use, not the free room:
		 * copying the whole buffer on every step was most of the
		 * loader's own work. */
		size_t used = fdt_off_dt_strings(t->fdt) + fdt_size_dt_strings(t->fdt);
		size_t snap_size = (used + 7) & ~(size_t)7;
		void *snap = t->a->alloc(t->a->ctx, snap_size);
		size_t nsize = t->size * 2;
		void *nb;
		int r, err;

		if (!snap)
			return -PLINTH_ENOMEM;
		memcpy(snap, t->fdt, used);
		fdt_set_totalsize(snap, (uint32_t)used);
		llog_hold(l);
		r = step(t->fdt, arg, &log);
		if (r != -FDT_ERR_NOSPACE || nsize > t->max) {
			llog_release(l, 1);
			t->a->free(t->a->ctx, snap, snap_size);
			if (r == -FDT_ERR_NOSPACE)
				lprintf(&log, "fdt: tree: out of space at %zu bytes, limit %zu reached",
					t->size, t->max);
			return r;
		}
		/* Drop the half-done step's lines and tree: redo both. */
		llog_release(l, 0);
		nb = t->a->alloc(t->a->ctx, nsize);
		err = nb ? fdt_open_into(snap, nb, (int)nsize) : -PLINTH_ENOMEM;
		t->a->free(t->a->ctx, snap, snap_size);
		if (err < 0) {
			if (nb)
				t->a->free(t->a->ctx, nb, nsize);
			lprintf(&log, "fdt: tree: growing to %zu bytes failed: %s", nsize,
				plinth_strerror(err));
			return err;
		}
		t->a->free(t->a->ctx, t->fdt, t->size);
		lprintf(&log, "fdt: tree: out of space at %zu bytes, grown to %zu", t->size, nsize);
		t->fdt = nb;
		t->size = nsize;
		t->grown++;
	}
}

int tree_rewrite(struct tree_buf *t, tree_write_fn write, void *arg, size_t size, struct llog *l)
{
	struct plinth_log log = llog_sink(l);

	for (;;) {
		void *out = t->a->alloc(t->a->ctx, size);
		int r;

		if (!out)
			return -PLINTH_ENOMEM;
		llog_hold(l);
		r = write(t->fdt, out, size, arg, &log);
		if (r == 0) {
			llog_release(l, 1);
			t->a->free(t->a->ctx, t->fdt, t->size);
			t->fdt = out;
			t->size = size;
			return 0;
		}
		t->a->free(t->a->ctx, out, size);
		if (r != -FDT_ERR_NOSPACE || size * 2 > t->max) {
			llog_release(l, 1);
			if (r == -FDT_ERR_NOSPACE)
				lprintf(&log, "fdt: tree: out of space at %zu bytes, limit %zu reached",
					size, t->max);
			return r;
		}
		/* Drop the lines of the try that ran out: the next says them. */
		llog_release(l, 0);
		size *= 2;
		t->grown++;
	}
}
