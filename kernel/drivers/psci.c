/* PSCI (DEN0022) through the /psci node. The binding
 * (Documentation/devicetree/bindings/arm/psci.yaml) names the conduit in
 * `method`; "arm,psci" alone is PSCI 0.1, whose function IDs are per-platform
 * properties and which has no PSCI_VERSION, SYSTEM_OFF or SYSTEM_RESET. */
#include <libfdt.h>
#include <string.h>
#include "plinth/driver.h"
#include "plinth/printk.h"
#include "plinth/psci.h"

struct psci_config {
	enum psci_conduit conduit;
};

/* Match data: whether the node promises the 0.2+ standard function IDs. */
static const int psci_std = 1, psci_v01 = 0;

static enum psci_conduit active_conduit = PSCI_NONE;

static int psci_parse(struct device *dev)
{
	struct psci_config *cfg = dev->config;
	const char *m;
	int len;

	m = fdt_getprop(dev->fdt, dev->node, "method", &len);
	if (!m)
		return dev_fail(dev, len == -FDT_ERR_NOTFOUND ? -PLINTH_ENOENT : len,
				"no method property");
	if (len < 1 || strnlen(m, len) != (size_t)len - 1)
		return dev_fail(dev, -PLINTH_EINVAL, "method is not a string (%d bytes)", len);
	if (strcmp(m, "hvc") == 0)
		cfg->conduit = PSCI_HVC;
	else if (strcmp(m, "smc") == 0)
		cfg->conduit = PSCI_SMC;
	else
		return dev_fail(dev, -PLINTH_EINVAL, "method \"%s\" unknown", m);
	return 0;
}

static int psci_probe(struct device *dev)
{
	const struct psci_config *cfg = dev->config;
	const char *how = cfg->conduit == PSCI_HVC ? "hvc" : "smc";
	int64_t v;

	active_conduit = cfg->conduit;
	if (!*(const int *)dev->match_data) {
		kprintf("psci: 0.1 via %s: no SYSTEM_OFF/SYSTEM_RESET\n", how);
		return 0;
	}
	v = psci_call(cfg->conduit, PSCI_VERSION, 0, 0, 0);
	if (v < 0) {
		/* A PSCI_VERSION failure is a firmware answer, not a bad node. */
		kprintf("psci: PSCI_VERSION via %s failed: %lld\n", how, (long long)v);
		return 0;
	}
	kprintf("psci: version %u.%u via %s\n", (unsigned)(v >> 16) & 0x7fff,
		(unsigned)v & 0xffff, how);
	return 0;
}

static const struct dt_match psci_match[] = {
	{ "arm,psci-1.0", &psci_std },
	{ "arm,psci-0.2", &psci_std },
	{ "arm,psci", &psci_v01 },
	{ NULL, NULL },
};

PLINTH_DRIVER(psci_driver) = {
	.name = "psci",
	.match = psci_match,
	.config_size = sizeof(struct psci_config),
	.parse = psci_parse,
	.probe = psci_probe,
};

enum psci_conduit psci_conduit(void)
{
	return active_conduit;
}

static int psci_system(uint32_t fn, const char *what)
{
	int64_t r;

	if (active_conduit == PSCI_NONE) {
		kprintf("psci: %s: no PSCI (no bound /psci node)\n", what);
		return -PLINTH_ENODEV;
	}
	r = psci_call(active_conduit, fn, 0, 0, 0);
	kprintf("psci: %s failed: %lld\n", what, (long long)r);
	return -PLINTH_EIO;
}

int psci_system_off(void)
{
	return psci_system(PSCI_SYSTEM_OFF, "SYSTEM_OFF");
}

int psci_system_reset(void)
{
	return psci_system(PSCI_SYSTEM_RESET, "SYSTEM_RESET");
}
