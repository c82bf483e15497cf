/* A PCI config-space model for tests/pci_test.c (tests/pci_model.c).
 *
 * Functions sit on buses; a bridge's bus is reached only through the bus
 * numbers the bridge was given (secondary <= bus <= subordinate), as real
 * hardware forwards config cycles, so enumeration must number buses right.
 * BARs decode only their size's address bits (read-only type bits), bridge
 * windows implement what their flags say, command and bus numbers are
 * writable, status is read-only. A BAR written with all ones while the
 * function's decoding is on counts as a violation. */
#ifndef PLINTH_TESTS_PCI_MODEL_H
#define PLINTH_TESTS_PCI_MODEL_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/pci.h>

#define MB_IO	 0x01	/* I/O BAR (else memory) */
#define MB_IO16	 0x02	/* I/O BAR decoding 16 bits */
#define MB_64	 0x04	/* 64-bit memory BAR */
#define MB_PREF	 0x08	/* prefetchable */

#define MW_IO	 0x01	/* bridge: I/O window */
#define MW_IO32	 0x02	/* ... 32-bit */
#define MW_PREF	 0x04	/* prefetchable window */
#define MW_PREF64 0x08	/* ... 64-bit */

struct model_bus;

struct model_fn {
	uint8_t devfn;
	uint32_t cfg[1024];
	uint64_t bar_size[6];
	unsigned bar_flags[6];
	unsigned win;			/* MW_* (bridges) */
	struct model_bus *child;	/* bridges: the bus behind */
	struct model_fn *next;
};

struct model_bus {
	struct model_fn *fns;
};

struct model {
	uint8_t root;			/* number of the root bus */
	struct model_bus bus;
	unsigned violations;		/* BAR probed with decoding on */
	unsigned reads, writes;
};

void model_init(struct model *m, uint8_t root);
void model_free(struct model *m);
struct model_fn *model_fn(struct model_bus *b, unsigned dev, unsigned fn, uint16_t vendor,
			  uint16_t device, uint32_t class, uint8_t pin);
void model_bar(struct model_fn *f, unsigned i, uint64_t size, unsigned flags);
/* Make f a type 1 bridge with these windows; returns the bus behind it. */
struct model_bus *model_bridge(struct model_fn *f, unsigned win);
/* Header type bit 7 on function 0 of every multi-function device: call
 * once the functions are added. */
void model_finish(struct model_bus *b);
/* An MSI-X capability at 0x40 (sets the status bit and the pointer). */
void model_msix(struct model_fn *f);

/* The accessor the PCI core calls (ctx = struct model *). */
extern const struct pci_ops model_ops;
/* Route a config access as a host bridge would: NULL when nobody answers. */
struct model_fn *model_route(struct model *m, uint8_t bus, uint8_t devfn);

uint32_t model_rd(const struct model_fn *f, uint16_t reg);
/* The value a BAR holds now (64-bit BARs with their upper half). */
uint64_t model_bar_value(const struct model_fn *f, unsigned i);

#endif
