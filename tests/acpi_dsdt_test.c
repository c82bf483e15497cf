/* The AML walker and the DSDT/SSDT UART scan (loader/acpi_aml.c,
 * acpi_dsdt.c): the VMware-shaped fixture, a truncated DSDT, a revision 1
 * DSDT, opcodes the walker cannot step over, name strings (root, parent,
 * dual and multi segment), PkgLength encodings, EISA IDs and _CID packages,
 * resource descriptors, nesting limits, and random corruption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"
#include <plinth/err.h>
#include "acpi2fdt/acpi.h"

/* ---------------------------------------------------------- AML builder ---- */

struct aml {
	uint8_t b[16384];
	size_t n;
	size_t open[32];
	int sp;
};

static void put(struct aml *a, const void *p, size_t n)
{
	assert_true(a->n + n <= sizeof(a->b));
	memcpy(a->b + a->n, p, n);
	a->n += n;
}

static void put8(struct aml *a, uint8_t v)
{
	put(a, &v, 1);
}

static void put32(struct aml *a, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put8(a, (uint8_t)(v >> (8 * i)));
}

/* A PkgLength in its 3-byte form, patched by pkg_close. */
static void pkg_open(struct aml *a)
{
	a->open[a->sp++] = a->n;
	put(a, "\0\0\0", 3);
}

static void pkg_close(struct aml *a)
{
	size_t at = a->open[--a->sp], len = a->n - at;

	a->b[at] = (uint8_t)(0x80 | (len & 0x0f));
	a->b[at + 1] = (uint8_t)(len >> 4);
	a->b[at + 2] = (uint8_t)(len >> 12);
}

static void dsdt_begin(struct aml *a, uint8_t rev)
{
	uint8_t h[36] = "DSDT";

	h[8] = rev;
	memcpy(h + 10, "PLINTH", 6);
	memcpy(h + 16, "UNITTEST", 8);
	a->n = 0;
	a->sp = 0;
	put(a, h, sizeof(h));
}

static struct tbl dsdt_end(struct aml *a, const char *origin)
{
	struct tbl t = raw(a->b, a->n, origin);

	tbl_fix(&t);
	return t;
}

static void scope_open(struct aml *a, const char *name)
{
	put8(a, 0x10);
	pkg_open(a);
	put(a, name, strlen(name));
}

static void device_open(struct aml *a, const char *name)
{
	put(a, "\x5b\x82", 2);
	pkg_open(a);
	put(a, name, strlen(name));
}

static void name_eisa(struct aml *a, const char *seg, uint32_t eisa)
{
	put8(a, 0x08);
	put(a, seg, 4);
	put8(a, 0x0c);
	put32(a, eisa);
}

static void name_string(struct aml *a, const char *seg, const char *s)
{
	put8(a, 0x08);
	put(a, seg, 4);
	put8(a, 0x0d);
	put(a, s, strlen(s) + 1);
}

/* Name (_CRS, ResourceTemplate () { Memory32Fixed (base, len) Interrupt {gsiv} }) */
static void name_crs(struct aml *a, uint32_t base, uint32_t len, uint32_t gsiv)
{
	put8(a, 0x08);
	put(a, "_CRS", 4);
	put8(a, 0x11);
	pkg_open(a);
	put8(a, 0x0a);
	put8(a, 12 + 9 + 2);
	put(a, "\x86\x09\x00\x01", 4);
	put32(a, base);
	put32(a, len);
	put(a, "\x89\x06\x00\x01\x01", 5);
	put32(a, gsiv);
	put(a, "\x79\x00", 2);
	pkg_close(a);
}

/* A PNP0501 UART device body. */
static void uart(struct aml *a, const char *name, uint32_t base, uint32_t gsiv)
{
	device_open(a, name);
	name_eisa(a, "_HID", 0x0105d041);
	name_crs(a, base, 8, gsiv);
	pkg_close(a);
}

static struct conv *convert_with_gic(struct tbl *dsdt)
{
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), *dsdt };
	struct conv *c = convert(t, 2);

	tbl_free(&t[0]);
	return c;
}

/* ---------------------------------------------------------------- tests ---- */

