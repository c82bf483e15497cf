/* Per-CPU stack blocks and their guard pages (stacks.h). The boot CPU's
 * block is in BSS (head.S); the secondaries' come from one arena allocated
 * before mmu_init, sized by /cpus, so every guard page is left out of the
 * final tables as they are built (mmu_guard_page): cutting a page out of a
 * live 2 MiB or 1 GiB block mapping RAM in use cannot be done safely. The
 * table below lets a fault report say which stack an address belongs to and
 * bounds the backtrace to memory that is surely mapped. */
#include <libfdt.h>
#include <stdint.h>
#include <string.h>
#include "plinth/arch.h"
#include "plinth/err.h"
#include "plinth/mm.h"
#include "plinth/printk.h"
#include "plinth/smp.h"
#include "plinth/stacks.h"

extern char boot_stacks[];		/* head.S */

static const struct {
	const char *name;
	uint64_t guard, base, top;	/* offsets in the block */
} layout[] = {
	{ "kernel", 0, 4096, STACK_KERNEL_TOP },
	{ "exception", STACK_KERNEL_TOP, STACK_KERNEL_TOP + 4096, STACK_EXCEPTION_TOP },
	{ "emergency", STACK_EXCEPTION_TOP, STACK_EXCEPTION_TOP + 4096, STACK_EMERGENCY_TOP },
};
#define NSTACKS (sizeof(layout) / sizeof(layout[0]))

_Static_assert(STACK_EMERGENCY_TOP == STACKS_PAGES * 4096, "stacks.h layout");

static uint64_t block[SMP_MAX_CPUS];	/* 0: none */

/* Unmap the guards; a CPU whose guards could not all be set still runs,
 * with the log saying so. */
static void guard_block(unsigned cpu, uint64_t b)
{
	for (unsigned i = 0; i < NSTACKS; i++) {
		int r = mmu_guard_page(b + layout[i].guard);

		if (r < 0)
			kprintf("stacks: cpu%u: no guard page below the %s stack: %s\n", cpu,
				layout[i].name, plinth_strerror(r));
	}
}

/* The /cpus entries with device_type "cpu": the most CPUs smp.c may start. */
static unsigned count_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	unsigned n = 0;

	if (cpus < 0)
		return 1;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *t = fdt_getprop(fdt, node, "device_type", &len);

		n += t && len == 4 && !memcmp(t, "cpu", 4);
	}
	return n ? n : 1;
}

static uint64_t arena;		/* blocks for CPUs 1..narena */
static unsigned narena;

void stacks_init(const void *fdt)
{
	unsigned want = count_cpus(fdt);

	block[0] = (uintptr_t)boot_stacks;
	guard_block(0, block[0]);
	if (want > SMP_MAX_CPUS)
		want = SMP_MAX_CPUS;
	narena = want - 1;
	if (narena && !(arena = (uintptr_t)page_alloc((size_t)narena * STACKS_PAGES))) {
		kprintf("stacks: no memory for %u secondary CPUs' stacks\n", narena);
		narena = 0;
	}
	for (unsigned i = 0; i < narena; i++)
		guard_block(i + 1, arena + (uint64_t)i * STACKS_PAGES * PAGE_SIZE);
	kprintf("stacks: %u CPU(s): kernel, exception and emergency stacks, "
		"each above a guard page\n", narena + 1);
}

/* CPU cpu's block is fixed (arena slot cpu - 1); a CPU that fails to start
 * leaves it to the next one given that index. */
void *stacks_alloc(unsigned cpu)
{
	if (cpu == 0 || cpu > narena)
		return NULL;
	block[cpu] = arena + (uint64_t)(cpu - 1) * STACKS_PAGES * PAGE_SIZE;
	return (void *)(uintptr_t)block[cpu];
}

void stacks_free(unsigned cpu, void *p)
{
	if (cpu < SMP_MAX_CPUS && block[cpu] == (uintptr_t)p)
		block[cpu] = 0;
}

const char *stacks_describe(uint64_t addr, char *buf, size_t len, bool *guard)
{
	for (unsigned cpu = 0; cpu < SMP_MAX_CPUS; cpu++) {
		uint64_t b = block[cpu];

		if (!b || addr < b || addr - b >= STACKS_PAGES * 4096ull)
			continue;
		for (unsigned i = 0; i < NSTACKS; i++) {
			uint64_t off = addr - b;

			if (off >= layout[i].guard && off < layout[i].base) {
				if (guard)
					*guard = true;
				ksnprintf(buf, len, "the guard page below cpu%u's %s stack", cpu,
					  layout[i].name);
				return buf;
			}
			if (off >= layout[i].base && off < layout[i].top) {
				if (guard)
					*guard = false;
				ksnprintf(buf, len, "cpu%u's %s stack", cpu, layout[i].name);
				return buf;
			}
		}
	}
	return NULL;
}

bool stacks_contain(uint64_t addr, uint64_t len)
{
	for (unsigned cpu = 0; cpu < SMP_MAX_CPUS; cpu++) {
		uint64_t b = block[cpu];

		for (unsigned i = 0; b && i < NSTACKS; i++)
			if (addr >= b + layout[i].base && addr < b + layout[i].top &&
			    len <= b + layout[i].top - addr)
				return true;
	}
	return false;
}
