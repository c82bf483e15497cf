/* The interrupt core (irq.h): registrations, dispatch, per-CPU counts.
 *
 * Concurrency: registrations happen on the boot CPU during probe; a slot is
 * filled completely before `nactions` is published with a release store, and
 * irq_dispatch() reads it with an acquire load, so a CPU taking an interrupt
 * never sees a half-written slot. Each CPU writes only its own counters. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/irq.h>
#include <plinth/printk.h>

#define INTID_LIMIT 5120	/* past the last extended SPI (5119) */

struct irq_action {
	struct device *chip;
	struct device *owner;
	uint32_t intid;
	struct irq_hw hw;
	irq_handler_fn fn;
	void *ctx;
	uint64_t count[IRQ_MAX_CPUS];
};

struct irq_core {
	struct device *root;
	unsigned nactions;			/* published slots */
	struct irq_action action[IRQ_MAX_ACTIONS];
	unsigned ncpus;				/* highest CPU index initialised + 1 */
	uint64_t spurious[IRQ_MAX_CPUS];
	uint64_t unexpected[IRQ_MAX_CPUS];
	uint8_t logged[INTID_LIMIT / 8];	/* unexpected INTIDs already logged */
	bool spurious_logged;
};

static struct irq_core core;

__attribute__((weak)) unsigned cpu_current(void)
{
	return 0;
}

static unsigned this_cpu(void)
{
	unsigned cpu = cpu_current();

	return cpu < IRQ_MAX_CPUS ? cpu : IRQ_MAX_CPUS - 1;
}

static const struct irq_chip_ops *chip_ops(const struct device *chip)
{
	const struct irq_chip_ops *ops = chip ? chip->provider : NULL;

	return ops && ops->magic == IRQ_CHIP_MAGIC ? ops : NULL;
}

void irq_core_reset(void)
{
	memset(&core, 0, sizeof(core));
}

struct device *irq_root(void)
{
	return core.root;
}

int irq_root_register(struct device *chip)
{
	const struct irq_chip_ops *ops = chip_ops(chip);
	unsigned cpu = this_cpu();
	int err;

	if (!ops)
		return -PLINTH_EINVAL;
	if (core.root && core.root != chip) {
		kprintf("irq: %s: a second root controller (%s is one): not supported\n",
			chip->name, core.root->name);
		return -PLINTH_ENOTSUP;
	}
	err = ops->cpu_init(chip, cpu);
	if (err < 0)
		return err;
	core.root = chip;
	if (core.ncpus < cpu + 1)
		core.ncpus = cpu + 1;
	return 0;
}

static unsigned published(void)
{
	return __atomic_load_n(&core.nactions, __ATOMIC_ACQUIRE);
}

static struct irq_action *find_action(const struct device *chip, uint32_t intid)
{
	unsigned n = published();

	for (unsigned i = 0; i < n; i++)
		if (core.action[i].intid == intid && core.action[i].chip == chip)
			return &core.action[i];
	return NULL;
}

static void configure(const struct irq_chip_ops *ops, struct irq_action *a)
{
	if (a->hw.trigger != IRQ_TRIGGER_KEEP && ops->set_trigger) {
		int err = ops->set_trigger(a->chip, a->intid, a->hw.trigger);

		/* PPI configurability is IMPLEMENTATION DEFINED (arm,gic.yaml):
		 * a refusal is reported, the interrupt still enabled. */
		if (err < 0)
			kprintf("irq: %s: INTID %u: trigger %s not settable (%s)\n",
				a->chip->name, a->intid, irq_trigger_name(a->hw.trigger),
				plinth_strerror(err));
	}
	ops->enable(a->chip, a->intid);
}

static int resolve(struct device *dev, unsigned idx, struct device **chip, struct irq_hw *hw)
{
	const struct irq_chip_ops *ops;
	int err;

	/* A node whose interrupts could not be resolved has none listed: say
	 * why (the resolution error) rather than just "none". */
	if (idx >= dev->nirq)
		return dev->irq_err < 0 ? dev->irq_err : -PLINTH_ENOENT;
	err = dev_irq_ready(dev, idx);
	if (err < 0)
		return err;
	*chip = dev->irq[idx].ctrl;
	ops = chip_ops(*chip);
	if (!ops) {
		kprintf("irq: %s: interrupt %u: controller %s provides no irq chip\n", dev->name,
			idx, *chip ? (*chip)->name : "?");
		return -PLINTH_ENOTSUP;
	}
	err = ops->xlate(*chip, &dev->irq[idx].spec, hw);
	if (err < 0)
		kprintf("irq: %s: interrupt %u: specifier refused by %s (%s)\n", dev->name, idx,
			(*chip)->name, plinth_strerror(err));
	return err;
}