static void vmware_shaped(void **state)
{
	(void)state;
	struct tbl t = fixture("dsdt-uart/dsdt");
	struct conv *c = convert_with_gic(&t);

	assert_str(c, "/chosen", "stdout-path", "serial0");
	assert_str(c, "/aliases", "serial0", "/serial@3fff03f8");
	assert_u32(c, "/serial@3fff03f8", "clock-frequency", 3686400);
	assert_cells(c, "/serial@3fff03f8", "interrupts", CELLS(0, 4, 4));
	assert_cells(c, "/serial@100002600000", "reg", CELLS(0x1000, 0x2600000, 0, 0x1000));
	assert_no_node(c, "/serial@3fff5000");		/* _STA 0 */
	assert_log(c, "fdt: dsdt: dsdt-uart/dsdt.aml: revision 1, 890 bytes: 8 devices");
	assert_log(c, "fdt: dsdt: \\_SB_.URT7 (PNP0501): static _CRS has base 0 (a method patches it at run time): skipped");
	conv_free(c);
	tbl_free(&t);
}

/* A DSDT cut short (length fixed up, so it passes the table check): the
 * scope whose PkgLength now runs past the end is reported, nothing read
 * beyond. */
static void truncated(void **state)
{
	(void)state;
	struct tbl t = fixture("dsdt-uart/dsdt");
	tbl_truncate(&t, 300);
	struct conv *c = convert_with_gic(&t);

	assert_log(c, "fdt: dsdt: dsdt-uart/dsdt.aml+0x24 in \\: opcode 0x10 not understood: rest of the scope skipped");
	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	conv_free(c);
	tbl_free(&t);
}

/* Revision 1 DSDTs (32-bit integers, VMware's) walk the same way; Ones is
 * all bits set whatever the width, which a static _STA only tests bit 0 of. */
static void old_revision(void **state)
{
	(void)state;
	struct aml a;
	dsdt_begin(&a, 1);
	scope_open(&a, "\\_SB_");
	device_open(&a, "COM1");
	name_eisa(&a, "_HID", 0x0105d041);
	put(&a, "\x08" "_STA\xff", 6);			/* Name (_STA, Ones) */
	name_crs(&a, 0x3fff03f8, 8, 0x24);
	pkg_close(&a);
	pkg_close(&a);
	struct tbl t = dsdt_end(&a, "rev1.aml");
	struct conv *c = convert_with_gic(&t);

	assert_node(c, "/serial@3fff03f8");
	assert_log(c, "fdt: dsdt: rev1.aml: revision 1, ");
	conv_free(c);
	tbl_free(&t);
}

/* An opcode the walker cannot step over (Store, 0x70) ends its scope only:
 * the device after it in that scope is lost, one in a later scope is not. */
static void unknown_opcode(void **state)
{
	(void)state;
	struct aml a;
	dsdt_begin(&a, 2);
	scope_open(&a, "\\_SB_");
	uart(&a, "COM1", 0x1000, 40);
	put(&a, "\x70\x01\x60", 3);			/* Store (One, Local0) */
	uart(&a, "COM2", 0x2000, 41);
	pkg_close(&a);
	scope_open(&a, "\\_SB_");
	uart(&a, "COM3", 0x3000, 42);
	pkg_close(&a);
	struct tbl t = dsdt_end(&a, "unknown.aml");
	struct conv *c = convert_with_gic(&t);

	assert_node(c, "/serial@1000");
	assert_no_node(c, "/serial@2000");
	assert_node(c, "/serial@3000");
	assert_log(c, "in \\_SB_: opcode 0x70 not understood: rest of the scope skipped");
	conv_free(c);
	tbl_free(&t);
}

/* Declarations by absolute, parent-prefixed, dual and multi-segment names;
 * constants as statements (Microsoft's padding); If blocks are not walked;
 * OperationRegion, Field, Mutex, External and CreateDWordField stepped over. */
