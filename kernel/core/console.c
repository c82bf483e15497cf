/* The kernel log and the consoles (console.h, printk.h).
 *
 * Everything kprintf'd goes into a ring buffer from the first line of boot,
 * long before any UART exists. A console driver (UART, framebuffer) registers
 * at probe; the device /chosen/stdout-path names becomes the primary console,
 * every other console of the same tree a mirror: each gets the log so far
 * replayed when it registers, then all output, so the boot log and the shell
 * show on the serial port and on the screen alike. The tree decides which
 * consoles exist: a node that is not okay never probes. Input is read from
 * the primary, or, when it has none (stdout-path names a framebuffer), from
 * the first other console that has.
 *
 * Several CPUs print: one lock (IRQs masked, re-entrant on its CPU; see
 * spinlock.h) covers the ring and the output, so lines do not interleave
 * byte by byte. Input has one reader, the shell on the boot CPU. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/dt.h>
#include <plinth/irq.h>
#include <plinth/printk.h>
#include <plinth/spinlock.h>

#define LOG_SIZE	(64u * 1024)	/* power of two: index by mask */
#define MAX_CONSOLES	16

static struct spinlock out_lock = SPINLOCK_INIT;
static char log_ring[LOG_SIZE];
static uint64_t log_head;		/* bytes ever written; ring index = head % size */

struct console {
	struct device *dev;
	const struct console_ops *ops;
	void *ctx;
	bool live;		/* receives output (the log was replayed on it) */
};

static struct console consoles[MAX_CONSOLES];
static unsigned nconsoles;
static struct console *active;		/* the primary */

/* The stdout-path node, from console_set_stdout(); until the boot path says,
 * the first console to register that can read is taken as a fallback. */
static const void *stdout_fdt;
static int stdout_node = -1;

/* Raw output to one console: through its write op as given, else byte by
 * byte with "\n" -> "\r\n" (serial terminals want both). */
