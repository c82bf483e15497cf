/* Per-CPU stacks (kernel/arch/arm64/stacks.c) and the way back from a fault
 * (exceptions.c). Included by head.S for the layout.
 *
 * Every CPU has one block of STACKS_PAGES pages, three stacks each with an
 * unmapped guard page below it (stacks grow down, so an overflow runs into
 * its guard and faults instead of overwriting what lies below):
 *
 *   page  0      guard
 *   pages 1..4   kernel stack (SP_EL0): the CPU's code runs on it
 *   page  5      guard
 *   pages 6..9   exception stack (SP_EL1): every exception taken from the
 *                kernel stack is handled here, so a fault caused by an
 *                overflowed kernel stack still has room to be reported
 *   page  10     guard
 *   pages 11..12 emergency stack: an exception taken while on the exception
 *                stack (a fault in a handler, or its overflow) switches here
 *                (vectors.S) and is reported; the CPU then halts.
 *
 * The boot CPU's block is in BSS (head.S, boot_stacks); the others are
 * reserved before mmu_init (stacks.c). */
#ifndef PLINTH_STACKS_H
#define PLINTH_STACKS_H

#define STACKS_PAGES		13
#define STACK_KERNEL_TOP	(5 * 4096)	/* offsets in the block */
#define STACK_EXCEPTION_TOP	(10 * 4096)
#define STACK_EMERGENCY_TOP	(13 * 4096)

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Before mmu_init: record the boot CPU's guard pages and reserve the other
 * CPUs' blocks (as many as /cpus lists, SMP_MAX_CPUS at most), so that
 * mmu_init builds the final tables without any guard page. */
void stacks_init(const void *fdt);
/* CPU cpu's block (cpu >= 1), its guards already unmapped, or NULL. */
void *stacks_alloc(unsigned cpu);
/* A CPU that never started: its block is not in use any more. */
void stacks_free(unsigned cpu, void *block);
/* What addr is in words ("the guard page below cpu1's kernel stack",
 * "cpu0's exception stack"), or NULL when it is in no stack block;
 * *guard (if not NULL) tells whether it is a guard page. */
const char *stacks_describe(uint64_t addr, char *buf, size_t len, bool *guard);
/* Is [addr, addr + len) inside one stack (not a guard page)? The
 * backtrace reads only such frame records. */
bool stacks_contain(uint64_t addr, uint64_t len);

/* Run fn(arg) so that a synchronous exception in it comes back here: the
 * exception is reported as any other, then the CPU resumes after this call
 * with *faulted set (the shell's `fault` commands). Returns fn's result, or
 * 0 after a fault. The stack fn used is abandoned, nothing is unwound. */
int arch_try(int (*fn)(void *), void *arg, bool *faulted);

/* The symbol that holds addr ("kmain"), with *off the offset into it, from
 * the table the build appends to the image (tools/ksyms); NULL if none. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);
#endif

#endif
