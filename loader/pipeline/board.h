/* Boards as data: the table gen/boards.py makes from boards/<name>/ (one row
 * per folder, linked into the loader and acpi2dts) and the pure pieces that
 * use it: detection (board.c) and overlay application (overlay.c). No board
 * name or address is written in C (docs/design.md, board contract). */
#ifndef PLINTH_BOARD_H
#define PLINTH_BOARD_H
#include <stddef.h>
#include <stdint.h>
#include <plinth/log.h>

struct board {
	const char *name;			/* the folder's name */
	const char *oem_id;			/* ACPI OEM ID, trailing spaces trimmed; "" = none */
	const char *smbios_manufacturer;	/* SMBIOS type 1, exact; "" = none */
	const char *smbios_product;		/* "" = any product */
	const uint8_t *overlay;			/* overlay.dtso, dtc -@ */
	uint32_t overlay_size;
	const uint8_t *console;			/* console.dtso, or NULL */
	uint32_t console_size;
};

extern const struct board plinth_boards[];
extern const unsigned plinth_board_count;

/* What the machine says about itself. Any field may be NULL (not found). */
struct board_ids {
	const char *forced;		/* board= from plinth.cfg / --board NAME */
	const char *oem_id;		/* 6 bytes, NUL-terminated, space-padded as in the tables */
	const char *smbios_manufacturer;
	const char *smbios_product;
};

/* The board for ids: forced by name first, then the ACPI OEM ID, then SMBIOS
 * manufacturer (+ product when the row names one). Logs `fdt: board NAME
 * (matched ...)` or why none matched. NULL: no board (or a forced name that
 * no folder has, logged). */
const struct board *board_detect(const struct board *tab, unsigned n, const struct board_ids *ids,
				 const struct plinth_log *log);

/* Buffers one overlay application needs, supplied by the caller (the
 * converter allocates nothing): `scratch` holds a copy of the tree (at least
 * the tree's buffer size), `ovl` a writable copy of the overlay, since
 * fdt_overlay_apply consumes both. */
struct overlay_bufs {
	void *scratch;
	size_t scratch_size;
	void *ovl;
	size_t ovl_size;
};

/* An overlay from outside is hostile input: checked alone before libfdt
 * reads it (header and structure: dt_check_blob; each fragment has a
 * target; __local_fixups__ offsets inside their properties, which libfdt
 * 1.6.1 does not bound). 0, or -FDT_ERR_BADOVERLAY after a log line
 * (name for the log: "10-debug.dtbo"). */
int overlay_check(const void *ovl, size_t ovl_len, const char *name, const struct plinth_log *log);

/* Apply one checked overlay onto fdt, an open tree in a buffer of
 * fdt_totalsize(fdt) bytes: onto a scratch copy, which replaces the tree
 * only on success. A failure is then explained against the tree (each
 * fragment's target, each __fixups__ label in its __symbols__), naming the
 * fragment and label. Returns 0 (applied), -FDT_ERR_NOSPACE (the tree's
 * buffer is too small: grow and retry; nothing logged) or another negative
 * code after a log line; on any failure the tree is unchanged. */
int overlay_apply(void *fdt, const void *ovl, const char *name, const struct overlay_bufs *b,
		  const struct plinth_log *log);

/* overlay_check, then overlay_apply: a user's overlay. */
int overlay_apply_checked(void *fdt, const void *ovl, size_t ovl_len, const char *name,
			  const struct overlay_bufs *b, const struct plinth_log *log);

/* The board's overlay.dtso, then its console.dtso when the tree has no
 * /chosen/stdout-path, each logged with why once it applied. A failure is
 * logged (only the failure) and leaves the tree as it was (returns 0);
 * -FDT_ERR_NOSPACE means the tree's buffer needs room for both overlays
 * (nothing logged: the caller grows it and runs this again). */
int overlay_apply_board(void *fdt, const struct board *bd, const struct overlay_bufs *b,
			const struct plinth_log *log);

/* 1 when the tree has /chosen/stdout-path (a console). */
int overlay_tree_has_console(const void *fdt);

#endif
