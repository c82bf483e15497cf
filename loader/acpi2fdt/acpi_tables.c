/* The converter's entry points (acpi2fdt.h): the check every table passes
 * before a converter reads it, and acpi2fdt, the recipe that runs one
 * converter per table in a fixed, justified order. */
#include <libfdt.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define INT_MAX_SIZE 0x7fffffffu

static const char *origin_of(const struct acpi_table_ref *t)
{
	return t->origin ? t->origin : "?";
}

static int sig_char_ok(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* RSDP (ACPI 6.5 5.2.5.3): the first 20 bytes sum to 0; from revision 2 on,
 * all `length` bytes do too. */
static long check_rsdp(const struct acpi_table_ref *t, const struct plinth_log *log)
{
	const uint8_t *p = t->data;
	uint32_t len = RSDP_CHECKSUM_LEN;

	if (t->avail < RSDP_CHECKSUM_LEN) {
		lfdt(log, "acpi: RSDP (%s): %zu bytes readable, needs 20: skipped",
			    origin_of(t), t->avail);
		return -PLINTH_ERANGE;
	}
	if (sum8(p, RSDP_CHECKSUM_LEN))
		lfdt(log, "acpi: RSDP (%s): checksum wrong (sum 0x%02x): used anyway",
			    origin_of(t), sum8(p, RSDP_CHECKSUM_LEN));
	if (p[RSDP_REVISION] >= 2) {
		if (t->avail < RSDP_V2_LEN) {
			lfdt(log, "acpi: RSDP (%s): revision %u needs 36 bytes, %zu readable: skipped",
				    origin_of(t), p[RSDP_REVISION], t->avail);
			return -PLINTH_ERANGE;
		}
		len = le32(p + RSDP_LENGTH);
		if (len < RSDP_V2_LEN || len > t->avail) {
			lfdt(log, "acpi: RSDP (%s): length %u outside 36..%zu: skipped",
				    origin_of(t), len, t->avail);
			return -PLINTH_ERANGE;
		}
		if (sum8(p, len))
			lfdt(log, "acpi: RSDP (%s): extended checksum wrong (sum 0x%02x): used anyway",
				    origin_of(t), sum8(p, len));
	}
	return len;
}

long acpi_table_check(const struct acpi_table_ref *t, const struct plinth_log *log)
{
	const uint8_t *p;
	uint32_t len;
	uint8_t sum;

	if (!t || !t->data) {
		lfdt(log, "acpi: table reference without data: skipped");
		return -PLINTH_EINVAL;
	}
	p = t->data;
	if (t->avail >= 8 && memcmp(p, "RSD PTR ", 8) == 0)
		return check_rsdp(t, log);
	if (t->avail < 8) {
		lfdt(log, "acpi: %s: %zu bytes, too short for a signature and a length: skipped",
			    origin_of(t), t->avail);
		return -PLINTH_EINVAL;
	}
	for (int i = 0; i < 4; i++) {
		if (!sig_char_ok(p[i])) {
			lfdt(log, "acpi: %s: signature bytes %02x %02x %02x %02x are not a table signature: skipped",
				    origin_of(t), p[0], p[1], p[2], p[3]);
			return -PLINTH_EINVAL;
		}
	}
	len = le32(p + SDT_LENGTH);
	/* The FACS has a length but no SDT header and no checksum. */
	if (memcmp(p, "FACS", 4) == 0) {
		if (len < FACS_MIN_LEN || len > t->avail) {
			lfdt(log, "acpi: FACS (%s): length %u outside 64..%zu: skipped",
				    origin_of(t), len, t->avail);
			return -PLINTH_ERANGE;
		}
		return len;
	}
	if (len < SDT_HEADER_LEN) {
		lfdt(log, "acpi: %.4s (%s): length %u shorter than the 36-byte header: skipped",
			    (const char *)p, origin_of(t), len);
		return -PLINTH_ERANGE;
	}
	if (len > t->avail) {
		lfdt(log, "acpi: %.4s (%s): length %u past the %zu readable bytes: skipped",
			    (const char *)p, origin_of(t), len, t->avail);
		return -PLINTH_ERANGE;
	}
	sum = sum8(p, len);
	if (sum)
		lfdt(log, "acpi: %.4s (%s): checksum 0x%02x wrong (bytes sum to 0x%02x): used anyway, as Linux does",
			    (const char *)p, origin_of(t), p[SDT_CHECKSUM], sum);
	return len;
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

/* ------------------------------------------------------- OEM identity ---- */

/* Which table's OEM ID and OEM table ID name the machine (the root's model,
 * and the OEM ID board detection matches, board.c). Tables disagree on real
 * machines: the Huawei MateBook E Go's FADT, MADT and most others say
 * "QCOM  "/"QCOMEDK2" while its DSDT, SSDT, FPDT and DLUT say "HUAWEI";
 * Qualcomm's reference DSDTs say "QCOMM "; the ThinkPad T14s's XSDT says
 * "Lenovo" where its FADT says "LENOVO". Taking "the first table" made the
 * answer depend on the order the tables came in (the XSDT's in the loader,
 * the command line's in acpi2dts). The rule instead:
 *   1. the FADT's: ACPI 6.5 5.2.9 (FADT format) makes the FADT's OEM Table
 *      ID "the manufacture model ID", the one the XSDT's must match; the
 *      FADT is the platform's own fixed description, where a DSDT/SSDT is a
 *      definition block whoever wrote that code labels (5.2.6: the OEM
 *      Table ID distinguishes definition blocks);
 *   2. else the XSDT's (or RSDT's), held to the same model ID (5.2.8, 5.2.7);
 *   3. else the first valid table's with a header (not the RSDP or FACS).
 * When the IDs differ, one line says which ones and where. */
#define OEM_MAX_IDS	4	/* distinct OEM IDs remembered */
#define OEM_MAX_SIGS	12	/* signatures remembered per OEM ID */

struct oem_id {
	char id[7];			/* trailing spaces and NULs trimmed */
	char sig[OEM_MAX_SIGS][5];
	unsigned nsig, more_sigs;
};

struct oem_ids {
	struct oem_id row[OEM_MAX_IDS];
	unsigned n, more;		/* more: IDs past the rows */
	struct acpi_sdt first, root;	/* .p NULL: none seen */
};

static void oem_trim(char out[7], const uint8_t *field)
{
	int n;

	memcpy(out, field, 6);
	out[6] = 0;
	for (n = 6; n > 0 && (out[n - 1] == ' ' || out[n - 1] == 0); n--)
		out[n - 1] = 0;
}

static void note_oem(struct oem_ids *o, const struct acpi_sdt *t)
{
	char id[7];
	unsigned i, k;

	if (t->len < SDT_HEADER_LEN || !strcmp(t->sig, "FACS") || !strcmp(t->sig, "RSDP"))
		return;
	if (!o->first.p)
		o->first = *t;
	if (!o->root.p && (!strcmp(t->sig, "XSDT") || !strcmp(t->sig, "RSDT")))
		o->root = *t;
	oem_trim(id, t->p + SDT_OEM_ID);
	for (i = 0; i < o->n && memcmp(o->row[i].id, id, sizeof(id)) != 0; i++)
		;
	if (i == o->n) {
		if (o->n == OEM_MAX_IDS) {
			o->more++;
			return;
		}
		memset(&o->row[o->n], 0, sizeof(o->row[0]));
		memcpy(o->row[o->n++].id, id, sizeof(id));
	}
	struct oem_id *r = &o->row[i];
	for (k = 0; k < r->nsig && strcmp(r->sig[k], t->sig) != 0; k++)
		;
	if (k < r->nsig)
		return;
	if (r->nsig == OEM_MAX_SIGS) {
		r->more_sigs++;
		return;
	}
	memcpy(r->sig[r->nsig++], t->sig, 5);
}

/* "FADT" for the FACP, else the signature. */
static const char *table_name(const struct acpi_sdt *t)
{
	return strcmp(t->sig, "FACP") == 0 ? "FADT" : t->sig;
}

static void sort_strings(char (*v)[5], unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char tmp[5];

			memcpy(tmp, v[j], 5);
			memcpy(v[j], v[j - 1], 5);
			memcpy(v[j - 1], tmp, 5);
		}
}

/* "(FACP "QCOM"; "HUAWEI" in DLUT DSDT FPDT SSDT)": the chosen table, then
 * every other ID with the tables carrying it, both sorted, so that the line
 * does not depend on the tables' order either. */
static void log_oem_differ(struct acpi_ctx *c, struct oem_ids *o, const struct acpi_sdt *src,
			   const char *why)
{
	char list[200], id[7], shown[7];
	size_t len;
	unsigned order[OEM_MAX_IDS], n = 0;

	oem_trim(id, src->p + SDT_OEM_ID);
	ksnprintf(list, sizeof(list), "%s \"%s\"", src->sig, log_printable(shown, sizeof(shown), id, 6));
	for (unsigned i = 0; i < o->n; i++)
		if (memcmp(o->row[i].id, id, sizeof(id)) != 0) {
			unsigned j = n++;

			for (; j > 0 && strcmp(o->row[order[j - 1]].id, o->row[i].id) > 0; j--)
				order[j] = order[j - 1];
			order[j] = i;
		}
	for (unsigned k = 0; k < n; k++) {
		struct oem_id *r = &o->row[order[k]];

		sort_strings(r->sig, r->nsig);
		len = strlen(list);
		ksnprintf(list + len, sizeof(list) - len, "; \"%s\" in",
			  log_printable(shown, sizeof(shown), r->id, 6));
		for (unsigned j = 0; j < r->nsig; j++) {
			len = strlen(list);
			ksnprintf(list + len, sizeof(list) - len, " %s", r->sig[j]);
		}
		len = strlen(list);
		if (r->more_sigs)
			ksnprintf(list + len, sizeof(list) - len, " and %u more", r->more_sigs);
	}
	len = strlen(list);
	if (o->more)
		ksnprintf(list + len, sizeof(list) - len, "; %u more ID(s)", o->more);
	acpi_log(c, "acpi: OEM IDs differ across tables (%s): board detection reads the %s's%s%s%s", list,
		 table_name(src), why[0] ? " (" : "", why, why[0] ? ")" : "");
}

/* Fill res->oem_id and oem_table_id by the rule above. Returns the table
 * they came from (NULL: no table has a header); *why says why that one
 * when it is not the FADT ("" for the FADT). */
static const struct acpi_sdt *oem_source(struct acpi_ctx *c, const struct oem_ids *o,
					 const char **why)
{
	const struct acpi_sdt *src = c->fadt.p ? &c->fadt : o->root.p ? &o->root : &o->first;

	if (!src->p)
		return NULL;
	memcpy(c->res->oem_id, src->p + SDT_OEM_ID, 6);
	memcpy(c->res->oem_table_id, src->p + SDT_OEM_TABLE_ID, 8);
	*why = src == &c->fadt ? "" : src == &o->root ? "no FADT" : "no FADT or XSDT, the first table";
	return src;
}

/* Check every table and file it by role. The DSDT goes first among the AML
 * tables whatever its position: it is loaded before any SSDT (ACPI 6.5 5.2.11). */
static void classify(struct acpi_ctx *c, const struct acpi_table_ref *tables, unsigned n,
		     struct ignored_set *ignored, struct oem_ids *oem)
{
	for (unsigned i = 0; i < n; i++) {
		long len = acpi_table_check(&tables[i], c->log);
		struct acpi_sdt t;

		if (len < 0) {
			c->res->tables_skipped++;
			continue;
		}
		t.p = tables[i].data;
		t.len = (uint32_t)len;
		t.origin = tables[i].origin ? tables[i].origin : "?";
		t.skipped = 0;
		if (memcmp(t.p, "RSD PTR ", 8) == 0) {
			memcpy(t.sig, "RSDP", 5);
			t.rev = t.p[RSDP_REVISION];
		} else {
			memcpy(t.sig, t.p, 4);
			t.sig[4] = 0;
			t.rev = len >= SDT_HEADER_LEN ? t.p[SDT_REVISION] : 0;
		}
		note_oem(oem, &t);
		if (strcmp(t.sig, "FACP") == 0)
			keep_one(c, &c->fadt, &t);
		else if (strcmp(t.sig, "APIC") == 0)
			keep_one(c, &c->madt, &t);
		else if (strcmp(t.sig, "GTDT") == 0)
			keep_one(c, &c->gtdt, &t);
		else if (strcmp(t.sig, "SPCR") == 0)
			keep_one(c, &c->spcr, &t);
		else if (strcmp(t.sig, "DBG2") == 0)
			keep_one(c, &c->dbg2, &t);
		else if (strcmp(t.sig, "MCFG") == 0)
			keep_one(c, &c->mcfg, &t);
		else if (strcmp(t.sig, "IORT") == 0)
			keep_one(c, &c->iort, &t);
		else if (strcmp(t.sig, "DSDT") == 0 || strcmp(t.sig, "SSDT") == 0)
			file_aml(c, &t);
		else {
			note_ignored(ignored, &t);
			c->res->tables_ignored++;
		}
	}
}

/* ------------------------------------------------------------- recipe ---- */

/* The nodes every tree has, made first so that they come first: the root's
 * cells (docs/design.md, tree contract), /chosen, /aliases and /__symbols__
 * (the final rewrite moves the latter to the end). */
static int skeleton(struct acpi_ctx *c, size_t size)
{
	int err;

	if ((err = fdt_create_empty_tree(c->fdt, (int)size)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, 0, "#address-cells", 2)) < 0 ||
	    (err = fdt_setprop_u32(c->fdt, 0, "#size-cells", 2)) < 0 ||
	    (err = fdt_add_subnode(c->fdt, 0, "chosen")) < 0 ||
	    (err = fdt_add_subnode(c->fdt, 0, "aliases")) < 0 ||
	    (err = fdt_add_subnode(c->fdt, 0, "__symbols__")) < 0)
		return err;
	return 0;
}

