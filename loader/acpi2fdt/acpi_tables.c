/* The converter's recipe (acpi2fdt.h): one row per table, each table
 * checked and filed by its row, the parsers run in the rows' order into the
 * machine description, and the description written as the tree. A new
 * table is one file (its parser, acpi.h) and one row below. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define INT_MAX_SIZE 0x7fffffffu

/* The rows, in the order they run. FADT first: whether /psci exists decides
 * each CPU's enable-method. MADT next: every interrupt needs the GIC's
 * binding, GICv2 PPIs the CPU count. The DSDT/SSDT scan only collects
 * UARTs. MCFG before SPCR: an I/O-port SPCR UART is translated through the
 * PCI I/O window a host bridge states. SPCR, DBG2 and the scan each add
 * candidates; the console step ranks them (SPCR > DBG2 > DSDT) and makes
 * the UART nodes. IORT last: it points the host bridges MCFG made at the
 * ITS / v2m frames of MADT. */
static const struct acpi_row {
	const char *sig;		/* NULL: a step that reads no table of its own */
	const char *name;		/* for log lines */
	uint8_t min_rev;		/* older tables are skipped, saying so */
	const char *rev_why;		/* what that revision brought */
	int (*parse)(struct acpi_ctx *c, const struct acpi_sdt *t);
} rows[] = {
	{ "FACP", "fadt", 5, "the first with ARM boot flags", acpi_fadt },
	{ "APIC", "madt", 0, NULL, acpi_madt },
	{ "GTDT", "gtdt", 0, NULL, acpi_gtdt },
	{ "DSDT", "dsdt", 0, NULL, acpi_dsdt },	/* and every SSDT: c->aml */
	{ "MCFG", "mcfg", 0, NULL, acpi_mcfg },
	{ "SPCR", "spcr", 0, NULL, acpi_spcr },
	{ "DBG2", "dbg2", 0, NULL, acpi_dbg2 },
	{ NULL, "console", 0, NULL, acpi_console },
	{ "IORT", "iort", 0, NULL, acpi_iort },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))
_Static_assert(NROWS <= sizeof(((struct acpi_ctx *)0)->table) / sizeof(void *), "acpi_ctx.table");

const struct acpi_sdt *acpi_table(const struct acpi_ctx *c, const char *sig)
{
	for (unsigned i = 0; i < NROWS; i++)
		if (rows[i].sig && strcmp(rows[i].sig, sig) == 0)
			return c->table[i];
	return NULL;
}

/* ----------------------------------------------------------- classify ---- */

static void keep_one(struct acpi_ctx *c, struct acpi_sdt *slot, const struct acpi_sdt *t)
{
	if (slot->p) {
		acpi_log(c, "acpi: second %s (%s) ignored: using the first (%s)", t->sig, t->origin,
			 slot->origin);
		c->res->tables_skipped++;
		return;
	}
	*slot = *t;
}

static void note_not_converted(char *list, size_t size, const char *sig)
{
	size_t n = strlen(list);

	if (n + 6 < size)
		ksnprintf(list + n, size - n, "%s%s", n ? " " : "", sig);
}

/* Valid tables no converter reads (BGRT, PPTT, vendor signatures such as
 * the Huawei DLUT or Lenovo FFT_), one row per signature: named once in the
 * log, sorted, so the line does not depend on the order the tables came in.
 * A signature seen twice (the Surface Pro 9 5G has two BGRTs) says how many
 * and whether the copies are byte for byte the same. */
#define ACPI_MAX_IGNORED 24

struct ignored {
	char sig[5];
	unsigned count;
	int identical;			/* every copy equals the first */
	const uint8_t *first;
	uint32_t len;
};

struct ignored_set {
	struct ignored row[ACPI_MAX_IGNORED];
	unsigned n, more;		/* more: signatures past the rows */
};

static void note_ignored(struct ignored_set *set, const struct acpi_sdt *t)
{
	unsigned i;

	for (i = 0; i < set->n && strcmp(set->row[i].sig, t->sig) != 0; i++)
		;
	if (i == set->n) {
		if (set->n == ACPI_MAX_IGNORED) {
			set->more++;
			return;
		}
		set->row[set->n++] = (struct ignored){ .count = 1, .identical = 1, .first = t->p,
						       .len = t->len };
		memcpy(set->row[i].sig, t->sig, 5);
		return;
	}
	set->row[i].count++;
	if (t->len != set->row[i].len || memcmp(t->p, set->row[i].first, t->len) != 0)
		set->row[i].identical = 0;
}

