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
	uint32_t cpu_on;	/* CPU_ON function ID; 0 = none */
};

/* Match data: whether the node promises the 0.2+ standard function IDs. */
static const int psci_std = 1, psci_v01 = 0;

static enum psci_conduit active_conduit = PSCI_NONE;
static uint32_t active_cpu_on;

/* PSCI 0.2+ fixes CPU_ON's ID (DEN0022 5.1.4, SMC64); 0.1 names it in the
 * `cpu_on` property (psci.yaml), without which CPUs cannot be started. */
static int parse_cpu_on(struct device *dev, struct psci_config *cfg)
{
	int err;

	if (*(const int *)dev->match_data) {
		cfg->cpu_on = PSCI_CPU_ON_64;
		return 0;
	}
	err = dt_read_u32(dev->fdt, dev->node, "cpu_on", &cfg->cpu_on);
	if (err == -PLINTH_ENOENT)
		cfg->cpu_on = 0;
	else if (err < 0)
		return dev_fail(dev, err, "cpu_on unreadable");
	return 0;
}

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
	return parse_cpu_on(dev, cfg);
}

static int psci_probe(struct device *dev)
{
	const struct psci_config *cfg = dev->config;
	const char *how = cfg->conduit == PSCI_HVC ? "hvc" : "smc";
	int64_t v;

	active_conduit = cfg->conduit;
	active_cpu_on = cfg->cpu_on;
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

/* DEN0022 5.2.2: the return codes CPU_ON can give, by name. */
const char *psci_strerror(int64_t r)
{
	switch (r) {
	case 0: return "SUCCESS";
	case -1: return "NOT_SUPPORTED";
	case -2: return "INVALID_PARAMETERS";
	case -3: return "DENIED";
	case -4: return "ALREADY_ON";
	case -5: return "ON_PENDING";
	case -6: return "INTERNAL_FAILURE";
	case -7: return "NOT_PRESENT";
	case -8: return "DISABLED";
	case -9: return "INVALID_ADDRESS";
	default: return "unknown PSCI error";
	}
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	if (active_conduit == PSCI_NONE || !active_cpu_on)
		return PSCI_RET_NOT_SUPPORTED;
	return psci_call(active_conduit, active_cpu_on, mpidr, entry, ctx);
}