/* The root's model and compatible, which the DT spec (3.2) and dt-validate
 * require. model names the machine as its tables do (OEM ID, OEM table ID,
 * trimmed, of the table oem_source chose: `src`); compatible says only where the tree came from, since a generic
 * converter knows no board: a board overlay may put a real one first. */
static int root_identity(struct acpi_ctx *c, const struct acpi_sdt *src, const char *why)
{
	char model[32], id[7], tid[9];
	int n, err;

	memcpy(id, c->res->oem_id, sizeof(id));
	memcpy(tid, c->res->oem_table_id, sizeof(tid));
	for (n = 6; n > 0 && (id[n - 1] == ' ' || id[n - 1] == 0); n--)
		id[n - 1] = 0;
	for (n = 8; n > 0 && (tid[n - 1] == ' ' || tid[n - 1] == 0); n--)
		tid[n - 1] = 0;
	log_printable(id, sizeof(id), id, sizeof(id));
	log_printable(tid, sizeof(tid), tid, sizeof(tid));
	if (id[0] || tid[0])
		ksnprintf(model, sizeof(model), "%s%s%s", id, id[0] && tid[0] ? " " : "", tid);
	else
		ksnprintf(model, sizeof(model), "unknown ACPI machine");
	if ((err = fdt_setprop_string(c->fdt, 0, "model", model)) < 0 ||
	    (err = fdt_setprop_string(c->fdt, 0, "compatible", "plinth,acpi")) < 0)
		return err;
	if (src)
		acpi_log(c, "acpi: root: model \"%s\" (the %s's OEM ID and OEM table ID%s%s), compatible \"plinth,acpi\"",
			 model, table_name(src), why[0] ? ": " : "", why);
	else
		acpi_log(c, "acpi: root: model \"%s\" (no table header), compatible \"plinth,acpi\"", model);
	return 0;
}

