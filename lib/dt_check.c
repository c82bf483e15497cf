/* The whole-blob check every untrusted tree passes before anything walks it
 * (dt_check.h): the kernel's boot tree, the loader's overlays and firmware
 * trees, the fuzzers' inputs. */
#include <libfdt.h>
#include <plinth/dt_check.h>

/* libfdt 1.6.1's fdt_next_tag does not reject a property length that brings
 * the next offset back to (or before) the current one, and fdt_check_full
 * then loops forever (a 2.6 KiB blob found by tests/fuzz/fuzz_dt_print.c).
 * Walk the tags once ourselves and require every step to move forward; the
 * walk is bounded because the offsets strictly increase inside the blob. */
static int tags_advance(const void *fdt)
{
	int off = 0, next = 0;

	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (next < 0)
			return next;
		if (tag == FDT_END)
			return 0;
		if (next <= off)
			return -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
}

int dt_check_blob(const void *fdt, size_t size)
{
	int rc = fdt_check_header(fdt), len;

	if (rc < 0)
		return rc;
	/* Versions before 16 spell node names as full paths; libfdt 1.6.1's
	 * fdt_check_full dereferences fdt_get_name's NULL for a root node
	 * whose name has no '/' there (found by tests/fuzz/fuzz_devtree.c).
	 * Nothing we boot from writes them: version 17, back to 16 (DT spec
	 * 5.2). The root's name is checked here for the same reason. */
	if (fdt_version(fdt) < 16 || fdt_last_comp_version(fdt) > 17)
		return -FDT_ERR_BADVERSION;
	if (!fdt_get_name(fdt, 0, &len))
		return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
	rc = tags_advance(fdt);
	if (rc < 0)
		return rc;
	return fdt_check_full(fdt, size);
}
