/* The system registers the loader reads (efi.h), out of line so that the
 * efi_*.c files hold no assembly and build on the host against a fake
 * firmware (tests/efi_fake.c provides these there).
 *
 *   uint64_t cpu_counter(void)     CNTVCT_EL0; the ISB keeps the read from
 *                                  being taken early (Arm ARM D11.2.2)
 *   uint64_t cpu_counter_hz(void)  CNTFRQ_EL0, as firmware programmed it
 *   unsigned cpu_el(void)          CurrentEL bits 3:2
 *   void cpu_halt(void)            wait for interrupts, forever */

	.text
	.globl	cpu_counter
	.hidden	cpu_counter
	.type	cpu_counter, %function
cpu_counter:
	isb
	mrs	x0, cntvct_el0
	ret
	.size	cpu_counter, . - cpu_counter

	.globl	cpu_counter_hz
	.hidden	cpu_counter_hz
	.type	cpu_counter_hz, %function
cpu_counter_hz:
	mrs	x0, cntfrq_el0
	ret
	.size	cpu_counter_hz, . - cpu_counter_hz

	.globl	cpu_el
	.hidden	cpu_el
	.type	cpu_el, %function
cpu_el:
	mrs	x0, CurrentEL
	ubfx	x0, x0, #2, #2
	ret
	.size	cpu_el, . - cpu_el

	.globl	cpu_halt
	.hidden	cpu_halt
	.type	cpu_halt, %function
cpu_halt:
	wfi
	b	cpu_halt
	.size	cpu_halt, . - cpu_halt
