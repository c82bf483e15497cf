/* Exception reporting. A synchronous exception or an SError in the kernel is a
 * bug: print what the CPU told us (ESR decoded per ARM ARM D17.2.37, FAR, ELR,
 * SPSR, every GPR) and halt. IRQ/FIQ go to irq_dispatch(), which the interrupt
 * layer overrides; until then they are logged once and counted. */
#include <stdint.h>
#include "plinth/arch.h"
#include "plinth/printk.h"

void trap_entry(struct trap_frame *tf, uint64_t kind);
extern char __image_start[], __image_end[];	/* kernel.lds */
void irq_dispatch(struct trap_frame *tf);

enum trap_type { TRAP_SYNC, TRAP_IRQ, TRAP_FIQ, TRAP_SERROR };

static const char *const trap_origin[4] = {
	"EL1 with SP_EL0", "EL1", "EL0 (AArch64)", "EL0 (AArch32)",
};

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

static void dump_frame(const struct trap_frame *tf, uint64_t kind, const char *what)
{
	unsigned ec = (tf->esr >> 26) & 0x3f;

	kprintf("\n*** %s from %s: EC 0x%02x %s\n", what, trap_origin[(kind >> 2) & 3],
		ec, ec_name(ec));
	kprintf("  ESR 0x%016llx  FAR 0x%016llx\n", (unsigned long long)tf->esr,
		(unsigned long long)tf->far);
	kprintf("  ELR 0x%016llx  SPSR 0x%016llx  SP 0x%016llx\n",
		(unsigned long long)tf->elr, (unsigned long long)tf->spsr,
		(unsigned long long)tf->sp);
	/* Image.elf is linked at 0: this offset is what addr2line wants. */
	if (tf->elr >= (uintptr_t)__image_start && tf->elr < (uintptr_t)__image_end)
		kprintf("  ELR is Image.elf+0x%llx\n",
			(unsigned long long)(tf->elr - (uintptr_t)__image_start));
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
		print_fault_status(tf->esr, ec);
	for (unsigned i = 0; i < 31; i += 2) {
		if (i + 1 < 31)
			kprintf("  x%-2u 0x%016llx  x%-2u 0x%016llx\n", i,
				(unsigned long long)tf->x[i], i + 1,
				(unsigned long long)tf->x[i + 1]);
		else
			kprintf("  x%-2u 0x%016llx\n", i, (unsigned long long)tf->x[i]);
	}
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

void trap_entry(struct trap_frame *tf, uint64_t kind)
{
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
		break;
	}
	kprintf("halted\n");
	arch_halt();
}

void arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}
