/* UARTs: the interface types SPCR and DBG2 share, 16550 register widths,
 * candidate bookkeeping (the same UART named by several tables is one
 * node), and the console step: precedence SPCR > DBG2 > DSDT scan, the UART
 * nodes in the shapes Linux accepts, /aliases and /chosen/stdout-path.
 * Bindings: serial/8250.yaml, serial/pl011.yaml, serial/arm,sbsa-uart.yaml,
 * clock/fixed-clock.yaml. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define PL011_SIZE	0x1000
#define SBSA_DEFAULT_BAUD 115200

/* Serial port subtypes (Microsoft DBG2 Table 3, also SPCR interface types;
 * docs/platforms.md, "SPCR interface types", lists the ones converted). */
static const struct {
	uint16_t type;
	enum uart_kind kind;
	const char *name;
} uart_types[] = {
	{ 0x00, UART_16550, "16550" },
	{ 0x01, UART_16550, "16550 subset" },
	{ 0x02, UART_NONE, "MAX311xE SPI UART" },
	{ 0x03, UART_PL011, "Arm PL011" },
	{ 0x04, UART_NONE, "Qualcomm MSM8x60" },
	{ 0x05, UART_NONE, "NVIDIA 16550" },
	{ 0x06, UART_NONE, "TI OMAP" },
	{ 0x08, UART_NONE, "APM88xxxx" },
	{ 0x09, UART_NONE, "Qualcomm MSM8974" },
	{ 0x0a, UART_NONE, "Samsung SAM5250" },
	{ 0x0b, UART_NONE, "Intel USIF" },
	{ 0x0c, UART_NONE, "NXP i.MX 6" },
	{ 0x0d, UART_SBSA, "Arm SBSA generic UART (2.x, 32-bit)" },
	{ 0x0e, UART_SBSA, "Arm SBSA generic UART" },
	{ 0x0f, UART_NONE, "Arm DCC" },
	{ 0x10, UART_NONE, "Broadcom BCM2835" },
	{ 0x11, UART_NONE, "Qualcomm GENI (SDM845, 1.8432 MHz)" },
	{ 0x12, UART_16550, "16550 described by the GAS" },
	{ 0x13, UART_NONE, "Qualcomm GENI (7.372 MHz)" },
	{ 0x14, UART_NONE, "Intel LPSS" },
	{ 0x15, UART_NONE, "RISC-V SBI console" },
};

enum uart_kind acpi_uart_kind(unsigned type, const char **name)
{
	for (unsigned i = 0; i < sizeof(uart_types) / sizeof(uart_types[0]); i++) {
		if (uart_types[i].type == type) {
			*name = uart_types[i].name;
			return uart_types[i].kind;
		}
	}
	*name = "unknown";
	return UART_NONE;
}

const char *acpi_uart_compatible(enum uart_kind k)
{
	switch (k) {
	case UART_16550: return "ns16550a";
	case UART_PL011: return "arm,pl011";
	case UART_SBSA: return "arm,sbsa-uart";
	default: return "?";
	}
}

/* The access-size code (ACPI 6.5 Table 5.1: 0 undefined/legacy, 1 byte,
 * 2 word, 3 dword, 4 qword) decides, as Linux, FreeBSD and NetBSD do; 0
 * falls back to the register bit width. Codes above 4 do not exist, yet
 * Qualcomm's firmware writes the width in bits there (0x20 beside a bit
 * width of 32): such a code says nothing, so the bit width decides as for
 * code 0, and the log says so. The code is only ever switched on. */
int acpi_gas_16550_width(struct acpi_ctx *c, const char *who, const uint8_t *gas, int *shift,
			 int *width)
{
	unsigned code = gas[GAS_ACCESS_SIZE], bits = gas[GAS_BIT_WIDTH];

	if (code > GAS_ACCESS_MAX)
		acpi_log(c, "%s: GAS access size code 0x%02x invalid (0-4): register width from the bit width (%u)",
			 who, code, bits);
	if (code == 0 || code > GAS_ACCESS_MAX)
		code = bits == 8 ? 1 : bits == 16 ? 2 : bits == 32 ? 3 : 0;
	switch (code) {
	case 1: *shift = 0, *width = 1; return 0;
	case 2: *shift = 1, *width = 2; return 0;
	case 3: *shift = 2, *width = 4; return 0;
	default: return -PLINTH_ENOTSUP;
	}
}

int acpi_pio_translate(const struct acpi_ctx *c, unsigned seg, uint64_t port, uint64_t *cpu)
{
	for (const struct acpi_pio *w = c->pio; w; w = w->next) {
		if (w->seg == seg && port >= w->start && port <= w->end) {
			*cpu = port + w->offset;
			return (int)w->pcie;
		}
	}
	return -PLINTH_ENOENT;
}

void acpi_uart_init(struct acpi_uart *u, enum uart_kind kind, enum uart_src src)
{
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->src = src;
	u->sources = 1u << src;
	u->reg_shift = u->io_width = -1;
}

