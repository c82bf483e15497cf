/* The way back for arch_try (exceptions.c): fault_setjmp saves what the
 * AAPCS64 says a callee keeps (x19..x30, sp) and returns 0; an exception
 * handler that wants the caller back sets ELR to fault_resume, x0 to the
 * buffer, and erets there: the saved registers come back and fault_setjmp
 * returns 1 a second time. */

	.text
	.globl	fault_setjmp
	.type	fault_setjmp, %function
fault_setjmp:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	mov	x0, #0
	ret
	.size	fault_setjmp, . - fault_setjmp

	.globl	fault_resume
	.type	fault_resume, %function
fault_resume:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x1, [x0, #96]
	mov	sp, x1
	mov	x0, #1
	ret
	.size	fault_resume, . - fault_resume
