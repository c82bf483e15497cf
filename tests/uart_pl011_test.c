/* Host tests of kernel/drivers/uart_pl011.c against a register model of a
 * PL011 (DDI 0183): every access must be 32 bits wide; writes are logged by
 * offset so the tests can check what was and was not programmed. The SBSA
 * variant must never write UARTIBRD/FBRD/LCR_H (nor UARTCR, which the SBSA
 * generic UART does not have). With an interrupt (pl011@9000000, through
 * tests/mock_intc.c) input arrives by interrupt into a ring: the handler
 * clears then drains the FIFO, getc never reads UARTDR itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/irq.h>
#include <plinth/mmio.h>
#include <plinth/printk.h>
#include "../kernel/drivers/uart_pl011.h"
#include "host_env.h"
#include "mock_intc.h"
#include "probe_harness.h"

#define DR 0x00
#define FR 0x18
#define IBRD 0x24
#define FBRD 0x28
#define LCR_H 0x2c
#define CR 0x30
#define IMSC 0x38
#define ICR 0x44

struct pl011 {
	uint64_t base;
	uint32_t reg[0x1000 / 4];
	unsigned busy;		/* FR reads still showing TXFF */
	unsigned rx_delay;	/* FR reads still showing RXFE with input queued */
	uint16_t rx[512];	/* UARTDR values: byte, error bits 11:8 */
	unsigned rxn;
	char tx[1 << 18];
	size_t txn;
	struct { uint32_t off, v; bool write; } log[512];
	unsigned nlog;
};

#define NMODELS 4
static struct pl011 *models[NMODELS];
static unsigned nmodels, stray, narrow, total;

static struct pl011 *model_add(uint64_t base)
{
	struct pl011 *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->base = base;
	/* What firmware left: 115200 from 24 MHz, 8n1 + FIFO, enabled. */
	m->reg[IBRD / 4] = 13;
	m->reg[FBRD / 4] = 1;
	m->reg[LCR_H / 4] = 0x70;
	m->reg[CR / 4] = 0x301;
	models[nmodels++] = m;
	return m;
}

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < nmodels; i++)
		free(models[i]);
	nmodels = stray = narrow = total = 0;
	mock_intc_reset();
	return 0;
}

/* Sleeping for input (console_getc): the UART's interrupt is what wakes it. */
void host_wait_irq(void)
{
	mock_intc_raise(33);
}

static struct pl011 *find(uintptr_t addr)
{
	for (unsigned i = 0; i < nmodels; i++)
		if (addr >= models[i]->base && addr < models[i]->base + 0x1000)
			return models[i];
	return NULL;
}

static void logw(struct pl011 *m, uint32_t off, uint32_t v, bool write)
{
	if (m->nlog < 512) {
		m->log[m->nlog].off = off;
		m->log[m->nlog].v = v;
		m->log[m->nlog].write = write;
		m->nlog++;
	}
}

uint32_t mmio_read32(uintptr_t addr)
{
	struct pl011 *m = find(addr);
	uint32_t off, v;

	total++;
	if (!m || (addr & 3)) {
		stray++;
		return 0xffffffff;
	}
	off = (uint32_t)(addr - m->base);
	switch (off) {
	case DR:
		v = 0;
		if (m->rxn) {
			v = m->rx[0];
			memmove(m->rx, m->rx + 1, --m->rxn * sizeof(m->rx[0]));
		}
		break;
	case FR:
		v = 0;
		if (m->busy) {
			m->busy--;
			v |= 1u << 5;		/* TXFF */
		}
		if (!m->rxn || m->rx_delay) {
			if (m->rx_delay)
				m->rx_delay--;
			v |= 1u << 4;		/* RXFE */
		}
		break;
	default:
		v = m->reg[off / 4];
	}
	logw(m, off, v, false);
	return v;
}

void mmio_write32(uintptr_t addr, uint32_t v)
{
	struct pl011 *m = find(addr);
	uint32_t off;

	total++;
	if (!m || (addr & 3)) {
		stray++;
		return;
	}
	off = (uint32_t)(addr - m->base);
	logw(m, off, v, true);
	if (off == DR) {
		if (m->txn < sizeof(m->tx) - 1)
			m->tx[m->txn++] = (char)v;
	} else {
		m->reg[off / 4] = v;
	}
}

/* The PL011 is 32-bit only: any byte access is a driver bug. */
uint8_t mmio_read8(uintptr_t addr) { (void)addr; narrow++; return 0xff; }
void mmio_write8(uintptr_t addr, uint8_t v) { (void)addr; (void)v; narrow++; }

static unsigned writes(const struct pl011 *m, uint32_t off)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nlog; i++)
		n += m->log[i].write && m->log[i].off == off;
	return n;
}

