/* Secondary CPUs (smp.h): the /cpus nodes (DT spec 3.7, 3.8; Linux binding
 * arm/cpus.yaml) started one at a time with PSCI CPU_ON (DEN0022 5.6), each
 * on its own stack with its own exception state, its GIC CPU interface or
 * redistributor (irq_cpu_init) and its timer (timer_cpu_start).
 *
 * Shared state: only the boot CPU writes the table below and the records;
 * each secondary writes only its own `state` word, with a release store the
 * boot CPU reads with an acquire load. */
#include <stdint.h>
#include <libfdt.h>
#include <plinth/arch.h>
#include <plinth/dt.h>
#include <plinth/err.h>
#include <plinth/irq.h>
#include <plinth/mm.h>
#include <plinth/printk.h>
#include <plinth/psci.h>
#include <plinth/smp.h>
#include <plinth/stacks.h>
#include <plinth/timer.h>

#define START_TIMEOUT_MS 1000		/* TCG on a loaded host can be slow */

_Static_assert(SMP_MAX_CPUS <= IRQ_MAX_CPUS, "per-CPU interrupt counters");

/* What became of a /cpus entry. A CPU with an index has its live state in
 * state[index]; one without says why in its entry. */
enum cpu_state {
	CPU_NOT_TRIED,
	CPU_STARTING,		/* CPU_ON succeeded; it has not reported yet */
	CPU_ONLINE,
	CPU_INIT_FAILED,	/* it ran, but its interrupt controller side failed */
	CPU_NO_RESPONSE,	/* CPU_ON succeeded, no report within the timeout */
	CPU_ON_FAILED,		/* entry.psci says why */
	CPU_NO_METHOD,		/* enable-method missing or not "psci" */
	CPU_OVER_LIMIT,		/* beyond SMP_MAX_CPUS */
	CPU_NO_MEMORY,		/* no stacks */
};

struct cpu_entry {
	struct cpu_desc d;
	int index;		/* CPU index, -1 when it has none */
	enum cpu_state outcome;	/* when index < 0 */
	int64_t psci;		/* CPU_ON's answer when it failed */
};

static struct cpu_boot records[SMP_MAX_CPUS];
static int state[SMP_MAX_CPUS];			/* enum cpu_state, by index */
static struct cpu_entry entries[SMP_MAX_NODES];
static unsigned nentries, nindex = 1;
static bool boot_described;
static const void *cpus_fdt;

void secondary_entry(void);			/* head.S */
void secondary_main(struct cpu_boot *rec);

unsigned cpu_current(void)
{
	const struct cpu_boot *rec = (const struct cpu_boot *)read_sysreg(tpidr_el1);

	return rec ? rec->index : 0;
}

/* ------------------------------------------------------------ bring-up ---- */

static uint64_t now_ms(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0) & 0xffffffffu;

	isb();
	return freq ? read_sysreg(cntvct_el0) / (freq / 1000 ? freq / 1000 : 1) : 0;
}

