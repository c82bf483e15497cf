/* SPCR -> the console (loader/acpi_spcr.c, the node by acpi_uart.c): good
 * tables of each converted interface type, truncated, revision gating of the
 * clock and precise baud, unknown interface type, unusable register width,
 * an invalid GAS access-size code (0x20, as Qualcomm firmware writes), baud
 * codes, an I/O port without a window, no interrupt, base 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"

#define SPCR_TYPE 36
#define SPCR_GAS 40
#define SPCR_IRQ_TYPE 52
#define SPCR_GSIV 54
#define SPCR_BAUD 58
#define SPCR_CLOCK 76

/* An SPCR scenario converted with the 4-CPU GICv3 MADT. */
static struct conv *with_gic(struct tbl *spcr)
{
	struct tbl t[2] = { fixture("common/apic-gicv3-4cpu"), *spcr };
	struct conv *c = convert(t, 2);

	tbl_free(&t[0]);
	return c;
}

/* QEMU's SPCR: a PL011 (revision 2, so no clock) with a byte-access GAS.
 * Without a clock the node is the SBSA generic UART (see acpi_uart.c). */
static void pl011_without_clock(void **state)
{
	(void)state;
	struct tbl t = fixture("common/spcr-qemu");
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@9000000", "compatible", "arm,sbsa-uart");
	assert_cells(c, "/serial@9000000", "reg", CELLS(0, 0x9000000, 0, 0x1000));
	assert_cells(c, "/serial@9000000", "interrupts", CELLS(0, 1, 4));
	assert_u32(c, "/serial@9000000", "current-speed", 9600);
	assert_no_prop(c, "/serial@9000000", "reg-io-width");	/* whatever the GAS says */
	assert_no_node(c, "/clock-uart0");
	assert_str(c, "/chosen", "stdout-path", "serial0:9600n8");
	assert_str(c, "/aliases", "serial0", "/serial@9000000");
	assert_string_equal(label_path(c, "uart0"), "/serial@9000000");
	assert_true(c->res.have_console);
	assert_log(c, "fdt: spcr: revision 2: interface 0x03 (Arm PL011) at MMIO 0x9000000, GAS access size 1 ignored (32-bit registers), GSIV 33 (SPI 1), baud code 3 = 9600");
	assert_log(c, "fdt: console: uart0: PL011 clock unknown (no SPCR revision >= 3 clock, no _DSD clock-frequency): written as arm,sbsa-uart");
	conv_free(c);
	tbl_free(&t);
}

/* Revision 3's clock: a PL011 with a fixed-clock as uartclk and apb_pclk. */
static void pl011_with_clock(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-pl011-rev3/spcr");
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@9000000", "compatible", "arm,pl011|arm,primecell");
	assert_strlist(c, "/serial@9000000", "clock-names", "uartclk|apb_pclk");
	uint32_t ph = fdt_get_phandle(c->fdt, node(c, "/clock-uart0"));
	assert_cells(c, "/serial@9000000", "clocks", CELLS(ph, ph));
	assert_strlist(c, "/clock-uart0", "compatible", "fixed-clock");
	assert_u32(c, "/clock-uart0", "#clock-cells", 0);
	assert_u32(c, "/clock-uart0", "clock-frequency", 24000000);
	assert_no_prop(c, "/serial@9000000", "current-speed");
	assert_string_equal(label_path(c, "uart0_clk"), "/clock-uart0");
	assert_log(c, "baud code 4 = 19200, clock 24000000 Hz");
	conv_free(c);
	tbl_free(&t);
}

static void ns16550_widths(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-16550-gas/spcr");
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@1c020000", "compatible", "ns16550a");
	assert_u32(c, "/serial@1c020000", "reg-shift", 2);
	assert_u32(c, "/serial@1c020000", "reg-io-width", 4);
	assert_cells(c, "/serial@1c020000", "reg", CELLS(0, 0x1c020000, 0, 0x20));
	assert_str(c, "/chosen", "stdout-path", "serial0");	/* baud code 0 */
	assert_log(c, "baud code 0: firmware baud kept");
	conv_free(c);
	tbl_free(&t);

	/* Access size 2 (word) gives reg-shift 1, reg-io-width 2. */
	t = fixture("spcr-16550-gas/spcr");
	tbl_set(&t, SPCR_GAS + 3, 2, 1);
	c = with_gic(&t);
	assert_u32(c, "/serial@1c020000", "reg-shift", 1);
	assert_u32(c, "/serial@1c020000", "reg-io-width", 2);
	conv_free(c);
	tbl_free(&t);
}

