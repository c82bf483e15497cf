/* The jump into the kernel, after ExitBootServices (Linux
 * Documentation/arm64/booting.rst, "Call the kernel image"):
 *
 *   void handoff(uint64_t entry, uint64_t fdt, const struct region *r, uint64_t n)
 *
 * 1. Clean and invalidate every region (Image, tree, log, initrd) to the
 *    point of coherency by D-cache line: the kernel starts with its caches
 *    off and must see what we wrote through ours, and no line of ours may
 *    linger to shadow what it writes before it turns them on.
 * 2. Invalidate the I-cache: the Image is new code at those addresses.
 * 3. Mask D, A, I, F.
 * 4. MMU and D-cache off at the current EL (EL2 or EL1: UEFI runs at the
 *    kernel's entry EL). The code keeps running because UEFI's map is the
 *    identity; nothing below touches memory, so the stack stays untouched
 *    once the cache is off.
 * 5. x0 = tree, x1 = x2 = x3 = 0, branch to the entry. */

#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define CURRENTEL_EL2	(2 << 2)

	.text
	.globl	handoff
	.type	handoff, %function
	.balign	8
handoff:
	mov	x19, x0			/* entry */
	mov	x20, x1			/* tree */
	mrs	x4, ctr_el0
	ubfx	x4, x4, #16, #4		/* DminLine: log2 of the line in words */
	mov	x5, #4
	lsl	x5, x5, x4		/* line size in bytes */
	sub	x6, x5, #1

	/* 1. every region, line by line */
1:	cbz	x3, 4f
	ldp	x7, x8, [x2], #16	/* base, size */
	add	x8, x7, x8		/* end */
	bic	x7, x7, x6
2:	cmp	x7, x8
	b.hs	3f
	dc	civac, x7
	add	x7, x7, x5
	b	2b
3:	sub	x3, x3, #1
	b	1b
4:	dsb	sy

	/* 2. I-cache */
	ic	iallu
	dsb	sy
	isb

	/* 3. exceptions masked */
	msr	daifset, #0xf

	/* 4. MMU and D-cache off */
	mrs	x4, CurrentEL
	cmp	x4, #CURRENTEL_EL2
	b.eq	5f
	mrs	x4, sctlr_el1
	bic	x4, x4, #SCTLR_M
	bic	x4, x4, #SCTLR_C
	msr	sctlr_el1, x4
	isb
	b	6f
5:	mrs	x4, sctlr_el2
	bic	x4, x4, #SCTLR_M
	bic	x4, x4, #SCTLR_C
	msr	sctlr_el2, x4
	isb

	/* 5. the Linux arm64 boot protocol */
6:	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x19
	.size	handoff, . - handoff
