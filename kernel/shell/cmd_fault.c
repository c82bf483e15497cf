/* `fault`: raise a CPU exception on purpose, to see (and test) what the
 * kernel does with one: the report (exception class, FAR, ELR, registers,
 * which stack, a backtrace with symbol names) and then either the shell again
 * (the default: the fault runs under arch_try) or, with `halt`, the fate of a
 * fault nobody expected: the CPU halts (exceptions.c). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>
#include <plinth/stacks.h>

/* An address no translation maps on any machine: bit 55 set selects the
 * TTBR1 half, whose walks TCR_EL1.EPD1 disables (mmu.c), so the load is a
 * level 0 translation fault whatever RAM or devices the tree describes. */
#define FAULT_VA 0xffff0000dead0000ull

static int fault_data(void *arg)
{
	(void)arg;
	return (int)*(volatile uint64_t *)FAULT_VA;
}

static int fault_undef(void *arg)
{
	(void)arg;
	__asm__ volatile("udf #0x8");
	return 0;
}

/* Each level keeps a buffer alive across the next call, so the recursion is
 * neither a tail call nor optimised away; `limit` (never reached) keeps the
 * compiler from calling it infinite. */
static volatile unsigned limit = ~0u;

static __attribute__((noinline)) unsigned deeper(unsigned depth)
{
	volatile char buf[512];

	buf[0] = (char)depth;
	if (depth >= limit)
		return buf[0];
	return deeper(depth + 1) + buf[0];
}

static int fault_stack(void *arg)
{
	(void)arg;
	return (int)deeper(0);
}

/* The same recursion on the exception stack (SP_EL1), where a handler runs:
 * the fault at its guard page is taken on that broken stack, so the vector
 * must move to the emergency stack to report it (vectors.S). Interrupts are
 * masked first: one taken on SP_EL1 would be reported (and halt) before the
 * overflow. There is no way back: the emergency path always halts. */
static int fault_estack(void *arg)
{
	(void)arg;
	__asm__ volatile("msr daifset, #0xf\n\tmsr spsel, #1" ::: "memory");
	return (int)deeper(0);
}

static const struct {
	const char *name;
	int (*fn)(void *);
	const char *what;
	bool halts;		/* only with `halt`: nothing comes back from it */
} kinds[] = {
	{ "data", fault_data, "load from an unmapped address (data abort)", false },
	{ "undef", fault_undef, "execute an undefined instruction (UDF)", false },
	{ "stack", fault_stack, "recurse until the kernel stack's guard page stops it", false },
	{ "estack", fault_estack, "overflow the exception stack: the emergency stack reports it "
	  "(with halt only)", true },
};

static int usage(void)
{
	kprintf("usage: fault data|undef|stack [halt] | fault estack halt\n");
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		kprintf("  %-6s %s\n", kinds[i].name, kinds[i].what);
	kprintf("  (serror: no way to raise an SError from EL1 on a machine we do not "
		"own; its report is the same code path)\n");
	return -PLINTH_EINVAL;
}

static int cmd_fault(int argc, char **argv)
{
	bool faulted;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "halt")))
		return usage();
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(argv[1], kinds[i].name))
			continue;
		if (kinds[i].halts && argc != 3) {
			kprintf("fault: %s: the CPU halts after it: say `fault %s halt`\n",
				kinds[i].name, kinds[i].name);
			return -PLINTH_EINVAL;
		}
		kprintf("fault: %s: %s%s\n", kinds[i].name, kinds[i].what,
			argc == 3 ? "; the CPU will halt" : "");
		if (argc == 3) {
			kinds[i].fn(NULL);
			kprintf("fault: %s: no exception was taken\n", kinds[i].name);
			return -PLINTH_EIO;
		}
		arch_try(kinds[i].fn, NULL, &faulted);
		if (!faulted) {
			kprintf("fault: %s: no exception was taken\n", kinds[i].name);
			return -PLINTH_EIO;
		}
		kprintf("fault: %s: reported; back in the shell\n", kinds[i].name);
		return 0;
	}
	return usage();
}

SHELL_CMD(fault_cmd) = {
	.name = "fault",
	.usage = "fault data|undef|stack [halt] | fault estack halt",
	.help = "raise a CPU exception: see its report, then the shell (or a halt)",
	.fn = cmd_fault,
};
