/* acpi2dts: the loader's ACPI -> device tree converter on the host.
 *
 *   acpi2dts [-q] [-o FILE.dtb] TABLE.dat...     binary tables, one per file
 *   acpi2dts [-q] [-o FILE.dtb] -x acpidump.txt  an `acpidump` text dump
 *
 * Writes the tree as DTS with labels on stdout (the kernel's own printer,
 * lib/dt_print.c), or as a blob with -o. The converter's `fdt:` log
 * lines go to stderr (-q: only warnings and errors). Stricter than the loader:
 * a file it cannot read as a table (missing, not a table, bad signature,
 * length past the file) is an error naming the file, table and offset, exit
 * 1; a checksum mismatch is a warning.
 *
 *   --board auto|NAME   apply a board's overlays as the loader does: auto
 *                       detects from the tables' OEM ID, NAME forces one
 *                       (plinth.cfg's board=)
 *   --overlay F.dtbo    then a user overlay (repeatable, in the order given;
 *                       the loader takes \plinth\overlays\*.dtbo in name order)
 * The conversion, the board's and the user's overlays are the loader's own
 * code (loader/pipeline/pipeline.h): the tree is the loader's, without the
 * loader's own nodes (/chosen bootargs, /plinth, the framebuffer, /memory).
 * A board or user overlay that fails is logged
 * and skipped, as in the loader; the exit status stays 0 (the tree is still
 * written). */
#define _GNU_SOURCE 1	/* vasprintf */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/dt_print.h>
#include <plinth/err.h>
#include "acpi2fdt/acpi2fdt.h"
#include "pipeline/pipeline.h"

#define MAX_TABLES	256
#define TREE_MAX	(64 * 1024 * 1024)
#define LOG_FIRST	65536		/* the log's first buffer; it grows */

struct table {
	char *origin;		/* "FACP.dat", "acpidump.txt line 11818" */
	char sig[8];		/* from the dump header, for -x */
	uint8_t *data;
	size_t len;
};

struct tool {
	struct table t[MAX_TABLES];
	unsigned n;
	int errors, quiet;
	const char *prog;
	const char *board;		/* --board: "auto", a name, or NULL */
	const char *overlays[MAX_TABLES];	/* --overlay files */
	unsigned noverlays;
};

/* printf.c's kprintf appends to the kernel log; the tool has none. */
void log_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stderr);
}

static void say(struct tool *tl, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct tool *tl, const char *kind, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", tl->prog, kind);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (strcmp(kind, "error") == 0)
		tl->errors++;
}

static char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xstrdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("acpi2dts");
		exit(1);
	}
	va_end(ap);
	return s;
}

static int add_table(struct tool *tl, char *origin, const char *sig, uint8_t *data, size_t len)
{
	if (tl->n == MAX_TABLES) {
		say(tl, "error", "%s: more than %d tables", origin, MAX_TABLES);
		free(origin);
		free(data);
		return -1;
	}
	tl->t[tl->n] = (struct table){ .origin = origin, .data = data, .len = len };
	snprintf(tl->t[tl->n].sig, sizeof(tl->t[0].sig), "%s", sig ? sig : "");
	tl->n++;
	return 0;
}

