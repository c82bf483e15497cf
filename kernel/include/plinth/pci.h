/* The PCI core: enumeration, resource assignment, INTx and MSI routing, and
 * the step that turns enumerated functions into driver-core devices.
 *
 *   pci_host_parse  - the host bridge node -> struct pci_host_config (bus-range,
 *                     `ranges` windows, /chosen/linux,pci-probe-only). Pure.
 *   pci_scan        - walk the buses from the first in bus-range through every
 *                     bridge (secondary/subordinate numbers set), read IDs and
 *                     classes, size BARs and find which bridge windows exist.
 *   pci_assign      - give BARs and bridge windows bus addresses from the host
 *                     windows (after a direct boot: everything; with
 *                     linux,pci-probe-only: only what firmware left unassigned).
 *   pci_attach      - a struct device per function (the tree node naming it
 *                     when there is one), BARs as translated reg entries,
 *                     INTx, a driver by ID/class table; decoding and bus
 *                     mastering on for every function a driver will bind.
 *
 * Config space is reached only through struct pci_ops (the ECAM driver's, or a
 * model in the host tests). Register offsets: PCI Local Bus 3.0, 6.1 (type 0)
 * and PCI-to-PCI Bridge Architecture 1.2, 3.2 (type 1). */
#ifndef PLINTH_PCI_H
#define PLINTH_PCI_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/dt_bindings.h>
#include "driver.h"
#include "dt.h"

/* ---- config space ---- */
#define PCI_VENDOR_ID		0x00	/* 16: vendor, 16: device */
#define PCI_COMMAND		0x04	/* 16: command, 16: status (RW1C) */
#define PCI_CLASS_REVISION	0x08	/* 8: revision, 24: class code */
#define PCI_HEADER_TYPE		0x0e	/* in the dword at 0x0c */
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_INTERRUPT		0x3c	/* 8: line, 8: pin, ... */
/* type 1 */
#define PCI_BUS_NUMBERS		0x18	/* primary, secondary, subordinate, latency */
#define PCI_IO_BASE_LIMIT	0x1c	/* 8: base, 8: limit, 16: secondary status (RW1C) */
#define PCI_MEM_BASE_LIMIT	0x20
#define PCI_PREF_BASE_LIMIT	0x24
#define PCI_PREF_BASE_UPPER	0x28
#define PCI_PREF_LIMIT_UPPER	0x2c
#define PCI_IO_UPPER		0x30	/* 16: base bits 31:16, 16: limit bits 31:16 */

#define PCI_CMD_IO		0x0001
#define PCI_CMD_MEM		0x0002
#define PCI_CMD_MASTER		0x0004
#define PCI_CMD_INTX_DISABLE	0x0400
#define PCI_STATUS_CAP_LIST	0x0010

#define PCI_CAP_MSI		0x05
#define PCI_CAP_MSIX		0x11

#define PCI_DEVFN(dev, fn)	((uint8_t)(((dev) << 3) | (fn)))
#define PCI_SLOT(devfn)		((devfn) >> 3)
#define PCI_FUNC(devfn)		((devfn) & 7)

#define PCI_MAX_BARS	6
#define PCI_MAX_WINDOWS	8	/* `ranges` entries of one host bridge */
#define PCI_MAX_FUNCS	256	/* per host: bounds what a broken ECAM can make us allocate */
/* The first I/O port handed out: ports below 0x1000 are the legacy ISA range
 * (Linux's PCIBIOS_MIN_IO), and port 0 is how an unassigned BAR reads. */
#define PCI_MIN_IO	0x1000

/* Dword access to register reg (0..4092, 4-aligned) of function devfn on
 * bus. A function that is not there reads as all ones. */
struct pci_ops {
	uint32_t (*read)(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg);
	void (*write)(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg, uint32_t val);
};

/* A window's phys.hi space code (PCI bus binding 2.2.1.1), as a number:
 * the field of dt_bindings.h shifted down. */