static void sbsa(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-sbsa32/spcr");
	tbl_set(&t, SPCR_BAUD, 0, 1);
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@100002600000", "compatible", "arm,sbsa-uart");
	assert_u32(c, "/serial@100002600000", "current-speed", 115200);
	assert_log(c, "fdt: console: uart0: arm,sbsa-uart without a stated baud: current-speed 115200");
	conv_free(c);
	tbl_free(&t);
}

static void truncated(void **state)
{
	(void)state;
	struct tbl t = fixture("common/spcr-qemu");
	tbl_truncate(&t, 70);
	struct conv *c = with_gic(&t);

	assert_no_node(c, "/serial@9000000");
	assert_no_prop(c, "/chosen", "stdout-path");
	assert_log(c, "fdt: spcr: revision 2, 70 bytes: shorter than the 80-byte layout: skipped");
	assert_int_equal(c->res.tables_skipped, 1);
	assert_false(c->res.have_console);
	conv_free(c);
	tbl_free(&t);
}

/* Revision 2's dword at 76 is reserved: a value there is not a clock. */
static void old_revision_has_no_clock(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-pl011-rev3/spcr");
	tbl_set(&t, 8, 2, 1);
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@9000000", "compatible", "arm,sbsa-uart");
	assert_no_node(c, "/clock-uart0");
	assert_no_log(c, "clock 24000000");
	conv_free(c);
	tbl_free(&t);
}

/* Revision 4's precise baud overrides the code; revision 3 has none. */
static void precise_baud(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-sbsa-rev4/spcr");
	struct conv *c = with_gic(&t);

	assert_u32(c, "/serial@c100000", "current-speed", 1500000);
	assert_str(c, "/chosen", "stdout-path", "serial0:1500000n8");
	conv_free(c);
	tbl_free(&t);

	t = fixture("spcr-sbsa-rev4/spcr");
	tbl_set(&t, 8, 3, 1);
	c = with_gic(&t);
	assert_u32(c, "/serial@c100000", "current-speed", 115200);
	assert_str(c, "/chosen", "stdout-path", "serial0:115200n8");
	conv_free(c);
	tbl_free(&t);
}

