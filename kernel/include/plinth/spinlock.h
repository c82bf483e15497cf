/* A spinlock for state several CPUs touch (the log ring and the console).
 *
 * Taken with IRQs masked on the calling CPU (an interrupt handler that prints
 * must not spin on a lock its own CPU holds), and re-entrant on the CPU that
 * holds it: a synchronous exception raised while printing (a fault in a
 * UART's putc) prints its report instead of deadlocking. The owner is told by
 * TPIDR_EL1, which holds each CPU's own record (smp.h) and which head.S zeroes
 * on the boot CPU before kmain.
 *
 * Exclusives need Normal memory (DDI 0487 B2.9.5: on Device memory, which is
 * every access while the MMU is off, they are IMPLEMENTATION DEFINED), so
 * while SCTLR_EL1.M is clear the lock is not taken at all: only the boot CPU
 * runs then. Under PLINTH_HOST it is a plain atomic flag. */
#ifndef PLINTH_SPINLOCK_H
#define PLINTH_SPINLOCK_H
#include <stdint.h>
#include "irq.h"

struct spinlock {
	uint32_t locked;
	unsigned depth;		/* nesting on the owning CPU */
	uintptr_t owner;	/* owner token, valid while locked */
};

#define SPINLOCK_INIT { 0, 0, 0 }

#ifdef PLINTH_HOST
static inline uintptr_t spin_token(void) { return 1; }
static inline int spin_usable(void) { return 1; }
static inline void spin_acquire(uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		;
}
#else
/* The CPU's record pointer; +1 so the boot CPU's 0 (before kmain sets it)
 * is still a valid token distinct from "no owner". */
static inline uintptr_t spin_token(void)
{
	uintptr_t v;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return v + 1;
}

static inline int spin_usable(void)
{
	uint64_t sctlr;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	return sctlr & 1;
}

/* Load-acquire exclusive, and WFE while it is held: the owner's releasing
 * store clears this CPU's exclusive monitor, which is a wake-up event
 * (DDI 0487 D1.16.1). Inline assembly rather than __atomic_exchange_n, which
 * GCC turns into a libgcc call (-moutline-atomics) that a freestanding
 * kernel does not link. */
static inline void spin_acquire(uint32_t *l)
{
	uint32_t tmp;

	__asm__ volatile(
		"	sevl\n"
		"1:	wfe\n"
		"2:	ldaxr	%w0, [%1]\n"
		"	cbnz	%w0, 1b\n"
		"	stxr	%w0, %w2, [%1]\n"
		"	cbnz	%w0, 2b\n"
		: "=&r"(tmp) : "r"(l), "r"(1u) : "memory");
}
#endif

/* Returns the flags spin_unlock needs. */
static inline unsigned long spin_lock(struct spinlock *s)
{
	unsigned long flags = irq_save();
	uintptr_t me = spin_token();

	if (!spin_usable())
		return flags;
	/* Only this CPU ever stores its own token, and clears it before it
	 * releases: equal means this CPU holds the lock. */
	if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) == me) {
		s->depth++;
		return flags;
	}
	spin_acquire(&s->locked);
	__atomic_store_n(&s->owner, me, __ATOMIC_RELAXED);
	s->depth = 1;
	return flags;
}

static inline void spin_unlock(struct spinlock *s, unsigned long flags)
{
	if (spin_usable() && --s->depth == 0) {
		__atomic_store_n(&s->owner, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->locked, 0, __ATOMIC_RELEASE);
	}
	irq_restore(flags);
}

#endif
