/* AArch64 architecture helpers. */
#ifndef PLINTH_ARCH_H
#define PLINTH_ARCH_H
#include <stdint.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* Exception level the kernel was entered at (1 or 2); set by head.S. */
extern uint64_t boot_el;

/* Saved register state on exception entry (vectors.S layout). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Stop this CPU for good (masked WFI loop). */
__attribute__((noreturn)) void arch_halt(void);

/* The MMU (mmu.c). Early: identity-map the image and the tree as Normal
 * memory so libfdt can run with unaligned accesses allowed. Final: /memory
 * Normal, then device regions via ioremap(). */
void mmu_early_init(uint64_t image_start, uint64_t image_end, uint64_t fdt, uint64_t fdt_size);
int mmu_init(const void *fdt);
/* Leave one page out of the final tables (a stack's guard page, stacks.c).
 * Before mmu_init only: -PLINTH_ENOTSUP after. */
int mmu_guard_page(uint64_t va);

#endif
