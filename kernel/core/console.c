/* The kernel log and the consoles (console.h, printk.h).
 *
 * Everything kprintf'd goes into a ring buffer from the first line of boot,
 * long before any UART exists. A UART driver registers at probe; the device
 * /chosen/stdout-path names becomes the active console and the log so far is
 * replayed on it, so nothing printed before the console existed is lost.
 * Other consoles are remembered (a later issue mirrors output to them).
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
};

static struct console consoles[MAX_CONSOLES];
static unsigned nconsoles;
static struct console *active;

/* The stdout-path node, from console_set_stdout(); until the boot path says,
 * the first console to register is taken as a fallback. */
static const void *stdout_fdt;
static int stdout_node = -1;

/* Raw output to one console, "\n" -> "\r\n" (serial terminals want both). */
static void con_write(const struct console *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			c->ops->putc(c->ctx, '\r');
		c->ops->putc(c->ctx, s[i]);
	}
}

void log_write(const char *s, size_t n)
{
	unsigned long f = spin_lock(&out_lock);

	for (size_t i = 0; i < n; i++)
		log_ring[(log_head + i) % LOG_SIZE] = s[i];
	log_head += n;
	if (active)
		con_write(active, s, n);
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

/* Write the whole retained log to c: what it missed before it existed. */
static void log_replay(const struct console *c)
{
	unsigned long f = spin_lock(&out_lock);
	uint64_t have = log_head < LOG_SIZE ? log_head : LOG_SIZE;
	uint64_t from = log_head - have;

	for (uint64_t i = 0; i < have; i++) {
		char ch = log_ring[(from + i) % LOG_SIZE];
		con_write(c, &ch, 1);
	}
	spin_unlock(&out_lock, f);
}

static void activate(struct console *c, bool fallback)
{
	char path[128];
	const struct device *dev = c->dev;

	if (fdt_get_path(dev->fdt, dev->node, path, sizeof(path)) < 0)
		strcpy(path, dev->name ? dev->name : "?");
	active = c;
	log_replay(c);
	if (fallback)
		kprintf("console: %s (%s), fallback: no usable /chosen/stdout-path\n",
			path, dev->drv ? dev->drv->name : "?");
	else
		kprintf("console: %s (%s)\n", path, dev->drv ? dev->drv->name : "?");
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
	*c = (struct console){ dev, ops, ctx };
	if (active)
		return;		/* remembered: a later issue mirrors to it */
	if (stdout_node < 0)
		activate(c, true);
	else if (is_stdout(c))
		activate(c, false);
}

/* May come before or after the registrations. Called with node < 0 after a
 * stdout device failed, it picks the first registered console instead. */
void console_set_stdout(const void *fdt, int node)
{
	stdout_fdt = fdt;
	stdout_node = node;
	if (active)
		return;
	for (unsigned i = 0; i < nconsoles; i++) {
		if (is_stdout(&consoles[i])) {
			activate(&consoles[i], false);
			return;
		}
	}
	if (node < 0 && nconsoles)
		activate(&consoles[0], true);
}

struct device *console_device(void)
{
	return active ? active->dev : NULL;
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

	if (active)
		con_write(active, s, n);
	spin_unlock(&out_lock, f);
}

/* Input that arrives by interrupt lets the reader sleep: the check runs with
 * IRQs masked, so the byte that wakes the WFI cannot slip in between (the
 * handler runs once irq_restore unmasks). Polled input is polled. */
int console_getc(void)
{
	const struct console *c = active;
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
