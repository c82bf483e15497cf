/* EL1 exception vectors (ARM ARM D1.10.2: 16 entries of 0x80 bytes, table
 * aligned to 2 KiB). Every entry saves a struct trap_frame (arch.h) and calls
 * trap_entry(frame, kind), kind = group * 4 + type (group: 0 current EL SP0,
 * 1 current EL SPx, 2 lower EL A64, 3 lower EL A32; type: 0 sync, 1 IRQ,
 * 2 FIQ, 3 SError). If it returns, the frame (possibly edited: arch_try's
 * way back changes ELR, x0 and the SP) is restored and we eret.
 *
 * Stacks (stacks.h): the kernel runs on SP_EL0, so an exception from it
 * (group 0) is taken on SP_EL1, this CPU's exception stack, whatever state
 * the kernel stack is in. Group 1 means we were already on SP_EL1, handling
 * an exception: that stack may be what failed, so those entries first move
 * to the CPU's emergency stack. trap_entry reports them and halts. */

#define TF_X(n)		((n) * 8)
#define TF_SP		(31 * 8)
#define TF_ELR		(32 * 8)
#define TF_SPSR		(33 * 8)
#define TF_ESR		(34 * 8)
#define TF_FAR		(35 * 8)
#define TF_SIZE		(36 * 8)	/* 288: keeps sp 16-byte aligned */

#include "plinth/smp.h"		/* CPU_BOOT_STACKS */
#include "plinth/stacks.h"

	.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X(0)]
	mov	x1, #\kind
	b	trap_common
	.endm

/* Taken on SP_EL1. No register is free and the stack may be the fault, so
 * TPIDR_EL0 and TPIDRRO_EL0 (no EL0 code runs) hold x0 and the old SP while
 * SP moves to the emergency stack: TPIDR_EL1 -> struct cpu_boot -> stack
 * block; before a record exists, the boot CPU's block. */
	.macro	ventry_spx kind
	.balign	0x80
	msr	tpidr_el0, x0
	mov	x0, sp
	msr	tpidrro_el0, x0
	mrs	x0, tpidr_el1
	cbz	x0, 1f
	ldr	x0, [x0, #CPU_BOOT_STACKS]
1:	cbnz	x0, 2f
	adrp	x0, boot_stacks
	add	x0, x0, :lo12:boot_stacks
2:	add	x0, x0, #STACK_EMERGENCY_TOP
	mov	sp, x0
	mrs	x0, tpidr_el0
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X(0)]
	mov	x1, #\kind
	b	trap_common
	.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry_spx 4
	ventry_spx 5
	ventry_spx 6
	ventry_spx 7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

trap_common:
	stp	x2, x3, [sp, #TF_X(2)]
	stp	x4, x5, [sp, #TF_X(4)]
	stp	x6, x7, [sp, #TF_X(6)]
	stp	x8, x9, [sp, #TF_X(8)]
	stp	x10, x11, [sp, #TF_X(10)]
	stp	x12, x13, [sp, #TF_X(12)]
	stp	x14, x15, [sp, #TF_X(14)]
	stp	x16, x17, [sp, #TF_X(16)]
	stp	x18, x19, [sp, #TF_X(18)]
	stp	x20, x21, [sp, #TF_X(20)]
	stp	x22, x23, [sp, #TF_X(22)]
	stp	x24, x25, [sp, #TF_X(24)]
	stp	x26, x27, [sp, #TF_X(26)]
	stp	x28, x29, [sp, #TF_X(28)]
	/* The interrupted sp: the one ventry_spx saved for kinds 4..7 (EL1h),
	 * SP_EL0 otherwise. */
	mrs	x2, tpidrro_el0
	cmp	x1, #4
	b.lo	1f
	cmp	x1, #8
	b.lo	2f
1:	mrs	x2, sp_el0
2:	stp	x30, x2, [sp, #TF_X(30)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #TF_ESR]
	mov	x0, sp
	mov	x29, xzr		/* end the frame-pointer chain here */
	bl	trap_entry

	/* Only kinds 0..3 come back (trap_entry halts on the others), so
	 * the saved sp is SP_EL0's, possibly moved by arch_try's way back. */
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldr	x2, [sp, #TF_SP]
	msr	sp_el0, x2
	ldp	x2, x3, [sp, #TF_X(2)]
	ldp	x4, x5, [sp, #TF_X(4)]
	ldp	x6, x7, [sp, #TF_X(6)]
	ldp	x8, x9, [sp, #TF_X(8)]
	ldp	x10, x11, [sp, #TF_X(10)]
	ldp	x12, x13, [sp, #TF_X(12)]
	ldp	x14, x15, [sp, #TF_X(14)]
	ldp	x16, x17, [sp, #TF_X(16)]
	ldp	x18, x19, [sp, #TF_X(18)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	ldp	x0, x1, [sp, #TF_X(0)]
	add	sp, sp, #TF_SIZE
	eret
