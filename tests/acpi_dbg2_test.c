/* DBG2 -> a console when the SPCR names none (loader/acpi_dbg2.c): a good
 * table (interrupt and clock from the DSDT device it names), truncated entry
 * lists, an entry length below the minimum, unknown port types and
 * subtypes, namespace strings "." and relative, precedence against the
 * SPCR, and a 16550 whose GAS access-size code is invalid (0x20). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define ENTRY0 44
#define ENTRY1 92
#define DEV_TYPE 12
#define DEV_SUBTYPE 14
#define DEV_NS 0x26

struct set {
	struct tbl t[4];
	unsigned n;
};

static struct set tables(int with_dsdt)
{
	struct set s = { .n = 0 };

	s.t[s.n++] = fixture("common/apic-gicv3-4cpu");
	s.t[s.n++] = fixture("dbg2-no-spcr/dbg2");
	if (with_dsdt)
		s.t[s.n++] = fixture("dbg2-no-spcr/dsdt");
	return s;
}

static void set_free(struct set *s)
{
	for (unsigned i = 0; i < s->n; i++)
		tbl_free(&s->t[i]);
}

static void good(void **state)
{
	(void)state;
	struct set s = tables(1);
	struct conv *c = convert(s.t, s.n);

	assert_strlist(c, "/serial@1c0a0000", "compatible", "arm,pl011|arm,primecell");
	assert_cells(c, "/serial@1c0a0000", "interrupts", CELLS(0, 37, 4));
	assert_u32(c, "/clock-uart0", "clock-frequency", 24000000);
	assert_str(c, "/chosen", "stdout-path", "serial0");
	assert_str(c, "/aliases", "serial1", "/serial@1c090000");
	assert_log(c, "fdt: dbg2: entry 0: serial subtype 0x0011 (Qualcomm GENI (SDM845, 1.8432 MHz)) not supported: ignored");
	assert_log(c, "fdt: dbg2: entry 1: subtype 0x0003 (Arm PL011) at 0x1c0a0000, GSIV 69 from \\_SB_.URT1._CRS, clock from its _DSD");
	conv_free(c);
	set_free(&s);
}

/* Without the DSDT the UART is still the console, without an interrupt. */
static void no_dsdt(void **state)
{
	(void)state;
	struct set s = tables(0);
	struct conv *c = convert(s.t, s.n);

	assert_no_prop(c, "/serial@1c0a0000", "interrupts");
	assert_log(c, "\\_SB_.URT1: no _CRS in the DSDT/SSDTs: no interrupt");
	conv_free(c);
	set_free(&s);
}

/* The count claims more entries than the table holds. */
static void truncated(void **state)
{
	(void)state;
	struct set s = tables(1);
	tbl_truncate(&s.t[1], ENTRY1 + 30);
	struct conv *c = convert(s.t, s.n);

	assert_log(c, "fdt: dbg2: entry 1 at 0x5c has length 48 (table ends at 0x7a): walk ends");
	assert_log(c, "from DSDT \\_SB_.URT0 chosen");	/* the scan's first UART */
	conv_free(c);
	set_free(&s);

	s = tables(1);
	tbl_set(&s.t[1], 40, 5, 4);			/* 5 entries claimed, 2 present */
	c = convert(s.t, s.n);
	assert_log(c, "fdt: dbg2: entry 2 at 0x8c runs past the table (140 bytes): walk ends");
	assert_log(c, "from DBG2 + DSDT \\_SB_.URT1 chosen");
	conv_free(c);
	set_free(&s);

	s = tables(1);
	tbl_truncate(&s.t[1], 40);
	c = convert(s.t, s.n);
	assert_log(c, "fdt: dbg2: 40 bytes, shorter than its 44-byte fixed part: skipped");
	conv_free(c);
	set_free(&s);
}

/* DBG2 revision 0 is the only one; a device entry shorter than its 22-byte
 * fixed part is what an older or broken writer leaves. */
static void short_entry(void **state)
{
	(void)state;
	struct set s = tables(1);
	tbl_set(&s.t[1], ENTRY0 + 1, 10, 2);
	struct conv *c = convert(s.t, s.n);

	assert_log(c, "fdt: dbg2: entry 0 at 0x2c has length 10 (table ends at 0x8c): walk ends");
	conv_free(c);
	set_free(&s);
}

static void unknown_types(void **state)
{
	(void)state;
	struct set s = tables(1);
	tbl_set(&s.t[1], ENTRY0 + DEV_TYPE, 0x8002, 2);	/* USB */
	tbl_set(&s.t[1], ENTRY1 + DEV_SUBTYPE, 0x42, 2);	/* serial, unknown subtype */
	struct conv *c = convert(s.t, s.n);

	assert_log(c, "fdt: dbg2: entry 0: port type 0x8002 subtype 0x0011 is not a serial port: ignored");
	assert_log(c, "fdt: dbg2: entry 1: serial subtype 0x0042 (unknown) not supported: ignored");
	assert_log(c, "DBG2 named no usable UART");
	conv_free(c);
	set_free(&s);
}

