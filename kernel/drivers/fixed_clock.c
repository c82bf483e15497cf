/* "fixed-clock" (DT binding clock/fixed-clock.yaml): a clock that just is.
 * Binding it lets `devices` show clock nodes as bound and lets consumers'
 * dev_clock_rate() wait for it; the rate itself is read by dt_clock_rate(). */
#include <plinth/driver.h>

struct fixed_clock_config {
	uint64_t hz;
};

static int fixed_clock_parse(struct device *dev)
{
	struct fixed_clock_config *cfg = dev->config;
	int rc = dt_read_u64(dev->fdt, dev->node, "clock-frequency", &cfg->hz);

	if (rc == -PLINTH_ENOENT)	/* required by the binding */
		return dev_fail(dev, -PLINTH_EINVAL, "clock-frequency missing");
	if (rc < 0)
		return dev_fail(dev, rc, "clock-frequency unreadable (%s)", plinth_strerror(rc));
	if (cfg->hz == 0)
		return dev_fail(dev, -PLINTH_EINVAL, "clock-frequency is 0");
	return 0;
}

static const struct dt_match fixed_clock_match[] = {
	{ "fixed-clock", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(fixed_clock_driver) = {
	.name = "fixed-clock",
	.match = fixed_clock_match,
	.config_size = sizeof(struct fixed_clock_config),
	.parse = fixed_clock_parse,
};
