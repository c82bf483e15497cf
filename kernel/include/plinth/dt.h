/* Device-tree helpers on top of libfdt: address translation, interrupt
 * specifiers, clocks, stdout-path. Pure functions of the blob: no MMIO, no
 * allocation, no globals, so they run the same in the kernel and on the host.
 * All return 0 (or a count) on success and a negative plinth/libfdt code. */
#ifndef PLINTH_DT_H
#define PLINTH_DT_H
#include <stdbool.h>
#include <stddef.h>
#include <plinth/dt_check.h>
#include <stdint.h>

#define DT_MAX_ADDR_CELLS 4	/* bound on #address-cells (DT spec allows up to 4 in practice) */
#define DT_MAX_IRQ_CELLS 4	/* bound on #interrupt-cells we accept */

/* Cell counts a node's children use: #address-cells defaults to 2,
 * #size-cells to 1 (DT spec 2.3.5); values outside 0..4 / 0..2 are -PLINTH_EINVAL. */
int dt_addr_cells(const void *fdt, int node);
int dt_size_cells(const void *fdt, int node);

/* Number of (address, size) entries in node's `reg`, or a negative code. */
int dt_reg_count(const void *fdt, int node);

/* Entry idx of `reg`, translated to a CPU physical address through every
 * parent's `ranges` (empty `ranges` = identity; no `ranges` = not
 * memory-mapped, -PLINTH_ENOTMAPPED). Never returns a partial translation. */
int dt_reg(const void *fdt, int node, unsigned idx, uint64_t *addr, uint64_t *size);
/* The same with the node's parent offset given (the driver core records it
 * in its one pass over the tree; fdt_parent_offset walks from the root). */
int dt_reg_count_in(const void *fdt, int node, int parent);
int dt_reg_in(const void *fdt, int node, int parent, unsigned idx, uint64_t *addr, uint64_t *size);

/* Translate a bus address given in `na` cells, as seen by children of `bus`,
 * to a CPU physical address. */
int dt_translate(const void *fdt, int bus, const uint32_t *cells, int na, uint64_t *out);

/* One resolved interrupt: the controller node and its specifier cells. */
struct dt_irq {
	int ctrl;			/* node offset of the interrupt controller */
	uint32_t ncells;		/* its #interrupt-cells */
	uint32_t cells[DT_MAX_IRQ_CELLS];
};

/* Number of interrupts the node has (`interrupts-extended` or `interrupts`). */
int dt_irq_count(const void *fdt, int node);
/* Interrupt idx of node, through interrupt-parent (inherited), `interrupts`,
 * `interrupts-extended`, and `interrupt-map` nexus nodes. */
int dt_irq(const void *fdt, int node, unsigned idx, struct dt_irq *out);

/* Resolve a unit interrupt specifier as `parent` (a nexus or a controller)
 * sees it: addr is the asker's unit address (naddr cells, 0..4), spec its
 * interrupt specifier (nspec cells). What dt_irq does once it has found the
 * parent; lets a bus resolve interrupts of devices no node describes (PCI
 * INTx, core/pci_irq.c). */
int dt_irq_resolve(const void *fdt, int parent, const uint32_t *addr, int naddr,
		   const uint32_t *spec, int nspec, struct dt_irq *out);

/* PCI bus binding (IEEE 1275 PCI supplement 2.2.1): is node a PCI bus
 * (device_type "pci" or "pciex")? */
bool dt_is_pci_bus(const void *fdt, int node);
/* A node naming a PCI function: its parent is a PCI bus and its reg starts
 * with a config-space address, phys.hi = 00000000 bbbbbbbb dddddfff 00000000,
 * phys.mid = phys.lo = 0 (`serial@2,0 { reg = <0x1000 0 0 0 0>; }` is bus 0
 * device 2 function 0). Returns bus << 8 | devfn; -PLINTH_ENOENT when the
 * parent is not a PCI bus or there is no reg; -PLINTH_EINVAL when reg is not
 * such an address. */
int dt_pci_devfn(const void *fdt, int node);
/* The same with node's parent offset given (see dt_reg_in). */
int dt_pci_devfn_in(const void *fdt, int node, int parent);

/* Node that `phandle` names, or a negative code. */
int dt_node_by_phandle(const void *fdt, uint32_t phandle);

/* Read a 1- or 2-cell integer property. */
int dt_read_u64(const void *fdt, int node, const char *prop, uint64_t *out);
int dt_read_u32(const void *fdt, int node, const char *prop, uint32_t *out);

/* True when `status` is absent, "okay" or "ok". */
bool dt_node_enabled(const void *fdt, int node);

/* Rate of the node's clock: `clock-frequency`, else its `clocks` entry
 * (`name` picks through `clock-names`; NULL = first) when that names a
 * `fixed-clock`. -PLINTH_ENOENT: no clock; -PLINTH_ENOTSUP: another provider. */
int dt_clock_rate(const void *fdt, int node, const char *name, uint64_t *hz);
/* The provider node of the node's `clocks` entry (`name` as above), or a
 * negative code; lets the driver core tell whether the provider is bound. */
int dt_clock_provider(const void *fdt, int node, const char *name);

/* /chosen/stdout-path (or linux,stdout-path): node offset of the console, the
 * path resolved through /aliases when it does not start with '/'. `opts`
 * receives the part after ':' ("" when none). */
int dt_stdout(const void *fdt, int *node, char *opts, size_t optlen);

/* Serial options "115200n8r" (baud, parity n/o/e, bits, 'r' = RTS/CTS). Missing
 * fields keep what the caller set. */
struct uart_opts {
	uint32_t baud;		/* 0 = unknown: keep the firmware's setting */
	char parity;		/* 'n', 'o', 'e' */
	uint8_t bits;		/* 5..8 */
	bool flow;		/* RTS/CTS */
};
int dt_parse_uart_opts(const char *s, struct uart_opts *o);

/* Full path of a node into buf, as fdt_get_path; "?" on error. */
const char *dt_path(const void *fdt, int node, char *buf, size_t len);

#endif
