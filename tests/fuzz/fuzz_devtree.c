/* Fuzz target: the kernel's tree consumer on arbitrary blobs.
 *
 * Input: a flattened device tree, then (after its totalsize) a "register
 * script": the bytes that reads of device registers return, in order, once
 * the drivers read a register nobody wrote. Per input:
 *   1. the blob is copied into a buffer of exactly totalsize bytes, as the
 *      kernel sees it (main.c maps totalsize bytes and no more);
 *   2. devtree_init + devtree_probe_all with the real drivers (16550, PL011,
 *      GICv2, GICv3, fixed-clock) against the register sink below;
 *   3. every helper a driver or the boot path calls on every node: dt_reg /
 *      dt_reg_count (reg through every ranges), dt_irq / dt_irq_count
 *      (interrupt-parent, interrupts-extended, interrupt-map), dt_clock_rate,
 *      dt_stdout and the console options, and the /cpus parser (smp_tree.c);
 *   4. the consoles that registered write and read a few bytes, and the root
 *      interrupt controller (if any) dispatches twice.
 * Everything kzalloc handed out is freed at the end of the input, so a leak
 * report is a real leak.
 *
 * Built by tests/fuzz/fuzz.mk with clang -fsanitize=fuzzer,address,undefined
 * (build/fuzz/bin/fuzz_devtree) and, with a plain main (standalone.c), with gcc
 * and ASan+UBSan for the malformed-tree suite (tests/test_malformed.py). */
#include <libfdt.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/arch.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include <plinth/printk.h>
#include <plinth/smp.h>
#include "host_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------ allocations ---- */

/* kzalloc is never freed in the kernel; here every block is chained so the
 * whole input's worth goes at once. */
struct block {
	struct block *next;
	max_align_t payload[];
};
static struct block *blocks;

void *kzalloc(size_t size)
{
	struct block *b = calloc(1, sizeof(*b) + (size ? size : 1));

	if (!b)
		return NULL;
	b->next = blocks;
	blocks = b;
	return b->payload;
}

static void free_blocks(void)
{
	while (blocks) {
		struct block *b = blocks;

		blocks = b->next;
		free(b);
	}
}

/* ---------------------------------------------------- register sink ---- */

/* Registers written keep their value; a register never written reads the
 * next bytes of the script, then all-ones and zero in turn: a driver polling
 * for a bit to set or to clear sees it at the next read (the drivers bound
 * every poll, but a bound of a million reads per byte would only slow the
 * fuzzer down), and a GIC acknowledge reads 1023, spurious, at least every
 * other time, so a drain loop ends as on hardware with nothing pending. A
 * written register read POLL_REPEAT times in a row (a driver waiting for a
 * bit it wrote to clear, as GICR_WAKER) flips the same way: its poll was a
 * million lookups, a 17 s "slow unit" under the fuzzer. */
#define SINK_REGS 1024
#define POLL_REPEAT 64
static struct {
	uintptr_t addr[SINK_REGS];
	uint32_t val[SINK_REGS];
	unsigned n;
	const uint8_t *script;
	size_t left;
	bool flip;
	uintptr_t last;		/* the address read last, and how many times */
	unsigned repeat;
} sink;

static uint32_t *sink_slot(uintptr_t a)
{
	for (unsigned i = 0; i < sink.n; i++)
		if (sink.addr[i] == a)
			return &sink.val[i];
	return NULL;
}

static uint32_t script_next(unsigned bytes)
{
	uint32_t v = 0;

	if (!sink.left) {
		sink.flip = !sink.flip;
		return sink.flip ? (bytes == 1 ? 0xff : 0xffffffffu) : 0;
	}
	for (unsigned i = 0; i < bytes; i++) {
		v |= (uint32_t)(sink.left ? *sink.script : 0xff) << (8 * i);
		if (sink.left) {
			sink.script++;
			sink.left--;
		}
	}
	return v;
}

static uint32_t sink_read(uintptr_t a, unsigned bytes)
{
	uint32_t *p;

	sink.repeat = a == sink.last ? sink.repeat + 1 : 0;
	sink.last = a;
	p = sink.repeat < POLL_REPEAT ? sink_slot(a) : NULL;
	return p ? *p : script_next(bytes);
}

uint32_t mmio_read32(uintptr_t a)
{
	return sink_read(a, 4);
}

uint8_t mmio_read8(uintptr_t a)
{
	return (uint8_t)sink_read(a, 1);
}

void mmio_write32(uintptr_t a, uint32_t v)
{
	uint32_t *p = sink_slot(a);

	if (!p && sink.n < SINK_REGS) {
		sink.addr[sink.n] = a;
		p = &sink.val[sink.n++];
	}
	if (p)
		*p = v;
}

void mmio_write8(uintptr_t a, uint8_t v)
{
	mmio_write32(a, v);
}

