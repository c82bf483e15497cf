/* Fuzz targets: the ACPI -> device tree converter (loader/acpi2fdt.h).
 *
 * One source, four targets (tests/fuzz/fuzz.mk):
 *   fuzz_acpi2fdt    input = a table set: tables back to back, each as long
 *                    as its header's length field says (the last one gets
 *                    what is left, so truncated tables occur); "RSD PTR "
 *                    is an RSDP (20 or 36 bytes by its revision).
 *   fuzz_acpi_spcr,  input = one table whose signature, length and checksum
 *   fuzz_acpi_dbg2,  the harness sets (FUZZ_FORCE_SIG), so every mutation
 *   fuzz_acpi_dsdt   reaches that table's converter instead of the checks.
 * The input's tables replace the same-signature tables of a background set:
 * a real machine's tables, read in place from ../shared/acpi-dumps/ (or
 * $PLINTH_ACPI_DUMPS, which make and tests/fuzz/test_fuzz.py set to the
 * corpus verified against tests/corpus/manifest.json, empty when there is
 * none) at start-up: qemu-virt-gicv3, so a single mutated table is converted
 * alongside a realistic MADT, FADT, GTDT... Without the dumps the input alone
 * is converted.
 *
 * Checked per input: the converter returns 0 or a negative code (growing the
 * tree buffer on -FDT_ERR_NOSPACE, as the loader does), every log line is one
 * line, and a tree it reports as built passes fdt_check_full and the DTS
 * printer (lib/dt_print.c) runs over it. */
#include <dirent.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/dt_print.h>
#include "acpi2fdt/acpi2fdt.h"
#include "host_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_TABLES	64
#define HDR		36
#define TREE_START	(16 * 1024)
#define TREE_MAX	(4 * 1024 * 1024)
#define BACKGROUND	"qemu-virt-gicv3"

struct tab {
	uint8_t *data;
	size_t len;
};

static struct tab bg[MAX_TABLES];
static unsigned nbg;

/* ------------------------------------------------------- background ---- */

static void load_background(void)
{
	const char *root = getenv("PLINTH_ACPI_DUMPS");
	char dir[4096], path[4608];
	struct dirent *e;
	DIR *d;

	if (root && !*root)
		return;		/* set but empty: no verified corpus */
	snprintf(dir, sizeof(dir), "%s/%s", root ? root : "../shared/acpi-dumps", BACKGROUND);
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d)) && nbg < MAX_TABLES) {
		size_t n = strlen(e->d_name), len;

		if (n < 5 || strcmp(e->d_name + n - 4, ".dat"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		bg[nbg].data = host_read_file(path, &len);
		bg[nbg++].len = len;
	}
	closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load_background();
	return 0;
}

/* ----------------------------------------------------------- the set ---- */

static int same_sig(const struct tab *a, const uint8_t *p, size_t len)
{
	return a->len >= 4 && len >= 4 && !memcmp(a->data, p, 4);
}

#ifdef FUZZ_FORCE_SIG
/* One table of the forced kind: signature, length and checksum made right
 * so the mutation lands in the converter, not in acpi_table_check. */
static unsigned split(uint8_t *in, size_t size, struct tab *out)
{
	uint8_t sum = 0;

	if (size < HDR)
		return 0;
	memcpy(in, FUZZ_FORCE_SIG, 4);
	in[4] = (uint8_t)size;
	in[5] = (uint8_t)(size >> 8);
	in[6] = (uint8_t)(size >> 16);
	in[7] = (uint8_t)(size >> 24);
	in[9] = 0;
	for (size_t i = 0; i < size; i++)
		sum = (uint8_t)(sum + in[i]);
	in[9] = (uint8_t)-sum;
	out[0] = (struct tab){ in, size };
	return 1;
}
#else
static uint32_t le32_at(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t table_span(const uint8_t *p, size_t left)
{
	size_t len;

	if (left >= 20 && !memcmp(p, "RSD PTR ", 8))
		len = left >= 36 && p[15] >= 2 ? 36 : 20;
	else if (left >= HDR)
		len = le32_at(p + 4);
	else
		len = left;
	return len >= 8 && len <= left ? len : left;
}

static unsigned split(uint8_t *in, size_t size, struct tab *out)
{
	unsigned n = 0;

	for (size_t off = 0; off < size && n < MAX_TABLES; n++) {
		size_t len = table_span(in + off, size - off);

		out[n] = (struct tab){ in + off, len };
		off += len;
	}
	return n;
}
#endif

/* ------------------------------------------------------------ checks ---- */

static void log_line(void *arg, const char *text)
{
	(void)arg;
	if (strchr(text, '\n'))
		abort();	/* one line per call (acpi2fdt.h) */
}

static void dts_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (memchr(s, '\0', n))
		abort();
}

static void convert(const struct acpi_table_ref *refs, unsigned n)
{
	struct plinth_log log = { log_line, NULL };
	struct acpi2fdt_result res;
	size_t size = TREE_START;
	void *buf = NULL;
	int err;

	do {
		free(buf);
		buf = malloc(size);
		if (!buf)
			return;
		err = acpi2fdt(refs, n, buf, size, &log, &res);
		size *= 2;
	} while (err == -FDT_ERR_NOSPACE && size <= TREE_MAX);
	if (err == 0) {
		if (fdt_check_full(buf, fdt_totalsize(buf)) != 0)
			abort();	/* the converter's tree must be a valid blob */
		dt_print(buf, NULL, dts_sink, NULL);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_table_ref refs[2 * MAX_TABLES];
	struct tab in[MAX_TABLES];
	unsigned nin, n = 0;
	/* Each table in its own allocation, so reading past one is caught. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	nin = split(copy, size, in);
	for (unsigned i = 0; i < nbg; i++) {
		unsigned j = 0;

		while (j < nin && !same_sig(&bg[i], in[j].data, in[j].len))
			j++;
		if (j == nin)
			refs[n++] = (struct acpi_table_ref){ bg[i].data, bg[i].len, "background" };
	}
	uint8_t *own[MAX_TABLES];
	for (unsigned j = 0; j < nin; j++) {
		own[j] = malloc(in[j].len ? in[j].len : 1);
		if (own[j])
			memcpy(own[j], in[j].data, in[j].len);
		refs[n++] = (struct acpi_table_ref){ own[j], in[j].len, "input" };
	}
	convert(refs, n);
	for (unsigned j = 0; j < nin; j++)
		free(own[j]);
	free(copy);
	return 0;
}