static const char *src_name(enum uart_src s)
{
	return s == SRC_SPCR ? "SPCR" : s == SRC_DBG2 ? "DBG2" : "DSDT";
}

/* Fill what `into` lacks from `from`; the better source's model wins. */
static void merge(struct acpi_uart *into, const struct acpi_uart *from)
{
	if (from->src < into->src) {
		into->kind = from->kind;
		into->src = from->src;
		into->baud = from->baud;
		into->line_8n1 = from->line_8n1;
		if (from->reg_shift >= 0) {
			into->reg_shift = from->reg_shift;
			into->io_width = from->io_width;
		}
	}
	into->sources |= from->sources;
	if (!into->path[0])
		memcpy(into->path, from->path, sizeof(into->path));
	if (!into->gsiv) {
		into->gsiv = from->gsiv;
		into->irq_flags = from->irq_flags;
	}
	if (!into->clock_hz)
		into->clock_hz = from->clock_hz;
	if (into->reg_shift < 0) {
		into->reg_shift = from->reg_shift;
		into->io_width = from->io_width;
	}
	if (from->size_from_crs && !into->size_from_crs) {
		into->size = from->size;
		into->size_from_crs = 1;
	}
}

int acpi_uart_add(struct acpi_ctx *c, const struct acpi_uart *u, const char *who)
{
	for (unsigned i = 0; i < c->nuart; i++) {
		struct acpi_uart *e = &c->uart[i];
		unsigned had_irq = e->gsiv != 0, had_clk = e->clock_hz != 0;

		enum uart_src before = e->src;

		if (e->base != u->base)
			continue;
		if (e->kind != u->kind)
			acpi_log(c, "%s: %s at 0x%llx is the %s's %s: the %s's model kept", who,
				 acpi_uart_compatible(u->kind), (unsigned long long)u->base,
				 src_name(e->src), acpi_uart_compatible(e->kind),
				 src_name(u->src < e->src ? u->src : e->src));
		merge(e, u);
		acpi_log(c, "%s: same UART (0x%llx) as named by %s%s%s: one node", who,
			 (unsigned long long)u->base, before == u->src ? "an earlier entry" : src_name(before),
			 !had_irq && e->gsiv ? ", adds its interrupt" : "",
			 !had_clk && e->clock_hz ? ", adds its clock" : "");
		return (int)i;
	}
	if (c->nuart == ACPI_MAX_UARTS) {
		acpi_log(c, "%s: more than %u UARTs: 0x%llx ignored", who, ACPI_MAX_UARTS,
			 (unsigned long long)u->base);
		return -PLINTH_ENOMEM;
	}
	c->uart[c->nuart] = *u;
	return (int)c->nuart++;
}

/* ------------------------------------------------------------- console ---- */

static void describe(const struct acpi_uart *u, char *buf, size_t size)
{
	size_t n;

	ksnprintf(buf, size, "%s@%llx", acpi_uart_compatible(u->kind), (unsigned long long)u->base);
	for (int s = 0; s < SRC_COUNT; s++) {
		n = strlen(buf);
		if (u->sources & (1u << s))
			ksnprintf(buf + n, size - n, "%s%s%s%s", (u->sources & ((1u << s) - 1)) ? " + " : " from ",
				  src_name((enum uart_src)s), s == SRC_DSDT && u->path[0] ? " " : "",
				  s == SRC_DSDT ? u->path : "");
	}
}

/* A PL011 needs its UARTCLK for both Linux's driver (the amba bus reads
 * the ID registers through apb_pclk, baud divisors come from uartclk) and
 * ours; a fixed-clock without clock-frequency fails to probe, and the UART
 * with it. Without a stated clock (SPCR revision 3, a _DSD) the PL011 is
 * written as the SBSA generic UART, its subset that leaves baud and
 * framing to firmware: what Linux's own ACPI binding does with ARMH0011.
 * A board overlay that knows the clock may make it arm,pl011 again. */
static enum uart_kind shape(struct acpi_ctx *c, const struct acpi_uart *u, unsigned n)
{
	if (u->kind != UART_PL011 || u->clock_hz)
		return u->kind;
	acpi_log(c, "console: uart%u: PL011 clock unknown (no SPCR revision >= 3 clock, no _DSD clock-frequency): written as arm,sbsa-uart, firmware baud kept; a board overlay may describe the clock",
		 n);
	return UART_SBSA;
}

/* The node of uart<n>: its model, reg and interrupt, its clock's and its
 * own phandle, and the alias serial<n>. */
