/* Print a flattened device tree (or one subtree) as DTS source that dtc
 * compiles back. Pure function of the blob: output goes through a callback,
 * so the same code runs in the kernel (`dt` command) and in host tests.
 *
 * What is printed:
 *   - `/dts-v1/;` and one `/memreserve/ addr size;` line per reservation;
 *   - labels from /__symbols__ (a label whose path is the node's path is
 *     printed as `label:` before the node name);
 *   - every property, `phandle` included; values as a string list when every
 *     byte is printable and each string NUL-terminated, else `<cells>` when the
 *     length is a multiple of 4, else `[bytes]`;
 *   - `interrupt-parent` as `<&label>` or `<&{/path}>`, and the phandle lists
 *     dtc checks (clocks, *-gpios, interrupts-extended, msi-parent, resets,
 *     ...) as `<&ref args...>` when they parse against the provider's #cells,
 *     so a full dump recompiles without warnings.
 * A subtree print is wrapped in its ancestors (with their #address-cells and
 * #size-cells) so it is still valid DTS; references to nodes outside the
 * subtree are printed as raw phandle numbers so that dtc can compile it. */
#ifndef PLINTH_DT_PRINT_H
#define PLINTH_DT_PRINT_H
#include <stddef.h>

typedef void (*dt_print_write)(void *ctx, const char *s, size_t n);

/* Print the node that `path` names (a path or an alias; NULL or "/" = the whole
 * tree). Returns 0 or a negative libfdt/plinth code (-FDT_ERR_NOTFOUND for an
 * unknown path, -FDT_ERR_BADSTRUCTURE for a tree nested too deep). */
int dt_print(const void *fdt, const char *path, dt_print_write write, void *ctx);

#endif
