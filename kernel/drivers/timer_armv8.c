/* The ARM generic timer (arm,arch_timer.yaml): the kernel runs at EL1, so it
 * uses the EL1 virtual timer (CNTV_*; CNTVOFF_EL2 = 0 was set by the EL2
 * entry code, and a hypervisor keeps the virtual view consistent). Its
 * interrupt is the one named "virt" in `interrupt-names`, else the third
 * entry (sec-phys, phys, virt, ...). Frequency: CNTFRQ_EL0, overridden only by
 * `clock-frequency`, which the binding reserves for broken firmware.
 * Registers: ARM DDI 0487, D11 (generic timer). */
#include <stdbool.h>
#include <stdint.h>
#include <libfdt.h>
#include <plinth/arch.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/irq.h>
#include <plinth/printk.h>
#include <plinth/timer.h>

#define CNTV_CTL_ENABLE	(1u << 0)
#define CNTV_CTL_IMASK	(1u << 1)
#define TIMER_VIRT_IDX	2		/* sec-phys, phys, virt (binding order) */

struct timer_config {
	unsigned virt_idx;		/* index into dev->irq */
	uint32_t dt_freq;		/* clock-frequency, 0 = use CNTFRQ_EL0 */
};

struct timer_state {
	uint64_t freq;
	uint64_t period;		/* counter ticks per tick */
	uint64_t epoch;			/* counter at probe */
	volatile uint64_t jiffies;	/* boot CPU ticks */
	uint64_t next[IRQ_MAX_CPUS];	/* each CPU's next compare value */
};

static struct timer_state *tstate;	/* the one timer; read by the accessors */

static int timer_parse(struct device *dev)
{
	struct timer_config *c = dev->config;
	int idx = fdt_stringlist_search(dev->fdt, dev->node, "interrupt-names", "virt");
	int err;

	if (dev->irq_err < 0)
		return dev_fail(dev, dev->irq_err, "interrupts not resolvable");
	c->virt_idx = idx >= 0 ? (unsigned)idx : TIMER_VIRT_IDX;
	if (c->virt_idx >= dev->nirq)
		return dev_fail(dev, -PLINTH_ENOENT, "no virtual timer interrupt (entry %u of %u)",
				c->virt_idx, dev->nirq);
	err = dt_read_u32(dev->fdt, dev->node, "clock-frequency", &c->dt_freq);
	if (err < 0 && err != -PLINTH_ENOENT)
		return dev_fail(dev, err, "clock-frequency unreadable");
	return 0;
}

static uint64_t counter(void)
{
	isb();	/* DDI 0487 D11.2.2: CNTVCT reads may be speculated */
	return read_sysreg(cntvct_el0);
}

/* Next compare value after `prev`; a CPU that slept past several ticks
 * skips them rather than firing back to back. */
static uint64_t next_deadline(uint64_t prev, uint64_t now, uint64_t period)
{
	uint64_t next = prev + period;

	return next > now ? next : now + period;
}

static void timer_arm(struct timer_state *t, unsigned cpu)
{
	t->next[cpu] = next_deadline(t->next[cpu] ? t->next[cpu] : counter(), counter(), t->period);
	write_sysreg(t->next[cpu], cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
}

static void timer_tick(void *ctx)
{
	struct timer_state *t = ctx;
	unsigned cpu = cpu_current();

	if (cpu >= IRQ_MAX_CPUS)
		return;
	if (cpu == 0)
		t->jiffies++;
	t->next[cpu] = next_deadline(t->next[cpu], counter(), t->period);
	write_sysreg(t->next[cpu], cntv_cval_el0);	/* also clears ISTATUS' level */
	isb();
}

static int timer_probe(struct device *dev)
{
	const struct timer_config *c = dev->config;
	struct timer_state *t;
	uint64_t cntfrq = read_sysreg(cntfrq_el0) & 0xffffffffu;
	int intid;

	if (tstate)
		return dev_fail(dev, -PLINTH_ENOTSUP, "a second generic timer node");
	t = dev->priv ? dev->priv : kzalloc(sizeof(*t));	/* kept across a deferral */
	if (!t)
		return dev_fail(dev, -PLINTH_ENOMEM, "no memory for state");
	dev->priv = t;
	t->freq = c->dt_freq ? c->dt_freq : cntfrq;
	if (t->freq < TIMER_HZ)
		return dev_fail(dev, -PLINTH_EINVAL, "counter frequency %llu Hz unusable",
				(unsigned long long)t->freq);
	if (c->dt_freq && c->dt_freq != cntfrq)
		kprintf("timer: %s: clock-frequency %u overrides CNTFRQ_EL0 %llu\n", dev->name,
			c->dt_freq, (unsigned long long)cntfrq);
	t->period = t->freq / TIMER_HZ;
	/* Masked and off until the interrupt is routed, so nothing fires early. */
	write_sysreg(CNTV_CTL_IMASK, cntv_ctl_el0);
	intid = irq_request(dev, c->virt_idx, timer_tick, t);
	if (intid == -PLINTH_EDEFER)
		return intid;
	if (intid < 0)
		return dev_fail(dev, intid, "virtual timer interrupt %u not usable", c->virt_idx);
	t->epoch = counter();
	tstate = t;
	timer_arm(t, cpu_current());
	kprintf("timer: %s: virtual timer INTID %d, %llu Hz (%s), tick %u Hz\n", dev->name, intid,
		(unsigned long long)t->freq, c->dt_freq ? "clock-frequency" : "CNTFRQ_EL0",
		TIMER_HZ);
	return 0;
}

int timer_cpu_start(void)
{
	unsigned cpu = cpu_current();

	if (!tstate)
		return -PLINTH_ENODEV;
	if (cpu >= IRQ_MAX_CPUS)
		return -PLINTH_ERANGE;
	timer_arm(tstate, cpu);
	return 0;
}

uint64_t timer_jiffies(void)
{
	return tstate ? tstate->jiffies : 0;
}

uint64_t timer_frequency(void)
{
	return tstate ? tstate->freq : 0;
}

uint64_t timer_uptime_ms(void)
{
	uint64_t ticks;

	if (!tstate)
		return 0;
	ticks = counter() - tstate->epoch;
	/* Split so ticks * 1000 cannot overflow for any realistic frequency. */
	return ticks / tstate->freq * 1000 + ticks % tstate->freq * 1000 / tstate->freq;
}

static const struct dt_match timer_match[] = {
	{ "arm,armv8-timer", NULL },
	{ "arm,armv7-timer", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(timer_armv8_driver) = {
	.name = "timer-armv8",
	.match = timer_match,
	.config_size = sizeof(struct timer_config),
	.parse = timer_parse,
	.probe = timer_probe,
};
