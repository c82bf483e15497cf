/* The converter's entry points (loader/acpi_tables.c) and tree rewrite
 * (acpi_fdt.c): acpi_table_check on good, truncated, mis-signed,
 * mis-summed tables, RSDPs and the FACS; acpi2fdt's dispatch (duplicates,
 * the DSDT loaded before SSDTs, tables it does not convert: vendor
 * signatures, a duplicate BGRT), which table's OEM ID names the machine,
 * running out of tree space, the result struct, the label contract, creation order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/err.h>
#include "acpi_test_util.h"

struct lines {
	char text[8192];
	size_t n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;
	int k = snprintf(l->text + l->n, sizeof(l->text) - l->n, "%s\n", line);

	if (k > 0 && (size_t)k < sizeof(l->text) - l->n)
		l->n += (size_t)k;
}

static long check(const struct tbl *t, struct lines *l)
{
	struct acpi_table_ref r = { t->p, t->len, t->origin };
	struct plinth_log log = { collect, l };

	l->n = 0;
	l->text[0] = 0;
	return acpi_table_check(&r, &log);
}

static void table_check(void **state)
{
	(void)state;
	struct lines l;
	struct tbl t = fixture("common/spcr-qemu");

	assert_int_equal(check(&t, &l), 80);
	assert_string_equal(l.text, "");

	t.p[20] ^= 0xff;				/* checksum now wrong: a warning */
	assert_int_equal(check(&t, &l), 80);
	assert_non_null(strstr(l.text, "fdt: acpi: SPCR (common/spcr-qemu.aml): checksum 0x"));
	assert_non_null(strstr(l.text, "used anyway, as Linux does"));
	t.p[20] ^= 0xff;

	struct tbl cut = raw(t.p, 60, "cut.dat");	/* length past the readable bytes */
	assert_int_equal(check(&cut, &l), -PLINTH_ERANGE);
	assert_non_null(strstr(l.text, "fdt: acpi: SPCR (cut.dat): length 80 past the 60 readable bytes: skipped"));
	tbl_free(&cut);

	struct tbl tiny = raw("SPC", 3, "tiny.dat");
	assert_int_equal(check(&tiny, &l), -PLINTH_EINVAL);
	assert_non_null(strstr(l.text, "tiny.dat: 3 bytes, too short for a signature and a length: skipped"));
	tbl_free(&tiny);

	t.p[1] = 0x01;					/* not a signature */
	assert_int_equal(check(&t, &l), -PLINTH_EINVAL);
	assert_non_null(strstr(l.text, "signature bytes 53 01 43 52 are not a table signature: skipped"));
	t.p[1] = 'P';

	tbl_set(&t, 4, 20, 4);				/* length shorter than the header */
	t.p[4] = 20;
	assert_int_equal(check(&t, &l), -PLINTH_ERANGE);
	assert_non_null(strstr(l.text, "length 20 shorter than the 36-byte header: skipped"));
	tbl_free(&t);
}

static void rsdp_and_facs(void **state)
{
	(void)state;
	uint8_t r[36] = "RSD PTR ";
	uint8_t sum = 0;
	struct lines l;

	memcpy(r + 9, "PLINTH", 6);
	r[15] = 2;
	r[20] = 36;
	for (int i = 0; i < 20; i++)
		sum = (uint8_t)(sum + r[i]);
	r[8] = (uint8_t)-sum;				/* first checksum right, extended wrong */
	struct tbl t = raw(r, sizeof(r), "RSDP.dat");
	assert_int_equal(check(&t, &l), 36);
	assert_non_null(strstr(l.text, "RSDP (RSDP.dat): extended checksum wrong"));
	tbl_free(&t);

	uint8_t f[64] = "FACS";
	f[4] = 64;
	t = raw(f, sizeof(f), "FACS.dat");
	assert_int_equal(check(&t, &l), 64);	/* no checksum in a FACS */
	assert_string_equal(l.text, "");
	tbl_free(&t);
}

/* The full QEMU set: contract labels, each with a phandle; aliases; the
 * nodes in creation order; the result struct; the summary line. */
static void contract(void **state)
{
	(void)state;
	struct tbl t[6] = { fixture("common/facp-hvc"), fixture("common/apic-gicv3-4cpu"),
			    fixture("common/gtdt-qemu"), fixture("common/spcr-qemu"),
			    fixture("common/mcfg-qemu"), fixture("common/dsdt-qemu") };
	struct conv *c = convert(t, 6);
	static const char *const labels[] = { "uart0", "gic", "timer", "psci", "pcie0", "cpus" };
	static const char *const order[] = { "chosen", "aliases", "psci", "cpus",
					     "interrupt-controller@8000000", "pmu", "timer",
					     "pcie@4010000000", "serial@9000000", "__symbols__" };
	int sub, i = 0;

	for (unsigned k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
		const char *path = label_path(c, labels[k]);
		assert_non_null(path);
		assert_true(fdt_get_phandle(c->fdt, node(c, path)) != 0);
	}
	assert_u32(c, "/", "#address-cells", 2);
	assert_u32(c, "/", "#size-cells", 2);
	assert_str(c, "/aliases", "serial0", label_path(c, "uart0"));
	fdt_for_each_subnode(sub, c->fdt, 0)
		assert_string_equal(fdt_get_name(c->fdt, sub, NULL), order[i++]);
	assert_int_equal(i, 10);
	assert_int_equal(c->res.tables_used, 6);
	assert_int_equal(c->res.tables_skipped, 0);
	assert_string_equal(c->res.oem_id, "PLINTH");
	assert_string_equal(c->res.oem_table_id, "FIXTURE ");
	assert_true(c->res.have_console);
	/* The tree is open to the whole buffer for the loader to add to. */
	assert_int_equal(fdt_totalsize(c->fdt), CONV_TREE);
	assert_log(c, "fdt: acpi: tree: 16 nodes, ");
	assert_log(c, "tables used 6 (FACP APIC GTDT DSDT MCFG SPCR), skipped 0, not converted 0; console uart0");
	conv_free(c);
	for (int k = 0; k < 6; k++)
		tbl_free(&t[k]);
}

/* Too small a buffer: -FDT_ERR_NOSPACE, and the same call with room works. */
static void nospace(void **state)
{
	(void)state;
	struct tbl t[3] = { fixture("common/apic-gicv3-4cpu"), fixture("common/mcfg-qemu"),
			    fixture("common/dsdt-qemu") };
	size_t size = 512;
	struct conv *c;

	for (;;) {
		c = convert_in(t, 3, size);
		if (c->rc != -FDT_ERR_NOSPACE)
			break;
		assert_non_null(strstr(c->log, "tree write failed") || strstr(c->log, "outgrew the tree buffer"));
		conv_free(c);
		size *= 2;
	}
	assert_int_equal(c->rc, 0);
	assert_true(size >= 2048);
	assert_node(c, "/pcie@4010000000");
	conv_free(c);
	for (int k = 0; k < 3; k++)
		tbl_free(&t[k]);
}

/* Every buffer size from too small to enough, 64 bytes apart: each attempt
 * either runs out of room (-FDT_ERR_NOSPACE, in any step: the converters,
 * or the final rewrite's index) or gives the same tree; never another error,
 * and once it fits, every larger size fits. acpi2fdt_size_hint is enough. */
static void nospace_every_size(void **state)
{
	(void)state;
	struct tbl t[3] = { fixture("common/apic-gicv3-4cpu"), fixture("common/mcfg-qemu"),
			    fixture("common/dsdt-qemu") };
	struct acpi_table_ref refs[3];
	size_t fits = 0, packed = 0;
	struct conv *c;

	for (size_t size = 256; size <= 32 * 1024; size += 64) {
		c = convert_in(t, 3, size);
		if (c->rc == 0) {
			if (!fits)
				fits = size, packed = fdt_totalsize(c->fdt);
			assert_node(c, "/pcie@4010000000");
		} else {
			assert_int_equal(c->rc, -FDT_ERR_NOSPACE);
			assert_int_equal(fits, 0);
		}
		conv_free(c);
	}
	assert_true(fits > 0);
	for (int k = 0; k < 3; k++)
		refs[k] = (struct acpi_table_ref){ t[k].p, t[k].len, "fixture" };
	assert_true(acpi2fdt_size_hint(refs, 3) >= fits);
	assert_true(packed > 0);
	for (int k = 0; k < 3; k++)
		tbl_free(&t[k]);
}