/* The secondary reads its record with the MMU and caches off. */
static void clean_to_poc(const void *p, size_t size)
{
	uint64_t line = 4ull << (read_sysreg(ctr_el0) >> 16 & 0xf);
	uintptr_t a = (uintptr_t)p & ~(line - 1);

	for (; a < (uintptr_t)p + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void smp_init_boot_cpu(void)
{
	extern char boot_stacks[];	/* head.S */

	records[0].index = 0;
	records[0].stacks = (uintptr_t)boot_stacks;	/* the vectors' emergency stack */
	state[0] = CPU_ONLINE;
	write_sysreg((uintptr_t)&records[0], tpidr_el1);
}

static void fill_record(struct cpu_boot *rec, unsigned index, void *stacks)
{
	rec->stacks = (uintptr_t)stacks;
	rec->ttbr0 = read_sysreg(ttbr0_el1);
	rec->tcr = read_sysreg(tcr_el1);
	rec->mair = read_sysreg(mair_el1);
	rec->sctlr = read_sysreg(sctlr_el1);
	rec->index = index;
	clean_to_poc(rec, sizeof(*rec));
}

static int wait_started(unsigned index)
{
	uint64_t deadline = now_ms() + START_TIMEOUT_MS;
	int s;

	while ((s = __atomic_load_n(&state[index], __ATOMIC_ACQUIRE)) == CPU_STARTING &&
	       now_ms() < deadline)
		__asm__ volatile("yield");
	if (s == CPU_STARTING) {
		/* It may still come: the record stays its own. */
		__atomic_store_n(&state[index], CPU_NO_RESPONSE, __ATOMIC_RELAXED);
		s = CPU_NO_RESPONSE;
	}
	return s;
}

/* Why a CPU with this method is not started, for the log and `cpus`. */
static const char *method_refusal(const struct cpu_desc *d, char *buf, size_t len)
{
	const char *m = fdt_stringlist_get(cpus_fdt, d->node, "enable-method", 0, NULL);

	if (d->method == CPU_METHOD_NONE)
		return "no enable-method";
	ksnprintf(buf, len, "enable-method \"%s\" not supported", m ? m : "?");
	return buf;
}

static void refuse(struct cpu_entry *e, enum cpu_state why, const char *what)
{
	e->outcome = why;
	kprintf("smp: cpu MPIDR 0x%llx: not started: %s\n", (unsigned long long)e->d.mpidr, what);
}

/* One CPU_ON, then wait for the CPU to report. It gets its index only once
 * it may be running with it; a refused CPU_ON gives the record back. */
static void start_cpu(struct cpu_entry *e)
{
	struct cpu_boot *rec = &records[nindex];
	char why[64];
	void *stacks;
	int64_t r;

	if (e->d.method != CPU_METHOD_PSCI) {
		refuse(e, CPU_NO_METHOD, method_refusal(&e->d, why, sizeof(why)));
		return;
	}
	if (nindex == SMP_MAX_CPUS) {
		refuse(e, CPU_OVER_LIMIT, "beyond the CPU limit (SMP_MAX_CPUS)");
		return;
	}
	stacks = stacks_alloc(nindex);
	if (!stacks) {
		refuse(e, CPU_NO_MEMORY, "no memory for its stacks");
		return;
	}
	fill_record(rec, nindex, stacks);
	__atomic_store_n(&state[nindex], CPU_STARTING, __ATOMIC_RELEASE);
	r = psci_cpu_on(e->d.mpidr, (uintptr_t)secondary_entry, (uintptr_t)rec);
	if (r != 0) {
		state[nindex] = CPU_NOT_TRIED;
		stacks_free(nindex, stacks);
		e->psci = r;
		e->outcome = CPU_ON_FAILED;
		kprintf("smp: cpu MPIDR 0x%llx: CPU_ON failed: %s (%lld)\n",
			(unsigned long long)e->d.mpidr, psci_strerror(r), (long long)r);
		return;
	}
	e->index = (int)nindex++;
	if (wait_started((unsigned)e->index) == CPU_NO_RESPONSE)
		kprintf("smp: cpu%d MPIDR 0x%llx: no response within %u ms\n", e->index,
			(unsigned long long)e->d.mpidr, START_TIMEOUT_MS);
}

/* The table of /cpus entries; the boot CPU is index 0 whether or not the
 * tree describes it. */
static void load_entries(const void *fdt, uint64_t boot)
{
	static struct cpu_desc d[SMP_MAX_NODES];
	int n = smp_parse_cpus(fdt, boot, d, SMP_MAX_NODES);
	bool seen = false;

	if (n < 0) {
		kprintf("smp: no usable /cpus (%s): only the boot CPU runs\n", plinth_strerror(n));
		return;
	}
	if (n > SMP_MAX_NODES)
		kprintf("smp: /cpus has %d CPUs, the first %u are considered\n", n, SMP_MAX_NODES);
	nentries = (unsigned)n < SMP_MAX_NODES ? (unsigned)n : SMP_MAX_NODES;
	for (unsigned i = 0; i < nentries; i++) {
		entries[i] = (struct cpu_entry){ .d = d[i], .index = d[i].boot && !seen ? 0 : -1 };
		seen |= d[i].boot;
	}
	boot_described = seen;
	if (!seen)
		kprintf("smp: the boot CPU (MPIDR 0x%llx) is not in /cpus\n", (unsigned long long)boot);
}

unsigned smp_boot(const void *fdt)
{
	uint64_t boot = smp_mpidr_affinity(read_sysreg(mpidr_el1));

	cpus_fdt = fdt;
	load_entries(fdt, boot);
	for (unsigned i = 0; i < nentries; i++)
		if (entries[i].index != 0)
			start_cpu(&entries[i]);
	kprintf("smp: %u of %u CPUs online\n", smp_online(), nentries + !boot_described);
	return smp_online();
}

/* ---------------------------------------------------- on the new CPU ---- */

/* head.S, MMU on, own stack, TPIDR_EL1 = rec, IRQs masked. */
void secondary_main(struct cpu_boot *rec)
{
	unsigned i = rec->index;
	int err = irq_cpu_init(i);

	if (err < 0 && irq_root()) {
		kprintf("smp: cpu%u: interrupt controller setup failed: %s; parked\n", i,
			plinth_strerror(err));
		__atomic_store_n(&state[i], CPU_INIT_FAILED, __ATOMIC_RELEASE);
		arch_halt();
	}
	err = timer_cpu_start();
	if (err < 0 && err != -PLINTH_ENODEV)
		kprintf("smp: cpu%u: timer: %s\n", i, plinth_strerror(err));
	__atomic_store_n(&state[i], CPU_ONLINE, __ATOMIC_RELEASE);
	if (irq_root())
		irq_local_enable();
	for (;;)
		__asm__ volatile("wfi");
}

/* ---------------------------------------------------------------- list ---- */

unsigned smp_online(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nindex; i++)
		n += __atomic_load_n(&state[i], __ATOMIC_ACQUIRE) == CPU_ONLINE;
	return n;
}

static const char *state_name(int s)
{
	static const char *const names[] = {
		"not started", "starting", "online", "interrupt setup failed, parked",
		"no response to CPU_ON", "CPU_ON failed", "not started",
		"not started: beyond the CPU limit", "not started: no memory for its stacks",
	};

	return s >= 0 && (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static void list_entry(const struct cpu_entry *e)
{
	int s = e->index >= 0 ? __atomic_load_n(&state[e->index], __ATOMIC_ACQUIRE)
			      : (int)e->outcome;
	char why[64];

	if (e->index >= 0)
		kprintf("cpu%-2d ", e->index);
	else
		kprintf("  -   ");
	kprintf("0x%-10llx %s", (unsigned long long)e->d.mpidr, state_name(s));
	if (s == CPU_ON_FAILED)
		kprintf(": %s", psci_strerror(e->psci));
	else if (s == CPU_NO_METHOD)
		kprintf(": %s", method_refusal(&e->d, why, sizeof(why)));
	kprintf("%s\n", e->index == 0 ? " (boot)" : "");
}

void smp_list(void)
{
	kprintf("cpu   MPIDR        state\n");
	if (!boot_described)
		kprintf("cpu0  0x%-10llx online (boot, not in /cpus)\n",
			(unsigned long long)smp_mpidr_affinity(read_sysreg(mpidr_el1)));
	for (unsigned i = 0; i < nentries; i++)
		list_entry(&entries[i]);
	kprintf("%u online\n", smp_online());
}