#define PCI_SPACE_OF(phys_hi)	(((phys_hi) & DT_PCI_SPACE_MASK) >> DT_PCI_SPACE_SHIFT)
enum pci_space {
	PCI_SPACE_CONFIG = DT_PCI_SPACE_CONFIG >> DT_PCI_SPACE_SHIFT,
	PCI_SPACE_IO = DT_PCI_SPACE_IO >> DT_PCI_SPACE_SHIFT,
	PCI_SPACE_MEM32 = DT_PCI_SPACE_MEM32 >> DT_PCI_SPACE_SHIFT,
	PCI_SPACE_MEM64 = DT_PCI_SPACE_MEM64 >> DT_PCI_SPACE_SHIFT,
};

/* One host bridge window, from an entry of `ranges`. */
struct pci_window {
	enum pci_space space;
	bool pref;		/* phys.hi DT_PCI_PREFETCHABLE */
	uint64_t bus;		/* bus address of the first byte */
	uint64_t cpu;		/* the CPU address it translates to */
	uint64_t size;
};

struct pci_host_config {
	uint8_t bus_start, bus_end;	/* bus-range (default 0..255) */
	uint16_t domain;		/* linux,pci-domain, else 0 */
	unsigned nwin;
	struct pci_window win[PCI_MAX_WINDOWS];
	bool probe_only;		/* /chosen/linux,pci-probe-only = <1> */
};

/* A resource of a function: one of its BARs, or one of a bridge's windows. */
enum {
	PCI_RES_BAR0 = 0,		/* .. PCI_RES_BAR0 + 5 */
	PCI_RES_WIN_IO = PCI_MAX_BARS,	/* bridges: I/O, memory, prefetchable windows */
	PCI_RES_WIN_MEM,
	PCI_RES_WIN_PREF,
	PCI_NRES
};

#define PCI_RES_IO	0x01	/* I/O space (else memory) */
#define PCI_RES_PREF	0x02	/* prefetchable */
#define PCI_RES_64	0x04	/* 64-bit BAR / 64-bit prefetchable window */
#define PCI_RES_IMPL	0x08	/* bridge window: the bridge implements it */
#define PCI_RES_IO16	0x10	/* I/O limited to 16-bit ports */

struct pci_res {
	uint64_t size;		/* 0: BAR not implemented / window not needed */
	uint64_t align;
	uint64_t bus;		/* bus address, valid when assigned */
	uint64_t cpu;		/* CPU address, valid when assigned */
	uint8_t flags;		/* PCI_RES_* */
	int8_t target;		/* which window of its bus holds it (pci_assign.c) */
	bool assigned;
	bool firmware;		/* kept as firmware left it (probe-only) */
};

struct pci_host;

struct pci_func {
	struct pci_host *host;
	struct pci_func *next;		/* all functions of the host, in scan order */
	struct pci_func *up;		/* the bridge above it; NULL on the root bus */
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint32_t class;			/* base << 16 | sub-class << 8 | prog-if */
	uint8_t revision, hdr_type, pin;	/* pin: 0 none, 1..4 INTA..INTD */
	bool bridge;			/* type 1 header */
	uint8_t secondary, subordinate;	/* bridges: the buses behind it (0: none) */
	uint8_t caps;			/* PCI_HAS_MSI / PCI_HAS_MSIX */
	unsigned nbar;			/* 6 (type 0), 2 (type 1), 0 (other) */
	struct pci_res res[PCI_NRES];
	/* attach (pci_attach.c) */
	int node;			/* the tree node naming it, or -1 */
	struct device *dev;
	uint8_t reg_res[PCI_MAX_BARS];	/* dev->reg[i] is res[reg_res[i]] */
	int intx_err;			/* 0: intx holds its routed INTx */
	struct dt_irq intx;
	char name[16];			/* "0000:00:02.0" */
	char compat[24];		/* "pci1b36,2" / "pciclass,070002" */
};