/* A second MADT is ignored; an SSDT given before the DSDT is still walked
 * after it; RSDP/XSDT-like and unknown tables are counted, not converted;
 * a bad table is counted as skipped. */
static void dispatch(void **state)
{
	(void)state;
	struct tbl t[6] = { fixture("common/apic-gicv3-4cpu"), fixture("common/apic-gicv2-2cpu"),
			    fixture("common/gtdt-qemu"), fixture("dsdt-uart/dsdt"),
			    fixture("common/dsdt-qemu"), raw("JUNK", 4, "junk.dat") };
	memcpy(t[3].p, "SSDT", 4);			/* the VMware DSDT as an SSDT */
	tbl_fix(&t[3]);
	memcpy(t[2].p, "PPTT", 4);			/* a table nobody converts */
	tbl_fix(&t[2]);
	struct conv *c = convert(t, 6);

	assert_node(c, "/interrupt-controller@8000000/msi-controller@8080000");	/* the first MADT */
	assert_log(c, "fdt: acpi: second APIC (common/apic-gicv2-2cpu.aml) ignored: using the first (common/apic-gicv3-4cpu.aml)");
	assert_log(c, "fdt: acpi: not converted: PPTT");
	const char *d = strstr(c->log, "fdt: dsdt: common/dsdt-qemu.aml");
	const char *s = strstr(c->log, "fdt: ssdt: dsdt-uart/dsdt.aml");
	assert_true(d && s && d < s);
	assert_int_equal(c->res.tables_skipped, 2);	/* the second APIC, junk.dat */
	assert_int_equal(c->res.tables_ignored, 1);
	/* The SPCR-less console: the first UART the DSDT then SSDT scan found. */
	assert_str(c, "/aliases", "serial0", "/serial@9000000");
	conv_free(c);
	for (int k = 0; k < 6; k++)
		tbl_free(&t[k]);
}

/* A table with a header and `len - 36` bytes of a pattern (valid checksum). */
static struct tbl sdt(const char *sig, const char *oem, const char *oem_table, size_t len,
		      uint8_t seed, const char *origin)
{
	uint8_t *b = calloc(1, len);
	struct tbl t;

	assert_non_null(b);
	memcpy(b, sig, 4);
	b[8] = 1;
	memcpy(b + 10, oem, 6);
	memcpy(b + 16, oem_table, 8);
	for (size_t i = 36; i < len; i++)
		b[i] = (uint8_t)(seed + i * 7);
	t = raw(b, len, origin);
	free(b);
	tbl_fix(&t);
	return t;
}

/* The two trees are the same, byte for byte once packed. */
static void assert_same_tree(const struct conv *a, const struct conv *b)
{
	assert_int_equal(fdt_pack(a->fdt), 0);
	assert_int_equal(fdt_pack(b->fdt), 0);
	assert_int_equal(fdt_totalsize(a->fdt), fdt_totalsize(b->fdt));
	assert_memory_equal(a->fdt, b->fdt, fdt_totalsize(a->fdt));
}

/* Vendor signatures no specification defines (the Huawei MateBook E Go's
 * 128 KiB DLUT, the IdeaCentre Mini's FFT_) pass the table check, are read
 * by no converter and leave no trace in the tree: only the not-converted
 * line names them, sorted. */
static void vendor_tables_skipped(void **state)
{
	(void)state;
	struct tbl t[5] = { fixture("common/facp-hvc"), fixture("common/apic-gicv3-4cpu"),
			    fixture("common/spcr-qemu"),
			    sdt("DLUT", "HUAWEI", "3DLUTTBL", 131124, 3, "DLUT.dat"),
			    sdt("FFT_", "PLINTH", "FIXTURE ", 101, 5, "FFT_.dat") };
	struct tbl swapped[5] = { t[4], t[3], t[0], t[1], t[2] };
	struct conv *without = convert(t, 3);
	struct conv *c = convert(t, 5);

	assert_log(c, "fdt: acpi: not converted: DLUT FFT_\n");
	assert_int_equal(c->res.tables_ignored, 2);
	assert_int_equal(c->res.tables_used, 3);
	assert_int_equal(c->res.tables_skipped, 0);
	assert_log(c, "tables used 3 (FACP APIC SPCR), skipped 0, not converted 2; console uart0");
	assert_same_tree(c, without);
	conv_free(c);

	c = convert(swapped, 5);			/* the same line whatever the order */
	assert_log(c, "fdt: acpi: not converted: DLUT FFT_\n");
	assert_same_tree(c, without);
	conv_free(c);
	conv_free(without);
	for (int k = 0; k < 5; k++)
		tbl_free(&t[k]);
}

