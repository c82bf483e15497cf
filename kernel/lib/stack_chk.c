/* Stack protector support for Debian's libfdt.a, which is built with
 * -fstack-protector-strong (the kernel's own C is not). A fixed guard: there
 * is no entropy this early, and it only has to catch accidents. Its low byte
 * is zero so a string overrun stops at it. */
#include <stdint.h>
#include "plinth/arch.h"
#include "plinth/printk.h"

uintptr_t __stack_chk_guard = 0x2f8a5c93e1b7d400ull;

__attribute__((noreturn)) void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	kprintf("stack smashing detected (return address %p)\n", __builtin_return_address(0));
	arch_halt();
}
