/* NS16550-family UARTs: ns16550a, ns16550, ns16450, ns8250 and the Synopsys
 * DesignWare APB UART (a 16550A with 32-bit registers). This is VMware
 * Fusion's console (docs/platforms.md, "VMware Fusion": 16550 at
 * 0x3FFF03F8, reg-shift 0, 3686400 Hz). A PCI function of class 07 00 02
 * binds too (pci_match): the PCI core gives it its BARs as reg, an I/O BAR
 * translated through the host bridge's I/O window, and its INTx as
 * interrupt 0.
 *
 * parse() turns the node into struct ns16550_config without touching the
 * hardware; probe() uses only that struct. Registers, per the PC16550D data
 * sheet: RBR/THR 0, IER 1, IIR/FCR 2, LCR 3, MCR 4, LSR 5, MSR 6, SCR 7;
 * DLL 0 and DLM 1 while LCR.DLAB is set. Register n is at
 * base + (n << reg-shift), accessed reg-io-width bytes wide (DT binding
 * serial/8250.yaml).
 *
 * Input arrives by interrupt when the node's first interrupt can be
 * requested: IER.ERBFI raises "received data available" and, with FIFOs,
 * "character timeout" (PC16550D 8.6, table 4), and the handler moves bytes
 * into a ring that getc reads. MCR.OUT2 is set too: on PC-style wiring it
 * gates the interrupt line. Without a usable interrupt input is polled.
 * Output stays polled. */
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>
#include "uart_ns16550.h"

enum {
	UART_RBR = 0, UART_THR = 0, UART_DLL = 0,
	UART_IER = 1, UART_DLM = 1,
	UART_IIR = 2, UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
};

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_CLEAR_TX	0x04
#define LCR_PEN		0x08
#define LCR_EPS		0x10
#define LCR_DLAB	0x80
#define IER_ERBFI	0x01	/* received data available (and timeout) */
#define IIR_NO_INT	0x01	/* no interrupt pending */
#define MCR_OUT2	0x08
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

/* Polls before giving up on a byte: a UART that never drains must not hang
 * the kernel (the log still keeps the text). */
#define UART_SPIN	(1u << 20)

#define MAX_REG_SHIFT	4
#define RX_DRAIN_MAX	4096	/* register reads per interrupt: a stuck LSR.DR cannot hang it */

struct ns16550_variant {
	bool fifo;
	uint64_t clock_hz;	/* when the node gives none (0: keep the firmware's baud) */
};

/* The original 16550's FIFO is unreliable and the 16450/8250 have none:
 * only the 16550A and the DesignWare UART get FIFOs enabled. */
static const struct ns16550_variant v_fifo = { .fifo = true };
static const struct ns16550_variant v_nofifo = { .fifo = false };
/* PCI class 07 00 02, a 16550-compatible serial controller (e.g. QEMU's
 * pci-serial, 1b36:0002): registers in BAR 0 (reg[0]), byte-wide. The class
 * fixes no clock; these run the PC's 1.8432 MHz (base baud 115200), as Linux's
 * 8250_pci assumes for a device it matched by class. */
static const struct ns16550_variant v_pci = { .fifo = true, .clock_hz = 1843200 };

static uintptr_t reg_addr(const struct ns16550_config *c, unsigned reg)
{
	return (uintptr_t)(c->base + ((uint64_t)reg << c->reg_shift));
}

static uint8_t uart_in(const struct ns16550_config *c, unsigned reg)
{
	if (c->io_width == 4)
		return (uint8_t)mmio_read32(reg_addr(c, reg));
	return mmio_read8(reg_addr(c, reg));
}

static void uart_out(const struct ns16550_config *c, unsigned reg, uint8_t v)
{
	if (c->io_width == 4)
		mmio_write32(reg_addr(c, reg), v);
	else
		mmio_write8(reg_addr(c, reg), v);
}

static void ns16550_putc(void *ctx, char ch)
{
	const struct ns16550_config *c = ((const struct ns16550_state *)ctx)->c;

	for (unsigned i = 0; i < UART_SPIN; i++) {
		if (uart_in(c, UART_LSR) & LSR_THRE) {
			uart_out(c, UART_THR, (uint8_t)ch);
			return;
		}
	}
}

static int ns16550_getc(void *ctx)
{
	struct ns16550_state *s = ctx;

	if (s->intid >= 0)
		return ring_get(&s->rx);
	if (!(uart_in(s->c, UART_LSR) & LSR_DR))
		return -PLINTH_EAGAIN;
	return uart_in(s->c, UART_RBR);
}

static bool ns16550_rx_irq(void *ctx)
{
	return ((const struct ns16550_state *)ctx)->intid >= 0;
}