static void names_and_skips(void **state)
{
	(void)state;
	struct aml a;
	dsdt_begin(&a, 2);
	put(&a, "\x15\x5c\x2e" "_SB_PCI0\x06\x00", 13);	/* External (\_SB.PCI0, DeviceObj) */
	scope_open(&a, "\\_SB_");
	put(&a, "\x00\x00\x0a\x05", 4);			/* Zero Zero 0x05 */
	put(&a, "\x5b\x80" "REG0\x00\x0c\x00\x00\x00\x10\x0a\x04", 14);	/* OperationRegion */
	put(&a, "\x5b\x81", 2);				/* Field (REG0, ...) { F0, 8 } */
	pkg_open(&a);
	put(&a, "REG0\x01" "F0__\x08", 10);
	pkg_close(&a);
	put(&a, "\x5b\x01" "MUT0\x00", 7);			/* Mutex (MUT0, 0) */
	device_open(&a, "PCI0");
	device_open(&a, "^COM4");			/* \_SB_.COM4 */
	name_eisa(&a, "_HID", 0x0105d041);
	name_crs(&a, 0x4000, 8, 43);
	pkg_close(&a);
	device_open(&a, "\x2e" "SUB_COM5");		/* \_SB_.PCI0.SUB_.COM5, dual name */
	name_string(&a, "_HID", "ARMH0011");
	name_crs(&a, 0x5000, 0x1000, 44);
	pkg_close(&a);
	pkg_close(&a);
	put8(&a, 0xa0);					/* If (One) { Device (COM6) } */
	pkg_open(&a);
	put8(&a, 0x01);
	uart(&a, "COM6", 0x6000, 45);
	pkg_close(&a);
	put(&a, "\x8a\x0a\x00\x0a\x00" "DW00", 9);		/* CreateDWordField (Zero, 0, DW00) */
	pkg_close(&a);
	device_open(&a, "\\\x2f\x03" "_SB_PCI0COM7");	/* multi-segment from the root */
	name_eisa(&a, "_HID", 0x0105d041);
	name_crs(&a, 0x7000, 8, 46);
	pkg_close(&a);
	struct tbl t = dsdt_end(&a, "names.aml");
	struct conv *c = convert_with_gic(&t);

	assert_log(c, "fdt: dsdt: \\_SB_.COM4 (PNP0501): ns16550a at 0x4000+0x8");
	assert_log(c, "fdt: dsdt: \\_SB_.PCI0.SUB_.COM5 (ARMH0011): arm,pl011 at 0x5000+0x1000");
	assert_log(c, "fdt: dsdt: \\_SB_.PCI0.COM7 (PNP0501): ns16550a at 0x7000+0x8");
	assert_log(c, "names.aml: 1 If/Else/While block(s) at load time not walked");
	assert_log(c, "(all of it walked)");
	assert_no_node(c, "/serial@6000");
	conv_free(c);
	tbl_free(&t);
}

/* Scopes nested past the walker's limit are reported, not recursed into. */
static void nesting_limit(void **state)
{
	(void)state;
	struct aml a;
	dsdt_begin(&a, 2);
	for (int i = 0; i < 30; i++) {
		char seg[5] = { 'S', (char)('0' + i / 100), (char)('0' + i / 10 % 10),
				(char)('0' + i % 10), 0 };
		scope_open(&a, seg);
	}
	for (int i = 0; i < 30; i++)
		pkg_close(&a);
	struct tbl t = dsdt_end(&a, "deep.aml");
	struct conv *c = convert_with_gic(&t);

	assert_log(c, "fdt: dsdt: deep.aml+0xa4: \\S000.S001.S002.S003.S004.S005.S006.S007.S008.S009.S010.S011.S012.S013.S014.S015.S016 nested deeper than 16 scopes: not walked");
	conv_free(c);
	tbl_free(&t);
}

