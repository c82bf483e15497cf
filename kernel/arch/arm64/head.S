/* Image header and entry.
 *
 * Boot protocol: Documentation/arm64/booting.rst. The loader enters at byte 0
 * with x0 = physical address of the DTB, x1..x3 = 0, MMU off, D-cache off,
 * at EL2 or EL1. We keep x0, drop from EL2 to EL1, relocate ourselves (linked
 * at 0, -pie), clear BSS, set up a stack and the vectors, then call C.
 * Secondary CPUs enter at secondary_entry (PSCI CPU_ON) and share the EL2
 * and EL1 setup. */

#define SCTLR_EL1_SAFE	0x30d50818	/* RES1 bits, nTWI/nTWE, SA/SA0; MMU, caches, alignment check off */
#define HCR_EL2_RW	(1 << 31)	/* EL1 is AArch64 */
#define CNTHCTL_EL1_ACCESS 3		/* EL1PCTEN | EL1PCEN: EL1 may use the physical timer */
#define CPTR_EL2_NOTRAP	0x33ff		/* RES1 bits only: TFP = 0, FP/SIMD not trapped */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1h, D A I F masked */
#define CPACR_FPEN	(3 << 20)	/* FP/SIMD at EL1 and EL0 untrapped */
#define R_AARCH64_RELATIVE 1027

#include "plinth/smp.h"		/* CPU_BOOT_* offsets */
#include "plinth/stacks.h"	/* the stack block's layout */

	.section .head.text, "ax"
	.globl	_head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_size		/* image_size, BSS included */
	.quad	0xa			/* flags: LE, 4 KiB pages (1 << 1), anywhere (1 << 3) */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.byte	0x41, 0x52, 0x4d, 0x64	/* magic "ARM\x64" */
	.long	0			/* res5 (PE header offset: none) */

	.text
primary_entry:
	mov	x21, x0			/* DTB pointer, kept until kmain */
	mrs	x22, CurrentEL
	ubfx	x22, x22, #2, #2	/* x22 = entry EL, recorded in boot_el */
	bl	enter_el1
	bl	el1_setup
	/* No CPU record yet: the spinlock owner token (spinlock.h) and
	 * cpu_current() read TPIDR_EL1, whose reset value is UNKNOWN. */
	msr	tpidr_el1, xzr

	/* Relocate: *(base + r_offset) = base + r_addend for every
	 * R_AARCH64_RELATIVE. We are linked at 0, so base = load address.
	 * Only aligned 64-bit accesses: the MMU is off (Device memory). */
	adr	x0, _head
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
3:	cmp	x1, x2
	b.hs	4f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	3b			/* a static PIE has no other kind */
	add	x5, x5, x0
	str	x5, [x0, x3]
	b	3b

4:	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
5:	cmp	x1, x2
	b.hs	6f
	stp	xzr, xzr, [x1], #16
	b	5b

6:	adrp	x0, boot_el
	str	x22, [x0, :lo12:boot_el]
	adrp	x0, boot_stacks
	add	x0, x0, :lo12:boot_stacks
	bl	use_stacks
	mov	x29, xzr
	mov	x30, xzr
	bl	set_vectors
	mov	x0, x21
	bl	kmain
	bl	arch_halt

/* Secondary CPUs: PSCI CPU_ON (DEN0022 6.4) enters here at the physical
 * address smp.c passed, MMU and caches off, at the EL the boot CPU was
 * entered at, with x0 = its struct cpu_boot (smp.h). The boot CPU has
 * relocated the image, cleared BSS and cleaned the record to the point of
 * coherency; the MMU comes on with its tables and system-register values. */
	.globl	secondary_entry
	.type	secondary_entry, %function