/* GICv3 CPU interface and the CPU's identity, as the GICv3 unit test has them. */
static uint64_t icc_sre;
unsigned cpu_current(void) { return 0; }
uint64_t cpu_read_mpidr(void) { return script_next(4) & 0xff00ffffffull; }
uint64_t icc_read_sre(void) { return icc_sre; }
void icc_write_sre(uint64_t v) { icc_sre = v; }
void icc_write_pmr(uint64_t v) { (void)v; }
void icc_write_bpr1(uint64_t v) { (void)v; }
void icc_write_ctlr(uint64_t v) { (void)v; }
void icc_write_igrpen1(uint64_t v) { (void)v; }
/* Past the script the acknowledge reads 1023 (spurious): nothing pending. */
uint64_t icc_read_iar1(void) { return sink.left ? script_next(4) & 0xffffff : 1023; }
void icc_write_eoir1(uint64_t v) { (void)v; }

/* ---------------------------------------------------------- consoles ---- */

#define MAX_CONSOLES 8
static struct {
	struct device *dev;
	const struct console_ops *ops;
	void *ctx;
} consoles[MAX_CONSOLES];
static unsigned nconsoles;

void console_register(struct device *dev, const struct console_ops *ops, void *ctx)
{
	if (nconsoles < MAX_CONSOLES)
		consoles[nconsoles++] = (typeof(consoles[0])){ dev, ops, ctx };
}

struct device *console_device(void)
{
	return nconsoles ? consoles[0].dev : NULL;
}

void console_set_stdout(const void *fdt, int node)
{
	(void)fdt;
	(void)node;
}

static void exercise_consoles(void)
{
	for (unsigned i = 0; i < nconsoles; i++) {
		const struct console_ops *ops = consoles[i].ops;

		if (ops->putc) {
			ops->putc(consoles[i].ctx, 'o');
			ops->putc(consoles[i].ctx, '\n');
		}
		for (int k = 0; ops->getc && k < 4; k++)
			ops->getc(consoles[i].ctx);
		if (ops->rx_irq)
			ops->rx_irq(consoles[i].ctx);
	}
}

/* --------------------------------------------------------- the walk ---- */

static void walk_node(const void *fdt, int node)
{
	struct dt_irq irq;
	uint64_t a, s, hz;
	int n = dt_reg_count(fdt, node);

	for (int i = 0; i < n && i < 64; i++)
		dt_reg(fdt, node, (unsigned)i, &a, &s);
	dt_reg(fdt, node, 0, &a, NULL);
	n = dt_irq_count(fdt, node);
	for (int i = 0; i < n && i < 64; i++)
		dt_irq(fdt, node, (unsigned)i, &irq);
	dt_irq(fdt, node, 0, &irq);
	dt_clock_rate(fdt, node, NULL, &hz);
	dt_clock_rate(fdt, node, "uartclk", &hz);
	dt_node_enabled(fdt, node);
}

static void walk_tree(const void *fdt)
{
	struct cpu_desc cpus[8];
	struct uart_opts o = { 0 };
	char opts[32], path[256];
	int node, count = 0;

	for (node = 0; node >= 0 && count < 4096; node = fdt_next_node(fdt, node, NULL), count++) {
		walk_node(fdt, node);
		dt_path(fdt, node, path, sizeof(path));
	}
	if (dt_stdout(fdt, &node, opts, sizeof(opts)) == 0)
		dt_parse_uart_opts(opts, &o);
	smp_parse_cpus(fdt, 0, cpus, 8);
}

/* --------------------------------------------------------- the input ---- */

static jmp_buf halted;

void arch_halt(void)
{
	longjmp(halted, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devtree dt;
	size_t total;
	void *fdt;

	if (size < sizeof(struct fdt_header))
		return 0;
	total = (size_t)data[4] << 24 | (size_t)data[5] << 16 | (size_t)data[6] << 8 | data[7];
	/* The kernel reads totalsize bytes of memory: a blob that claims more
	 * than the input holds is not a case the kernel can meet (main.c
	 * bounds totalsize and maps exactly that much). */
	if (total < sizeof(struct fdt_header) || total > size || total > (2u << 20))
		return 0;
	fdt = malloc(total);
	if (!fdt)
		return 0;
	memcpy(fdt, data, total);
	memset(&sink, 0, sizeof(sink));
	sink.script = data + total;
	sink.left = size - total;
	nconsoles = 0;
	icc_sre = 0;
	irq_core_reset();
	host_log_clear();

	if (!setjmp(halted) && devtree_init(&dt, fdt) == 0) {
		devtree_probe_all(&dt);
		exercise_consoles();
		if (irq_root()) {
			irq_dispatch(NULL);
			irq_dispatch(NULL);
		}
		walk_tree(fdt);
	}
	irq_core_reset();
	free_blocks();
	free(fdt);
	return 0;
}
