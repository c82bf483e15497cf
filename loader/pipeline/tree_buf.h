/* A tree in a buffer that the pipeline's steps grow (tree_buf.c). */
#ifndef PLINTH_PIPELINE_TREE_BUF_H
#define PLINTH_PIPELINE_TREE_BUF_H
#include <stddef.h>
#include <plinth/log.h>
#include "log.h"

/* A tree in a buffer that steps grow: on -FDT_ERR_NOSPACE the step is run
 * again on a copy of the tree as it was before the step, opened into a buffer
 * twice the size (a failed step may have half-written the tree). */
struct tree_alloc {
	void *(*alloc)(void *ctx, size_t size);	/* NULL on failure */
	void (*free)(void *ctx, void *p, size_t size);
	void *ctx;
};

struct tree_buf {
	void *fdt;			/* totalsize == size while steps run */
	size_t size;
	size_t max;			/* refuse to grow past this */
	const struct tree_alloc *a;
	unsigned grown;			/* times the buffer was grown */
};

typedef int (*tree_step_fn)(void *fdt, void *arg, const struct plinth_log *log);
/* Run step on t, growing on -FDT_ERR_NOSPACE (each growth logged). The
 * step's lines are held until it is done, so a repeated step prints once.
 * Returns the step's result; -FDT_ERR_NOSPACE when t->max is reached,
 * -PLINTH_ENOMEM when an allocation fails. */
int tree_step(struct tree_buf *t, tree_step_fn step, void *arg, struct llog *l);
/* A step that writes a new tree from the current one (src) into out, of
 * size bytes: 0, -FDT_ERR_NOSPACE when out is too small, or an error. */
typedef int (*tree_write_fn)(const void *src, void *out, size_t size, void *arg,
			     const struct plinth_log *log);
/* Replace t's tree by what write makes of it, in a new buffer of `size`
 * bytes, doubled (up to t->max) while write returns -FDT_ERR_NOSPACE; the
 * lines of a try that ran out are dropped. On success the old buffer is
 * freed and t holds the new tree, its totalsize as write left it; on
 * failure t is unchanged. */
int tree_rewrite(struct tree_buf *t, tree_write_fn write, void *arg, size_t size, struct llog *l);

#endif