/* Index in the access log of the first write to off, or -1. */
static int first_write(const struct pl011 *m, uint32_t off)
{
	for (unsigned i = 0; i < m->nlog; i++)
		if (m->log[i].write && m->log[i].off == off)
			return (int)i;
	return -1;
}

static void *console_fdt;	/* the unit tree again: the console tests */

static const struct pl011_config *cfg(struct device *dev)
{
	return dev->config;
}

static void test_parse_qemu(void **state)
{
	struct device *dev = dev_at("/pl011@9000000");
	(void)state;

	assert_int_equal(dev->drv->parse(dev), 0);
	assert_int_equal(cfg(dev)->base, 0x09000000);
	assert_false(cfg(dev)->sbsa);
	assert_int_equal(cfg(dev)->clock_hz, 24000000);	/* "uartclk" via clock-names */
	assert_int_equal(cfg(dev)->line.baud, 115200);
	assert_true(cfg(dev)->line.is_stdout);
	assert_int_equal(total, 0);
}

/* 24 MHz / (16 * 115200) = 13.0208: IBRD 13, FBRD round(0.0208 * 64) = 1.
 * Until its interrupt controller is bound the probe defers, touching
 * nothing; then receive and receive-timeout interrupts are unmasked. */
static void test_probe_pl011_baud(void **state)
{
	struct pl011 *m = model_add(0x09000000);
	struct device *dev = dev_at("/pl011@9000000");
	(void)state;

	m->reg[IBRD / 4] = 0x27;	/* firmware's: 38400 */
	m->reg[FBRD / 4] = 0x04;
	host_log_clear();
	assert_int_equal(dev->drv->parse(dev), 0);
	assert_int_equal(dev->drv->probe(dev), -PLINTH_EDEFER);
	assert_int_equal(total, 0);
	assert_string_equal(dev->reason, "interrupt controller /interrupt-controller not bound");
	mock_intc_bind(&unit_dt, "/interrupt-controller");
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_true(mock_intc_enabled(33));
	assert_int_equal(stray, 0);
	assert_int_equal(narrow, 0);
	assert_int_equal(m->reg[IBRD / 4], 13);
	assert_int_equal(m->reg[FBRD / 4], 1);
	assert_int_equal(m->reg[LCR_H / 4], 0x70);	/* WLEN 8, FEN, no parity */
	assert_int_equal(m->reg[CR / 4], 0x301);	/* UARTEN | TXE | RXE */
	assert_int_equal(m->reg[IMSC / 4], 0x50);	/* RXIM | RTIM */
	/* TRM order: disabled, divisors, then LCR_H (latches them), enabled. */
	assert_true(first_write(m, CR) < first_write(m, IBRD));
	assert_int_equal(m->log[first_write(m, CR)].v, 0);
	assert_true(first_write(m, FBRD) < first_write(m, LCR_H));
	assert_has(log_text(), "pl011: pl011@9000000: arm,pl011 at 0x9000000, 24000000 Hz, "
			       "115200 8n1 (IBRD 13 FBRD 1), input by interrupt (INTID 33)");
}

static void test_sbsa_never_touches_line(void **state)
{
	struct pl011 *m = model_add(0x02110000);
	struct device *dev = dev_at("/serial@2110000");
	(void)state;

	assert_int_equal(dev->drv->parse(dev), 0);
	assert_true(cfg(dev)->sbsa);
	assert_int_equal(cfg(dev)->line.baud, 0);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_int_equal(stray, 0);
	assert_int_equal(narrow, 0);
	assert_int_equal(writes(m, IBRD), 0);
	assert_int_equal(writes(m, FBRD), 0);
	assert_int_equal(writes(m, LCR_H), 0);
	assert_int_equal(writes(m, CR), 0);
	assert_int_equal(m->reg[IBRD / 4], 13);
	assert_int_equal(m->reg[IMSC / 4], 0);		/* no interrupt: polled */
	assert_has(log_text(), "arm,sbsa-uart at 0x2110000, 0 Hz, SBSA: baud and line control "
			       "left to firmware, input polled (no interrupt)");
}

static void test_no_clock_keeps_firmware(void **state)
{
	struct pl011 *m = model_add(0x09001000);
	struct device *dev = dev_at("/pl011@9001000");
	(void)state;

	m->reg[CR / 4] = 0;		/* firmware left it disabled */
	assert_int_equal(dev->drv->parse(dev), 0);
	assert_int_equal(cfg(dev)->clock_hz, 0);
	assert_int_equal(cfg(dev)->line.baud, 115200);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_int_equal(writes(m, IBRD), 0);
	assert_int_equal(writes(m, FBRD), 0);
	assert_int_equal(writes(m, LCR_H), 0);
	assert_int_equal(m->reg[CR / 4], 0x301);	/* but enabled */
	assert_has(log_text(), "pl011@9001000: arm,pl011 at 0x9001000, 0 Hz, firmware baud kept (no clock)");
}

