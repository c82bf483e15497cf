/* ARM PL011 UART and the SBSA generic UART, one register set (PL011 TRM,
 * DDI 0183; SBSA / BSA "Generic UART"). Every access is 32 bits wide, as
 * both specifications require, whatever an SPCR's GAS claims (QEMU's says
 * byte: docs/platforms.md, "SPCR interface types").
 *
 * The SBSA generic UART is the PL011 subset without UARTIBRD/FBRD, UARTLCR_H
 * and UARTCR: firmware owns baud, framing and enable, so the "arm,sbsa-uart"
 * variant writes none of them. parse() -> struct pl011_config (no MMIO);
 * probe() uses only that struct.
 *
 * Input arrives by interrupt when the node's first interrupt can be
 * requested: the receive and receive-timeout interrupts (TRM "Interrupts",
 * UARTRXINTR and UARTRTINTR: the timeout covers bytes left below the FIFO
 * trigger level) move bytes into a ring that getc reads. A node without an interrupt, or whose controller has
 * no driver, keeps polled input. Output stays polled. */
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>
#include "uart_pl011.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTIBRD	0x24
#define UARTFBRD	0x28
#define UARTLCR_H	0x2c
#define UARTCR		0x30
#define UARTIMSC	0x38
#define UARTICR		0x44

#define FR_BUSY		(1u << 3)
#define FR_RXFE		(1u << 4)
#define FR_TXFF		(1u << 5)
#define LCR_H_PEN	(1u << 1)
#define LCR_H_EPS	(1u << 2)
#define LCR_H_FEN	(1u << 4)
#define LCR_H_WLEN_SHIFT 5
#define CR_UARTEN	(1u << 0)
#define CR_TXE		(1u << 8)
#define CR_RXE		(1u << 9)
#define ICR_ALL		0x7ffu
#define INT_RX		(1u << 4)	/* UARTIMSC.RXIM, UARTICR.RXIC */
#define INT_RT		(1u << 6)	/* UARTIMSC.RTIM, UARTICR.RTIC */
#define DR_BE		(1u << 10)	/* break: the 0 byte is not data */

#define UART_SPIN	(1u << 20)	/* polls before dropping a byte */
#define RX_DRAIN_MAX	4096		/* bytes per interrupt: a stuck RXFE cannot hang it */

struct pl011_variant {
	bool sbsa;
};
static const struct pl011_variant v_pl011 = { .sbsa = false };
static const struct pl011_variant v_sbsa = { .sbsa = true };

static uint32_t rd(const struct pl011_config *c, unsigned off)
{
	return mmio_read32((uintptr_t)(c->base + off));
}

static void wr(const struct pl011_config *c, unsigned off, uint32_t v)
{
	mmio_write32((uintptr_t)(c->base + off), v);
}

static void pl011_putc(void *ctx, char ch)
{
	const struct pl011_config *c = ((const struct pl011_state *)ctx)->c;

	for (unsigned i = 0; i < UART_SPIN; i++) {
		if (!(rd(c, UARTFR) & FR_TXFF)) {
			wr(c, UARTDR, (uint8_t)ch);
			return;
		}
	}
}

static int pl011_getc(void *ctx)
{
	struct pl011_state *s = ctx;

	if (s->intid >= 0)
		return ring_get(&s->rx);
	if (rd(s->c, UARTFR) & FR_RXFE)
		return -PLINTH_EAGAIN;
	return rd(s->c, UARTDR) & 0xff;
}

static bool pl011_rx_irq(void *ctx)
{
	return ((const struct pl011_state *)ctx)->intid >= 0;
}

/* Clear first, then drain: a byte that lands after the last FR read raises
 * the interrupt again instead of having its timeout cleared unseen. */
static void pl011_rx_handler(void *ctx)
{
	struct pl011_state *s = ctx;
	const struct pl011_config *c = s->c;

	wr(c, UARTICR, INT_RX | INT_RT);
	for (unsigned n = 0; n < RX_DRAIN_MAX && !(rd(c, UARTFR) & FR_RXFE); n++) {
		uint32_t d = rd(c, UARTDR);

		if (!(d & DR_BE))
			ring_put(&s->rx, (uint8_t)d);
	}
}

static const struct console_ops pl011_console_ops = {
	.putc = pl011_putc,
	.getc = pl011_getc,
	.rx_irq = pl011_rx_irq,
};


/* UARTCLK: the "uartclk" entry of `clocks` (binding arm,pl011: the first
 * clock when clock-names is absent). None = keep the firmware's baud. */
static int parse_clock(struct device *dev, struct pl011_config *c)
{
	uint64_t hz = 0;
	int err = dev_clock_rate(dev, "uartclk", &hz);

	if (err == -PLINTH_ENOENT || err == -FDT_ERR_NOTFOUND)
		err = dev_clock_rate(dev, NULL, &hz);
	if (err == -PLINTH_EDEFER)
		return dev_fail(dev, err, "clock provider not ready");
	if (err == -PLINTH_ENOENT || err == -FDT_ERR_NOTFOUND || err == -PLINTH_ENOTSUP)
		hz = 0;
	else if (err < 0)
		return dev_fail(dev, err, "bad clock: %s", plinth_strerror(err));
	c->clock_hz = hz;
	return 0;
}

