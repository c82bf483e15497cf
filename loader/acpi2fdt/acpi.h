/* Private to the ACPI -> device tree converter (loader/acpi2fdt/): the
 * conversion context, the machine description the table parsers fill, and
 * the helpers they share. The public contract is acpi2fdt.h; table layouts
 * are in tables.h, the AML walker in aml.h.
 *
 * Two phases (acpi2fdt() in acpi_tables.c runs them):
 *   1. each table parser (one file and one row per table: acpi_tables.c)
 *      reads its table and records what it found in struct acpi_machine,
 *      logging every decision; no libfdt, no tree;
 *   2. acpi_emit() writes the machine once, in its final order, with
 *      libfdt's sequential-write API.
 * Variable-length parts of the description (CPUs, the GIC's regions,
 * interrupt-maps, ...) come from an arena at the top of the caller's tree
 * buffer: the converter allocates nothing else, and running out of either
 * is -FDT_ERR_NOSPACE, for the caller to convert again in a larger buffer. */
#ifndef PLINTH_ACPI2FDT_ACPI_H
#define PLINTH_ACPI2FDT_ACPI_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <plinth/dt_bindings.h>
#include "acpi2fdt.h"
#include "aml.h"
#include "tables.h"

#define ACPI_MAX_AML	64	/* the DSDT and every SSDT */
#define ACPI_MAX_UARTS	8
#define ACPI_MAX_CPUS	4096	/* beyond Linux's NR_CPUS; bounds the work on a hostile MADT */
#define ACPI_NAME_MAX	24	/* a label or alias: "uart7_clk", "pcie65535" */

/* src into dst[size], cut short if it must be, always terminated: the AML
 * walk copies paths at every object, where a printf would be most of its
 * cost. Returns the length written. */
static inline size_t str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size ? size - 1 : 0);

	if (!size)
		return 0;
	memmove(dst, src, n);
	dst[n] = 0;
	return n;
}

/* One table after acpi_table_check: readable for `len` bytes. */
struct acpi_sdt {
	const uint8_t *p;	/* NULL: absent */
	uint32_t len;
	uint8_t rev;
	char sig[5];
	const char *origin;
};

/* Bounds: `n` bytes at `off` lie within the table. */
static inline int sdt_has(const struct acpi_sdt *t, uint64_t off, uint64_t n)
{
	return off <= t->len && n <= t->len - off;
}

/* ------------------------------------------------------------- UARTs ---- */

/* A register-level UART model: what the tree's node will say. */
enum uart_kind { UART_NONE, UART_16550, UART_PL011, UART_SBSA };
/* Where a UART was named; the order is the console precedence. */
enum uart_src { SRC_SPCR, SRC_DBG2, SRC_DSDT, SRC_COUNT };

/* A UART candidate, as the tables named it. */
struct acpi_uart {
	enum uart_kind kind;
	enum uart_src src;		/* the best source naming it */
	unsigned sources;		/* bit per enum uart_src */
	char path[ACPI_PATH_MAX];	/* namespace path, "" when unknown */
	uint64_t base, size;
	int size_from_crs;		/* size came from a _CRS, not a default */
	uint32_t gsiv;			/* 0: no interrupt */
	uint32_t irq_flags;		/* DT_IRQ_* */
	uint32_t clock_hz;		/* 0: unknown */
	uint32_t baud;			/* 0: keep the firmware's setting */
	int reg_shift, io_width;	/* 16550; -1: not stated */
	int line_8n1;			/* parity none, 1 stop bit stated */
	uint64_t io_port;		/* I/O-port GAS before translation, else 0 */
};

/* A PCI I/O window: port p is at CPU address p + offset, for p in [start, end]. */
struct acpi_pio {
	uint16_t seg;
	uint64_t start, end, offset;
	unsigned pcie;			/* pcie<N> label number, for logs */
	struct acpi_pio *next;
};

/* ------------------------------------------------ machine description ---- */

/* A label (__symbols__) and the node it names, by path. */
struct acpi_sym {
	char name[ACPI_NAME_MAX];
	const char *path;		/* in the arena */
	int dead;			/* named again later: this entry is void */
	struct acpi_sym *next;
};

/* An interrupt as the tree states it: a GIC specifier. */
struct acpi_irq {
	int present;
	uint32_t spec[3];
};

struct acpi_cpus {
	int present;
	unsigned cells;			/* #address-cells: 2 when an MPIDR has Aff3 */
	unsigned n;
	uint64_t *mpidr;		/* [n], in table order */
	uint32_t phandle;
};

/* An ITS or a GICv2m frame: a child of the GIC node, in MADT order. */
struct acpi_msi_frame {
	int its;			/* 1: arm,gic-v3-its; 0: arm,gic-v2m-frame */
	uint64_t base;
	uint32_t its_id;		/* ITS: the GIC ITS ID IORT names */
	int spi_select;			/* v2m: the table overrides MSI_TYPER */
	uint32_t spi_base, spi_count;
	uint32_t phandle;		/* 0 until something refers to it */
	struct acpi_msi_frame *next;
};

struct acpi_gic {
	int present;
	int version;			/* the binding: 2 or 3 */
	uint64_t base;			/* GICD */
	uint64_t *reg;			/* [2 * nreg]: base, size pairs */
	unsigned nreg, nredist;
	struct acpi_irq maint;		/* the virtualisation maintenance interrupt */
	struct acpi_msi_frame *frames;
	unsigned nits;			/* ITS frames among them */
	uint32_t phandle;
};

struct acpi_timer {
	int present;
	uint32_t spec[12];		/* secure, non-secure, virtual EL1, EL2 */
	int always_on;
	uint32_t phandle;
};

/* A PCIe host bridge, one per MCFG entry converted. */
struct acpi_pcie {
	unsigned n;			/* pcie<n> */
	uint64_t reg[2];
	uint32_t bus_start, bus_end;
	uint16_t seg;
	uint32_t phandle;
	int dma_coherent;
	uint32_t *ranges;		/* 7 cells an entry */
	unsigned nranges;
	uint32_t *imap;			/* interrupt-map, 10 cells an entry */
	unsigned nimap;
	int enabled;			/* device_type "pci"; else status "disabled" */
	uint32_t *msi_map;		/* 4 cells an entry */
	unsigned nmsi_map;
	uint32_t msi_parent;		/* phandle, 0: none */
	struct acpi_pcie *next;
};

/* A UART node, in alias order (serial<n>): uart0 is the console. */
struct acpi_serial {
	const struct acpi_uart *u;
	unsigned n;
	enum uart_kind kind;		/* what the node is (a PL011 without a clock: SBSA) */
	uint64_t reg[2];
	struct acpi_irq irq;
	uint32_t speed;			/* SBSA: current-speed */
	uint32_t clock_phandle;		/* PL011: its fixed clock's */
	uint32_t phandle;
	struct acpi_serial *next;
};

struct acpi_machine {
	char model[32];
	struct { int present, hvc; uint32_t phandle; } psci;
	struct acpi_cpus cpus;
	struct acpi_gic gic;
	struct acpi_irq pmu;
	struct acpi_timer timer;
	struct acpi_pcie *pcie, **pcie_tail;
	unsigned npcie;
	struct acpi_serial *serial, **serial_tail;
	char stdout_path[32];		/* "" when no console */
	struct acpi_sym *syms, **syms_tail;
};

/* What the one walk of the namespace records (acpi_dsdt.c), for the
 * parsers after it: the devices with a UART or a host bridge ID (the
 * device's body kept when the ID sits in it), and every Device, by path. */
struct acpi_found_dev {
	char id[12];
	struct aml_obj obj;
	struct acpi_found_dev *next;
};

struct acpi_dev_ref {			/* a Device the namespace walk saw */
	const char *path;
	const struct acpi_sdt *table;
	const uint8_t *body;		/* its TermList */
	uint32_t off, len;		/* of its opcode; of the TermList */
	struct acpi_dev_ref *next;
};

/* ------------------------------------------------------------ context ---- */