static int add_serial(struct acpi_ctx *c, const struct acpi_uart *u, unsigned n)
{
	char label[ACPI_NAME_MAX], who[32], desc[ACPI_PATH_MAX + 64], g[40] = "no interrupt";
	struct acpi_serial *sr = acpi_alloc(c, sizeof(*sr));
	struct acpi_uart shown = *u;
	int irq = 0;

	if (!sr)
		return -FDT_ERR_NOSPACE;
	sr->u = u;
	sr->n = n;
	sr->kind = shape(c, u, n);
	sr->reg[0] = u->base;
	sr->reg[1] = u->size;
	if (!u->size)
		sr->reg[1] = u->kind == UART_16550 ? 8u << (u->reg_shift > 0 ? u->reg_shift : 0) : PL011_SIZE;
	ksnprintf(who, sizeof(who), "console: uart%u", n);
	if (sr->kind == UART_PL011) {
		ksnprintf(label, sizeof(label), "uart%u_clk", n);
		if (acpi_label(c, label, acpi_strdup(c, "/clock-uart%u", n), &sr->clock_phandle, 0) < 0)
			return -FDT_ERR_NOSPACE;
	}
	sr->speed = u->baud ? u->baud : SBSA_DEFAULT_BAUD;
	if (!u->baud && sr->kind == UART_SBSA)
		acpi_log(c, "console: uart%u: arm,sbsa-uart without a stated baud: current-speed %u",
			 n, SBSA_DEFAULT_BAUD);
	if (!u->clock_hz && sr->kind == UART_16550)
		acpi_log(c, "console: uart%u: 16550 clock unknown: no clock-frequency (firmware baud kept), left to the board overlay",
			 n);
	if (u->gsiv)
		irq = acpi_interrupt(c, &sr->irq, who, u->gsiv, u->irq_flags);
	ksnprintf(label, sizeof(label), "uart%u", n);
	if (acpi_label(c, label, acpi_strdup(c, "/serial@%llx", (unsigned long long)u->base),
		       &sr->phandle, 0) < 0)
		return -FDT_ERR_NOSPACE;
	if (irq > 0)
		acpi_gsiv_str(u->gsiv, g, sizeof(g));
	shown.kind = sr->kind;
	describe(&shown, desc, sizeof(desc));
	acpi_log(c, "console: %s = %s: reg 0x%llx+0x%llx, %s, alias serial%u", label, desc,
		 (unsigned long long)sr->reg[0], (unsigned long long)sr->reg[1],
		 irq > 0 ? g : (u->gsiv ? "interrupt not described" : "polled (no interrupt stated)"), n);
	*c->m.serial_tail = sr;
	c->m.serial_tail = &sr->next;
	return 0;
}

static void set_stdout(struct acpi_ctx *c, const struct acpi_uart *u)
{
	char *path = c->m.stdout_path;

	if (u->baud)
		ksnprintf(path, sizeof(c->m.stdout_path), "serial0:%u%s", u->baud, u->line_8n1 ? "n8" : "");
	else
		ksnprintf(path, sizeof(c->m.stdout_path), "serial0");
	acpi_log(c, "console: stdout-path = \"%s\"%s", path,
		 u->baud ? "" : " (no baud stated: the firmware's setting is kept)");
	c->res->have_console = 1;
}

static int pick_console(const struct acpi_ctx *c)
{
	int best = -1;

	for (unsigned i = 0; i < c->nuart; i++)
		if (best < 0 || c->uart[i].src < c->uart[best].src)
			best = (int)i;
	return best;
}

int acpi_console(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	char desc[ACPI_PATH_MAX + 64];
	unsigned order[ACPI_MAX_UARTS], n = 0;
	int console = pick_console(c), err;

	(void)t;
	if (console < 0) {
		acpi_log(c, "console: no supported UART in SPCR, DBG2 or the DSDT/SSDT: no stdout-path (a board console.dtso may supply one)");
		return 0;
	}
	/* uart0 is the console; the others follow by source (a UART DBG2
	 * names before one only the scan found), then in the order found. */
	order[n++] = (unsigned)console;
	for (int s = 0; s < SRC_COUNT; s++)
		for (unsigned i = 0; i < c->nuart; i++)
			if ((int)i != console && c->uart[i].src == (enum uart_src)s)
				order[n++] = i;
	const struct acpi_uart *con = &c->uart[console];
	describe(con, desc, sizeof(desc));
	acpi_log(c, "console: %s chosen (precedence SPCR > DBG2 > DSDT)%s%s", desc,
		 con->src > SRC_SPCR ? (acpi_table(c, "SPCR") ? "; the SPCR named no usable UART" : "; no SPCR") : "",
		 con->src > SRC_DBG2 ? (acpi_table(c, "DBG2") ? "; DBG2 named no usable UART" : "; no DBG2") : "");
	for (unsigned k = 1; k < n; k++) {
		describe(&c->uart[order[k]], desc, sizeof(desc));
		acpi_log(c, "console: %s is a different UART: not the console, serial%u", desc, k);
	}
	for (unsigned k = 0; k < n; k++)
		if ((err = add_serial(c, &c->uart[order[k]], k)) < 0)
			return err;
	set_stdout(c, con);
	return 0;
}