static void namespace_strings(void **state)
{
	(void)state;
	struct set s = tables(1);
	memcpy(s.t[1].p + ENTRY1 + DEV_NS, ".\0\0\0\0\0\0\0\0", 10);
	tbl_fix(&s.t[1]);
	struct conv *c = convert(s.t, s.n);

	assert_log(c, "no namespace device: no interrupt");
	conv_free(c);
	set_free(&s);

	/* Table text in a log line is made printable: one line per call. */
	s = tables(1);
	memcpy(s.t[1].p + ENTRY1 + DEV_NS, "bad\nname", 9);
	tbl_fix(&s.t[1]);
	c = convert(s.t, s.n);
	assert_log(c, "namespace string 'bad?name' is not a path: no interrupt");
	conv_free(c);
	set_free(&s);

	/* A namespace device at another address is another UART. */
	s = tables(1);
	memcpy(s.t[1].p + ENTRY1 + DEV_NS, "\\_SB.URT0", 10);
	tbl_fix(&s.t[1]);
	c = convert(s.t, s.n);
	assert_log(c, "\\_SB_.URT0._CRS is at 0x1c090000, not this UART: no interrupt");
	conv_free(c);
	set_free(&s);

	/* QEMU writes "COM0": relative, found when exactly one device ends so. */
	s = tables(1);
	memcpy(s.t[1].p + ENTRY1 + DEV_NS, "URT1\0\0\0\0\0", 10);
	tbl_fix(&s.t[1]);
	c = convert(s.t, s.n);
	assert_log(c, "fdt: dbg2: entry 1: relative namespace string 'URT1' taken as \\_SB_.URT1");
	assert_cells(c, "/serial@1c0a0000", "interrupts", CELLS(0, 37, 4));
	conv_free(c);
	set_free(&s);
}

/* SPCR and DBG2 name different UARTs (Ampere Altra): the SPCR's wins. */
static void spcr_wins(void **state)
{
	(void)state;
	struct set s = tables(1);
	s.t[s.n++] = fixture("spcr-16550/spcr");
	struct conv *c = convert(s.t, s.n);

	assert_str(c, "/aliases", "serial0", "/serial@3fff03f8");
	assert_str(c, "/aliases", "serial1", "/serial@1c0a0000");
	assert_str(c, "/aliases", "serial2", "/serial@1c090000");
	assert_log(c, "fdt: console: ns16550a@3fff03f8 from SPCR chosen (precedence SPCR > DBG2 > DSDT)");
	assert_log(c, "fdt: console: arm,pl011@1c0a0000 from DBG2 + DSDT \\_SB_.URT1 is a different UART: not the console, serial1");
	conv_free(c);
	set_free(&s);
}

/* A 16550 entry whose GAS access size code is 0x20 (invalid: 0-4), as the
 * Qualcomm machines write theirs: the bit width decides the register width,
 * and the default size follows it. */
static void gas_access_size_code_0x20(void **state)
{
	(void)state;
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), fixture("gas-access-0x20/dbg2") };
	struct conv *c = convert(t, 2);

	assert_strlist(c, "/serial@1c030000", "compatible", "ns16550a");
	assert_u32(c, "/serial@1c030000", "reg-shift", 2);
	assert_u32(c, "/serial@1c030000", "reg-io-width", 4);
	assert_cells(c, "/serial@1c030000", "reg", CELLS(0, 0x1c030000, 0, 0x20));
	assert_str(c, "/chosen", "stdout-path", "serial0");
	assert_log(c, "fdt: dbg2: entry 0: GAS access size code 0x20 invalid (0-4): register width from the bit width (32)\n");
	assert_log(c, "fdt: dbg2: entry 0: subtype 0x0000 (16550) at 0x1c030000, no namespace device: no interrupt\n");
	conv_free(c);
	tbl_free(&t[1]);

	/* Bit width 64 with it: no 16550 width, the entry is passed over. */
	t[1] = fixture("gas-access-0x20/dbg2");
	tbl_set(&t[1], 44 + 0x16 + 1, 64, 1);
	c = convert(t, 2);
	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: dbg2: entry 0: GAS access size code 0x20 invalid (0-4): register width from the bit width (64)\n");
	assert_log(c, "fdt: dbg2: entry 0: 16550 with GAS access size 32, bit width 64: ignored");
	conv_free(c);
	tbl_free(&t[0]);
	tbl_free(&t[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(no_dsdt),
		cmocka_unit_test(truncated),
		cmocka_unit_test(short_entry),
		cmocka_unit_test(unknown_types),
		cmocka_unit_test(namespace_strings),
		cmocka_unit_test(spcr_wins),
		cmocka_unit_test(gas_access_size_code_0x20),
	};
	return cmocka_run_group_tests_name("acpi_dbg2", tests, NULL, NULL);
}