int irq_request(struct device *dev, unsigned idx, irq_handler_fn fn, void *ctx)
{
	struct device *chip;
	struct irq_action *a;
	struct irq_hw hw;
	int err = resolve(dev, idx, &chip, &hw);

	if (err < 0)
		return err;
	a = find_action(chip, hw.intid);
	if (a) {
		kprintf("irq: %s: INTID %u on %s already belongs to %s: sharing not supported\n",
			dev->name, hw.intid, chip->name, a->owner->name);
		return -PLINTH_ENOTSUP;
	}
	if (core.nactions >= IRQ_MAX_ACTIONS) {
		kprintf("irq: %s: INTID %u: table full (%u interrupts)\n", dev->name, hw.intid,
			IRQ_MAX_ACTIONS);
		return -PLINTH_ENOMEM;
	}
	a = &core.action[core.nactions];
	memset(a, 0, sizeof(*a));
	a->chip = chip;
	a->owner = dev;
	a->intid = hw.intid;
	a->hw = hw;
	a->fn = fn;
	a->ctx = ctx;
	__atomic_store_n(&core.nactions, core.nactions + 1, __ATOMIC_RELEASE);
	configure(chip_ops(chip), a);
	return (int)hw.intid;
}

const char *irq_why_polled(int err)
{
	switch (err) {
	case -PLINTH_ENOENT:
		return "no interrupt";
	case -PLINTH_ENODEV:
		return "interrupt controller has no driver";
	default:
		return plinth_strerror(err);
	}
}

int irq_cpu_init(unsigned cpu)
{
	const struct irq_chip_ops *ops = chip_ops(core.root);
	unsigned n = published();
	int err;

	if (!ops)
		return -PLINTH_ENODEV;
	if (cpu >= IRQ_MAX_CPUS) {
		kprintf("irq: cpu%u: beyond the %u CPUs counted\n", cpu, IRQ_MAX_CPUS);
		return -PLINTH_ERANGE;
	}
	err = ops->cpu_init(core.root, cpu);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < n; i++)
		if (core.action[i].hw.percpu && core.action[i].chip == core.root)
			configure(ops, &core.action[i]);
	if (core.ncpus < cpu + 1)
		core.ncpus = cpu + 1;
	return 0;
}

/* An INTID nobody asked for: disabled so a level interrupt cannot storm,
 * counted always, logged the first time only. */
static void unexpected(const struct irq_chip_ops *ops, uint32_t intid, unsigned cpu)
{
	core.unexpected[cpu]++;
	if (intid < INTID_LIMIT) {
		if (core.logged[intid / 8] & (1u << (intid % 8)))
			return;
		core.logged[intid / 8] |= (uint8_t)(1u << (intid % 8));
	}
	/* SGIs are edge-triggered and cannot storm; a garbage INTID is left alone. */
	bool off = intid >= 16 && intid < INTID_LIMIT;

	if (off)
		ops->disable(core.root, intid);
	kprintf("irq: %s: unexpected INTID %u on cpu%u%s\n", core.root->name, intid, cpu,
		off ? ", disabled" : "");
}

/* An IRQ exception with nothing to acknowledge (IHI 0069 4.1.1: another CPU
 * took it first, or it was withdrawn): counted always, logged the first time. */