/* The console comes up on the stdout-path PL011 through the driver core;
 * putc waits while FR.TXFF; getc says -PLINTH_EAGAIN while FR.RXFE. */
static void test_console(void **state)
{
	struct pl011 *m = model_add(0x09000000);
	static struct devtree dt;
	(void)state;

	model_add(0x02110000);
	model_add(0x09001000);
	kprintf("early line\n");
	assert_null(console_device());
	assert_int_equal(devtree_init(&dt, console_fdt), 0);
	assert_int_equal(devtree_probe_all(&dt), 4);	/* 3 UARTs, the controller */
	assert_non_null(console_device());
	assert_int_equal(console_device()->node, fdt_path_offset(console_fdt, "/pl011@9000000"));
	assert_int_equal(stray, 0);
	assert_int_equal(narrow, 0);
	m->tx[m->txn] = 0;
	assert_has(m->tx, "early line\r\n");
	assert_has(m->tx, "console: /pl011@9000000 (pl011)\r\n");

	m->nlog = 0;
	m->busy = 2;
	console_putc('z');
	assert_int_equal(m->nlog, 4);			/* FR, FR (TXFF), FR, DR */
	assert_int_equal(m->log[3].off, DR);
	assert_int_equal(m->log[3].v, 'z');

	/* getc sleeps; the interrupt's handler clears RXIC/RTIC, then drains
	 * while FR.RXFE is clear. The first interrupt finds FR still showing
	 * RXFE (rx_delay), the second the byte. */
	m->nlog = 0;
	m->rx[0] = 'k';
	m->rxn = 1;
	m->rx_delay = 1;
	assert_int_equal(console_getc(), 'k');
	assert_int_equal(irq_count(33, 0), 2);
	assert_int_equal(mock_intc_eois(), 2);
	assert_int_equal(m->nlog, 6);	/* ICR, FR (RXFE), ICR, FR, DR, FR (RXFE) */
	assert_true(m->log[0].write && m->log[0].off == ICR && m->log[0].v == 0x50);
	assert_true(m->log[2].write && m->log[2].off == ICR);
	assert_true(!m->log[4].write && m->log[4].off == DR);
}

/* More input than the ring holds: the handler still empties the FIFO (a
 * level interrupt must drop), keeps the first 256 bytes and counts the rest. */
static void test_rx_ring_overflow(void **state)
{
	struct pl011 *m = model_add(0x09000000);
	static struct devtree dt;
	const struct pl011_state *s;
	(void)state;

	model_add(0x02110000);
	model_add(0x09001000);
	assert_int_equal(devtree_init(&dt, console_fdt), 0);
	assert_int_equal(devtree_probe_all(&dt), 4);
	s = devtree_find(&dt, fdt_path_offset(console_fdt, "/pl011@9000000"))->priv;
	assert_int_equal(s->intid, 33);
	for (unsigned i = 0; i < 300; i++)
		m->rx[i] = (uint8_t)('a' + i % 26);
	m->rxn = 300;
	mock_intc_raise(33);
	assert_int_equal(m->rxn, 0);
	assert_int_equal(s->rx.head - s->rx.tail, RING_SIZE);
	assert_int_equal(s->rx.dropped, 300 - RING_SIZE);
	assert_int_equal(s->rx.buf[0], 'a');
	assert_int_equal(s->rx.buf[RING_SIZE - 1], 'a' + (RING_SIZE - 1) % 26);
	/* A break arrives as a 0 byte with UARTDR.BE (bit 10): not input, so
	 * not even counted as dropped. */
	m->rx[0] = 0x400;
	m->rx[1] = 'z';
	m->rxn = 2;
	mock_intc_raise(33);
	assert_int_equal(m->rxn, 0);
	assert_int_equal(s->rx.dropped, 300 - RING_SIZE + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_qemu, setup),
		cmocka_unit_test_setup(test_probe_pl011_baud, setup),
		cmocka_unit_test_setup(test_sbsa_never_touches_line, setup),
		cmocka_unit_test_setup(test_no_clock_keeps_firmware, setup),
		cmocka_unit_test_setup(test_console, setup),
		cmocka_unit_test_setup(test_rx_ring_overflow, setup),
	};

	console_fdt = host_read_file(host_tree_path("uart_pl011"), NULL);
	console_set_stdout(console_fdt, fdt_path_offset(console_fdt, "/pl011@9000000"));
	if (probe_harness_init("uart_pl011", "pl011") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