static void log_ignored(struct acpi_ctx *c, struct ignored_set *set)
{
	char list[160] = "";
	size_t len = 0;

	if (!set->n)
		return;
	for (unsigned i = 1; i < set->n; i++)	/* insertion sort: a couple of dozen rows */
		for (unsigned j = i; j > 0 && strcmp(set->row[j - 1].sig, set->row[j].sig) > 0; j--) {
			struct ignored tmp = set->row[j];

			set->row[j] = set->row[j - 1];
			set->row[j - 1] = tmp;
		}
	for (unsigned i = 0; i < set->n && len + 32 < sizeof(list); i++) {
		const struct ignored *r = &set->row[i];

		if (r->count > 1)
			ksnprintf(list + len, sizeof(list) - len, "%s%s (%u copies, %s)", len ? " " : "",
				  r->sig, r->count, r->identical ? "identical" : "different");
		else
			ksnprintf(list + len, sizeof(list) - len, "%s%s", len ? " " : "", r->sig);
		len = strlen(list);
		if (i + 1 < set->n && len + 32 >= sizeof(list))
			set->more += set->n - i - 1;
	}
	if (set->more)
		acpi_log(c, "acpi: not converted: %s and %u more signature(s)", list, set->more);
	else
		acpi_log(c, "acpi: not converted: %s", list);
}

static void file_aml(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	int dsdt = strcmp(t->sig, "DSDT") == 0;

	if (c->naml == ACPI_MAX_AML) {
		acpi_log(c, "acpi: %s (%s) ignored: more than %u DSDT/SSDT tables", t->sig,
			 t->origin, ACPI_MAX_AML);
		c->res->tables_skipped++;
		return;
	}
	if (dsdt && c->naml && strcmp(c->aml[0].sig, "DSDT") == 0) {
		acpi_log(c, "acpi: second DSDT (%s) ignored: using the first (%s)", t->origin,
			 c->aml[0].origin);
		c->res->tables_skipped++;
		return;
	}
	if (dsdt) {
		memmove(&c->aml[1], &c->aml[0], c->naml * sizeof(c->aml[0]));
		c->aml[0] = *t;
	} else {
		c->aml[c->naml] = *t;
	}
	c->naml++;
}

/* Check every table and file it by row. The DSDT goes first among the AML
 * tables whatever its position: it is loaded before any SSDT (ACPI 6.5
 * 5.2.11). */
static void classify(struct acpi_ctx *c, const struct acpi_table_ref *tables, unsigned n,
		     struct acpi_sdt *slot, struct ignored_set *ignored, struct oem_ids *oem)
{
	for (unsigned i = 0; i < n; i++) {
		long len = acpi_table_check(&tables[i], c->log);
		struct acpi_sdt t;
		unsigned r;

		if (len < 0) {
			c->res->tables_skipped++;
			continue;
		}
		t.p = tables[i].data;
		t.len = (uint32_t)len;
		t.origin = tables[i].origin ? tables[i].origin : "?";
		if (memcmp(t.p, RSDP_SIGNATURE, 8) == 0) {
			memcpy(t.sig, "RSDP", 5);
			t.rev = t.p[RSDP_REVISION];
		} else {
			memcpy(t.sig, t.p, 4);
			t.sig[4] = 0;
			t.rev = len >= SDT_HEADER_LEN ? t.p[SDT_REVISION] : 0;
		}
		acpi_oem_note(oem, &t);
		if (strcmp(t.sig, "DSDT") == 0 || strcmp(t.sig, "SSDT") == 0) {
			file_aml(c, &t);
			continue;
		}
		for (r = 0; r < NROWS && !(rows[r].sig && strcmp(rows[r].sig, t.sig) == 0); r++)
			;
		if (r < NROWS) {
			keep_one(c, &slot[r], &t);
		} else {
			note_ignored(ignored, &t);
			c->res->tables_ignored++;
		}
	}
	for (unsigned r = 0; r < NROWS; r++)
		c->table[r] = slot[r].p ? &slot[r] : NULL;
}

/* ------------------------------------------------------------- recipe ---- */

/* A row's table as used or skipped, for the summary line. */
static void count(struct acpi_ctx *c, const struct acpi_sdt *t, int skipped, char *list,
		  size_t size)
{
	if (skipped) {
		c->res->tables_skipped++;
		return;
	}
	c->res->tables_used++;
	note_not_converted(list, size, t->sig);
}

