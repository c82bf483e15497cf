/* Host tests of kernel/drivers/uart_ns16550.c against a register-level model
 * of a 16550 (PC16550D): divisor latch behind LCR.DLAB, LCR, FCR, IER, LSR
 * with THRE/TEMT/DR, a receive queue. The model decodes each access as
 * base + (reg << reg-shift) with the configured width and counts any other
 * access as stray, so a wrong shift or width fails the test.
 *
 * Devices come from tests/trees/uart_ns16550.dts through the driver core;
 * parse and probe are called one at a time, and the last test lets
 * devtree_probe_all bring up the stdout-path console, whose input arrives by
 * interrupt (tests/mock_intc.c): IIR says one is pending while received
 * data is there and IER.ERBFI is set. */
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
#include "../kernel/drivers/uart_ns16550.h"
#include "host_env.h"
#include "mock_intc.h"
#include "probe_harness.h"

/* ------------------------------------------------------------- the model --- */

enum { RBR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define DLAB 0x80

struct access {
	bool write;
	unsigned reg;
	uint8_t v;
	bool dlab;	/* LCR.DLAB at the time */
};

struct u16550 {
	uint64_t base;
	unsigned shift, width;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	int fcr_writes;
	unsigned busy;			/* LSR reads still showing THRE clear */
	unsigned rx_delay;		/* LSR reads before queued input shows DR */
	uint8_t rx[16];
	unsigned rxn;
	char tx[1 << 18];
	size_t txn;
	struct access log[512];
	unsigned nlog;
};

#define NMODELS 8
static struct u16550 *models[NMODELS];
static unsigned nmodels;
static unsigned stray;		/* accesses no model decodes */
static unsigned total;		/* every access */

static struct u16550 *model_add(uint64_t base, unsigned shift, unsigned width)
{
	struct u16550 *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	assert_true(nmodels < NMODELS);
	m->base = base;
	m->shift = shift;
	m->width = width;
	/* What firmware left: 115200 8n1 from a 1.8432 MHz clock. */
	m->dll = 1;
	m->dlm = 0;
	m->lcr = 0x03;
	models[nmodels++] = m;
	return m;
}

static void models_reset(void)
{
	for (unsigned i = 0; i < nmodels; i++)
		free(models[i]);
	nmodels = 0;
	stray = 0;
	total = 0;
}

/* The model whose register block decodes addr at this width, or NULL. */
static struct u16550 *decode(uintptr_t addr, unsigned width, unsigned *reg)
{
	for (unsigned i = 0; i < nmodels; i++) {
		struct u16550 *m = models[i];
		uint64_t off = addr - m->base;

		if (addr < m->base || off >= (8u << m->shift))
			continue;
		if (width != m->width || (off & ((1u << m->shift) - 1)))
			return NULL;
		*reg = (unsigned)(off >> m->shift);
		return m;
	}
	return NULL;
}

static uint8_t model_read(struct u16550 *m, unsigned reg)
{
	bool dlab = m->lcr & DLAB;
	uint8_t v = 0;

	switch (reg) {
	case RBR:
		if (dlab) {
			v = m->dll;
		} else if (m->rxn) {
			v = m->rx[0];
			memmove(m->rx, m->rx + 1, --m->rxn);
		}
		break;
	case IER: v = dlab ? m->dlm : m->ier; break;
	case FCR:	/* IIR: "received data available" (0x04) or none (0x01) */
		v = (m->fcr & 1 ? 0xc0 : 0) | ((m->ier & 1) && m->rxn ? 0x04 : 0x01);
		break;
	case LCR: v = m->lcr; break;
	case MCR: v = m->mcr; break;
	case LSR:
		if (m->rxn && m->rx_delay)
			m->rx_delay--;
		else if (m->rxn)
			v = 0x01;
		if (m->busy)
			m->busy--;
		else
			v |= 0x60;	/* THRE | TEMT */
		break;
	case SCR: v = m->scr; break;
	}
	if (m->nlog < 512)
		m->log[m->nlog++] = (struct access){ false, reg, v, dlab };
	return v;
}

static void model_write(struct u16550 *m, unsigned reg, uint8_t v)
{
	bool dlab = m->lcr & DLAB;

	if (m->nlog < 512)
		m->log[m->nlog++] = (struct access){ true, reg, v, dlab };
	switch (reg) {
	case RBR:
		if (dlab)
			m->dll = v;
		else if (m->txn < sizeof(m->tx))
			m->tx[m->txn++] = (char)v;
		break;
	case IER:
		if (dlab)
			m->dlm = v;
		else
			m->ier = v;
		break;
	case FCR: m->fcr = v; m->fcr_writes++; break;
	case LCR: m->lcr = v; break;
	case MCR: m->mcr = v; break;
	case SCR: m->scr = v; break;
	}
}

static uint32_t access(uintptr_t addr, unsigned width, bool write, uint32_t v)
{
	unsigned reg;
	struct u16550 *m = decode(addr, width, &reg);

	total++;
	if (!m) {
		stray++;
		fprintf(stderr, "stray %u-byte %s at 0x%lx\n", width, write ? "write" : "read",
			(unsigned long)addr);
		return 0xffffffff;
	}
	if (write) {
		model_write(m, reg, (uint8_t)v);
		return 0;
	}
	/* A 32-bit read of an 8-bit register: the upper bits are not ours to
	 * trust, so return junk there and let the driver mask it. */
	return model_read(m, reg) | (width == 4 ? 0xa5a5a500u : 0);
}

uint8_t mmio_read8(uintptr_t addr) { return (uint8_t)access(addr, 1, false, 0); }
uint32_t mmio_read32(uintptr_t addr) { return access(addr, 4, false, 0); }
void mmio_write8(uintptr_t addr, uint8_t v) { access(addr, 1, true, v); }
void mmio_write32(uintptr_t addr, uint32_t v) { access(addr, 4, true, v); }

/* Writes to reg (in order), optionally only those made with DLAB = dlab. */
static unsigned writes(const struct u16550 *m, unsigned reg, int dlab, uint8_t *vals)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nlog; i++) {
		const struct access *a = &m->log[i];
		if (a->write && a->reg == reg && (dlab < 0 || a->dlab == dlab)) {
			if (vals)
				vals[n] = a->v;
			n++;
		}
	}
	return n;
}