static void unknown_type(void **state)
{
	(void)state;
	struct tbl t = fixture("common/spcr-qemu");
	tbl_set(&t, SPCR_TYPE, 0x42, 1);
	struct conv *c = with_gic(&t);

	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: spcr: interface type 0x42 (unknown) not supported: skipped");
	conv_free(c);
	tbl_free(&t);

	t = fixture("common/spcr-qemu");
	tbl_set(&t, SPCR_TYPE, 0x13, 1);
	c = with_gic(&t);
	assert_log(c, "fdt: spcr: interface type 0x13 (Qualcomm GENI (7.372 MHz)) not supported: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* A 16550 with a qword access size has no register width the binding takes. */
static void unknown_access_size(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-16550/spcr");
	tbl_set(&t, SPCR_GAS + 3, 4, 1);
	struct conv *c = with_gic(&t);

	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: spcr: 16550 with GAS access size 4, bit width 8: no register width known: skipped");
	conv_free(c);
	tbl_free(&t);
}

/* Qualcomm firmware writes the access width in bits (0x20) where the GAS
 * wants a code 0-4. The code is ignored and the bit width decides, as for
 * code 0; a bit width that is no 16550 width still skips the UART. */
static void gas_access_size_code_0x20(void **state)
{
	(void)state;
	struct tbl t = fixture("gas-access-0x20/spcr");
	struct conv *c = with_gic(&t);

	assert_strlist(c, "/serial@1c020000", "compatible", "ns16550a");
	assert_u32(c, "/serial@1c020000", "reg-shift", 2);
	assert_u32(c, "/serial@1c020000", "reg-io-width", 4);
	assert_cells(c, "/serial@1c020000", "reg", CELLS(0, 0x1c020000, 0, 0x20));
	assert_str(c, "/chosen", "stdout-path", "serial0:115200n8");
	assert_log(c, "fdt: spcr: GAS access size code 0x20 invalid (0-4): register width from the bit width (32)\n");
	assert_log(c, "fdt: spcr: revision 2: interface 0x00 (16550) at MMIO 0x1c020000, reg-shift 2 reg-io-width 4 (GAS bit width 32), GSIV 59 (SPI 27), baud code 7 = 115200\n");
	conv_free(c);
	tbl_free(&t);

	/* Bit width 16 with the same invalid code: word registers. */
	t = fixture("gas-access-0x20/spcr");
	tbl_set(&t, SPCR_GAS + 1, 16, 1);
	c = with_gic(&t);
	assert_u32(c, "/serial@1c020000", "reg-shift", 1);
	assert_u32(c, "/serial@1c020000", "reg-io-width", 2);
	assert_log(c, "fdt: spcr: GAS access size code 0x20 invalid (0-4): register width from the bit width (16)\n");
	conv_free(c);
	tbl_free(&t);

	/* Code 0xff and bit width 0: nothing states a width. */
	t = fixture("gas-access-0x20/spcr");
	tbl_set(&t, SPCR_GAS + 1, 0, 1);
	tbl_set(&t, SPCR_GAS + 3, 0xff, 1);
	c = with_gic(&t);
	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: spcr: GAS access size code 0xff invalid (0-4): register width from the bit width (0)\n");
	assert_log(c, "fdt: spcr: 16550 with GAS access size 255, bit width 0: no register width known: skipped");
	conv_free(c);
	tbl_free(&t);

	/* A PL011's registers are 32-bit whatever the GAS says. */
	t = fixture("common/spcr-qemu");
	tbl_set(&t, SPCR_GAS + 3, 0x20, 1);
	c = with_gic(&t);
	assert_strlist(c, "/serial@9000000", "compatible", "arm,sbsa-uart");
	assert_no_prop(c, "/serial@9000000", "reg-io-width");
	assert_log(c, "at MMIO 0x9000000, GAS access size code 0x20 invalid, ignored (32-bit registers), GSIV 33");
	conv_free(c);
	tbl_free(&t);
}

static void baud_codes(void **state)
{
	(void)state;
	static const struct {
		uint8_t code;
		const char *path;
	} cases[] = {
		{ 0, "serial0" }, { 3, "serial0:9600n8" }, { 4, "serial0:19200n8" },
		{ 6, "serial0:57600n8" }, { 7, "serial0:115200n8" }, { 5, "serial0" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tbl t = fixture("spcr-16550/spcr");
		tbl_set(&t, SPCR_BAUD, cases[i].code, 1);
		struct conv *c = with_gic(&t);
		assert_str(c, "/chosen", "stdout-path", cases[i].path);
		if (cases[i].code == 5)
			assert_log(c, "baud code 5 unknown: firmware baud kept");
		conv_free(c);
		tbl_free(&t);
	}
}

static void io_port_without_window(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-ioport/spcr");
	struct conv *c = with_gic(&t);

	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: spcr: I/O port 0x3f8 and no PCI I/O window known on segment 0: skipped");
	conv_free(c);
	tbl_free(&t);
}

static void no_interrupt_and_no_gic(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-16550/spcr");
	tbl_set(&t, SPCR_IRQ_TYPE, 0, 1);		/* no GIC interrupt: polled */
	struct conv *c = with_gic(&t);

	assert_no_prop(c, "/serial@3fff03f8", "interrupts");
	assert_log(c, "polled (no interrupt stated)");
	conv_free(c);
	tbl_free(&t);

	t = fixture("spcr-16550/spcr");			/* no MADT at all */
	c = convert(&t, 1);
	assert_no_prop(c, "/serial@3fff03f8", "interrupts");
	assert_no_prop(c, "/", "interrupt-parent");
	assert_log(c, "fdt: console: uart0: GSIV 36 (SPI 4): no GIC in the MADT: interrupt not described");
	conv_free(c);
	tbl_free(&t);
}

static void base_zero(void **state)
{
	(void)state;
	struct tbl t = fixture("spcr-16550/spcr");
	tbl_set(&t, SPCR_GAS + 4, 0, 8);
	struct conv *c = with_gic(&t);

	assert_int_equal(count_nodes(c, "/", "serial@"), 0);
	assert_log(c, "fdt: spcr: base address 0: skipped");
	conv_free(c);
	tbl_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pl011_without_clock),
		cmocka_unit_test(pl011_with_clock),
		cmocka_unit_test(ns16550_widths),
		cmocka_unit_test(sbsa),
		cmocka_unit_test(truncated),
		cmocka_unit_test(old_revision_has_no_clock),
		cmocka_unit_test(precise_baud),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(unknown_access_size),
		cmocka_unit_test(gas_access_size_code_0x20),
		cmocka_unit_test(baud_codes),
		cmocka_unit_test(io_port_without_window),
		cmocka_unit_test(no_interrupt_and_no_gic),
		cmocka_unit_test(base_zero),
	};
	return cmocka_run_group_tests_name("acpi_spcr", tests, NULL, NULL);
}