secondary_entry:
	mov	x19, x0
	bl	enter_el1
	bl	el1_setup
	ldr	x0, [x19, #CPU_BOOT_MAIR]
	msr	mair_el1, x0
	ldr	x0, [x19, #CPU_BOOT_TCR]
	msr	tcr_el1, x0
	ldr	x0, [x19, #CPU_BOOT_TTBR0]
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1			/* nothing stale from before reset */
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, [x19, #CPU_BOOT_SCTLR]
	msr	sctlr_el1, x0
	isb
	ldr	x0, [x19, #CPU_BOOT_STACKS]
	bl	use_stacks
	msr	tpidr_el1, x19		/* cpu_current() */
	mov	x29, xzr
	mov	x30, xzr
	bl	set_vectors
	mov	x0, x19
	bl	secondary_main
	bl	arch_halt
	.size	secondary_entry, . - secondary_entry

/* From EL2, configure what EL1 depends on and return to the caller at EL1
 * (ELR_EL2 = x30); at EL1, just return. Every CPU runs it: the EL2 state is
 * per CPU. Clobbers x0. */
enter_el1:
	mrs	x0, CurrentEL
	ubfx	x0, x0, #2, #2
	cmp	x0, #1
	b.eq	9f
	cmp	x0, #2
	b.ne	halt_forever
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #CNTHCTL_EL1_ACCESS
	msr	cnthctl_el2, x0
	/* The virtual timer and counter equal the physical ones (the timer
	 * driver uses CNTV_*). */
	msr	cntvoff_el2, xzr
	mov	x0, #CPTR_EL2_NOTRAP
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	/* EL1 reads of MIDR/MPIDR return these; their reset values are UNKNOWN. */
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	/* A GICv3+ CPU interface: let EL1 use the system registers
	 * (ICC_SRE_EL2.SRE and .Enable). Accessing ICC_SRE_EL2 without one is
	 * UNDEFINED, hence the ID_AA64PFR0_EL1.GIC check. */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, icc_sre_el2
	orr	x0, x0, #(1 << 0)
	orr	x0, x0, #(1 << 3)
	msr	icc_sre_el2, x0
	isb
	msr	ich_hcr_el2, xzr
2:	movz	x0, #(SCTLR_EL1_SAFE & 0xffff)
	movk	x0, #(SCTLR_EL1_SAFE >> 16), lsl #16
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	isb
	eret
9:	ret

/* x0 = this CPU's stack block (stacks.h): exceptions on its exception stack
 * (SP_EL1), the code from here on on its kernel stack (SP_EL0, SPSel = 0),
 * so an overflow of the kernel stack is reported from a stack that has
 * room. Clobbers x1. */
use_stacks:
	add	x1, x0, #STACK_EXCEPTION_TOP
	mov	sp, x1
	add	x1, x0, #STACK_KERNEL_TOP
	msr	sp_el0, x1
	msr	spsel, #0
	ret

/* EL3 (or EL0): not a booting.rst entry. Nothing can report it yet. */
halt_forever:
	wfe
	b	halt_forever

/* EL1 basics: MMU, caches and alignment checks off; FP/SIMD usable (libfdt,
 * Debian's build, uses SIMD registers). Clobbers x0. */
el1_setup:
	movz	x0, #(SCTLR_EL1_SAFE & 0xffff)
	movk	x0, #(SCTLR_EL1_SAFE >> 16), lsl #16
	msr	sctlr_el1, x0
	mov	x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb
	ret

/* The vectors, and SErrors reported through them from now on; IRQs stay
 * masked until the interrupt controller is up. Clobbers x0. */
set_vectors:
	adrp	x0, vectors
	add	x0, x0, :lo12:vectors
	msr	vbar_el1, x0
	isb
	msr	daifclr, #4
	ret

	.data
	.balign	8
	.globl	boot_el
boot_el:
	.quad	0

/* The boot CPU's stack block (stacks.h): page aligned, so that mmu_init can
 * leave its guard pages out of the final tables. */
	.section .bss.boot_stack, "aw", %nobits
	.balign	4096
	.globl	boot_stacks
boot_stacks:
	.space	STACKS_PAGES * 4096
