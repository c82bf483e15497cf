/* The loader's steps on the converted tree (efi_loader.h): /chosen, /plinth,
 * the handed-over log, /memreserve/ entries, symbols, and the buffer that
 * grows when libfdt runs out of space. Pure libfdt: no UEFI calls. */
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "efi_loader.h"

/* Offset of the root's child `name`, created when missing. */
int tree_subnode(void *fdt, int parent, const char *name)
{
	int node = fdt_subnode_offset(fdt, parent, name);

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, parent, name);
	return node;
}

int tree_set_symbol(void *fdt, const char *label, const char *path)
{
	int node = tree_subnode(fdt, 0, "__symbols__");

	if (node < 0)
		return node;
	return fdt_setprop_string(fdt, node, label, path);
}

int tree_cpu_ranges(void *fdt, int node)
{
	int err = fdt_setprop_u32(fdt, node, "#address-cells", 2);

	if (err == 0)
		err = fdt_setprop_u32(fdt, node, "#size-cells", 2);
	if (err == 0)
		err = fdt_setprop_empty(fdt, node, "ranges");
	return err < 0 ? err : node;
}

/* reserved-memory.yaml: the same cells as the root and an empty ranges,
 * given only when the node is made here (one an overlay made keeps its own). */
int tree_reserved_memory(void *fdt)
{
	int node = fdt_subnode_offset(fdt, 0, "reserved-memory");

	if (node != -FDT_ERR_NOTFOUND)
		return node;
	node = fdt_add_subnode(fdt, 0, "reserved-memory");
	return node < 0 ? node : tree_cpu_ranges(fdt, node);
}

/* A string property for the log: "(none)" when absent or not a string. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len < 1 || v[len - 1] != '\0')
		return NULL;
	return v;
}

int tree_set_chosen(void *fdt, const struct chosen_args *a, const struct acpi2fdt_log *log)
{
	int node = tree_subnode(fdt, 0, "chosen");
	const char *sp;
	int err;

	if (node < 0)
		return node;
	/* stdout-path is the converter's (SPCR, DBG2 or the DSDT scan): the
	 * loader only reports it. */
	sp = prop_str(fdt, node, "stdout-path");
	if (sp)
		lprintf(log, "fdt: chosen: stdout-path \"%s\" (from the converter), kept", sp);
	else
		lprintf(log, "fdt: chosen: no stdout-path: the tables named no console; "
			"the kernel falls back to any UART it can drive");
	if (a->bootargs) {
		err = fdt_setprop_string(fdt, node, "bootargs", a->bootargs);
		if (err < 0)
			return err;
		lprintf(log, "fdt: chosen: bootargs \"%s\"", a->bootargs);
	}
	if (a->initrd_size) {
		uint64_t end = a->initrd_start + a->initrd_size;

		err = fdt_setprop_u64(fdt, node, "linux,initrd-start", a->initrd_start);
		if (err == 0)
			err = fdt_setprop_u64(fdt, node, "linux,initrd-end", end);
		if (err < 0)
			return err;
		lprintf(log, "fdt: chosen: linux,initrd-start 0x%llx, linux,initrd-end 0x%llx",
			(unsigned long long)a->initrd_start, (unsigned long long)end);
	}
	return 0;
}

int tree_set_plinth(void *fdt, uint64_t rsdp, const char *board, const struct acpi2fdt_log *log)
{
	int node = tree_subnode(fdt, 0, "plinth");
	int err;

	if (node < 0)
		return node;
	/* /chosen's binding (dt-schema chosen.yaml) admits no new property,
	 * and a vendor-prefixed property name needs a registered vendor; an
	 * own node with its own compatible and plain property names passes
	 * dt-validate. */
	err = fdt_setprop_string(fdt, node, "compatible", "plinth,boot-info");
	if (err == 0)
		err = fdt_setprop_u64(fdt, node, "acpi-rsdp", rsdp);
	if (err == 0 && board && board[0])
		err = fdt_setprop_string(fdt, node, "board", board);
	if (err < 0)
		return err;
	lprintf(log, "fdt: plinth: /plinth acpi-rsdp = 0x%llx%s%s", (unsigned long long)rsdp,
		board && board[0] ? ", board = " : "", board && board[0] ? board : "");
	return 0;
}

int tree_add_log_region(void *fdt, uint64_t base, uint64_t size, const struct acpi2fdt_log *log)
{
	char name[40];
	int parent = tree_reserved_memory(fdt), node, err;

	if (parent < 0)
		return parent;
	ksnprintf(name, sizeof(name), "loader-log@%llx", (unsigned long long)base);
	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0)
		return node;
	/* Not no-map: the region is loader data inside /memory, and the kernel
	 * maps /memory and reads the text from there. */
	err = fdt_setprop_string(fdt, node, "compatible", "plinth,loader-log");
	if (err == 0)
		err = fdt_appendprop_addrrange(fdt, parent, node, "reg", base, size);
	if (err < 0)
		return err;
	lprintf(log, "fdt: reserved-memory: %s 0x%llx-0x%llx: this log, for the kernel's `log`",
		name, (unsigned long long)base, (unsigned long long)(base + size - 1));
	return 0;
}

int tree_add_memreserve(void *fdt, uint64_t base, uint64_t size, const char *what,
			const struct acpi2fdt_log *log)
{
	int err = fdt_add_mem_rsv(fdt, base, size);

	if (err < 0)
		return err;
	lprintf(log, "fdt: memreserve: %s 0x%llx-0x%llx", what, (unsigned long long)base,
		(unsigned long long)(base + size - 1));
	return 0;
}

int tree_count_nodes(const void *fdt)
{
	int node = 0, depth = 0, n = 0;

	while (node >= 0 && depth >= 0) {
		n++;
		node = fdt_next_node(fdt, node, &depth);
	}
	return node == -FDT_ERR_NOTFOUND || depth < 0 ? n : node;
}

int tree_move(struct tree_buf *t, size_t size)
{
	void *nb = t->a->alloc(t->a->ctx, size);
	int err;

	if (!nb)
		return -PLINTH_ENOMEM;
	err = fdt_open_into(t->fdt, nb, (int)size);
	if (err < 0) {
		t->a->free(t->a->ctx, nb, size);
		return err;
	}
	t->a->free(t->a->ctx, t->fdt, t->size);
	t->fdt = nb;
	t->size = size;
	return 0;
}

int tree_step(struct tree_buf *t, tree_step_fn step, void *arg, struct llog *l)
{
	struct acpi2fdt_log log = llog_sink(l);

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