static void spurious(uint32_t intid, unsigned cpu)
{
	core.spurious[cpu]++;
	/* Two CPUs at once may both log: harmless, and no atomic
	 * read-modify-write (a libgcc call under -moutline-atomics). */
	if (__atomic_load_n(&core.spurious_logged, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&core.spurious_logged, true, __ATOMIC_RELAXED);
	kprintf("irq: %s: spurious interrupt (INTID %u) on cpu%u; further ones are only counted\n",
		core.root->name, intid, cpu);
}

void irq_dispatch(struct trap_frame *tf)
{
	const struct irq_chip_ops *ops = chip_ops(core.root);
	unsigned cpu = this_cpu();
	bool first = true;

	(void)tf;
	if (!ops) {
		core.unexpected[cpu]++;
		return;
	}
	/* Drain what is pending; only an ack that finds nothing the first
	 * time is spurious (the last ack of every drain returns 1023). */
	for (;;) {
		uint32_t intid;
		uint32_t token = ops->ack(core.root, &intid);
		struct irq_action *a;

		if (intid >= IRQ_INTID_SPURIOUS_FIRST && intid <= IRQ_INTID_SPURIOUS_LAST) {
			if (first)
				spurious(intid, cpu);
			return;
		}
		first = false;
		a = find_action(core.root, intid);
		if (a) {
			a->count[cpu]++;
			a->fn(a->ctx);
		} else {
			unexpected(ops, intid, cpu);
		}
		ops->eoi(core.root, token);
	}
}

uint64_t irq_count(uint32_t intid, unsigned cpu)
{
	struct irq_action *a = find_action(core.root, intid);

	return a && cpu < IRQ_MAX_CPUS ? a->count[cpu] : 0;
}

uint64_t irq_spurious_count(unsigned cpu)
{
	return cpu < IRQ_MAX_CPUS ? core.spurious[cpu] : 0;
}

uint64_t irq_unexpected_count(unsigned cpu)
{
	return cpu < IRQ_MAX_CPUS ? core.unexpected[cpu] : 0;
}

const char *irq_kind_name(enum irq_kind k)
{
	static const char *const names[] = { "SGI", "PPI", "SPI", "EPPI", "ESPI" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *irq_trigger_name(enum irq_trigger t)
{
	switch (t) {
	case IRQ_TRIGGER_EDGE:
		return "edge";
	case IRQ_TRIGGER_LEVEL:
		return "level";
	default:
		return "hw";
	}
}

static unsigned list_cpus(void)
{
	return core.ncpus ? core.ncpus : 1;
}

static void list_counts(const uint64_t *c)
{
	for (unsigned cpu = 0; cpu < list_cpus(); cpu++)
		kprintf(" %10llu", (unsigned long long)c[cpu]);
	kprintf("\n");
}

/* Name columns as wide as the longest name (at least 20 and 24), so a tree's
 * long node names ("interrupt-controller@8000000") keep the table aligned. */
struct list_widths {
	size_t chip, owner;
};

static const char *pad_after(const char *s, size_t width)
{
	static const char spaces[] = "                                                ";
	size_t n = strlen(s), pad = n < width ? width - n : 0;

	if (pad > sizeof(spaces) - 1)
		pad = sizeof(spaces) - 1;
	return spaces + (sizeof(spaces) - 1 - pad);
}

static void list_row(const struct list_widths *w, const char *chip, const char *intid,
		     const char *kind, const char *trig, const char *owner)
{
	kprintf("%s%s %5s %-4s %-5s %s%s", chip, pad_after(chip, w->chip), intid, kind, trig,
		owner, pad_after(owner, w->owner));
}

static void list_widths(struct list_widths *w, unsigned n)
{
	w->chip = 20;
	w->owner = 24;
	for (unsigned i = 0; i < n; i++) {
		size_t c = strlen(core.action[i].chip->name), o = strlen(core.action[i].owner->name);

		w->chip = c > w->chip ? c : w->chip;
		w->owner = o > w->owner ? o : w->owner;
	}
	if (strlen(core.root->name) > w->chip)
		w->chip = strlen(core.root->name);
}

void irq_list(void)
{
	unsigned n = published();
	struct list_widths w;
	char num[12];

	if (!core.root) {
		kprintf("no interrupt controller bound\n");
		return;
	}
	list_widths(&w, n);
	list_row(&w, "controller", "intid", "kind", "trig", "device");
	for (unsigned cpu = 0; cpu < list_cpus(); cpu++) {
		ksnprintf(num, sizeof(num), "cpu%u", cpu);
		kprintf(" %10s", num);
	}
	kprintf("\n");
	for (unsigned i = 0; i < n; i++) {
		const struct irq_action *a = &core.action[i];

		ksnprintf(num, sizeof(num), "%u", a->intid);
		list_row(&w, a->chip->name, num, irq_kind_name(a->hw.kind),
			 irq_trigger_name(a->hw.trigger), a->owner->name);
		list_counts(a->count);
	}
	list_row(&w, core.root->name, "-", "-", "-", "(spurious)");
	list_counts(core.spurious);
	list_row(&w, core.root->name, "-", "-", "-", "(unexpected)");
	list_counts(core.unexpected);
}