static void count_used(struct acpi_ctx *c, const struct acpi_sdt *t, char *list, size_t size)
{
	if (!t->p)
		return;
	if (t->skipped) {
		c->res->tables_skipped++;
		return;
	}
	c->res->tables_used++;
	note_not_converted(list, size, t->sig);
}

size_t acpi2fdt_size_hint(const struct acpi_table_ref *tables, unsigned n)
{
	size_t size = 32 * 1024;

	for (unsigned i = 0; tables && i < n; i++) {
		const uint8_t *p = tables[i].data;
		size_t len;

		if (!p || tables[i].avail < SDT_HEADER_LEN)
			continue;
		len = le32(p + 4) < tables[i].avail ? le32(p + 4) : tables[i].avail;
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
	struct acpi_ctx c;
	struct ignored_set ignored;
	struct oem_ids oem;
	const struct acpi_sdt *oem_src;
	const char *why = "";
	char used[128] = "";
	size_t packed = 0;
	unsigned nodes = 0;
	int err;
	/* The steps in order. FADT first: whether /psci exists decides each
	 * CPU's enable-method. MADT next: every interrupt needs the GIC's
	 * phandle and binding, GICv2 PPIs the CPU count. The DSDT/SSDT scan
	 * only collects UARTs. MCFG before SPCR: an I/O-port SPCR UART is
	 * translated through the PCI I/O window a host bridge states. SPCR,
	 * DBG2 and the scan each add candidates; the console step ranks them
	 * (SPCR > DBG2 > DSDT) and writes the UART nodes. IORT last: it
	 * points the host bridges MCFG made at the ITS / v2m nodes of MADT. */
	static const struct {
		const char *name;
		int (*run)(struct acpi_ctx *);
	} steps[] = {
		{ "fadt", acpi_fadt }, { "madt", acpi_madt }, { "gtdt", acpi_gtdt },
		{ "dsdt", acpi_dsdt }, { "mcfg", acpi_mcfg }, { "spcr", acpi_spcr },
		{ "dbg2", acpi_dbg2 }, { "console", acpi_console },
		{ "iort", acpi_iort },
	};

	if (!res)
		res = &spare;
	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.fdt = buf;
	c.log = log;
	c.res = res;
	c.console = -1;
	c.next_phandle = ACPI_PHANDLE_FIRST_FREE;
	if (!buf || size < 64 || size > INT_MAX_SIZE || (!tables && n)) {
		acpi_log(&c, "acpi: no usable tree buffer (%zu bytes) or table list", size);
		return -PLINTH_EINVAL;
	}
	ignored.n = ignored.more = 0;
	memset(&oem, 0, sizeof(oem));
	classify(&c, tables, n, &ignored, &oem);
	oem_src = oem_source(&c, &oem, &why);
	if ((err = skeleton(&c, size)) < 0 || (err = root_identity(&c, oem_src, why)) < 0)
		goto fail;
	if (oem_src && oem.n + oem.more > 1)
		log_oem_differ(&c, &oem, oem_src, why);
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((err = steps[i].run(&c)) < 0) {
			acpi_log(&c, "%s: tree write failed: %s", steps[i].name, fdt_strerror(err));
			return err;
		}
	}
	count_used(&c, &c.fadt, used, sizeof(used));
	count_used(&c, &c.madt, used, sizeof(used));
	count_used(&c, &c.gtdt, used, sizeof(used));
	count_used(&c, &c.mcfg, used, sizeof(used));
	count_used(&c, &c.iort, used, sizeof(used));
	count_used(&c, &c.spcr, used, sizeof(used));
	count_used(&c, &c.dbg2, used, sizeof(used));
	for (unsigned i = 0; i < c.naml; i++)
		count_used(&c, &c.aml[i], used, sizeof(used));
	if ((err = acpi_fdt_finish(&c, size, &packed, &nodes)) < 0)
		goto fail;
	log_ignored(&c, &ignored);
	acpi_log(&c, "acpi: tree: %u nodes, %zu bytes; tables used %u (%s), skipped %u, not converted %u; console %s",
		 nodes, packed, res->tables_used, used, res->tables_skipped, res->tables_ignored,
		 res->have_console ? "uart0" : "none");
	return 0;
fail:
	acpi_log(&c, "acpi: tree write failed: %s", fdt_strerror(err));
	return err;
}
