/* Device tree overlays onto the converted tree: the board's overlay.dtso and
 * console.dtso and the user's \plinth\overlays\*.dtbo. Pure C, shared by the
 * loader and acpi2dts.
 *
 * fdt_overlay_apply reports a bare code and leaves the base tree damaged on
 * failure. So each overlay is applied to a scratch copy that replaces the
 * tree only on success, and a failure is then explained by checking the
 * overlay against the tree, which is how the log can name the fragment and
 * the missing label (docs/design.md, log contract: `fdt: overlay
 * 10-debug.dtbo: missing label 'uart9' (node /fragment@0)`). Those checks
 * look every target and label up in the tree, a walk of it each: run only
 * when they have something to explain, they are not the price of every
 * overlay that applies. Overlays are hostile input: the kernel's dt_check_blob
 * (which guards libfdt's fdt_check_full against the blobs that crash or hang
 * it) before any read, and every string is taken only when its NUL lies
 * inside the property. */
#include <libfdt.h>
#include <string.h>
#include <plinth/dt_check.h>
#include <plinth/printk.h>
#include "board.h"

/* A property that is one NUL-terminated string, or NULL. */
static const char *prop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len < 1 || s[len - 1] != 0 || strlen(s) + 1 != (size_t)len)
		return NULL;
	return s;
}

/* Each fragment needs a target: a target-path or a target phandle. With a
 * base tree, each target must also exist in it (a target-path by path, a
 * target phandle by phandle; 0xffffffff is a label left for __fixups__,
 * checked there). */
static int check_fragments(const void *base, const void *ovl, const char *name,
			   const struct plinth_log *log)
{
	int frag, count = 0, len;

	fdt_for_each_subnode(frag, ovl, 0) {
		const char *fname = fdt_get_name(ovl, frag, NULL);
		const char *path;
		const fdt32_t *ph;

		if (fdt_subnode_offset(ovl, frag, "__overlay__") < 0)
			continue;
		count++;
		path = prop_string(ovl, frag, "target-path");
		ph = fdt_getprop(ovl, frag, "target", &len);
		if (path) {
			if (base && fdt_path_offset(base, path) < 0) {
				lfdt(log, "overlay %s: target-path '%s' is not in the tree (node /%s)",
					    name, path, fname);
				return -FDT_ERR_NOTFOUND;
			}
		} else if (ph && len == 4) {
			uint32_t v = fdt32_to_cpu(*ph);
			if (base && v != 0xffffffffu && fdt_node_offset_by_phandle(base, v) < 0) {
				lfdt(log, "overlay %s: target phandle 0x%x is not in the tree (node /%s)",
					    name, v, fname);
				return -FDT_ERR_NOTFOUND;
			}
		} else {
			lfdt(log, "overlay %s: fragment has no target or target-path (node /%s)",
				    name, fname);
			return -FDT_ERR_BADOVERLAY;
		}
	}
	if (frag != -FDT_ERR_NOTFOUND || count == 0) {
		lfdt(log, "overlay %s: %s", name,
			    count ? fdt_strerror(frag) : "no fragment with an __overlay__ node");
		return count ? frag : -FDT_ERR_BADOVERLAY;
	}
	return 0;
}

/* Each __fixups__ property is a label the overlay uses; its value lists
 * "path:property:offset" places. The label must be in the tree's
 * __symbols__ (the converter's label contract). */
static int check_fixups(const void *base, const void *ovl, const char *name,
			const struct plinth_log *log)
{
	int fix = fdt_path_offset(ovl, "/__fixups__"), syms = fdt_path_offset(base, "/__symbols__");
	int prop;

	if (fix < 0)
		return 0;
	fdt_for_each_property_offset(prop, ovl, fix) {
		const char *label, *use;
		int len;

		use = fdt_getprop_by_offset(ovl, prop, &label, &len);
		if (!use || !label)
			continue;
		if (syms >= 0 && fdt_getprop(base, syms, label, NULL))
			continue;
		/* Name the first place that uses it: its node path. */
		char where[96];
		size_t n = 0;
		while (n < (size_t)len && n < sizeof(where) - 1 && use[n] && use[n] != ':')
			n++;
		memcpy(where, use, n);
		where[n] = 0;
		lfdt(log, "overlay %s: missing label '%s' (node %s)%s", name, label, where,
			    syms < 0 ? ": the tree has no __symbols__" : "");
		return -FDT_ERR_NOTFOUND;
	}
	return 0;
}

/* Each __local_fixups__ property lists offsets of phandles inside the
 * same-named property of the matching overlay node. libfdt (1.6.1) reads
 * there without a bounds check, so every offset must leave 4 bytes inside
 * that property (a fuzzer finding: tests/fuzz/corpus/overlay/regress-*). */