#define PCI_HAS_MSI	0x01
#define PCI_HAS_MSIX	0x02

struct pci_host {
	struct pci_host_config cfg;
	const struct pci_ops *ops;
	void *ctx;
	const void *fdt;
	int node;			/* the host bridge node */
	struct pci_func *funcs;
	unsigned nfuncs;
	uint8_t last_bus;		/* highest bus number in use */
	bool full;			/* PCI_MAX_FUNCS reached: the scan stopped */
	struct pci_host *next;		/* registered hosts (pci_host_register) */
};

/* ---- pci.c ---- */

/* bus-range, ranges and probe-only from the host node. -PLINTH_EINVAL (with a
 * log line) on a malformed property or when no window is usable; a window
 * that is not (config space, empty, untranslatable) is skipped with a line. */
int pci_host_parse(const void *fdt, int node, struct pci_host_config *cfg);
/* Enumerate (see above). Returns the number of functions found. */
int pci_scan(struct pci_host *h);
/* Find the capability list entries pci.h knows (sets f->caps). */
void pci_read_caps(struct pci_host *h, struct pci_func *f);

uint32_t pci_read(const struct pci_host *h, const struct pci_func *f, uint16_t reg);
void pci_write(const struct pci_host *h, const struct pci_func *f, uint16_t reg, uint32_t v);
/* Write a 16-bit command register value, leaving the status bits (RW1C) alone. */
void pci_write_command(const struct pci_host *h, const struct pci_func *f, uint16_t cmd);

/* CPU address of a bus address in the given space (through the host's
 * `ranges`); -PLINTH_ENOTMAPPED outside every window. */
int pci_bus_to_cpu(const struct pci_host *h, bool io, uint64_t bus, uint64_t size, uint64_t *cpu);

/* Shell listing: hosts are registered by their driver once enumerated. */
void pci_host_register(struct pci_host *h);
struct pci_host *pci_hosts(void);
/* "serial (16550)", "PCI bridge", ... or "class" when unknown. */
const char *pci_class_name(uint32_t class);
/* "bus:dev.fn" into buf (at least 8 bytes). */
const char *pci_bdf(const struct pci_func *f, char *buf, unsigned len);

/* ---- pci_assign.c ---- */

/* Assign bus addresses (see above), program BARs and bridge windows.
 * Returns the number of resources that needed space and got none. */
int pci_assign(struct pci_host *h);

/* ---- pci_irq.c ---- */

/* INTx of a function no node describes: the pin, swizzled across every
 * bridge without an interrupt-map of its own (PCI-to-PCI Bridge 1.2, 9.1),
 * then through the interrupt-map of the host (or of that bridge's node) with
 * the unit address built from bus/devfn. -PLINTH_ENOENT: no pin. */
int pci_intx(const struct pci_host *h, const struct pci_func *f, struct dt_irq *out);
/* The MSI controller a function's MSIs would go to: `msi-map` (rid-base,
 * controller, msi-base, length; `msi-map-mask`) or `msi-parent` of the host
 * node or an ancestor. *ctrl = controller node, *id = the DeviceID/sideband
 * it would carry (for msi-parent: the RID). -PLINTH_ENOENT: none named. */
int pci_msi(const struct pci_host *h, const struct pci_func *f, int *ctrl, uint32_t *id);
/* "GICv2m frame", "GICv3 ITS" or the controller's first compatible. */
const char *pci_msi_kind(const void *fdt, int ctrl);

/* ---- pci_attach.c ---- */

/* Devices for every function into dt (see above). Returns the number of
 * functions a driver was matched for. */
int pci_attach(struct pci_host *h, struct devtree *dt);
/* Memory/I/O decoding (for the BARs it has) and bus mastering on, for f and
 * every bridge above it; INTx unmasked when it has a routed pin. */
void pci_enable(struct pci_host *h, struct pci_func *f);

#endif