/* While IIR says an interrupt is pending, read what LSR.DR says is there
 * (reading LSR also clears a line-status interrupt; only ERBFI is enabled,
 * so nothing else can be pending). */
static void ns16550_rx_handler(void *ctx)
{
	struct ns16550_state *s = ctx;
	const struct ns16550_config *c = s->c;
	unsigned n = 0;

	while (n++ < RX_DRAIN_MAX && !(uart_in(c, UART_IIR) & IIR_NO_INT)) {
		while (n++ < RX_DRAIN_MAX && (uart_in(c, UART_LSR) & LSR_DR))
			ring_put(&s->rx, uart_in(c, UART_RBR));
	}
}

static const struct console_ops ns16550_console_ops = {
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.rx_irq = ns16550_rx_irq,
};

/* An optional u32 property: absent leaves *v alone, present must be valid. */
static int read_opt_u32(struct device *dev, const char *prop, uint32_t *v)
{
	int err;

	if (!fdt_getprop(dev->fdt, dev->node, prop, NULL))
		return 0;
	err = dt_read_u32(dev->fdt, dev->node, prop, v);
	if (err < 0)
		return dev_fail(dev, err, "bad %s: %s", prop, plinth_strerror(err));
	return 1;
}


/* `clock-frequency`, else the `clocks` provider (dt_clock_rate order, as
 * Linux's 8250_of). No clock is not an error: the divisor is then left as
 * the firmware set it. A provider not bound yet defers. */
static int parse_clock(struct device *dev, struct ns16550_config *c)
{
	const struct ns16550_variant *v = dev->match_data;
	uint64_t hz = 0;
	int err = dev_clock_rate(dev, NULL, &hz);

	if (err == -PLINTH_EDEFER)
		return dev_fail(dev, err, "clock provider not ready");
	if (err == -PLINTH_ENOENT || err == -FDT_ERR_NOTFOUND)
		hz = 0;
	else if (err == -PLINTH_ENOTSUP)
		kprintf("ns16550: %s: clock provider not supported, keeping firmware baud\n",
			dev->name);
	else if (err < 0)
		return dev_fail(dev, err, "bad clock: %s", plinth_strerror(err));
	c->clock_hz = err < 0 ? 0 : hz;
	if (!c->clock_hz && err != -PLINTH_ENOTSUP && v && v->clock_hz)
		c->clock_hz = v->clock_hz;
	return 0;
}

static int ns16550_parse(struct device *dev)
{
	struct ns16550_config *c = dev->config;
	const struct ns16550_variant *v = dev->match_data;
	uint32_t shift = 0, width = 1, offset = 0;
	uint64_t span;
	int err;

	if (dev->nreg == 0) {
		if (dev->reg_err < 0)
			return dev_fail(dev, dev->reg_err, "reg not translatable: %s",
					plinth_strerror(dev->reg_err));
		return dev_fail(dev, -PLINTH_ENOENT, "no reg");
	}
	if ((err = read_opt_u32(dev, "reg-shift", &shift)) < 0 ||
	    (err = read_opt_u32(dev, "reg-io-width", &width)) < 0 ||
	    (err = read_opt_u32(dev, "reg-offset", &offset)) < 0)
		return err;
	if (shift > MAX_REG_SHIFT)
		return dev_fail(dev, -PLINTH_EINVAL, "reg-shift %u not supported (0..%u)",
				shift, MAX_REG_SHIFT);
	if (width != 1 && width != 4)
		return dev_fail(dev, -PLINTH_ENOTSUP, "reg-io-width %u not supported (1 or 4)",
				width);
	/* Registers 0..7 must lie inside the region `reg` gave us. */
	span = (uint64_t)offset + (7u << shift) + width;
	if (dev->reg[0].size && span > dev->reg[0].size)
		return dev_fail(dev, -PLINTH_ERANGE,
				"registers need 0x%llx bytes, reg is 0x%llx (reg-shift %u, reg-offset 0x%x)",
				(unsigned long long)span, (unsigned long long)dev->reg[0].size,
				shift, offset);
	c->base = dev->reg[0].addr + offset;
	c->reg_shift = shift;
	c->io_width = width;
	c->fifo = v ? v->fifo : true;
	if ((err = parse_clock(dev, c)) < 0)
		return err;
	return dev_uart_line(dev, "ns16550", &c->line);
}

static uint8_t line_bits(const struct ns16550_config *c)
{
	uint8_t lcr = (uint8_t)(c->line.bits - 5);	/* WLS; one stop bit */

	if (c->line.parity == 'o')
		lcr |= LCR_PEN;
	else if (c->line.parity == 'e')
		lcr |= LCR_PEN | LCR_EPS;
	return lcr;
}