/* Two BGRTs, as the Surface Pro 9 5G has: named once with a count, and
 * whether the copies are the same; the tree does not change. */
static void duplicate_bgrt(void **state)
{
	(void)state;
	struct tbl t[4] = { fixture("common/apic-gicv3-4cpu"), fixture("common/spcr-qemu"),
			    sdt("BGRT", "PLINTH", "FIXTURE ", 56, 1, "BGRT1.dat"),
			    sdt("BGRT", "PLINTH", "FIXTURE ", 56, 1, "BGRT2.dat") };
	struct conv *without = convert(t, 2);
	struct conv *c = convert(t, 4);

	assert_log(c, "fdt: acpi: not converted: BGRT (2 copies, identical)\n");
	assert_int_equal(c->res.tables_ignored, 2);
	assert_int_equal(c->res.tables_skipped, 0);
	assert_same_tree(c, without);
	conv_free(c);

	tbl_set(&t[3], 40, 0x5a, 1);			/* the second copy differs */
	c = convert(t, 4);
	assert_log(c, "fdt: acpi: not converted: BGRT (2 copies, different)\n");
	assert_same_tree(c, without);
	conv_free(c);
	conv_free(without);
	for (int k = 0; k < 4; k++)
		tbl_free(&t[k]);
}

static void set_oem(struct tbl *t, const char *oem, const char *oem_table)
{
	memcpy(t->p + 10, oem, 6);
	memcpy(t->p + 16, oem_table, 8);
	tbl_fix(t);
}

/* The Huawei MateBook E Go's mix: FADT and MADT "QCOM  "/"QCOMEDK2", DSDT
 * and the vendor DLUT "HUAWEI". The FADT's IDs name the machine whatever
 * the order the tables come in; the disagreement is one sorted line. */
static void mixed_oem_ids(void **state)
{
	(void)state;
	struct tbl t[4] = { fixture("common/facp-hvc"), fixture("common/apic-gicv3-4cpu"),
			    fixture("common/dsdt-qemu"),
			    sdt("DLUT", "HUAWEI", "3DLUTTBL", 64, 3, "DLUT.dat") };
	const char *differ = "fdt: acpi: OEM IDs differ across tables (FACP \"QCOM\"; \"HUAWEI\" in DLUT DSDT): board detection reads the FADT's\n";
	set_oem(&t[0], "QCOM  ", "QCOMEDK2");
	set_oem(&t[1], "QCOM  ", "QCOMEDK2");
	set_oem(&t[2], "HUAWEI", "SDM8280 ");
	struct tbl dsdt_first[4] = { t[2], t[3], t[1], t[0] };
	struct tbl *orders[2] = { t, dsdt_first };

	for (int k = 0; k < 2; k++) {
		struct conv *c = convert(orders[k], 4);

		assert_memory_equal(c->res.oem_id, "QCOM  ", 7);
		assert_memory_equal(c->res.oem_table_id, "QCOMEDK2", 9);
		assert_str(c, "/", "model", "QCOM QCOMEDK2");
		assert_log(c, "fdt: acpi: root: model \"QCOM QCOMEDK2\" (the FADT's OEM ID and OEM table ID), compatible \"plinth,acpi\"\n");
		assert_log(c, differ);
		conv_free(c);
	}
	tbl_free(&t[3]);

	/* No FADT: the XSDT's (it must carry the same model ID, ACPI 6.5 5.2.8). */
	t[3] = sdt("XSDT", "QCOM  ", "QCOMEDK2", 36 + 8, 0, "XSDT.dat");
	memset(t[3].p + 36, 0, 8);
	tbl_fix(&t[3]);
	struct tbl no_fadt[3] = { t[2], t[3], t[1] };
	struct conv *c = convert(no_fadt, 3);
	assert_str(c, "/", "model", "QCOM QCOMEDK2");
	assert_log(c, "fdt: acpi: root: model \"QCOM QCOMEDK2\" (the XSDT's OEM ID and OEM table ID: no FADT), compatible \"plinth,acpi\"\n");
	assert_log(c, "fdt: acpi: OEM IDs differ across tables (XSDT \"QCOM\"; \"HUAWEI\" in DSDT): board detection reads the XSDT's (no FADT)\n");
	conv_free(c);

	/* Neither: the first table's, which is all that is left to go by. */
	c = convert(no_fadt + 2, 1);
	assert_no_log(c, "OEM IDs differ");
	conv_free(c);
	struct tbl dsdt_apic[2] = { t[2], t[1] };
	c = convert(dsdt_apic, 2);
	assert_str(c, "/", "model", "HUAWEI SDM8280");
	assert_log(c, "(the DSDT's OEM ID and OEM table ID: no FADT or XSDT, the first table)");
	assert_log(c, "fdt: acpi: OEM IDs differ across tables (DSDT \"HUAWEI\"; \"QCOM\" in APIC): board detection reads the DSDT's (no FADT or XSDT, the first table)\n");
	conv_free(c);
	for (int k = 0; k < 4; k++)
		tbl_free(&t[k]);
}

