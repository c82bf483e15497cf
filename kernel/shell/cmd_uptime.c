/* `uptime`: time since the timer was probed (from the counter) and the tick
 * count, so a stalled tick shows as jiffies falling behind the time. */
#include <plinth/printk.h>
#include <plinth/shell.h>
#include <plinth/timer.h>

static int cmd_uptime(int argc, char **argv)
{
	uint64_t ms = timer_uptime_ms();

	(void)argc;
	(void)argv;
	if (!timer_frequency()) {
		kprintf("no timer\n");
		return 0;
	}
	kprintf("up %llu.%03llu s, %llu jiffies at %u Hz, counter %llu Hz\n",
		(unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000),
		(unsigned long long)timer_jiffies(), TIMER_HZ,
		(unsigned long long)timer_frequency());
	return 0;
}

SHELL_CMD(uptime_cmd) = {
	.name = "uptime",
	.usage = "uptime",
	.help = "time since boot and the tick count",
	.fn = cmd_uptime,
};