struct acpi_ctx {
	const struct plinth_log *log;
	struct acpi2fdt_result *res;
	/* The tables by row (acpi_tables.c), checked; the DSDT and SSDTs. */
	const struct acpi_sdt *table[16];
	struct acpi_sdt aml[ACPI_MAX_AML];
	unsigned naml;
	/* The arena: [lo, hi) of the caller's buffer, taken from the top. */
	uint8_t *lo, *hi;
	int nospace;			/* an allocation failed */
	uint32_t next_phandle;
	/* What earlier parsers decided, for later ones. */
	struct acpi_machine m;
	unsigned ncpus;
	struct acpi_pio *pio;		/* I/O windows of the host bridges */
	struct acpi_found_dev *uarts, *bridges;	/* the namespace walk's (acpi_dsdt.c) */
	struct acpi_dev_ref *devices;
	struct acpi_uart uart[ACPI_MAX_UARTS];
	unsigned nuart;
	unsigned aml_devices;		/* devices seen by the first AML walk */
};

/* The OEM IDs seen across the tables (acpi_oem.c): classify notes each
 * table; acpi_oem_identify then names the machine from them. */
#define OEM_MAX_IDS	4	/* distinct OEM IDs remembered */
#define OEM_MAX_SIGS	12	/* signatures remembered per OEM ID */

struct oem_id {
	char id[7];			/* trailing spaces and NULs trimmed */
	char sig[OEM_MAX_SIGS][5];
	unsigned nsig, more_sigs;
};

struct oem_ids {
	struct oem_id row[OEM_MAX_IDS];
	unsigned n, more;		/* more: IDs past the rows */
	struct acpi_sdt first, root;	/* .p NULL: none seen */
};
void acpi_oem_note(struct oem_ids *o, const struct acpi_sdt *t);
void acpi_oem_identify(struct acpi_ctx *c, struct oem_ids *o);

/* The table of a row's signature ("SPCR"), or NULL when absent. */
const struct acpi_sdt *acpi_table(const struct acpi_ctx *c, const char *sig);

/* ------------------------------------------------------------ helpers ---- */