/* Direct checks of the decoders. */
static void decoders(void **state)
{
	(void)state;
	char id[16];
	uint64_t v;
	static const uint8_t eisa[] = { 0x0c, 0x41, 0xd0, 0x0a, 0x08 };	/* PNP0A08 */
	static const uint8_t str[] = { 0x0d, 'A', 'R', 'M', 'H', '0', '0', '1', '1', 0 };
	static const uint8_t qword[] = { 0x0e, 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(aml_hardware_id(eisa, sizeof(eisa), id, sizeof(id)), 0);
	assert_string_equal(id, "PNP0A08");
	assert_int_equal(aml_hardware_id(str, sizeof(str), id, sizeof(id)), 0);
	assert_string_equal(id, "ARMH0011");
	assert_int_equal(aml_integer(qword, sizeof(qword), &v), 0);
	assert_true(v == 0x0807060504030201ull);
	assert_int_equal(aml_integer(qword, 5, &v), -PLINTH_EINVAL);	/* truncated */
	assert_int_equal(aml_hardware_id(str, 5, id, sizeof(id)), -PLINTH_EINVAL);

	char path[ACPI_PATH_MAX];
	assert_int_equal(aml_path_normalise("\\_SB.COM0", 9, path, sizeof(path)), 0);
	assert_string_equal(path, "\\_SB_.COM0");
	assert_int_equal(aml_path_normalise("\\_SB.TOOLONG", 12, path, sizeof(path)), -PLINTH_EINVAL);
	assert_int_equal(aml_path_normalise(".", 1, path, sizeof(path)), -PLINTH_EINVAL);
	aml_parent("\\_SB_.COM1._CRS", path, sizeof(path));
	assert_string_equal(path, "\\_SB_.COM1");
	aml_parent("\\_SB_", path, sizeof(path));
	assert_string_equal(path, "\\");
}

static void resources(void **state)
{
	(void)state;
	static const uint8_t rt[] = {
		/* WordBusNumber 0-0x1f */
		0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0, 0, 0x00, 0x00, 0x1f, 0x00, 0, 0, 0x20, 0x00,
		/* QWordMemory producer, prefetchable, min 0x80_0000_0000, len 0x1_0000_0000 */
		0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0,
		/* Extended Interrupt, edge, active low, two interrupts 50, 51 */
		0x89, 0x0a, 0x00, 0x07, 0x02, 50, 0, 0, 0, 51, 0, 0, 0,
		/* a small IRQ descriptor, stepped over */
		0x22, 0x01, 0x00,
		/* End Tag */
		0x79, 0x00,
	};
	struct res_iter it;
	struct acpi_res r;

	res_iter_init(&it, rt, sizeof(rt));
	assert_int_equal(res_next(&it, &r), 1);
	assert_int_equal(r.type, RES_BUS);
	assert_true(r.min == 0 && r.len == 0x20 && r.producer);
	assert_int_equal(res_next(&it, &r), 1);
	assert_int_equal(r.type, RES_MEMORY);
	assert_true(r.min == 0x8000000000ull && r.len == 0x100000000ull && r.prefetchable);
	assert_int_equal(res_next(&it, &r), 1);
	assert_int_equal(r.type, RES_IRQ);
	assert_true(r.irq == 50 && r.nirq == 2 && r.edge && r.active_low);
	assert_int_equal(res_next(&it, &r), 0);

	/* A descriptor whose length runs past the buffer is malformed. */
	res_iter_init(&it, rt, 20);
	assert_int_equal(res_next(&it, &r), 1);
	assert_int_equal(res_next(&it, &r), -PLINTH_EINVAL);
}

/* _CID as a package of IDs; a PNP0501 found by it. */
static void cid_package(void **state)
{
	(void)state;
	struct aml a;
	dsdt_begin(&a, 2);
	scope_open(&a, "\\_SB_");
	device_open(&a, "URTX");
	name_string(&a, "_HID", "VEND0001");
	put(&a, "\x08" "_CID\x12", 6);
	pkg_open(&a);
	put8(&a, 2);
	put(&a, "\x0d" "FOO0001\0", 9);
	put8(&a, 0x0c);
	put32(&a, 0x0105d041);
	pkg_close(&a);
	name_crs(&a, 0x8000, 8, 47);
	pkg_close(&a);
	pkg_close(&a);
	struct tbl t = dsdt_end(&a, "cid.aml");
	struct conv *c = convert_with_gic(&t);

	assert_node(c, "/serial@8000");
	assert_log(c, "fdt: dsdt: \\_SB_.URTX (PNP0501): ns16550a at 0x8000+0x8");
	conv_free(c);
	tbl_free(&t);
}

/* Random corruption of real-shaped AML must never crash or read out of
 * bounds; the tree is still well formed. Deterministic seed. */
static void corruption(void **state)
{
	(void)state;
	static const char *const names[] = { "dsdt-uart/dsdt", "common/dsdt-qemu",
					     "mcfg-quirks/dsdt", "dbg2-no-spcr/dsdt" };
	struct tbl gic = fixture("common/apic-gicv3-4cpu"), mcfg = fixture("common/mcfg-qemu");
	unsigned seed = 12345;

	for (int round = 0; round < 1500; round++) {
		struct tbl t = fixture(names[round % 4]);
		int flips = 1 + (int)(rand_r(&seed) % 8);

		for (int i = 0; i < flips; i++)
			t.p[36 + rand_r(&seed) % (t.len - 36)] = (uint8_t)rand_r(&seed);
		if (rand_r(&seed) % 3 == 0)
			t.len = 36 + rand_r(&seed) % (t.len - 36);
		tbl_fix(&t);
		struct tbl set[3] = { gic, mcfg, t };
		struct conv *c = convert_in(set, 3, CONV_TREE);
		assert_int_equal(c->rc, 0);
		assert_int_equal(fdt_check_full(c->fdt, fdt_totalsize(c->fdt)), 0);
		conv_free(c);
		tbl_free(&t);
	}
	tbl_free(&gic);
	tbl_free(&mcfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmware_shaped),
		cmocka_unit_test(truncated),
		cmocka_unit_test(old_revision),
		cmocka_unit_test(unknown_opcode),
		cmocka_unit_test(names_and_skips),
		cmocka_unit_test(nesting_limit),
		cmocka_unit_test(decoders),
		cmocka_unit_test(resources),
		cmocka_unit_test(cid_package),
		cmocka_unit_test(corruption),
	};
	return cmocka_run_group_tests_name("acpi_dsdt", tests, NULL, NULL);
}
