/* Fuzz target: the overlay pipeline (loader/overlay.c, loader/board.h).
 *
 * Input = length-prefixed chunks: each a little-endian u32 (bit 31 a flag,
 * bits 0-30 the length), then that many bytes (the last one gets what is
 * left when its length runs past the end). The first chunk is the base tree,
 * the others overlays. The base is only used when it passes dt_check_blob
 * (the kernel's guarded fdt_check_full, which the loader's overlay check
 * uses too), as the loader's converted tree always does; each overlay is
 * hostile and goes in a buffer of exactly its chunk's length, so an
 * over-read is caught.
 *
 * The flag of the base's length picks the path: set, the first two
 * overlays are a board's overlay.dtso and console.dtso through
 * overlay_apply_board, then the rest as user overlays; clear, all of them
 * through overlay_apply_checked, as acpi2dts --overlay does. A board's
 * blobs are part of the program and pass overlay_check when built
 * (tests/boards_test.c), so overlay_apply_board does not check them again:
 * chunks that fail overlay_check are no board here either, and go the user
 * overlays' way. The tree buffer
 * grows on -FDT_ERR_NOSPACE (as acpi2dts does). Checked per input: every log
 * line is one line, and after every overlay the tree is a valid blob. */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/dt.h>
#include "pipeline/board.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CHUNKS	8
#define TREE_MAX	(1024 * 1024)

struct chunk {
	uint8_t *data;
	size_t len;
};

static void log_line(void *arg, const char *text)
{
	(void)arg;
	if (strchr(text, '\n'))
		abort();	/* one line per call (acpi2fdt.h) */
}

static unsigned split(const uint8_t *in, size_t size, struct chunk *out, int *board)
{
	unsigned n = 0;
	size_t off = 0;

	while (off + 4 <= size && n < MAX_CHUNKS) {
		size_t len = in[off] | (size_t)in[off + 1] << 8 | (size_t)in[off + 2] << 16 |
			     (size_t)in[off + 3] << 24;

		if (n == 0)
			*board = (len >> 31) & 1;
		len &= 0x7fffffff;
		off += 4;
		if (len > size - off)
			len = size - off;
		/* Each chunk in its own allocation of exactly its length. */
		out[n].data = malloc(len ? len : 1);
		if (!out[n].data)
			break;
		memcpy(out[n].data, in + off, len);
		out[n++].len = len;
		off += len;
	}
	return n;
}

static void check_tree(const void *fdt)
{
	if (dt_check_blob(fdt, fdt_totalsize(fdt)) != 0)
		abort();	/* a failed or applied overlay leaves a valid tree */
	(void)overlay_tree_has_console(fdt);
}

/* One step (a board's pair or one user overlay), growing the tree's buffer
 * and the scratch buffers on -FDT_ERR_NOSPACE as acpi2dts does. */
static int step(void **tree, size_t *tree_size, const struct board *bd, const struct chunk *c,
		const struct plinth_log *log)
{
	int err;

	if (!bd && !c)		/* one of the two names the step */
		return -FDT_ERR_BADVALUE;
	for (;;) {
		size_t need = (bd ? bd->overlay_size + bd->console_size : c->len) + 16;
		struct overlay_bufs ob = { malloc(*tree_size), *tree_size, malloc(need), need };
		void *grown;

		if (!ob.scratch || !ob.ovl) {
			free(ob.scratch);
			free(ob.ovl);
			return -FDT_ERR_NOSPACE;
		}
		err = bd ? overlay_apply_board(*tree, bd, &ob, log) :
			   overlay_apply_checked(*tree, c->data, c->len, "fuzz.dtbo", &ob, log);
		free(ob.scratch);
		free(ob.ovl);
		if (err != -FDT_ERR_NOSPACE || *tree_size * 2 > TREE_MAX)
			break;
		grown = malloc(*tree_size * 2);
		if (!grown || fdt_open_into(*tree, grown, (int)(*tree_size * 2)) < 0) {
			free(grown);
			break;
		}
		free(*tree);
		*tree = grown;
		*tree_size *= 2;
	}
	check_tree(*tree);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plinth_log log = { log_line, NULL };
	struct chunk c[MAX_CHUNKS];
	int board = 0;
	unsigned n = split(data, size, c, &board), first = 1;
	size_t tree_size;
	void *tree = NULL;

	if (n < 2 || c[0].len < sizeof(struct fdt_header) || fdt_check_header(c[0].data) != 0 ||
	    fdt_totalsize(c[0].data) > c[0].len ||
	    dt_check_blob(c[0].data, fdt_totalsize(c[0].data)) != 0)
		goto out;
	tree_size = fdt_totalsize(c[0].data);
	tree = malloc(tree_size);
	if (!tree || fdt_open_into(c[0].data, tree, (int)tree_size) < 0)
		goto out;
	if (board && (overlay_check(c[1].data, c[1].len, "fuzz", &log) != 0 ||
		      (n > 2 && overlay_check(c[2].data, c[2].len, "fuzz", &log) != 0)))
		board = 0;
	if (board) {
		struct board bd = { .name = "fuzz", .oem_id = "", .smbios_manufacturer = "",
				    .smbios_product = "", .overlay = c[1].data,
				    .overlay_size = (uint32_t)c[1].len };

		if (n > 2) {
			bd.console = c[2].data;
			bd.console_size = (uint32_t)c[2].len;
		}
		step(&tree, &tree_size, &bd, NULL, &log);
		first = n > 2 ? 3 : 2;
	}
	for (unsigned i = first; i < n; i++)
		step(&tree, &tree_size, NULL, &c[i], &log);
out:
	free(tree);
	for (unsigned i = 0; i < n; i++)
		free(c[i].data);
	return 0;
}
