/* int64_t psci_call(enum psci_conduit c, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
 *
 * SMC Calling Convention (DEN0028): function id in w0, arguments in x1..x3,
 * result in x0; x0..x17 may be clobbered, which AAPCS64 lets a callee do
 * anyway. PSCI_NONE (0) returns NOT_SUPPORTED (-1) without a call. */
#define PSCI_HVC 1
#define PSCI_SMC 2

	.text
	.globl	psci_call
	.type	psci_call, %function
psci_call:
	mov	x9, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	cmp	x9, #PSCI_HVC
	b.eq	1f
	cmp	x9, #PSCI_SMC
	b.eq	2f
	mov	x0, #-1
	ret
1:	hvc	#0
	ret
2:	smc	#0
	ret
	.size	psci_call, . - psci_call
