/* Fuzz target: the DTS printer behind the shell's `dt` command
 * (lib/dt_print.c) on arbitrary blobs.
 *
 * Input: optionally a path (starting with '/', or an alias name after a '@'
 * byte), NUL-terminated, then a flattened device tree; without one the whole
 * tree is printed. As in the kernel, only a tree that libfdt validates whole
 * (dt_check_blob, main.c step 3) is printed; the blob sits in a buffer of
 * exactly totalsize bytes. Besides the requested path, the subtrees of the
 * first few nodes are printed too (the wrapping in ancestors, references to
 * outside nodes). The output sink checks that the printer never emits a NUL. */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/dt.h>
#include <plinth/dt_print.h>
#include "host_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PATH 128

/* The header's totalsize, read bytewise: the input has no alignment. */
static size_t be32_at(const uint8_t *p)
{
	return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static void sink(void *ctx, const char *s, size_t n)
{
	size_t *total = ctx;

	if (memchr(s, '\0', n))
		abort();
	*total += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[MAX_PATH + 1], buf[MAX_PATH];
	const char *want = NULL;
	size_t total = 0, off = 0;
	void *fdt;

	if (size && (data[0] == '/' || data[0] == '@')) {
		const uint8_t *nul = memchr(data, '\0', size < MAX_PATH ? size : MAX_PATH);

		if (!nul)
			return 0;
		off = (size_t)(nul - data) + 1;
		memcpy(path, data + (data[0] == '@'), off - (data[0] == '@'));
		want = path;
	}
	data += off;
	size -= off;
	if (size < sizeof(struct fdt_header) || be32_at(data + 4) > size ||
	    be32_at(data + 4) < sizeof(struct fdt_header))
		return 0;
	fdt = malloc(be32_at(data + 4));
	if (!fdt)
		return 0;
	memcpy(fdt, data, be32_at(data + 4));
	if (dt_check_blob(fdt, fdt_totalsize(fdt)) == 0) {
		int node = 0;

		dt_print(fdt, want, sink, &total);
		for (int i = 0; i < 4 && node >= 0; i++, node = fdt_next_node(fdt, node, NULL))
			if (fdt_get_path(fdt, node, buf, sizeof(buf)) == 0)
				dt_print(fdt, buf, sink, &total);
	}
	free(fdt);
	return 0;
}