/* Log "fdt: " + the formatted text as one line. */
void acpi_log(struct acpi_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* n bytes of the arena, zeroed and 8-aligned; NULL (and c->nospace set)
 * when the buffer is too small: the caller converts again in a larger one. */
void *acpi_alloc(struct acpi_ctx *c, size_t n);
/* A copy of a formatted string in the arena; NULL when it does not fit. */
const char *acpi_strdup(struct acpi_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Label the node at `path`: an entry in /__symbols__ and a phandle for the
 * node, *phandle, unless it has one (the contract's labels get fixed ones:
 * gic 1, cpus 2, psci 3, timer 4, so a tree's numbering does not depend on
 * which tables were present; the rest count up in the order they are
 * labelled). A label given again (`again`) moves to the end, where the
 * last one given is. 0, or -FDT_ERR_NOSPACE. */
int acpi_label(struct acpi_ctx *c, const char *label, const char *path, uint32_t *phandle,
	       int again);

/* A GIC interrupt specifier <type number flags> for a GSIV (arm,gic.yaml and
 * arm,gic-v3.yaml). `flags` are DT trigger flags; SPIs only take level-high
 * and rising edge, so an active-low SPI is normalised (*normalised set).
 * -PLINTH_ERANGE when the GSIV is not a PPI, SPI, EPPI or ESPI. */
int acpi_gic_spec(const struct acpi_ctx *c, uint32_t gsiv, uint32_t flags, uint32_t spec[3],
		  int *normalised);
/* Format a GSIV for logs: "GSIV 33 (SPI 1)". */
const char *acpi_gsiv_str(uint32_t gsiv, char *buf, size_t size);
/* An interrupt for the tree from a GSIV when a GIC exists; logs why not
 * otherwise. 1 when irq was filled, 0 when not. */
int acpi_interrupt(struct acpi_ctx *c, struct acpi_irq *irq, const char *who, uint32_t gsiv,
		   uint32_t flags);

/* The node name / log name of an SPCR interface type or DBG2 serial subtype,
 * and the UART model it maps to (UART_NONE: not supported). */
enum uart_kind acpi_uart_kind(unsigned type, const char **name);
const char *acpi_uart_compatible(enum uart_kind k);
/* Register shift and width of a 16550 from a GAS (access-size code, else
 * the bit width: for code 0, and for a code above 4, logged as "<who>: GAS
 * access size code 0x.. invalid ..."); -PLINTH_ENOTSUP for a size it cannot
 * take. */
int acpi_gas_16550_width(struct acpi_ctx *c, const char *who, const uint8_t *gas, int *shift,
			 int *width);
/* Translate an I/O port through a known PCI I/O window of segment `seg`:
 * the pcie<N> number, or -PLINTH_ENOENT. */
int acpi_pio_translate(const struct acpi_ctx *c, unsigned seg, uint64_t port, uint64_t *cpu);
/* Add a UART candidate, merging it into one already known at the same base.
 * Returns its index, or -PLINTH_ENOMEM when the table is full. */
int acpi_uart_add(struct acpi_ctx *c, const struct acpi_uart *u, const char *who);
void acpi_uart_init(struct acpi_uart *u, enum uart_kind kind, enum uart_src src);

/* ----------------------------------------------------------- parsers ---- */

/* The table parsers, one file each, run in the order of acpi_tables.c's
 * rows. `t` is the row's table (NULL: absent; the DSDT row gets NULL and
 * reads c->aml). Each returns 0 (used), ACPI_SKIPPED (refused, with a log
 * line: counted as skipped) or -FDT_ERR_NOSPACE (the arena is full). */
#define ACPI_SKIPPED 1
int acpi_fadt(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_madt(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_gtdt(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_dsdt(struct acpi_ctx *c, const struct acpi_sdt *t);	/* the UART scan */
int acpi_mcfg(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_spcr(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_dbg2(struct acpi_ctx *c, const struct acpi_sdt *t);
int acpi_console(struct acpi_ctx *c, const struct acpi_sdt *t);	/* precedence, UART nodes */
int acpi_iort(struct acpi_ctx *c, const struct acpi_sdt *t);	/* after MADT and MCFG */

/* What a device's static objects say (acpi_dsdt.c). */
struct acpi_devinfo {
	int crs;			/* 1 static, 0 absent, -1 a method */
	int sta;			/* 1 present, 0 absent, 2 _STA is a method */
	int have_mem;
	uint64_t base, size;
	int have_irq;
	uint32_t gsiv, irq_flags;
	uint64_t clock_hz;		/* 0: no _DSD clock-frequency */
	int reg_shift, io_width;	/* _DSD; -1: absent */
};
/* `dev` is the device's path; `where`, when known, the device object (its
 * body is searched first, then the whole namespace). */
void acpi_devinfo(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		  struct acpi_devinfo *di);
/* The object `dev`.`seg` ("_CRS"), when declared: in the device's body
 * when it is known, else anywhere. 1 found, 0 not. */
int acpi_dev_child(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		   const char *seg, struct aml_obj *o);
/* A static integer child (_SEG, _BBN, _CCA): 1 got it, 0 absent, -1 a
 * method or not an integer. */
int acpi_dev_integer(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		     const char *seg, uint64_t *v);
/* The devices whose path ends in `suffix` ("COM0", "PCI0.COM0"), among
 * those the namespace walk recorded: how many; with exactly one, its path
 * is in out. */
int acpi_find_device_suffix(const struct acpi_ctx *c, const char *suffix, char *out, size_t size);
/* The Device at an absolute path among those the namespace walk recorded,
 * as aml_find would report it: 1 and *out, or 0. No walk. */
int acpi_device_at(const struct acpi_ctx *c, const char *path, struct aml_obj *out);

/* The host bridge facts for one MCFG node (acpi_pci_host.c): dma-coherent,
 * ranges and the I/O window, interrupt-map; p->enabled when ranges were
 * found. 0, or -FDT_ERR_NOSPACE. */
int acpi_host_bridge(struct acpi_ctx *c, struct acpi_pcie *p);

/* ------------------------------------------------------------- emit ---- */

/* Phase 2 (acpi_emit.c): the machine as a tree in buf[0..size), finished
 * (fdt_finish). *nodes: how many. 0 or a negative libfdt code. */
int acpi_emit(const struct acpi_machine *m, void *buf, size_t size, unsigned *nodes);

#endif
