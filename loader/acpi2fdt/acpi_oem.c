/* Which machine the tables say this is: the OEM ID and OEM table ID that
 * name it (the root's model, and the OEM ID board detection matches), and a
 * line when the tables disagree. */
#include <plinth/printk.h>
#include "acpi.h"

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
static void oem_trim(char out[7], const uint8_t *field)
{
	int n;

	memcpy(out, field, 6);
	out[6] = 0;
	for (n = 6; n > 0 && (out[n - 1] == ' ' || out[n - 1] == 0); n--)
		out[n - 1] = 0;
}

void acpi_oem_note(struct oem_ids *o, const struct acpi_sdt *t)
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
	const struct acpi_sdt *fadt = acpi_table(c, "FACP");
	const struct acpi_sdt *src = fadt ? fadt : o->root.p ? &o->root : &o->first;

	if (!src->p)
		return NULL;
	memcpy(c->res->oem_id, src->p + SDT_OEM_ID, 6);
	memcpy(c->res->oem_table_id, src->p + SDT_OEM_TABLE_ID, 8);
	*why = src == fadt ? "" : src == &o->root ? "no FADT" : "no FADT or XSDT, the first table";
	return src;
}

/* The machine's identity from the tables seen (classify noted each):
 * res->oem_id/oem_table_id, the root's model, and their log lines. */
/* The root's model and compatible, which the DT spec (3.2) and dt-validate
 * require. model names the machine as its tables do (OEM ID, OEM table ID,
 * trimmed, of the table oem_source chose: `src`); compatible says only
 * where the tree came from, since a generic converter knows no board: a
 * board overlay may put a real one first. */
static void root_identity(struct acpi_ctx *c, const struct acpi_sdt *src, const char *why)
{
	char *model = c->m.model, id[7], tid[9];
	int n;

	memcpy(id, c->res->oem_id, sizeof(id));
	memcpy(tid, c->res->oem_table_id, sizeof(tid));
	for (n = 6; n > 0 && (id[n - 1] == ' ' || id[n - 1] == 0); n--)
		id[n - 1] = 0;
	for (n = 8; n > 0 && (tid[n - 1] == ' ' || tid[n - 1] == 0); n--)
		tid[n - 1] = 0;
	log_printable(id, sizeof(id), id, sizeof(id));
	log_printable(tid, sizeof(tid), tid, sizeof(tid));
	if (id[0] || tid[0])
		ksnprintf(model, sizeof(c->m.model), "%s%s%s", id, id[0] && tid[0] ? " " : "", tid);
	else
		ksnprintf(model, sizeof(c->m.model), "unknown ACPI machine");
	if (src)
		acpi_log(c, "acpi: root: model \"%s\" (the %s's OEM ID and OEM table ID%s%s), compatible \"plinth,acpi\"",
			 model, table_name(src), why[0] ? ": " : "", why);
	else
		acpi_log(c, "acpi: root: model \"%s\" (no table header), compatible \"plinth,acpi\"", model);
}

void acpi_oem_identify(struct acpi_ctx *c, struct oem_ids *o)
{
	const char *why = "";
	const struct acpi_sdt *src = oem_source(c, o, &why);

	root_identity(c, src, why);
	if (src && o->n + o->more > 1)
		log_oem_differ(c, o, src, why);
}
