/* Exception reporting. A synchronous exception or an SError in the kernel is a
 * bug: print what the CPU told us (ESR decoded per ARM ARM D17.2.37, FAR, ELR,
 * SPSR, every GPR, which stack the addresses are in, a frame-pointer
 * backtrace with symbol names) and halt this CPU. The one exception to
 * halting: code run through arch_try() (the shell's `fault` commands) gets
 * its caller back after the report. IRQ/FIQ go to irq_dispatch(), which the
 * interrupt layer overrides; until then they are logged once and counted.
 *
 * Stacks (stacks.h, vectors.S): exceptions from the kernel stack are handled
 * on the exception stack; one taken while already on it (kinds 4..7) runs on
 * the emergency stack and always halts. */
#include <stdbool.h>
#include <stdint.h>
#include "plinth/arch.h"
#include "plinth/printk.h"
#include "plinth/smp.h"
#include "plinth/stacks.h"

void trap_entry(struct trap_frame *tf, uint64_t kind);
extern char __image_start[], __image_end[];	/* kernel.lds */
void irq_dispatch(struct trap_frame *tf);
unsigned cpu_current(void);

/* fault_jmp.S: x19..x30 and sp, then fault_setjmp returns a second time. */
struct fault_jmp {
	uint64_t regs[12];
	uint64_t sp;
};
int fault_setjmp(struct fault_jmp *jb) __attribute__((returns_twice));
void fault_resume(void);

enum trap_type { TRAP_SYNC, TRAP_IRQ, TRAP_FIQ, TRAP_SERROR };

#define BACKTRACE_MAX 24

static const char *const trap_origin[4] = {
	"EL1 with SP_EL0 (kernel stack)", "EL1 with SP_EL1 (exception stack)",
	"EL0 (AArch64)", "EL0 (AArch32)",
};

/* Per CPU: the arch_try() in progress, and how many fatal reports are
 * running (a fault inside a report must not report forever). */
static struct fault_jmp *armed[SMP_MAX_CPUS];
static unsigned reporting[SMP_MAX_CPUS];

static unsigned this_cpu(void)
{
	unsigned cpu = cpu_current();

	return cpu < SMP_MAX_CPUS ? cpu : SMP_MAX_CPUS - 1;
}

/* Exception classes, ESR_ELx.EC (ARM ARM D17.2.37). */
static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x11: return "SVC (AArch32)";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "trapped MSR/MRS/system instruction";
	case 0x19: return "SVE access trapped";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort (same EL)";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort (same EL)";
	case 0x26: return "SP alignment fault";
	case 0x28: return "FP exception (AArch32)";
	case 0x2c: return "FP exception";
	case 0x2f: return "SError";
	case 0x30: return "breakpoint from a lower EL";
	case 0x31: return "breakpoint (same EL)";
	case 0x32: return "software step from a lower EL";
	case 0x33: return "software step (same EL)";
	case 0x34: return "watchpoint from a lower EL";
	case 0x35: return "watchpoint (same EL)";
	case 0x3c: return "BRK instruction";
	default: return "reserved/other";
	}
}

/* Fault status code of an instruction/data abort (ISS[5:0], DFSC/IFSC). */
static void print_fault_status(uint64_t esr, unsigned ec)
{
	unsigned fsc = esr & 0x3f, level = fsc & 3;
	const char *what;

	switch (fsc >> 2) {
	case 0: what = "address size fault"; break;
	case 1: what = "translation fault"; break;
	case 2: what = "access flag fault"; break;
	case 3: what = "permission fault"; break;
	default: what = NULL; break;
	}
	if (what)
		kprintf("  fault: %s, level %u", what, level);
	else if (fsc == 0x10)
		kprintf("  fault: synchronous external abort");
	else if (fsc == 0x21)
		kprintf("  fault: alignment fault");
	else if (fsc == 0x30)
		kprintf("  fault: TLB conflict abort");
	else
		kprintf("  fault: status 0x%02x", fsc);
	if (ec == 0x24 || ec == 0x25)
		kprintf(", %s%s", (esr >> 6) & 1 ? "write" : "read",
			(esr >> 10) & 1 ? ", FAR not valid" : "");
	kprintf("\n");
}

/* "0x40201234 (kmain+0x34)": Image.elf is linked at 0, so the offset from
 * the image start is what addr2line and gdb want (README: Debugging). */
static void print_addr(const char *label, uint64_t a)
{
	uint64_t off;
	const char *sym = ksym_lookup(a, &off);

	kprintf("%s0x%016llx", label, (unsigned long long)a);
	if (sym)
		kprintf(" %s+0x%llx", sym, (unsigned long long)off);
	if (a >= (uintptr_t)__image_start && a < (uintptr_t)__image_end)
		kprintf(" (Image.elf 0x%llx)", (unsigned long long)(a - (uintptr_t)__image_start));
	kprintf("\n");
}

/* AAPCS64 frame records: x29 points at {previous x29, return address}. Only
 * records inside a stack are read, each above the last, so a corrupt chain
 * ends the walk instead of faulting inside the report. */