/* IDs that differ only in their padding are the same ID; one that differs
 * in case is not (board detection compares bytes). */
static void oem_id_padding_and_case(void **state)
{
	(void)state;
	struct tbl t[3] = { fixture("common/facp-hvc"), fixture("common/apic-gicv3-4cpu"),
			    sdt("XSDT", "Lenovo", "TP-N42  ", 36, 0, "XSDT.dat") };
	set_oem(&t[0], "LENOVO", "TP-N42  ");
	memcpy(t[1].p + 10, "LENOVO", 6);
	tbl_fix(&t[1]);
	struct conv *c = convert(t, 2);

	assert_no_log(c, "OEM IDs differ");
	conv_free(c);

	set_oem(&t[0], "QCOM  ", "QCOMEDK2");
	set_oem(&t[1], "QCOM\0\0", "QCOMEDK2");
	c = convert(t, 2);
	assert_no_log(c, "OEM IDs differ");
	conv_free(c);

	set_oem(&t[0], "LENOVO", "TP-N42  ");
	set_oem(&t[1], "LENOVO", "TP-N42  ");
	c = convert(t, 3);
	assert_memory_equal(c->res.oem_id, "LENOVO", 7);
	assert_log(c, "fdt: acpi: OEM IDs differ across tables (FACP \"LENOVO\"; \"Lenovo\" in XSDT): board detection reads the FADT's\n");
	conv_free(c);
	for (int k = 0; k < 3; k++)
		tbl_free(&t[k]);
}

/* No tables at all: a tree with the skeleton only, no crash. */
static void nothing(void **state)
{
	(void)state;
	struct conv *c = convert(NULL, 0);

	assert_node(c, "/chosen");
	assert_node(c, "/aliases");
	assert_no_prop(c, "/chosen", "stdout-path");
	assert_false(c->res.have_console);
	assert_log(c, "fdt: console: no supported UART in SPCR, DBG2 or the DSDT/SSDT");
	conv_free(c);
}

/* acpi_sum8 works a word at a time: it must agree with the byte sum at
 * every alignment and length, and with every byte 0xff (the most its lanes
 * take before they are folded). */
static void sum8(void **state)
{
	static uint8_t buf[4096 + 8];
	unsigned seed = 1;

	(void)state;
	for (int fill = 0; fill < 2; fill++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = fill ? 0xff : (uint8_t)(seed >> 16);
		}
		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; n + off <= sizeof(buf); n += n < 40 ? 1 : 97) {
				uint8_t want = 0;

				for (size_t i = 0; i < n; i++)
					want = (uint8_t)(want + buf[off + i]);
				assert_int_equal(acpi_sum8(buf + off, n), want);
			}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sum8),
		cmocka_unit_test(table_check),
		cmocka_unit_test(rsdp_and_facs),
		cmocka_unit_test(contract),
		cmocka_unit_test(nospace),
		cmocka_unit_test(nospace_every_size),
		cmocka_unit_test(dispatch),
		cmocka_unit_test(vendor_tables_skipped),
		cmocka_unit_test(duplicate_bgrt),
		cmocka_unit_test(mixed_oem_ids),
		cmocka_unit_test(oem_id_padding_and_case),
		cmocka_unit_test(nothing),
	};
	return cmocka_run_group_tests_name("acpi_tables", tests, NULL, NULL);
}
