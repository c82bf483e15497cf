/* The interrupt core. An interrupt controller driver publishes a struct
 * irq_chip_ops as its dev->provider; a device driver asks for its interrupt
 * idx with irq_request(), which resolves dev->irq[idx] through the
 * controller's xlate. The vectors call irq_dispatch() on every IRQ exception:
 * ack at the root controller, run the handler, count per CPU, EOI.
 *
 * Interrupt numbers are GIC INTIDs (IHI 0069 2.2): SGI 0-15, PPI 16-31,
 * SPI 32-1019, special 1020-1023, extended PPI 1056-1119, extended SPI
 * 4096-5119. SGIs are the kernel's own IPIs: never requested from the tree. */
#ifndef PLINTH_IRQ_H
#define PLINTH_IRQ_H
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "driver.h"

#define IRQ_MAX_CPUS	16	/* per-CPU counters kept. GICv2 has at most 8 CPU
				 * interfaces; GICv3 guests on 10- and 12-core hosts
				 * may have more */
#define IRQ_MAX_ACTIONS	64	/* registered interrupts, all controllers together */

#define IRQ_INTID_SPURIOUS_FIRST 1020	/* 1020-1023: special, never EOId */
#define IRQ_INTID_SPURIOUS_LAST	 1023

enum irq_trigger {
	IRQ_TRIGGER_KEEP,	/* specifier says nothing usable: leave the hardware's */
	IRQ_TRIGGER_EDGE,	/* rising edge */
	IRQ_TRIGGER_LEVEL,	/* active-high level */
};

enum irq_kind { IRQ_KIND_SGI, IRQ_KIND_PPI, IRQ_KIND_SPI, IRQ_KIND_EPPI, IRQ_KIND_ESPI };

/* A decoded interrupt specifier. */
struct irq_hw {
	uint32_t intid;
	enum irq_kind kind;
	enum irq_trigger trigger;
	bool percpu;		/* PPI/EPPI: enabled on each CPU by irq_cpu_init() */
	bool normalised;	/* the flags cell was not one the binding allows for
				 * this kind and was mapped to `trigger` (see xlate) */
	uint32_t flags;		/* the raw flags cell, for the log */
};

#define IRQ_CHIP_MAGIC 0x49524343u	/* "IRCC": dev->provider really is an irq chip */

/* What a controller driver implements. `chip` is the controller's device;
 * its driver keeps its state in chip->priv. enable/disable/set_trigger of a
 * per-CPU interrupt act on the calling CPU only. */
struct irq_chip_ops {
	uint32_t magic;		/* IRQ_CHIP_MAGIC */
	const char *name;	/* "GICv2", "GICv3" */
	/* Specifier cells -> INTID + trigger; < 0 refuses it (log says why). */
	int (*xlate)(struct device *chip, const struct dt_irq *spec, struct irq_hw *out);
	int (*set_trigger)(struct device *chip, uint32_t intid, enum irq_trigger t);
	void (*enable)(struct device *chip, uint32_t intid);
	void (*disable)(struct device *chip, uint32_t intid);
	/* Acknowledge the highest pending interrupt: its INTID in *intid (1023 =
	 * none), the token to hand to eoi() returned (GICv2 keeps the source CPU
	 * of an SGI in it). */
	uint32_t (*ack)(struct device *chip, uint32_t *intid);
	void (*eoi)(struct device *chip, uint32_t token);
	/* Bring up this CPU's side (GICv2 banked registers + CPU interface;
	 * GICv3 redistributor by affinity + ICC_* registers). Runs on `cpu`. */
	int (*cpu_init)(struct device *chip, unsigned cpu);
};

typedef void (*irq_handler_fn)(void *ctx);

/* Controller drivers: make `chip` (its provider already set) the controller
 * irq_dispatch() acknowledges, and run its cpu_init for the calling (boot)
 * CPU. One root only: a second one is -PLINTH_ENOTSUP. */
int irq_root_register(struct device *chip);
/* The root controller's device, or NULL. */
struct device *irq_root(void);

/* Device drivers: route interrupt idx of dev to fn(ctx) and enable it.
 * Returns the INTID (>= 0), or: -PLINTH_EDEFER (controller not bound yet:
 * return it from probe), -PLINTH_ENODEV (no driver for the controller: run
 * polled), -PLINTH_ENOENT (no interrupt idx; the node's resolution error
 * instead when its interrupts could not be resolved), -PLINTH_EINVAL (specifier
 * refused), -PLINTH_ENOTSUP (already claimed: no sharing; or not a chip),
 * -PLINTH_ENOMEM (table full). Every refusal is logged with the values. */
int irq_request(struct device *dev, unsigned idx, irq_handler_fn fn, void *ctx);

/* Why a driver runs polled after irq_request returned
 * err: "no interrupt", "interrupt controller has no driver", or the code. */
const char *irq_why_polled(int err);

/* Each secondary CPU, before unmasking IRQs: the root chip's cpu_init, then
 * every per-CPU interrupt registered so far is configured and enabled there. */
int irq_cpu_init(unsigned cpu);

/* Strong definition of the vectors' weak hook. */
void irq_dispatch(struct trap_frame *tf);

/* `irqs`: every registered interrupt (controller, INTID, kind, trigger,
 * owner, per-CPU counts), then spurious and unexpected counts per CPU. */
void irq_list(void);

/* Counters, for tests and the shell. */
uint64_t irq_count(uint32_t intid, unsigned cpu);	/* of a registered INTID */
uint64_t irq_spurious_count(unsigned cpu);
uint64_t irq_unexpected_count(unsigned cpu);

/* Index (0..IRQ_MAX_CPUS-1) of the calling CPU. irq.c has a weak default
 * answering 0 (boot CPU only); the SMP code supplies the real one. */
unsigned cpu_current(void);

/* Forget every registration and count (host tests). */
void irq_core_reset(void);

const char *irq_kind_name(enum irq_kind k);
const char *irq_trigger_name(enum irq_trigger t);

/* Unmask / mask IRQs on the calling CPU (PSTATE.I); save and restore the
 * mask around a section. Sleep until an interrupt is pending: WFI wakes on a
 * pending interrupt even while PSTATE.I masks it (DDI 0487 D1.16.2), so a
 * caller that checks for work with IRQs masked, then sleeps, then unmasks,
 * cannot miss a wake-up that lands between the check and the WFI. Under
 * PLINTH_HOST they do nothing, and the sleep calls host_wait_irq(). */
#ifdef PLINTH_HOST
static inline void irq_local_enable(void) {}
static inline void irq_local_disable(void) {}
static inline unsigned long irq_save(void) { return 0; }
static inline void irq_restore(unsigned long f) { (void)f; }
/* What "an interrupt arrives" means in a host test: tests/host_env.c has a
 * default that does nothing; a test of an interrupt-driven driver supplies
 * one that raises the device's interrupt. */
void host_wait_irq(void);
static inline void cpu_wait_irq(void) { host_wait_irq(); }
#else
static inline void irq_local_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irq_local_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
static inline unsigned long irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
	return daif;
}
static inline void irq_restore(unsigned long daif)
{
	__asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
}
static inline void cpu_wait_irq(void)
{
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
}
#endif

#endif