/* ------------------------------------------------------------ fixtures --- */

static void *console_fdt;	/* the unit tree again: the console test */

static int parse(struct device *dev)
{
	return dev->drv->parse(dev);
}

static const struct ns16550_config *cfg(struct device *dev)
{
	return dev->config;
}

static int setup(void **state)
{
	(void)state;
	models_reset();
	mock_intc_reset();
	return 0;
}

/* Sleeping for input (console_getc): COM1's interrupt is what wakes it. */
void host_wait_irq(void)
{
	mock_intc_raise(36);
}

/* --------------------------------------------------------------- parse --- */

static void test_parse_vmware_com1(void **state)
{
	struct device *dev = dev_at("/serial@3fff03f8");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(cfg(dev)->base, 0x3fff03f8);
	assert_int_equal(cfg(dev)->reg_shift, 0);
	assert_int_equal(cfg(dev)->io_width, 1);
	assert_int_equal(cfg(dev)->clock_hz, 3686400);
	assert_int_equal(cfg(dev)->line.baud, 115200);	/* from stdout-path options */
	assert_int_equal(cfg(dev)->line.bits, 8);
	assert_int_equal(cfg(dev)->line.parity, 'n');
	assert_true(cfg(dev)->line.is_stdout);
	assert_true(cfg(dev)->fifo);
	assert_int_equal(total, 0);			/* parse touches no hardware */
}

