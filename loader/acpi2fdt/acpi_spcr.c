/* SPCR -> the console candidate with the highest precedence (Microsoft
 * "Serial Port Console Redirection Table", revisions 2-4; interface types and
 * conventions in docs/platforms.md, "SPCR interface types"). The node itself
 * is written by the console step (acpi_uart.c), once DBG2 and the DSDT scan
 * have had their say. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

/* Configured Baud Rate codes (SPCR Table 3); 0 = as is (keep the firmware's). */
static uint32_t baud_of(uint8_t code)
{
	switch (code) {
	case 3: return 9600;
	case 4: return 19200;
	case 6: return 57600;
	case 7: return 115200;
	default: return 0;
	}
}

/* Where the registers are: MMIO as is, an I/O port through a PCI I/O
 * window (arm64 has no port I/O). 0 or a negative code, logged. */
static int spcr_address(struct acpi_ctx *c, const uint8_t *gas, unsigned seg, struct acpi_uart *u,
			char *how, size_t size)
{
	uint64_t addr = le64(gas + GAS_ADDRESS), cpu;
	int pcie;

	if (!addr) {
		acpi_log(c, "spcr: base address 0: skipped");
		return -PLINTH_EINVAL;
	}
	if (gas[GAS_SPACE] == GAS_SPACE_MEMORY) {
		u->base = addr;
		ksnprintf(how, size, "MMIO 0x%llx", (unsigned long long)addr);
		return 0;
	}
	if (gas[GAS_SPACE] != GAS_SPACE_IO) {
		acpi_log(c, "spcr: address space %u (not memory or I/O) unsupported: skipped", gas[GAS_SPACE]);
		return -PLINTH_ENOTSUP;
	}
	if ((pcie = acpi_pio_translate(c, seg, addr, &cpu)) < 0) {
		acpi_log(c, "spcr: I/O port 0x%llx and no PCI I/O window known on segment %u: skipped",
			 (unsigned long long)addr, seg);
		return pcie;
	}
	u->base = cpu;
	u->io_port = addr;
	ksnprintf(how, size, "I/O port 0x%llx = 0x%llx through pcie%d's I/O window",
		  (unsigned long long)addr, (unsigned long long)cpu, pcie);
	return 0;
}

int acpi_spcr(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	const uint8_t *p = t ? t->p : NULL, *gas;
	const char *name;
	struct acpi_uart u;
	char how[96], g[40] = "no GIC interrupt", width[80] = "", clock[40] = "", baud[80];
	enum uart_kind kind;
	uint8_t code;

	if (!p) {
		acpi_log(c, "spcr: absent");
		return 0;
	}
	if (t->len < SPCR_REV2_LEN) {
		acpi_log(c, "spcr: revision %u, %u bytes: shorter than the %u-byte layout: skipped", t->rev,
			 t->len, SPCR_REV2_LEN);
		return ACPI_SKIPPED;
	}
	kind = acpi_uart_kind(p[SPCR_INTERFACE_TYPE], &name);
	if (kind == UART_NONE) {
		acpi_log(c, "spcr: interface type 0x%02x (%s) not supported: skipped",
			 p[SPCR_INTERFACE_TYPE], name);
		return ACPI_SKIPPED;
	}
	acpi_uart_init(&u, kind, SRC_SPCR);
	gas = p + SPCR_BASE_GAS;
	if (spcr_address(c, gas, p[SPCR_PCI_SEGMENT], &u, how, sizeof(how)) < 0) {
		return ACPI_SKIPPED;
	}
	if (kind == UART_16550) {
		if (acpi_gas_16550_width(c, "spcr", gas, &u.reg_shift, &u.io_width) < 0) {
			acpi_log(c, "spcr: 16550 with GAS access size %u, bit width %u: no register width known: skipped",
				 gas[GAS_ACCESS_SIZE], gas[GAS_BIT_WIDTH]);
			return ACPI_SKIPPED;
		}
		if (gas[GAS_ACCESS_SIZE] > 4)
			ksnprintf(width, sizeof(width), ", reg-shift %d reg-io-width %d (GAS bit width %u)",
				  u.reg_shift, u.io_width, gas[GAS_BIT_WIDTH]);
		else
			ksnprintf(width, sizeof(width), ", reg-shift %d reg-io-width %d (GAS access size %u)",
				  u.reg_shift, u.io_width, gas[GAS_ACCESS_SIZE]);
	} else if (gas[GAS_ACCESS_SIZE] > 4) {
		ksnprintf(width, sizeof(width), ", GAS access size code 0x%02x invalid, ignored (32-bit registers)",
			  gas[GAS_ACCESS_SIZE]);
	} else if (gas[GAS_ACCESS_SIZE] != GAS_ACCESS_DWORD) {
		/* PL011 and SBSA UARTs are 32-bit whatever the GAS says (QEMU: byte). */
		ksnprintf(width, sizeof(width), ", GAS access size %u ignored (32-bit registers)",
			  gas[GAS_ACCESS_SIZE]);
	}
	if ((p[SPCR_INTERRUPT_TYPE] & SPCR_IRQ_GIC) && le32(p + SPCR_GSIV)) {
		u.gsiv = le32(p + SPCR_GSIV);
		u.irq_flags = DT_IRQ_LEVEL_HIGH;	/* SPCR states no trigger: level, as GIC SPIs for UARTs are */
		acpi_gsiv_str(u.gsiv, g, sizeof(g));
	}
	code = p[SPCR_BAUD];
	u.baud = baud_of(code);
	if (code && !u.baud)
		ksnprintf(baud, sizeof(baud), "baud code %u unknown: firmware baud kept", code);
	else if (!code)
		ksnprintf(baud, sizeof(baud), "baud code 0: firmware baud kept");
	else
		ksnprintf(baud, sizeof(baud), "baud code %u = %u", code, u.baud);
	/* Revision 3 turned the reserved dword at 76 into the UART clock;
	 * revision 4 added the precise baud rate, which overrides the code. */
	if (t->rev >= 3 && le32(p + SPCR_UART_CLOCK)) {
		u.clock_hz = le32(p + SPCR_UART_CLOCK);
		ksnprintf(clock, sizeof(clock), ", clock %u Hz", u.clock_hz);
	}
	if (t->rev >= 4 && sdt_has(t, SPCR_PRECISE_BAUD, 4) && le32(p + SPCR_PRECISE_BAUD)) {
		u.baud = le32(p + SPCR_PRECISE_BAUD);
		ksnprintf(baud, sizeof(baud), "precise baud %u (revision 4, overrides code %u)", u.baud, code);
	}
	u.line_8n1 = p[SPCR_PARITY] == 0 && p[SPCR_STOP_BITS] == 1;
	acpi_log(c, "spcr: revision %u: interface 0x%02x (%s) at %s%s, %s, %s%s", t->rev,
		 p[SPCR_INTERFACE_TYPE], name, how, width, g, baud, clock);
	acpi_uart_add(c, &u, "spcr");
	return 0;
}
