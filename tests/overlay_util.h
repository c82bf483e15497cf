/* For the overlay and pipeline tests (tests/overlay_test.c,
 * tests/pipeline_test.c): the blobs dtc -@ makes from a one-fragment
 * overlay, built with libfdt's sequential writer, and a heap allocator for
 * the tree pipeline that counts what is outstanding and can be told to fail. */
#ifndef PLINTH_TESTS_OVERLAY_UTIL_H
#define PLINTH_TESTS_OVERLAY_UTIL_H
#include <stddef.h>
#include "pipeline/tree_buf.h"

/* What dtc -@ makes of
 *     &{/path} { prop = "value"; };   (target "/path": target-path)
 *     &label { prop = "value"; };      (target "label": a __fixups__ entry)
 * in a malloc'd buffer (free it); *size = its length. */
void *ovl_blob(const char *target, const char *prop, const char *value, size_t *size);

/* A tree of its own, 4 KiB: / with the root cells, /chosen, and the label
 * uart0 in __symbols__ naming /serial@9000000 (phandle 1), and
 * /chosen/stdout-path = "serial0" when console is set. */
void *ovl_base_tree(int console);

/* The heap, counting: outstanding allocations, and fail_at = N makes the
 * Nth allocation from now (1-based) return NULL. */
struct counting_heap {
	unsigned live, allocs, fail_at;
};

struct tree_alloc counting_alloc(struct counting_heap *h);

#endif