static int pl011_parse(struct device *dev)
{
	struct pl011_config *c = dev->config;
	const struct pl011_variant *v = dev->match_data;
	int err;

	if (dev->nreg == 0) {
		if (dev->reg_err < 0)
			return dev_fail(dev, dev->reg_err, "reg not translatable: %s",
					plinth_strerror(dev->reg_err));
		return dev_fail(dev, -PLINTH_ENOENT, "no reg");
	}
	if (dev->reg[0].size && dev->reg[0].size < UARTICR + 4)
		return dev_fail(dev, -PLINTH_ERANGE, "reg size 0x%llx too small (need 0x%x)",
				(unsigned long long)dev->reg[0].size, UARTICR + 4);
	c->base = dev->reg[0].addr;
	c->sbsa = v && v->sbsa;
	if (c->sbsa)
		return 0;	/* baud and clock are firmware's: nothing to read */
	if ((err = parse_clock(dev, c)) < 0)
		return err;
	return dev_uart_line(dev, "pl011", &c->line);
}

/* IBRD.FBRD = UARTCLK / (16 * baud) with a 6-bit fraction, rounded (TRM
 * 3.3.6): 64 * clk / (16 * baud) = 4 * clk / baud. 0 = out of range. */
static uint32_t baud_divisor(uint64_t clk, uint32_t baud)
{
	uint64_t div = (4 * clk + baud / 2) / baud;

	if (div < 64 || div > 0xffffull << 6)
		return 0;	/* IBRD must be 1..65535, FBRD 0 at 65535 */
	return (uint32_t)div;
}

static uint32_t line_bits(const struct pl011_config *c)
{
	uint32_t lcr = ((uint32_t)(c->line.bits - 5) << LCR_H_WLEN_SHIFT) | LCR_H_FEN;

	if (c->line.parity == 'o')
		lcr |= LCR_H_PEN;
	else if (c->line.parity == 'e')
		lcr |= LCR_H_PEN | LCR_H_EPS;
	return lcr;
}

/* TRM 3.3.8: disable, let the transmitter drain, program the divisors, then
 * LCR_H (whose write latches IBRD/FBRD), then enable. */
static void program_baud(const struct pl011_config *c, uint32_t div)
{
	for (unsigned i = 0; i < UART_SPIN && (rd(c, UARTFR) & FR_BUSY); i++)
		;
	wr(c, UARTCR, 0);
	wr(c, UARTIBRD, div >> 6);
	wr(c, UARTFBRD, div & 0x3f);
	wr(c, UARTLCR_H, line_bits(c));
}

/* Runtime state, kept across a deferral (dev->config is re-parsed). */
static struct pl011_state *pl011_state(struct device *dev)
{
	struct pl011_state *s = dev->priv ? dev->priv : kzalloc(sizeof(*s));

	if (s) {
		s->c = dev->config;
		s->intid = -PLINTH_ENOENT;
		dev->priv = s;
	}
	return s;
}

static int pl011_probe(struct device *dev)
{
	const struct pl011_config *c = dev->config;
	struct pl011_state *s = pl011_state(dev);
	uint32_t div = 0;
	char line[80], input[48];

	if (!s)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for state");
	/* Before touching the hardware: a deferral leaves it as it was. */
	s->intid = irq_request(dev, 0, pl011_rx_handler, s);
	if (s->intid == -PLINTH_EDEFER)
		return s->intid;
	wr(c, UARTIMSC, 0);
	wr(c, UARTICR, ICR_ALL);
	if (c->sbsa) {
		ksnprintf(line, sizeof(line), "SBSA: baud and line control left to firmware");
	} else {
		if (c->clock_hz && c->line.baud)
			div = baud_divisor(c->clock_hz, c->line.baud);
		if (div) {
			program_baud(c, div);
			ksnprintf(line, sizeof(line), "%u %u%c1 (IBRD %u FBRD %u)", c->line.baud,
				  c->line.bits, c->line.parity, div >> 6, div & 0x3f);
		} else if (c->clock_hz && c->line.baud) {
			ksnprintf(line, sizeof(line), "baud %u unreachable from %llu Hz, firmware baud kept",
				  c->line.baud, (unsigned long long)c->clock_hz);
		} else {
			ksnprintf(line, sizeof(line), "firmware baud kept (no %s)",
				  c->clock_hz ? "baud" : "clock");
		}
		wr(c, UARTCR, rd(c, UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
	}
	if (s->intid >= 0) {
		wr(c, UARTIMSC, INT_RX | INT_RT);
		ksnprintf(input, sizeof(input), "input by interrupt (INTID %d)", s->intid);
	} else {
		ksnprintf(input, sizeof(input), "input polled (%s)", irq_why_polled(s->intid));
	}
	kprintf("pl011: %s: %s at 0x%llx, %llu Hz, %s, %s\n", dev->name,
		dev->compatible ? dev->compatible : "?", (unsigned long long)c->base,
		(unsigned long long)c->clock_hz, line, input);
	console_register(dev, &pl011_console_ops, s);
	return 0;
}

static const struct dt_match pl011_match[] = {
	{ "arm,pl011", &v_pl011 },
	{ "arm,sbsa-uart", &v_sbsa },
	{ NULL, NULL }
};

PLINTH_DRIVER(pl011_driver) = {
	.name = "pl011",
	.match = pl011_match,
	.config_size = sizeof(struct pl011_config),
	.parse = pl011_parse,
	.probe = pl011_probe,
};