static void test_parse_dw_apb(void **state)
{
	struct device *dev = dev_at("/serial@10000000");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(cfg(dev)->base, 0x10000000);
	assert_int_equal(cfg(dev)->reg_shift, 2);
	assert_int_equal(cfg(dev)->io_width, 4);
	assert_int_equal(cfg(dev)->clock_hz, 24000000);	/* through the fixed-clock */
	assert_int_equal(cfg(dev)->line.baud, 115200);	/* current-speed */
	assert_false(cfg(dev)->line.is_stdout);
	assert_int_equal(total, 0);
}

static void test_parse_reg_io_width_2_refused(void **state)
{
	struct device *dev = dev_at("/serial@10003000");
	(void)state;

	assert_int_equal(parse(dev), -PLINTH_ENOTSUP);
	assert_has(dev->reason, "reg-io-width 2 not supported");
	assert_int_equal(total, 0);
}

static void test_parse_reg_too_small(void **state)
{
	struct device *dev = dev_at("/serial@10005000");
	(void)state;

	assert_int_equal(parse(dev), -PLINTH_ERANGE);
	assert_has(dev->reason, "reg is 0x8");
}

static void test_parse_untranslatable(void **state)
{
	struct device *dev = dev_at("/isa/serial@3f8");
	(void)state;

	assert_int_equal(dev->nreg, 0);
	assert_true(dev->reg_err < 0);
	assert_int_equal(parse(dev), dev->reg_err);
	assert_has(dev->reason, "reg not translatable");
}

/* --------------------------------------------------------------- probe --- */

/* VMware COM1: divisor 3686400 / (16 * 115200) = 2 through the latch. The
 * probe defers, touching nothing, until its interrupt controller is bound;
 * then ERBFI and OUT2 are set, last. */
static void test_probe_programs_divisor(void **state)
{
	struct u16550 *m = model_add(0x3fff03f8, 0, 1);
	struct device *dev = dev_at("/serial@3fff03f8");
	uint8_t lcr[4];
	(void)state;

	host_log_clear();
	assert_int_equal(parse(dev), 0);
	assert_int_equal(dev->drv->probe(dev), -PLINTH_EDEFER);
	assert_int_equal(total, 0);
	mock_intc_bind(&unit_dt, "/interrupt-controller");
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_true(mock_intc_enabled(36));
	assert_int_equal(stray, 0);
	assert_int_equal(m->dll, 2);
	assert_int_equal(m->dlm, 0);
	assert_int_equal(m->lcr, 0x03);			/* 8n1, DLAB clear again */
	assert_int_equal(m->ier, 0x01);			/* ERBFI */
	assert_int_equal(m->mcr & 0x08, 0x08);		/* OUT2 */
	assert_true(m->log[m->nlog - 1].write && m->log[m->nlog - 1].reg == IER);
	assert_int_equal(m->fcr, 0x07);			/* FIFO on, both cleared */
	/* DLAB set, latch written under it, then cleared. */
	assert_int_equal(writes(m, LCR, -1, lcr), 2);
	assert_int_equal(lcr[0], 0x83);
	assert_int_equal(lcr[1], 0x03);
	assert_int_equal(writes(m, RBR, 1, NULL), 1);	/* DLL */
	assert_int_equal(writes(m, IER, 1, NULL), 1);	/* DLM */
	assert_int_equal(writes(m, RBR, 0, NULL), 0);	/* nothing sent as data */
	assert_has(log_text(), "ns16550: serial@3fff03f8: ns16550a at 0x3fff03f8 reg-shift 0 "
			       "io-width 1, 3686400 Hz, 115200 8n1, divisor 2, input by interrupt (INTID 36)");
}

/* reg-shift 2, reg-io-width 4: every access 32-bit at base + reg * 4 (the
 * model counts anything else as stray). 24 MHz / (16 * 115200) = 13. */
