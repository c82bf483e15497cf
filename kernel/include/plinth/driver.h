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
 * deferred is listed with its reason.
 *
 * A bus driver may add devices (devtree_add): the PCI host bridge adds one per
 * function it enumerates, matched by pci_match tables; a node naming a PCI
 * function waits (deferred, no driver) until its bus attaches it (pci.h). */
#ifndef PLINTH_DRIVER_H
#define PLINTH_DRIVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dt.h"
#include <plinth/err.h>

struct device;
struct pci_func;

struct dt_match {
	const char *compatible;
	const void *data;		/* per-compatible variant data */
};

/* A PCI function a driver takes (pci_attach.c): by vendor/device ID, or by
 * class code (base << 16 | sub-class << 8 | prog-if) under class_mask. */
#define PCI_ANY_ID 0xffffu
struct pci_match {
	uint16_t vendor, device;	/* PCI_ANY_ID: any; vendor 0 ends the table */
	uint32_t class, class_mask;
	const void *data;		/* per-entry variant data, as dt_match */
};

struct driver {
	const char *name;
	const struct dt_match *match;	/* terminated by { NULL, NULL } */
	size_t config_size;		/* zeroed bytes allocated as dev->config */
	int (*parse)(struct device *dev);	/* optional */
	int (*probe)(struct device *dev);	/* optional */
	const struct pci_match *pci_match;	/* optional, terminated by { 0 } */
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

/* A device's reg[] and irq[] are sized from its properties, so every entry
 * is kept. The bound only stops a hostile tree from asking for megabytes per
 * node: past it the whole list is refused (reg_err / irq_err -PLINTH_ERANGE,
 * a log line with the counts, dev_reg_reason / dev_irq_reason say why). The
 * largest real list we know is a GICv3 with a redistributor region per CPU
 * (the converter writes at most 64 reg entries). */
#define DEV_MAX_REGS 256
#define DEV_MAX_IRQS 256

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
	struct device *parent;		/* the parent node's device (devtree_init); NULL for
					 * the root and for devices built by hand */
	const struct driver *drv;
	const void *match_data;
	const char *compatible;		/* the compatible string that matched */
	enum dev_state state;
	int err;			/* last negative code from parse/probe/resources */
	char reason[96];		/* human-readable: why deferred/failed */

	unsigned nreg;
	struct dev_reg *reg;		/* nreg entries (kzalloc), all of `reg` or none */
	int reg_err;			/* < 0: `reg` present but not usable */
	unsigned nirq;
	struct dev_irq *irq;		/* nirq entries (kzalloc), all or none */
	int irq_err;			/* < 0: interrupts present but unresolvable */

	void *config;			/* driver's parsed configuration */
	void *priv;			/* driver's runtime state */
	const void *provider;		/* ops this device provides to others (irq chip, ...) */
	/* A PCI function (pci.h): reg[] are its assigned BARs as CPU addresses,
	 * irq[] its INTx. node is the tree node naming it, or -1 when none does
	 * (then name is "0000:bb:dd.f"). */
	struct pci_func *pci;
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
/* Append a device a bus driver found (a PCI function): probe_all's passes
 * reach it like the tree's own. */
int devtree_add(struct devtree *dt, struct device *dev);
/* Match a PCI function: ID entries of every driver's pci_match first, then
 * class entries, then (for a function a node names) the node's compatible.
 * Sets drv and match_data; returns the pci_match entry, NULL when none (drv
 * may still be set, by compatible). */
const struct pci_match *dev_match_pci(struct device *dev, uint16_t vendor, uint16_t device,
				      uint32_t class);

/* For drivers: whether interrupt idx can be used now. 0 = its controller is
 * bound; -PLINTH_EDEFER = it will be (defer); -PLINTH_ENODEV = no driver for
 * it (run polled). */
int dev_irq_ready(struct device *dev, unsigned idx);
/* A UART's line settings from the tree: the /chosen/stdout-path options
 * ("115200n8") when the node is the console, else `current-speed`
 * (serial.yaml). baud 0 = unknown: keep the firmware's. `drv` names the
 * driver in the log line about options it cannot read. */
struct uart_line {
	uint32_t baud;
	char parity;		/* 'n', 'o', 'e' */
	uint8_t bits;		/* 5..8 */
	bool is_stdout;
};
int dev_uart_line(struct device *dev, const char *drv, struct uart_line *l);
/* Clock rate for the device (dt_clock_rate); -PLINTH_EDEFER if the provider
 * has a driver that has not bound yet. */
int dev_clock_rate(struct device *dev, const char *name, uint64_t *hz);
/* In words, why a device has no reg (reg_err < 0) or no interrupts
 * (irq_err < 0): the bus on the way up that cannot translate, the count past
 * the bound, ... As `devices` and the failure lines show it. */
void dev_reg_reason(const struct device *dev, char *buf, size_t len);
void dev_irq_reason(const struct device *dev, char *buf, size_t len);
/* Record why a device is deferred or failed (printf-style), return err. */
int dev_fail(struct device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *dev_state_name(enum dev_state s);

/* Map a physical MMIO region as Device-nGnRE before use (identity map).
 * The host build's version does nothing. */
int ioremap(uint64_t addr, uint64_t size);
/* The same as Normal Non-cacheable (write-combining), for a framebuffer:
 * stores may merge and unaligned accesses do not fault. Replaces the Device
 * mapping the driver core made of the device's reg. */
int ioremap_wc(uint64_t addr, uint64_t size);

/* Allocation for the driver core and drivers: zeroed, never freed. */
void *kzalloc(size_t size);

#endif
