/* Helpers for the overlay and pipeline tests (overlay_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "overlay_util.h"

void *ovl_blob(const char *target, const char *prop, const char *value, size_t *size)
{
	int cap = (int)(1024 + strlen(target) + strlen(prop) + strlen(value));
	void *b = malloc((size_t)cap);

	assert_non_null(b);
	assert_int_equal(fdt_create(b, cap), 0);
	assert_int_equal(fdt_finish_reservemap(b), 0);
	assert_int_equal(fdt_begin_node(b, ""), 0);
	assert_int_equal(fdt_begin_node(b, "fragment@0"), 0);
	if (target[0] == '/')
		assert_int_equal(fdt_property_string(b, "target-path", target), 0);
	else
		assert_int_equal(fdt_property_u32(b, "target", 0xffffffffu), 0);
	assert_int_equal(fdt_begin_node(b, "__overlay__"), 0);
	assert_int_equal(fdt_property_string(b, prop, value), 0);
	assert_int_equal(fdt_end_node(b), 0);
	assert_int_equal(fdt_end_node(b), 0);
	if (target[0] != '/') {
		assert_int_equal(fdt_begin_node(b, "__fixups__"), 0);
		assert_int_equal(fdt_property_string(b, target, "/fragment@0:target:0"), 0);
		assert_int_equal(fdt_end_node(b), 0);
	}
	assert_int_equal(fdt_end_node(b), 0);
	assert_int_equal(fdt_finish(b), 0);
	*size = fdt_totalsize(b);
	return b;
}

void *ovl_base_tree(int console)
{
	void *fdt = calloc(1, 4096);
	int node;

	assert_non_null(fdt);
	assert_int_equal(fdt_create_empty_tree(fdt, 4096), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
	node = fdt_add_subnode(fdt, 0, "serial@9000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(fdt, node, "compatible", "arm,pl011"), 0);
	/* A labelled node has a phandle (dtc -@): fixups resolve to it. */
	assert_int_equal(fdt_setprop_u32(fdt, node, "phandle", 1), 0);
	node = fdt_add_subnode(fdt, 0, "chosen");
	assert_true(node >= 0);
	if (console)
		assert_int_equal(fdt_setprop_string(fdt, node, "stdout-path", "serial0"), 0);
	node = fdt_add_subnode(fdt, 0, "__symbols__");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(fdt, node, "uart0", "/serial@9000000"), 0);
	return fdt;
}

static void *counting_malloc(void *ctx, size_t size)
{
	struct counting_heap *h = ctx;
	void *p;

	if (++h->allocs == h->fail_at)
		return NULL;
	p = malloc(size);
	if (p)
		h->live++;
	return p;
}

static void counting_free(void *ctx, void *p, size_t size)
{
	struct counting_heap *h = ctx;

	(void)size;
	if (!p)
		return;
	assert_true(h->live > 0);
	h->live--;
	free(p);
}

struct tree_alloc counting_alloc(struct counting_heap *h)
{
	return (struct tree_alloc){ counting_malloc, counting_free, h };
}
