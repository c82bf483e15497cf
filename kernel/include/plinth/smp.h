/* Secondary CPUs (smp.c): every /cpus/cpu@* node whose enable-method is
 * "psci" is started with PSCI CPU_ON; each gets a stack, its own exception
 * state, its GIC CPU interface / redistributor and its timer, then idles in
 * WFI taking interrupts. CPU index 0 is the boot CPU; the others are numbered
 * in tree order. A CPU that cannot be started is reported, never fatal.
 *
 * Included by head.S for the record offsets (CPU_BOOT_*). */
#ifndef PLINTH_SMP_H
#define PLINTH_SMP_H

/* Offsets in struct cpu_boot that head.S reads with the MMU off. */
#define CPU_BOOT_STACKS	0	/* its stack block (stacks.h) */
#define CPU_BOOT_TTBR0	8
#define CPU_BOOT_TCR	16
#define CPU_BOOT_MAIR	24
#define CPU_BOOT_SCTLR	32

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMP_MAX_CPUS	16	/* = IRQ_MAX_CPUS: per-CPU counters exist for these */
#define SMP_MAX_NODES	64	/* /cpus entries remembered for `cpus` */

/* What a secondary CPU reads before its MMU is on, so the boot CPU cleans it
 * to the point of coherency; one cache line of its own. TPIDR_EL1 points at
 * it on its CPU for as long as the CPU runs (cpu_current()). */
struct cpu_boot {
	uint64_t stacks;			/* block of STACKS_PAGES pages (stacks.h) */
	uint64_t ttbr0, tcr, mair, sctlr;	/* the boot CPU's, after mmu_init */
	unsigned index;
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct cpu_boot, stacks) == CPU_BOOT_STACKS, "head.S offsets");
_Static_assert(offsetof(struct cpu_boot, ttbr0) == CPU_BOOT_TTBR0, "head.S offsets");
_Static_assert(offsetof(struct cpu_boot, tcr) == CPU_BOOT_TCR, "head.S offsets");
_Static_assert(offsetof(struct cpu_boot, mair) == CPU_BOOT_MAIR, "head.S offsets");
_Static_assert(offsetof(struct cpu_boot, sctlr) == CPU_BOOT_SCTLR, "head.S offsets");

/* How a /cpus entry is started (arm/cpus.yaml `enable-method`). */
enum cpu_method {
	CPU_METHOD_NONE,	/* no enable-method */
	CPU_METHOD_PSCI,
	CPU_METHOD_SPIN_TABLE,
	CPU_METHOD_OTHER,
};

/* One /cpus/cpu@* node, as parsed (no hardware touched). */
struct cpu_desc {
	uint64_t mpidr;		/* `reg`: MPIDR affinity (Aff3 in bits 39:32) */
	enum cpu_method method;
	int node;
	bool boot;		/* its reg is the boot CPU's affinity */
};

/* Every node under /cpus with device_type "cpu", in tree order, into
 * out[0..max-1] (smp_tree.c, no hardware). Returns how many there are
 * (possibly more than max), or a negative code: -PLINTH_ENOENT without
 * /cpus, -PLINTH_EINVAL when /cpus #address-cells is not 1 or 2. A node
 * whose `reg` is missing, of the wrong size or not an affinity value cannot
 * be addressed: it is skipped with a log line. */
int smp_parse_cpus(const void *fdt, uint64_t boot_mpidr, struct cpu_desc *out, unsigned max);

/* MPIDR_EL1 -> the affinity fields a cpu node's `reg` holds (DDI 0487
 * D17.2.101: Aff3 [39:32], Aff2..Aff0 [23:0]; U, MT and RES1 dropped). */
uint64_t smp_mpidr_affinity(uint64_t mpidr);

/* Boot CPU, before any driver probes: its record, TPIDR_EL1. */
void smp_init_boot_cpu(void);
/* Boot CPU, after the drivers (GIC, timer, PSCI) are bound and its own
 * IRQs are on: start every other CPU, one at a time; returns how many are
 * online, the boot CPU included. */
unsigned smp_boot(const void *fdt);
/* `cpus`: each CPU's MPIDR and state, then "N online". */
void smp_list(void);
unsigned smp_online(void);

#endif
#endif
