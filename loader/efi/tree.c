/* The loader's steps on the converted tree before the overlays (loader.h):
 * /chosen, pci-probe-only, and the helpers gop.c shares (a child
 * made when missing, /reserved-memory, a label). Pure libfdt: no UEFI
 * calls. What comes after the overlays is final_tree.c's. */
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "loader.h"

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

int tree_set_chosen(void *fdt, const struct chosen_args *a, const struct plinth_log *log)
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

/* Every firmware the loader runs on (EDK2's AAVMF, VMware's and Parallels'
 * UEFI, all EDK2-based; docs/platforms.md) has assigned each BAR and bridge
 * window before the loader runs, and the ACPI tables describe that
 * assignment: the kernel keeps it (kernel/core/pci.c honours
 * /chosen/linux,pci-probe-only) rather than assigning again. */
int tree_set_pci_probe_only(void *fdt, const struct plinth_log *log)
{
	int chosen = tree_subnode(fdt, 0, "chosen"), err;

	if (chosen < 0)
		return chosen;
	err = fdt_setprop_u32(fdt, chosen, "linux,pci-probe-only", 1);
	if (err == 0)
		lprintf(log, "fdt: chosen: linux,pci-probe-only = 1 (the firmware's PCI assignment is kept)");
	return err;
}