static void con_write(const struct console *c, const char *s, size_t n)
{
	if (c->ops->write) {
		c->ops->write(c->ctx, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			c->ops->putc(c->ctx, '\r');
		c->ops->putc(c->ctx, s[i]);
	}
}

static void write_live(const char *s, size_t n)
{
	for (unsigned i = 0; i < nconsoles; i++)
		if (consoles[i].live)
			con_write(&consoles[i], s, n);
}

void log_write(const char *s, size_t n)
{
	unsigned long f = spin_lock(&out_lock);

	for (size_t i = 0; i < n; i++)
		log_ring[(log_head + i) % LOG_SIZE] = s[i];
	log_head += n;
	write_live(s, n);
	spin_unlock(&out_lock, f);
}

/* The most recent min(size, retained) bytes, oldest first. */
size_t log_read(char *buf, size_t size)
{
	unsigned long f = spin_lock(&out_lock);
	uint64_t have = log_head < LOG_SIZE ? log_head : LOG_SIZE;
	uint64_t n = have < size ? have : size;
	uint64_t from = log_head - n;

	for (uint64_t i = 0; i < n; i++)
		buf[i] = log_ring[(from + i) % LOG_SIZE];
	spin_unlock(&out_lock, f);
	return (size_t)n;
}

/* Write the whole retained log to c, what it missed before it existed (in
 * at most two pieces: the ring may wrap), and make it live. */
static void go_live(struct console *c)
{
	unsigned long f = spin_lock(&out_lock);
	uint64_t have = log_head < LOG_SIZE ? log_head : LOG_SIZE;
	size_t from = (size_t)((log_head - have) % LOG_SIZE);
	size_t first = LOG_SIZE - from < have ? LOG_SIZE - from : (size_t)have;

	if (!c->live) {
		con_write(c, log_ring + from, first);
		con_write(c, log_ring, (size_t)have - first);
		c->live = true;
	}
	spin_unlock(&out_lock, f);
}

static const char *con_path(const struct console *c, char *path, size_t len)
{
	const struct device *dev = c->dev;

	if (dev->node < 0 || fdt_get_path(dev->fdt, dev->node, path, (int)len) < 0)
		return dev->name ? dev->name : "?";
	return path;
}

static void activate(struct console *c, bool fallback)
{
	char path[128];
	const struct device *dev = c->dev;

	active = c;
	go_live(c);
	kprintf("console: %s (%s)%s\n", con_path(c, path, sizeof(path)),
		dev->drv ? dev->drv->name : "?",
		fallback ? ", fallback: no usable /chosen/stdout-path" : "");
}

static const struct console *input_console(void);

static void mirror(struct console *c)
{
	char path[128];

	go_live(c);
	kprintf("console: %s (%s), mirror%s\n", con_path(c, path, sizeof(path)),
		c->dev->drv ? c->dev->drv->name : "?",
		input_console() == c ? ", input (the primary has none)" : "");
}

/* Mirrors come from the tree the primary comes from: host tests probe
 * devices of several trees, the kernel has one. */
static bool same_tree(const struct console *c)
{
	const void *fdt = stdout_fdt ? stdout_fdt : active ? active->dev->fdt : NULL;

	return !fdt || c->dev->fdt == fdt;
}

static bool is_stdout(const struct console *c)
{
	return stdout_node >= 0 && c->dev->node == stdout_node &&
	       (!stdout_fdt || c->dev->fdt == stdout_fdt);
}

void console_register(struct device *dev, const struct console_ops *ops, void *ctx)
{
	struct console *c;

	if (nconsoles == MAX_CONSOLES) {
		kprintf("console: %s: not registered, table full (%u consoles)\n",
			dev->name, MAX_CONSOLES);
		return;
	}
	c = &consoles[nconsoles++];
	*c = (struct console){ dev, ops, ctx, false };
	if (!active && is_stdout(c))
		activate(c, false);
	else if (!active && stdout_node < 0 && ops->getc)
		activate(c, true);	/* no stdout-path: the first that can read too */
	else if (same_tree(c))
		mirror(c);
}

/* May come before or after the registrations. Called with node < 0 after a
 * stdout device failed, it makes another registered console the primary:
 * the first that can read, else the first. */
void console_set_stdout(const void *fdt, int node)
{
	struct console *pick = NULL;

	stdout_fdt = fdt;
	stdout_node = node;
	if (active)
		return;
	for (unsigned i = 0; i < nconsoles && !pick; i++)
		if (is_stdout(&consoles[i]))
			pick = &consoles[i];
	for (unsigned i = 0; i < nconsoles && !pick && node < 0; i++)
		if (consoles[i].ops->getc && same_tree(&consoles[i]))
			pick = &consoles[i];
	if (!pick && node < 0 && nconsoles && same_tree(&consoles[0]))
		pick = &consoles[0];
	if (pick)
		activate(pick, node < 0);
}

struct device *console_device(void)
{
	return active ? active->dev : NULL;
}

/* The console input is read from: the primary, or the first live console
 * that can read when the primary cannot. */
static const struct console *input_console(void)
{
	if (!active || active->ops->getc)
		return active;
	for (unsigned i = 0; i < nconsoles; i++)
		if (consoles[i].live && consoles[i].ops->getc)
			return &consoles[i];
	return active;
}

unsigned console_flags(const struct device *dev)
{
	const struct console *in = input_console();

	for (unsigned i = 0; dev && i < nconsoles; i++) {
		const struct console *c = &consoles[i];

		if (c->dev != dev || !c->live)
			continue;
		return (c == active ? CONSOLE_PRIMARY : CONSOLE_MIRROR) |
		       (c == in && c->ops->getc ? CONSOLE_INPUT : 0);
	}
	return 0;
}

void console_putc(char c)
{
	console_write(&c, 1);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

void console_write(const char *s, size_t n)
{
	unsigned long f = spin_lock(&out_lock);

	write_live(s, n);
	spin_unlock(&out_lock, f);
}

/* Input that arrives by interrupt lets the reader sleep: the check runs with
 * IRQs masked, so the byte that wakes the WFI cannot slip in between (the
 * handler runs once irq_restore unmasks). Polled input is polled. */
int console_getc(void)
{
	const struct console *c = input_console();
	bool sleep;
	int ch;

	if (!c)
		return -PLINTH_ENODEV;
	if (!c->ops->getc)
		return -PLINTH_ENOTSUP;
	sleep = c->ops->rx_irq && c->ops->rx_irq(c->ctx);
	for (;;) {
		unsigned long f = irq_save();

		ch = c->ops->getc(c->ctx);
		if (ch == -PLINTH_EAGAIN && sleep)
			cpu_wait_irq();
		irq_restore(f);
		if (ch != -PLINTH_EAGAIN)
			return ch;
	}
}