static void test_probe_shift_and_width(void **state)
{
	struct u16550 *m = model_add(0x10000000, 2, 4);
	struct device *dev = dev_at("/serial@10000000");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_true(total > 0);
	assert_int_equal(stray, 0);
	assert_int_equal(m->dll, 13);
	assert_int_equal(m->dlm, 0);
	assert_int_equal(m->lcr, 0x03);
	assert_int_equal(m->fcr, 0x07);
}

static void assert_firmware_kept(const struct u16550 *m)
{
	assert_int_equal(stray, 0);
	assert_int_equal(m->dll, 1);
	assert_int_equal(m->dlm, 0);
	assert_int_equal(m->lcr, 0x03);
	assert_int_equal(writes(m, LCR, -1, NULL), 0);
	assert_int_equal(writes(m, RBR, 1, NULL), 0);
	assert_int_equal(writes(m, IER, 1, NULL), 0);
}

static void test_probe_no_clock_keeps_firmware(void **state)
{
	struct u16550 *m = model_add(0x10001000, 0, 1);
	struct device *dev = dev_at("/serial@10001000");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(cfg(dev)->clock_hz, 0);
	assert_int_equal(cfg(dev)->line.baud, 115200);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_firmware_kept(m);
	assert_int_equal(m->fcr, 0x07);
	assert_has(log_text(), "serial@10001000: ns16550a at 0x10001000 reg-shift 0 io-width 1, "
			       "0 Hz, firmware baud kept (no clock)");
}

static void test_probe_no_baud_keeps_firmware(void **state)
{
	struct u16550 *m = model_add(0x10002000, 0, 1);
	struct device *dev = dev_at("/serial@10002000");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(cfg(dev)->clock_hz, 1843200);
	assert_int_equal(cfg(dev)->line.baud, 0);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_firmware_kept(m);
	assert_has(log_text(), "firmware baud kept (no baud)");
}

/* Firmware that left DLAB set would swallow every byte into DLL: clear
 * it, but change nothing else. */
static void test_probe_clears_stale_dlab(void **state)
{
	struct u16550 *m = model_add(0x10001000, 0, 1);
	struct device *dev = dev_at("/serial@10001000");
	(void)state;

	m->lcr = 0x83;
	assert_int_equal(parse(dev), 0);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_int_equal(m->lcr, 0x03);
	assert_int_equal(m->dll, 1);
	assert_int_equal(writes(m, RBR, 1, NULL), 0);
	assert_int_equal(writes(m, IER, 1, NULL), 0);	/* DLM untouched: IER after DLAB clear */
}

/* ns16450: no FIFO to enable; registers start at reg + reg-offset;
 * 1843200 / (16 * 9600) = 12. */
static void test_probe_16450_offset(void **state)
{
	struct u16550 *m = model_add(0x10004040, 0, 1);
	struct device *dev = dev_at("/serial@10004000");
	(void)state;

	assert_int_equal(parse(dev), 0);
	assert_int_equal(cfg(dev)->base, 0x10004040);
	assert_false(cfg(dev)->fifo);
	assert_int_equal(dev->drv->probe(dev), 0);
	assert_int_equal(stray, 0);
	assert_int_equal(m->fcr_writes, 0);
	assert_int_equal(m->dll, 12);
}

/* ------------------------------------------------------- the console --- */

/* The whole path: devtree_probe_all brings up the stdout-path UART first,
 * the console replays the log with "\r\n", and the bad UARTs fail by name. */