static uint8_t *read_file(struct tool *tl, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		say(tl, "error", "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 65536);
			if (!nb) {
				say(tl, "error", "%s: out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		say(tl, "error", "%s: read error: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* ------------------------------------------------------- acpidump text ---- */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "SIG @ 0xADDR": the signature (up to 8 characters, "RSD PTR" included). */
static int dump_header(const char *line, char *sig, size_t size)
{
	const char *at = strstr(line, " @ 0x");
	size_t n;

	if (!at)
		return 0;
	while (*line == ' ' || *line == '\t')
		line++;
	n = (size_t)(at - line);
	while (n && line[n - 1] == ' ')
		n--;
	if (n == 0 || n >= size)
		return 0;
	for (const char *p = at + 5; *p; p++)
		if (hexval(*p) < 0 && *p != ' ' && *p != '\t')
			return 0;
	memcpy(sig, line, n);
	sig[n] = 0;
	return 1;
}

/* "    OFFS: HH HH ... HH  ascii": appends the bytes; -1 when malformed. */
static int dump_line(const char *line, uint8_t **buf, size_t *len, size_t *cap, size_t *offset)
{
	const char *p = line, *colon;
	size_t off = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	colon = strchr(p, ':');
	if (!colon || colon == p)
		return -1;
	for (; p < colon; p++) {
		if (hexval(*p) < 0 || off > (SIZE_MAX >> 4))
			return -1;
		off = off << 4 | (size_t)hexval(*p);
	}
	*offset = off;
	if (off != *len)
		return -2;
	p = colon + 1;
	if (*p == ' ')
		p++;
	for (int i = 0; i < 16; i++) {
		if (hexval(p[0]) < 0 || hexval(p[1]) < 0 || (p[2] != ' ' && p[2] != 0))
			break;
		if (*len == *cap) {
			uint8_t *nb = realloc(*buf, *cap = *cap ? 2 * *cap : 4096);
			if (!nb)
				return -1;
			*buf = nb;
		}
		(*buf)[(*len)++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
		if (p[2] == 0 || p[3] == ' ' || p[3] == 0)
			break;		/* the ASCII column starts after two spaces */
		p += 3;
	}
	return 0;
}

static void load_dump(struct tool *tl, const char *path)
{
	size_t flen, pos = 0, lineno = 0, tline = 0, len = 0, cap = 0, offset;
	uint8_t *text = read_file(tl, path, &flen), *cur = NULL;
	char sig[16] = "", line[512];
	int in = 0, bad = 0;

	if (!text)
		return;
	while (pos <= flen) {
		size_t e = pos, n;

		while (e < flen && text[e] != '\n')
			e++;
		n = e - pos;
		if (n && text[pos + n - 1] == '\r')
			n--;
		lineno++;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, text + pos, n);
		line[n] = 0;
		pos = e + 1;
		if (dump_header(line, sig + 8, 8)) {
			if (in && !bad)
				add_table(tl, xstrdup_printf("%s line %zu", path, tline), sig, cur, len);
			else
				free(cur);
			memmove(sig, sig + 8, 8);
			in = 1, bad = 0, cur = NULL, len = cap = 0, tline = lineno;
			continue;
		}
		if (strspn(line, " \t") == strlen(line) || !in || bad)
			continue;
		int r = dump_line(line, &cur, &len, &cap, &offset);
		if (r == -2) {
			say(tl, "error", "%s: table %s at line %zu: line %zu has offset 0x%zx, expected 0x%zx (a line is missing)",
			    path, sig, tline, lineno, offset, len);
			bad = 1;
		} else if (r < 0) {
			say(tl, "error", "%s: table %s at line %zu: line %zu is not a dump line: '%.40s'",
			    path, sig, tline, lineno, line);
			bad = 1;
		}
	}
	if (in && !bad)
		add_table(tl, xstrdup_printf("%s line %zu", path, tline), sig, cur, len);
	else
		free(cur);
	if (!tl->n && !tl->errors)
		say(tl, "error", "%s: no table found (expected 'SIG @ 0xADDR' headers)", path);
	free(text);
}

/* ---------------------------------------------------------- strict check ---- */

/* What the loader would skip is an error here: the same check
 * (acpi_table_verify), refusing the file instead. Binary tables sit at
 * offset 0 of their file; a dump's table at the line of its header. */
static void check_table(struct tool *tl, const struct table *t)
{
	struct acpi_table_ref ref = { t->data, t->len, t->origin };
	struct acpi_table_info i;
	const uint8_t *p = t->data;
	const char *where = strstr(t->origin, " line ") ? "" : " at offset 0";
	const char *in = *where ? "file" : "dump";

	acpi_table_verify(&ref, &i);
	switch (i.fault) {
	case ACPI_FAULT_NONE:
		break;
	case ACPI_FAULT_NO_DATA:
	case ACPI_FAULT_SHORT:
		if (i.rsdp)
			say(tl, "error", "%s: table RSDP%s: %zu bytes, an RSDP has at least 20", t->origin,
			    where, t->len);
		else
			say(tl, "error", "%s: table ?%s: %zu bytes, not an ACPI table", t->origin, where,
			    t->len);
		return;
	case ACPI_FAULT_SIGNATURE:
		say(tl, "error", "%s: table ?%s: bytes %02x %02x %02x %02x are not an ACPI signature",
		    t->origin, where, p[0], p[1], p[2], p[3]);
		return;
	case ACPI_FAULT_HEADER:
		say(tl, "error", "%s: table %s%s: length %u is shorter than the 36-byte table header",
		    t->origin, i.sig, where, i.length);
		return;
	case ACPI_FAULT_PAST_END:
	case ACPI_FAULT_FACS_LENGTH:
	case ACPI_FAULT_RSDP_V2_SHORT:
	case ACPI_FAULT_RSDP_LENGTH:
		say(tl, "error", "%s: table %s%s: length %u past the end of the %s (%zu bytes)", t->origin,
		    i.sig, where, i.length, in, t->len);
		return;
	}
	if (t->sig[0] && strcmp(t->sig, i.sig) != 0 && strcmp(t->sig, "RSD PTR") != 0)
		say(tl, "warning", "%s: dump header says %s, the table's signature is %s", t->origin,
		    t->sig, i.sig);
	if (!i.rsdp && i.length < t->len)
		say(tl, "warning", "%s: table %s%s: %zu bytes after its length %u ignored", t->origin,
		    i.sig, where, t->len - i.length, i.length);
	if (i.sum || i.ext_sum)
		say(tl, "warning", "%s: table %s%s: checksum 0x%02x wrong (sum 0x%02x): used anyway",
		    t->origin, i.sig, where, i.rsdp ? p[8] : p[9], i.sum ? i.sum : i.ext_sum);
}

/* ------------------------------------------------------------- convert ---- */

/* The tree pipeline's allocator: the heap. */
static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void heap_free(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	free(p);
}

/* Board and user overlays onto the converted tree, as the loader applies
 * them (loader/pipeline/pipeline.h). 1 on an error the tool reports. */
static int overlay_stages(struct tool *tl, struct pipeline *p)
{
	struct pipeline_overlay ovl[MAX_TABLES];
	uint8_t *files[MAX_TABLES] = { 0 };
	int err = 0;

	for (unsigned i = 0; i < tl->noverlays; i++) {
		const char *base = strrchr(tl->overlays[i], '/');

		files[i] = read_file(tl, tl->overlays[i], &ovl[i].size);
		if (!files[i]) {
			err = 1;
			goto out;
		}
		ovl[i].name = base ? base + 1 : tl->overlays[i];
		ovl[i].data = files[i];
	}
	if (tl->board) {
		struct board_ids ids = { 0 };

		if (strcmp(tl->board, "auto") != 0)
			ids.forced = tl->board;
		if (!pipeline_board(p, &ids) && ids.forced) {
			say(tl, "error", "--board %s: no boards/%s/ folder was built in", tl->board, tl->board);
			err = 1;
			goto out;
		}
	}
	if (pipeline_board_overlays(p) < 0 || pipeline_user_overlays(p, ovl, tl->noverlays) < 0) {
		say(tl, "error", "the overlays could not be applied");
		err = 1;
	}
out:
	for (unsigned i = 0; i < tl->noverlays; i++)
		free(files[i]);
	return err;
}

static void write_stdout(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

static int write_tree(struct tool *tl, void *fdt, const struct acpi2fdt_result *res, const char *out)
{
	if (out) {
		FILE *f;
		fdt_pack(fdt);
		if (!(f = fopen(out, "wb")) || fwrite(fdt, 1, fdt_totalsize(fdt), f) != fdt_totalsize(fdt) ||
		    fclose(f) != 0) {
			say(tl, "error", "%s: cannot write: %s", out, strerror(errno));
			return 1;
		}
	} else {
		char id[7], tid[9];
		int err;

		/* The OEM fields are table bytes: printable only, or the comment
		 * line could end early and the rest be read as DTS. */
		printf("// acpi2dts: %u table(s), OEM \"%s\" \"%s\"\n", tl->n,
		       log_printable(id, sizeof(id), res->oem_id, sizeof(res->oem_id)),
		       log_printable(tid, sizeof(tid), res->oem_table_id, sizeof(res->oem_table_id)));
		err = dt_print(fdt, "/", write_stdout, stdout);
		if (err < 0) {
			say(tl, "error", "printing the tree failed: %s", plinth_strerror(err));
			return 1;
		}
	}
	return 0;
}

/* The loader's pipeline on the tables; the log lines are kept and printed
 * at the end (all of them after a failure, even with -q). */
static int convert(struct tool *tl, const char *out)
{
	static const struct tree_alloc heap = { heap_alloc, heap_free, NULL };
	struct acpi_table_ref refs[MAX_TABLES];
	struct pipeline p;
	struct llog log;
	int err, rc = 0;

	llog_init(&log, NULL, NULL);
	log.grow = realloc;
	llog_set_buffer(&log, malloc(LOG_FIRST), LOG_FIRST);
	pipeline_init(&p, &heap, TREE_MAX, &log);
	for (unsigned i = 0; i < tl->n; i++)
		refs[i] = (struct acpi_table_ref){ tl->t[i].data, tl->t[i].len, tl->t[i].origin };
	err = pipeline_convert(&p, refs, tl->n);
	if (err >= 0 && (tl->board || tl->noverlays) && overlay_stages(tl, &p))
		rc = 1;
	if (log.buf && (rc || !tl->quiet))
		fputs(log.buf, stderr);
	free(log.buf);
	if (err < 0) {
		say(tl, "error", "conversion failed: %s", plinth_strerror(err));
		rc = 1;
	}
	if (rc == 0)
		rc = write_tree(tl, p.tree.fdt, &p.res, out);
	pipeline_free(&p);
	return rc;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [-q] [-o FILE.dtb] TABLE.dat...\n"
		   "       %s [-q] [-o FILE.dtb] -x acpidump.txt\n"
		   "Converts ACPI tables to a device tree (DTS on stdout, or a blob with -o).\n"
		   "  -o FILE   write a .dtb instead of DTS\n"
		   "  -x FILE   read an acpidump text dump\n"
		   "  -q        log warnings and errors only, not the fdt: lines\n"
		   "  --board NAME|auto   apply a board's overlays (auto: by the tables' OEM ID)\n"
		   "  --overlay FILE.dtbo apply a user overlay after them (repeatable)\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	static struct tool tl;
	const char *out = NULL, *board = NULL;
	int rc;

	tl.prog = "acpi2dts";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout, tl.prog);
			return 0;
		} else if (strcmp(a, "-q") == 0) {
			tl.quiet = 1;
		} else if (strcmp(a, "--overlay") == 0 && i + 1 < argc) {
			if (tl.noverlays == MAX_TABLES) {
				say(&tl, "error", "more than %d overlays", MAX_TABLES);
				return 2;
			}
			tl.overlays[tl.noverlays++] = argv[++i];
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "-x") == 0 || strcmp(a, "--board") == 0) {
			if (i + 1 == argc) {
				say(&tl, "error", "%s needs an argument", a);
				usage(stderr, tl.prog);
				return 2;
			}
			if (a[1] == 'o')
				out = argv[++i];
			else if (a[1] == 'x')
				load_dump(&tl, argv[++i]);
			else
				board = argv[++i];
		} else if (strncmp(a, "--board=", 8) == 0) {
			board = a + 8;
		} else if (a[0] == '-' && a[1]) {
			say(&tl, "error", "unknown option %s", a);
			usage(stderr, tl.prog);
			return 2;
		} else {
			size_t len;
			uint8_t *data = read_file(&tl, a, &len);
			if (data)
				add_table(&tl, xstrdup_printf("%s", a), NULL, data, len);
		}
	}
	tl.board = board;
	if (!tl.n && !tl.errors) {
		usage(stderr, tl.prog);
		return 2;
	}
	for (unsigned i = 0; i < tl.n; i++)
		check_table(&tl, &tl.t[i]);
	if (tl.errors) {
		say(&tl, "error", "%d table error(s): no tree written", tl.errors);
		rc = 1;
	} else {
		rc = convert(&tl, out);
	}
	for (unsigned i = 0; i < tl.n; i++) {
		free(tl.t[i].data);
		free(tl.t[i].origin);
	}
	return rc;
}
