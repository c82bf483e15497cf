/* The tick (timer_armv8.c): the EL1 virtual timer of the generic timer,
 * re-armed on every interrupt at TIMER_HZ on each online CPU. */
#ifndef PLINTH_TIMER_H
#define PLINTH_TIMER_H
#include <stdint.h>

#define TIMER_HZ 100

/* Ticks of the boot CPU since the timer was probed (0 before). */
uint64_t timer_jiffies(void);
/* Milliseconds since the timer was probed, from the counter (not the tick,
 * so a late or lost tick does not skew it); 0 before. */
uint64_t timer_uptime_ms(void);
/* Counter frequency in Hz (0 before the probe). */
uint64_t timer_frequency(void);
/* Each secondary CPU, after irq_cpu_init(): arm this CPU's virtual timer.
 * -PLINTH_ENODEV when no timer was probed. */
int timer_cpu_start(void);

#endif