static void backtrace(const struct trap_frame *tf)
{
	uint64_t fp = tf->x[29];
	unsigned n = 0;

	kprintf("  backtrace (frame pointers):\n");
	print_addr("    pc  ", tf->elr);
	print_addr("    lr  ", tf->x[30]);
	while (fp) {
		const uint64_t *rec = (const uint64_t *)(uintptr_t)fp;

		if ((fp & 7) || !stacks_contain(fp, 16)) {
			kprintf("    (frame record at 0x%llx is outside the stacks: end)\n",
				(unsigned long long)fp);
			return;
		}
		if (n == BACKTRACE_MAX) {
			kprintf("    ... (more frames)\n");
			return;
		}
		print_addr("    ret ", rec[1]);
		n++;
		if (rec[0] && rec[0] <= fp) {
			kprintf("    (next frame record 0x%llx is not above this one: end)\n",
				(unsigned long long)rec[0]);
			return;
		}
		fp = rec[0];
	}
}

/* Which stack an address is in, when it is in one. */
static void print_where(const char *what, uint64_t a)
{
	char buf[80];
	const char *where = stacks_describe(a, buf, sizeof(buf), NULL);

	if (where)
		kprintf("  %s 0x%llx is in %s\n", what, (unsigned long long)a, where);
}

static void dump_frame(const struct trap_frame *tf, uint64_t kind, const char *what)
{
	unsigned ec = (tf->esr >> 26) & 0x3f;
	bool abort = ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
	char buf[80];
	bool in_guard = false;
	const char *where;

	kprintf("\n*** %s on cpu%u from %s: EC 0x%02x %s\n", what, this_cpu(),
		trap_origin[(kind >> 2) & 3], ec, ec_name(ec));
	/* A fault on a guard page is a stack overflow: say so first. */
	where = abort ? stacks_describe(tf->far, buf, sizeof(buf), &in_guard) : NULL;
	if (where && in_guard)
		kprintf("*** stack overflow: FAR is %s\n", where);
	/* FAR_EL1 is UNKNOWN for the classes that do not set it (D17.2.40). */
	if (abort || ec == 0x22 || ec == 0x34 || ec == 0x35)
		kprintf("  ESR 0x%016llx  FAR 0x%016llx\n", (unsigned long long)tf->esr,
			(unsigned long long)tf->far);
	else
		kprintf("  ESR 0x%016llx  (no FAR for this class)\n", (unsigned long long)tf->esr);
	print_addr("  ELR ", tf->elr);
	kprintf("  SPSR 0x%016llx  SP 0x%016llx\n", (unsigned long long)tf->spsr,
		(unsigned long long)tf->sp);
	print_where("SP", tf->sp);
	if (abort) {
		print_fault_status(tf->esr, ec);
		if (!in_guard)
			print_where("FAR", tf->far);
	}
	for (unsigned i = 0; i < 31; i += 2) {
		if (i + 1 < 31)
			kprintf("  x%-2u 0x%016llx  x%-2u 0x%016llx\n", i,
				(unsigned long long)tf->x[i], i + 1,
				(unsigned long long)tf->x[i + 1]);
		else
			kprintf("  x%-2u 0x%016llx\n", i, (unsigned long long)tf->x[i]);
	}
	backtrace(tf);
}

static unsigned long unexpected_irqs;

/* Default until an interrupt controller driver provides the real one. */
__attribute__((weak)) void irq_dispatch(struct trap_frame *tf)
{
	(void)tf;
	if (unexpected_irqs++ == 0)
		kprintf("unexpected IRQ/FIQ (no interrupt controller driver); "
			"further ones are only counted\n");
}

/* An exception taken while handling one: report once, then stop quietly.
 * A fault inside this report lands here again (the emergency stack starts
 * over), so the second time only a fixed line is printed, the third nothing. */
static void nested(struct trap_frame *tf, uint64_t kind)
{
	unsigned cpu = this_cpu();

	if (reporting[cpu]++ == 0) {
		dump_frame(tf, kind, (kind & 3) == TRAP_SERROR ? "SError" :
			   (kind & 3) == TRAP_SYNC ? "Exception while handling an exception" :
			   "Interrupt on the exception stack");
		kprintf("halted: cpu%u (on its emergency stack)\n", cpu);
	} else if (reporting[cpu] == 2) {
		kprintf("\n*** fault while reporting a fault on cpu%u; halted\n", cpu);
	}
	arch_halt();
}

void trap_entry(struct trap_frame *tf, uint64_t kind)
{
	unsigned cpu = this_cpu();
	struct fault_jmp *jb;

	if (kind >= 4 && kind < 8)
		nested(tf, kind);
	switch ((enum trap_type)(kind & 3)) {
	case TRAP_IRQ:
	case TRAP_FIQ:
		irq_dispatch(tf);
		return;
	case TRAP_SERROR:
		dump_frame(tf, kind, "SError");
		break;
	case TRAP_SYNC:
		dump_frame(tf, kind, "Synchronous exception");
		jb = armed[cpu];
		if (jb && kind < 4) {
			/* Back to arch_try's caller: fault_resume restores its
			 * registers and stack; this frame's stack is dropped. */
			armed[cpu] = NULL;
			kprintf("fault: cpu%u resumes after the faulting call\n", cpu);
			tf->elr = (uintptr_t)fault_resume;
			tf->x[0] = (uintptr_t)jb;
			tf->sp = jb->sp;
			return;
		}
		break;
	}
	kprintf("halted: cpu%u\n", cpu);
	arch_halt();
}

int arch_try(int (*fn)(void *), void *arg, bool *faulted)
{
	struct fault_jmp jb;
	unsigned cpu = this_cpu();
	struct fault_jmp *prev = armed[cpu];
	int r;

	*faulted = false;
	if (fault_setjmp(&jb)) {
		armed[cpu] = prev;
		*faulted = true;
		return 0;
	}
	armed[cpu] = &jb;
	r = fn(arg);
	armed[cpu] = prev;
	return r;
}

void arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}