static void test_console_on_stdout_path(void **state)
{
	struct u16550 *com1 = model_add(0x3fff03f8, 0, 1);
	static struct devtree dt;
	int node = fdt_path_offset(console_fdt, "/serial@3fff03f8");
	(void)state;

	model_add(0x10000000, 2, 4);
	model_add(0x10001000, 0, 1);
	model_add(0x10002000, 0, 1);
	model_add(0x10004040, 0, 1);
	kprintf("before the console\n");
	assert_null(console_device());
	assert_int_equal(devtree_init(&dt, console_fdt), 0);
	assert_int_equal(devtree_probe_all(&dt), 6);	/* 5 UARTs, the controller */
	assert_non_null(console_device());
	assert_int_equal(console_device()->node, node);
	assert_ptr_equal(console_device()->fdt, console_fdt);
	assert_int_equal(stray, 0);
	com1->tx[com1->txn] = 0;
	assert_has(com1->tx, "before the console\r\n");	/* replayed */
	assert_has(com1->tx, "console: /serial@3fff03f8 (ns16550)\r\n");
	assert_has(com1->tx, "reg-io-width 2 not supported (1 or 4)");
	assert_has(log_text(), "serial@10005000: ns16550 failed");
	assert_null(strstr(com1->tx, "fallback"));
	/* Output after activation goes straight to the UART. */
	size_t before = com1->txn;
	console_puts("a\nb");
	assert_int_equal(com1->txn - before, 4);
	assert_memory_equal(com1->tx + before, "a\r\nb", 4);

	/* putc polls LSR.THRE: 3 reads with it clear, one with it set, THR. */
	com1->nlog = 0;
	com1->busy = 3;
	console_putc('x');
	assert_int_equal(com1->nlog, 5);
	for (int i = 0; i < 4; i++)
		assert_int_equal(com1->log[i].reg, LSR);
	assert_true(com1->log[4].write);
	assert_int_equal(com1->log[4].reg, RBR);
	assert_int_equal(com1->log[4].v, 'x');

	/* getc sleeps; the handler reads while IIR says an interrupt is
	 * pending, and RBR while LSR.DR is set (rx_delay: the first two LSR
	 * reads do not show it yet). getc itself never reads RBR. */
	com1->nlog = 0;
	com1->rx[0] = 'q';
	com1->rx[1] = 0xfe;
	com1->rxn = 2;
	com1->rx_delay = 2;
	assert_int_equal(console_getc(), 'q');
	assert_int_equal(irq_count(36, 0), 1);
	/* IIR, LSR, IIR, LSR, IIR, LSR, RBR, LSR, RBR, LSR, IIR */
	assert_int_equal(com1->nlog, 11);
	assert_int_equal(com1->log[6].reg, RBR);
	assert_int_equal(com1->log[10].v & 0x0f, 0x01);	/* no interrupt pending */
	com1->nlog = 0;
	assert_int_equal(console_getc(), 0xfe);		/* from the ring: a full byte */
	assert_int_equal(com1->nlog, 0);
	assert_int_equal(stray, 0);
}

/* --------------------------------------------------------------- main --- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_vmware_com1, setup),
		cmocka_unit_test_setup(test_parse_dw_apb, setup),
		cmocka_unit_test_setup(test_parse_reg_io_width_2_refused, setup),
		cmocka_unit_test_setup(test_parse_reg_too_small, setup),
		cmocka_unit_test_setup(test_parse_untranslatable, setup),
		cmocka_unit_test_setup(test_probe_programs_divisor, setup),
		cmocka_unit_test_setup(test_probe_shift_and_width, setup),
		cmocka_unit_test_setup(test_probe_no_clock_keeps_firmware, setup),
		cmocka_unit_test_setup(test_probe_no_baud_keeps_firmware, setup),
		cmocka_unit_test_setup(test_probe_clears_stale_dlab, setup),
		cmocka_unit_test_setup(test_probe_16450_offset, setup),
		cmocka_unit_test_setup(test_console_on_stdout_path, setup),
	};

	console_fdt = host_read_file(host_tree_path("uart_ns16550"), NULL);
	/* The console is the stdout node of console_fdt only: the unit tests'
	 * probes register consoles that must stay inactive. */
	console_set_stdout(console_fdt, fdt_path_offset(console_fdt, "/serial@3fff03f8"));
	if (probe_harness_init("uart_ns16550", "ns16550") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
