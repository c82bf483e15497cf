/* Image header and entry.
 *
 * Boot protocol: Documentation/arm64/booting.rst. The loader enters at byte 0
 * with x0 = physical address of the DTB, x1..x3 = 0, MMU off, D-cache off,
 * at EL2 or EL1. We keep x0, drop from EL2 to EL1, relocate ourselves (linked
 * at 0, -pie), clear BSS, set up a stack and the vectors, then call C. */

#define SCTLR_EL1_SAFE	0x30d50818	/* RES1 bits, nTWI/nTWE, SA/SA0; MMU, caches, alignment check off */
#define HCR_EL2_RW	(1 << 31)	/* EL1 is AArch64 */
#define CNTHCTL_EL1_ACCESS 3		/* EL1PCTEN | EL1PCEN: EL1 may use the physical timer */
#define CPTR_EL2_NOTRAP	0x33ff		/* RES1 bits only: TFP = 0, FP/SIMD not trapped */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1h, D A I F masked */
#define CPACR_FPEN	(3 << 20)	/* FP/SIMD at EL1 and EL0 untrapped */
#define R_AARCH64_RELATIVE 1027

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
	cmp	x22, #2
	b.eq	el2_entry
	cmp	x22, #1
	b.eq	el1_entry
	/* EL3 (or EL0): not a booting.rst entry. Nothing can report it yet. */
1:	wfe
	b	1b

el2_entry:
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #CNTHCTL_EL1_ACCESS
	msr	cnthctl_el2, x0
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
	adr	x0, el1_entry
	msr	elr_el2, x0
	isb
	eret

el1_entry:
	movz	x0, #(SCTLR_EL1_SAFE & 0xffff)
	movk	x0, #(SCTLR_EL1_SAFE >> 16), lsl #16
	msr	sctlr_el1, x0
	/* libfdt (Debian's build) uses SIMD registers. */
	mov	x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb

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
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	adrp	x0, vectors
	add	x0, x0, :lo12:vectors
	msr	vbar_el1, x0
	isb
	/* SError reports through the vectors from now on; IRQs stay masked. */
	msr	daifclr, #4
	mov	x0, x21
	bl	kmain
	bl	arch_halt

	.data
	.balign	8
	.globl	boot_el
boot_el:
	.quad	0

	.section .bss.boot_stack, "aw", %nobits
	.balign	16
boot_stack:
	.space	16384
boot_stack_top:
