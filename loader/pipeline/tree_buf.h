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
/* Move the tree into a buffer of exactly `size` bytes (allocated), freeing
 * the old one. */
int tree_move(struct tree_buf *t, size_t size);

#endif