static int check_local_fixups(const void *ovl, int lf, int node, const char *name,
			      const struct plinth_log *log)
{
	int prop, sub;

	fdt_for_each_property_offset(prop, ovl, lf) {
		const char *pname;
		const fdt32_t *off;
		int len, plen, i;

		off = fdt_getprop_by_offset(ovl, prop, &pname, &len);
		if (!off || !pname)
			continue;
		if (!fdt_getprop(ovl, node, pname, &plen))
			plen = 0;
		for (i = 0; i + 4 <= len; i += 4) {
			uint32_t o = fdt32_to_cpu(off[i / 4]);
			if (o > (uint32_t)plen || (uint32_t)plen - o < 4) {
				char path[96];
				if (fdt_get_path(ovl, node, path, sizeof(path)) < 0)
					strcpy(path, "?");
				lfdt(log, "overlay %s: bad __local_fixups__: offset %u past property '%s' "
					    "(%d bytes) (node %s)", name, o, pname, plen, path);
				return -FDT_ERR_BADOVERLAY;
			}
		}
	}
	fdt_for_each_subnode(sub, ovl, lf) {
		int child = fdt_subnode_offset(ovl, node, fdt_get_name(ovl, sub, NULL));
		int err;

		if (child < 0) {
			lfdt(log, "overlay %s: bad __local_fixups__: node '%s' is not in the overlay",
				    name, fdt_get_name(ovl, sub, NULL));
			return -FDT_ERR_BADOVERLAY;
		}
		if ((err = check_local_fixups(ovl, sub, child, name, log)) < 0)
			return err;
	}
	return 0;
}

int overlay_check(const void *ovl, size_t ovl_len, const char *name, const struct plinth_log *log)
{
	int err, lf;

	if (ovl_len < sizeof(struct fdt_header) || (err = fdt_check_header(ovl)) < 0 ||
	    fdt_totalsize(ovl) > ovl_len || (err = dt_check_blob(ovl, fdt_totalsize(ovl))) < 0) {
		lfdt(log, "overlay %s: not a valid device tree blob (%zu bytes: %s)", name,
			    ovl_len, ovl_len < sizeof(struct fdt_header) ? "shorter than a header" :
			    fdt_totalsize(ovl) > ovl_len ? "header size past the file" : fdt_strerror(err));
		return -FDT_ERR_BADOVERLAY;
	}
	err = check_fragments(NULL, ovl, name, log);
	if (err == 0 && (lf = fdt_path_offset(ovl, "/__local_fixups__")) >= 0)
		err = check_local_fixups(ovl, lf, 0, name, log);
	return err;
}

int overlay_apply(void *fdt, const void *ovl, const char *name, const struct overlay_bufs *b,
		  const struct plinth_log *log)
{
	int err;

	if (fdt_totalsize(ovl) > b->ovl_size || fdt_totalsize(fdt) > b->scratch_size)
		return -FDT_ERR_NOSPACE;
	memcpy(b->ovl, ovl, fdt_totalsize(ovl));
	err = fdt_open_into(fdt, b->scratch, (int)fdt_totalsize(fdt));
	if (err == 0)
		err = fdt_overlay_apply(b->scratch, b->ovl);
	if (err == -FDT_ERR_NOSPACE)
		return err;
	if (err < 0) {
		/* Against the tree: a missing target or label, said by name. */
		if (check_fragments(fdt, ovl, name, log) == 0 && check_fixups(fdt, ovl, name, log) == 0)
			lfdt(log, "overlay %s: libfdt could not apply it: %s; the tree is kept as it was",
				    name, fdt_strerror(err));
		return err;
	}
	err = fdt_open_into(b->scratch, fdt, (int)fdt_totalsize(fdt));
	if (err < 0)
		return err;
	lfdt(log, "overlay %s: applied", name);
	return 0;
}

int overlay_apply_checked(void *fdt, const void *ovl, size_t ovl_len, const char *name,
			  const struct overlay_bufs *b, const struct plinth_log *log)
{
	int err = overlay_check(ovl, ovl_len, name, log);

	return err < 0 ? err : overlay_apply(fdt, ovl, name, b, log);
}

int overlay_tree_has_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	return chosen >= 0 && prop_string(fdt, chosen, "stdout-path") != NULL;
}

/* Precedence (README, "Boards"): what the tables state stays; overlay.dtso
 * (documented quirk fixes) always; console.dtso only when the tables named
 * no console, checked after overlay.dtso since a quirk fix may complete the
 * console. A board overlay that does not apply is logged and skipped: the
 * converted tree is still a working tree. The board's blobs are part of
 * this program, built by dtc and checked by the tests (overlay_check on
 * every board: tests/pipeline_test.c), not input: they are not checked
 * again on every boot. */
int overlay_apply_board(void *fdt, const struct board *bd, const struct overlay_bufs *b,
			const struct plinth_log *log)
{
	char name[48];
	int err;

	ksnprintf(name, sizeof(name), "%s/overlay.dtso", bd->name);
	err = overlay_apply(fdt, bd->overlay, name, b, log);
	if (err == -FDT_ERR_NOSPACE)
		return err;
	/* Said once it is true: a failure has said why instead. */
	if (err == 0)
		lfdt(log, "board %s: overlay.dtso: applied always (quirk fixes)", bd->name);
	if (!bd->console) {
		lfdt(log, "board %s: no console.dtso", bd->name);
		return 0;
	}
	if (overlay_tree_has_console(fdt)) {
		lfdt(log, "board %s: console.dtso not applied: the tables named a console "
			    "(/chosen/stdout-path set)", bd->name);
		return 0;
	}
	ksnprintf(name, sizeof(name), "%s/console.dtso", bd->name);
	err = overlay_apply(fdt, bd->console, name, b, log);
	if (err == 0)
		lfdt(log, "board %s: console.dtso applied: the tables named no console "
			    "(no /chosen/stdout-path)", bd->name);
	return err == -FDT_ERR_NOSPACE ? err : 0;
}