/* Divisor latch = clock / (16 * baud), rounded (PC16550D table 2). Returns
 * the divisor, or 0 when the baud cannot be reached from this clock. */
static uint32_t divisor(uint64_t clock_hz, uint32_t baud)
{
	uint64_t div = (clock_hz + 8ull * baud) / (16ull * baud);

	return div >= 1 && div <= 0xffff ? (uint32_t)div : 0;
}

static void set_divisor(const struct ns16550_config *c, uint32_t div)
{
	uint8_t lcr = line_bits(c);

	/* Let the firmware's last bytes leave at the old rate first (and the
	 * DesignWare UART ignores LCR writes while busy). */
	for (unsigned i = 0; i < UART_SPIN && !(uart_in(c, UART_LSR) & LSR_TEMT); i++)
		;
	uart_out(c, UART_LCR, lcr | LCR_DLAB);
	uart_out(c, UART_DLL, div & 0xff);
	uart_out(c, UART_DLM, (div >> 8) & 0xff);
	uart_out(c, UART_LCR, lcr);
}

/* Runtime state, kept across a deferral (dev->config is re-parsed). */
static struct ns16550_state *ns16550_state(struct device *dev)
{
	struct ns16550_state *s = dev->priv ? dev->priv : kzalloc(sizeof(*s));

	if (s) {
		s->c = dev->config;
		s->intid = -PLINTH_ENOENT;
		dev->priv = s;
	}
	return s;
}

/* IER last: the data register must not hide behind the divisor latch. */
static void enable_rx_irq(const struct ns16550_config *c)
{
	uart_out(c, UART_MCR, uart_in(c, UART_MCR) | MCR_OUT2);
	uart_out(c, UART_IER, IER_ERBFI);
}

static int ns16550_probe(struct device *dev)
{
	const struct ns16550_config *c = dev->config;
	struct ns16550_state *s = ns16550_state(dev);
	uint32_t div = 0;
	uint8_t lcr;
	char line[64], input[48];

	if (!s)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for state");
	/* Before touching the hardware: a deferral leaves it as it was. */
	s->intid = irq_request(dev, 0, ns16550_rx_handler, s);
	if (s->intid == -PLINTH_EDEFER)
		return s->intid;
	/* Firmware may have left DLAB set: IER would then be DLM. Clear it
	 * first, changing nothing else in LCR. */
	lcr = uart_in(c, UART_LCR);
	if (lcr & LCR_DLAB)
		uart_out(c, UART_LCR, lcr & ~LCR_DLAB);
	uart_out(c, UART_IER, 0);
	if (c->clock_hz && c->line.baud)
		div = divisor(c->clock_hz, c->line.baud);
	if (div) {
		set_divisor(c, div);
		ksnprintf(line, sizeof(line), "%u %u%c1, divisor %u", c->line.baud, c->line.bits,
			  c->line.parity, div);
	} else {
		/* The firmware's divisor and framing stay. */
		if (c->clock_hz && c->line.baud)
			ksnprintf(line, sizeof(line), "baud %u unreachable from %llu Hz, firmware baud kept",
				  c->line.baud, (unsigned long long)c->clock_hz);
		else
			ksnprintf(line, sizeof(line), "firmware baud kept (no %s)",
				  c->clock_hz ? "baud" : "clock");
	}
	if (c->fifo)
		uart_out(c, UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	if (s->intid >= 0) {
		enable_rx_irq(c);
		ksnprintf(input, sizeof(input), "input by interrupt (INTID %d)", s->intid);
	} else {
		ksnprintf(input, sizeof(input), "input polled (%s)", irq_why_polled(s->intid));
	}
	kprintf("ns16550: %s: %s at 0x%llx reg-shift %u io-width %u, %llu Hz, %s, %s\n",
		dev->name, dev->compatible ? dev->compatible : "?",
		(unsigned long long)c->base, c->reg_shift, c->io_width,
		(unsigned long long)c->clock_hz, line, input);
	console_register(dev, &ns16550_console_ops, s);
	return 0;
}

static const struct dt_match ns16550_match[] = {
	{ "ns16550a", &v_fifo },
	{ "snps,dw-apb-uart", &v_fifo },
	{ "ns16550", &v_nofifo },
	{ "ns16450", &v_nofifo },
	{ "ns8250", &v_nofifo },
	{ NULL, NULL }
};

static const struct pci_match ns16550_pci_match[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, 0x070002, 0xffffff, &v_pci },
	{ 0, 0, 0, 0, NULL }
};

PLINTH_DRIVER(ns16550_driver) = {
	.name = "ns16550",
	.match = ns16550_match,
	.pci_match = ns16550_pci_match,
	.config_size = sizeof(struct ns16550_config),
	.parse = ns16550_parse,
	.probe = ns16550_probe,
};