/* Run the rows: 0, or -FDT_ERR_NOSPACE when the description outgrew the
 * buffer. */
static int parse(struct acpi_ctx *c, char *used, size_t size)
{
	for (unsigned r = 0; r < NROWS; r++) {
		const struct acpi_sdt *t = rows[r].sig ? c->table[r] : NULL;
		int got;

		if (t && t->rev < rows[r].min_rev) {
			acpi_log(c, "%s: revision %u predates revision %u, %s: skipped", rows[r].name,
				 t->rev, rows[r].min_rev, rows[r].rev_why);
			got = ACPI_SKIPPED;
		} else if ((got = rows[r].parse(c, t)) < 0) {
			acpi_log(c, "%s: the description outgrew the tree buffer: %s", rows[r].name,
				 plinth_strerror(got));
			return got;
		}
		if (t)
			count(c, t, got == ACPI_SKIPPED, used, size);
		if (rows[r].parse == acpi_dsdt)
			for (unsigned i = 0; i < c->naml; i++)
				count(c, &c->aml[i], 0, used, size);
	}
	return 0;
}

size_t acpi2fdt_size_hint(const struct acpi_table_ref *tables, unsigned n)
{
	size_t size = 32 * 1024;

	for (unsigned i = 0; tables && i < n; i++) {
		const uint8_t *p = tables[i].data;
		size_t len;

		if (!p || tables[i].avail < SDT_HEADER_LEN)
			continue;
		len = le32(p + SDT_LENGTH) < tables[i].avail ? le32(p + SDT_LENGTH) : tables[i].avail;
		if (memcmp(p, "APIC", 4) == 0)
			size += 4 * len;
		else if (memcmp(p, "DSDT", 4) == 0 || memcmp(p, "SSDT", 4) == 0)
			size += len / 2;
	}
	return size < INT_MAX_SIZE / 4 ? size : INT_MAX_SIZE / 4;
}

int acpi2fdt(const struct acpi_table_ref *tables, unsigned n, void *buf, size_t size,
	     const struct plinth_log *log, struct acpi2fdt_result *res)
{
	struct acpi2fdt_result spare;
	struct acpi_sdt slot[NROWS];
	struct acpi_ctx c;
	struct ignored_set ignored;
	struct oem_ids oem;
	char used[128] = "";
	unsigned nodes = 0;
	size_t packed;
	int err;

	if (!res)
		res = &spare;
	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	memset(slot, 0, sizeof(slot));
	c.log = log;
	c.res = res;
	if (!buf || size < 64 || size > INT_MAX_SIZE || (!tables && n)) {
		acpi_log(&c, "acpi: no usable tree buffer (%zu bytes) or table list", size);
		return -PLINTH_EINVAL;
	}
	/* The description's arena is the buffer's top; the tree its bottom. */
	c.lo = buf;
	c.hi = (uint8_t *)buf + (size & ~(size_t)7);
	c.next_phandle = 5;	/* after the fixed ones (acpi_label) */
	c.m.pcie_tail = &c.m.pcie;
	c.m.serial_tail = &c.m.serial;
	c.m.syms_tail = &c.m.syms;
	ignored.n = ignored.more = 0;
	memset(&oem, 0, sizeof(oem));
	classify(&c, tables, n, slot, &ignored, &oem);
	acpi_oem_identify(&c, &oem);
	if ((err = parse(&c, used, sizeof(used))) < 0)
		return err;
	/* Phase 2: the tree, below what the description took. */
	if ((err = acpi_emit(&c.m, buf, (size_t)(c.hi - c.lo), &nodes)) < 0) {
		acpi_log(&c, "acpi: tree write failed: %s", plinth_strerror(err));
		return err;
	}
	packed = fdt_totalsize(buf);
	/* The callers edit the tree in place: open it to the whole buffer. */
	if ((err = fdt_open_into(buf, buf, (int)size)) < 0)
		return err;
	log_ignored(&c, &ignored);
	acpi_log(&c, "acpi: tree: %u nodes, %zu bytes; tables used %u (%s), skipped %u, not converted %u; console %s",
		 nodes, packed, res->tables_used, used, res->tables_skipped, res->tables_ignored,
		 res->have_console ? "uart0" : "none");
	return 0;
}
