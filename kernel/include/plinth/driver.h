/* The driver core. Devices come only from tree nodes whose status is okay;
 * drivers are const records in the `plinth_drivers` linker section.
 *
 * Lifecycle of one device:
 *   bind   - the core matches `compatible` (in the node's order of preference)
 *            against every driver's match table;
 *   parse  - driver->parse(dev): node -> dev->config. No MMIO, so it runs in
 *            host tests. May return -PLINTH_EDEFER (dependency not ready);
 *   probe  - driver->probe(dev): config -> hardware. May defer too.
 * The core resolves `reg` (translated, mapped) and interrupts before parse.
 * Deferred devices are retried until a pass makes no progress; what stays
 * deferred is listed with its reason. */
#ifndef PLINTH_DRIVER_H
#define PLINTH_DRIVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dt.h"
#include "err.h"

struct device;

struct dt_match {
	const char *compatible;
	const void *data;		/* per-compatible variant data */
};

struct driver {
	const char *name;
	const struct dt_match *match;	/* terminated by { NULL, NULL } */
	size_t config_size;		/* zeroed bytes allocated as dev->config */
	int (*parse)(struct device *dev);	/* optional */
	int (*probe)(struct device *dev);	/* optional */
};

#define PLINTH_DRIVER(sym) \
	static const struct driver sym \
	__attribute__((used, section("plinth_drivers"), aligned(8)))

enum dev_state {
	DEV_DISABLED,	/* status is not okay */
	DEV_NO_DRIVER,	/* no driver matches any compatible (or no compatible) */
	DEV_PENDING,	/* matched, not yet tried */
	DEV_DEFERRED,	/* parse/probe said "not yet": reason says why */
	DEV_BOUND,	/* probe succeeded */
	DEV_FAILED,	/* parse/probe failed: err and reason say why */
};

#define DEV_MAX_REGS 8
#define DEV_MAX_IRQS 8

struct dev_reg {
	uint64_t addr;		/* CPU physical address */
	uint64_t size;
};

struct dev_irq {
	struct dt_irq spec;	/* controller node + cells */
	struct device *ctrl;	/* controller's device, NULL when the node has none */
};

struct device {
	struct devtree *tree;		/* the list it belongs to (NULL if built by hand) */
	const void *fdt;
	int node;
	const char *name;		/* node name, e.g. "pl011@9000000" */
	struct device *next;		/* all devices, in tree order */
	const struct driver *drv;
	const void *match_data;
	const char *compatible;		/* the compatible string that matched */
	enum dev_state state;
	int err;			/* last negative code from parse/probe/resources */
	char reason[96];		/* human-readable: why deferred/failed */

	unsigned nreg;
	struct dev_reg reg[DEV_MAX_REGS];
	int reg_err;			/* < 0: `reg` present but not translatable */
	unsigned nirq;
	struct dev_irq irq[DEV_MAX_IRQS];
	int irq_err;			/* < 0: interrupts present but unresolvable */

	void *config;			/* driver's parsed configuration */
	void *priv;			/* driver's runtime state */
	const void *provider;		/* ops this device provides to others (irq chip, ...) */
};

/* All devices of one tree. */
struct devtree {
	const void *fdt;
	struct device *first;
	unsigned count;
	int stdout_node;		/* from /chosen/stdout-path, or < 0 */
	char stdout_opts[32];
};

/* Build a device per node (every node, so `devices` can list disabled and
 * driverless ones too), match drivers, resolve resources. */
int devtree_init(struct devtree *dt, const void *fdt);
/* Parse and probe until no progress; returns the number of devices bound. The
 * stdout-path device is tried first so the console comes up early. */
int devtree_probe_all(struct devtree *dt);
/* The kernel's own device list (main.c), for shell commands. */
struct devtree *devtree_kernel(void);
/* The device for a node offset, or NULL. */
struct device *devtree_find(struct devtree *dt, int node);

/* For drivers: whether interrupt idx can be used now. 0 = its controller is
 * bound; -PLINTH_EDEFER = it will be (defer); -PLINTH_ENODEV = no driver for
 * it (run polled). */
int dev_irq_ready(struct device *dev, unsigned idx);
/* Clock rate for the device (dt_clock_rate); -PLINTH_EDEFER if the provider
 * has a driver that has not bound yet. */
int dev_clock_rate(struct device *dev, const char *name, uint64_t *hz);
/* Record why a device is deferred or failed (printf-style), return err. */
int dev_fail(struct device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *dev_state_name(enum dev_state s);

/* Map a physical MMIO region as Device-nGnRE before use (identity map).
 * The host build's version does nothing. */
int ioremap(uint64_t addr, uint64_t size);

/* Allocation for the driver core and drivers: zeroed, never freed. */
void *kzalloc(size_t size);

#endif
