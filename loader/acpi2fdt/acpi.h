/* Private to the ACPI -> device tree converter (loader/acpi_*.c): table
 * layouts, the conversion context, and the helpers the per-table converters
 * share. The public contract is acpi2fdt.h.
 *
 * Table fields are read only through the le*() loads below, after a bounds
 * check against the table's checked length: ACPI is little-endian, tables are
 * hostile, and the loader is built with -mstrict-align, so a table pointer is
 * never cast to a struct. Offsets are from ACPI 6.5 and the Microsoft SPCR and
 * DBG2 specifications; each is named after its field. */
#ifndef PLINTH_LOADER_ACPI_H
#define PLINTH_LOADER_ACPI_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "acpi2fdt.h"

/* ------------------------------------------------------------ byte order ---- */

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

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ------------------------------------------------------- table layouts ---- */

/* System description table header (ACPI 6.5 5.2.6). */
#define SDT_SIGNATURE		0
#define SDT_LENGTH		4
#define SDT_REVISION		8
#define SDT_CHECKSUM		9
#define SDT_OEM_ID		10	/* 6 bytes */
#define SDT_OEM_TABLE_ID	16	/* 8 bytes */
#define SDT_HEADER_LEN		36

/* RSDP (ACPI 6.5 5.2.5.3): 20 bytes in revision 0, `length` bytes from 2 on. */
#define RSDP_CHECKSUM_LEN	20
#define RSDP_REVISION		15
#define RSDP_LENGTH		20
#define RSDP_V2_LEN		36

/* FACS (ACPI 6.5 5.2.10) has a signature and a length but no SDT header. */
#define FACS_MIN_LEN		64

/* FADT (ACPI 6.5 5.2.9). ARM_BOOT_ARCH arrived in FADT 5.1, but real
 * laptops set it in revision 5 minor 0, so only the length gates it. */
#define FADT_FLAGS		112
#define FADT_FLAG_HW_REDUCED	(1u << 20)
#define FADT_ARM_BOOT_ARCH	129	/* 2 bytes */
#define FADT_MINOR_REVISION	131
#define FADT_ARM_PSCI_COMPLIANT	(1u << 0)
#define FADT_ARM_PSCI_USE_HVC	(1u << 1)

/* MADT (ACPI 6.5 5.2.12): header, two 4-byte fields, then subtables, each
 * starting with a type byte and a length byte. */
#define MADT_SUBTABLES		44
#define MADT_GICC		0x0b
#define MADT_GICD		0x0c
#define MADT_GIC_MSI_FRAME	0x0d
#define MADT_GICR		0x0e
#define MADT_GIC_ITS		0x0f
/* GICC (5.2.12.14): 40 bytes in ACPI 5.0; 76 from 5.1 (GICR base, MPIDR). */
#define GICC_LEN_V50		40
#define GICC_LEN_MPIDR		76
#define GICC_FLAGS		12
#define GICC_FLAG_ENABLED	(1u << 0)
#define GICC_FLAG_PERF_EDGE	(1u << 1)
#define GICC_FLAG_VGIC_EDGE	(1u << 2)
#define GICC_FLAG_ONLINE_CAPABLE (1u << 3)	/* ACPI 6.5 */
#define GICC_PERF_GSIV		20
#define GICC_BASE		32
#define GICC_GICV		40
#define GICC_GICH		48
#define GICC_VGIC_GSIV		56
#define GICC_GICR_BASE		60
#define GICC_MPIDR		68
#define MPIDR_AFF_MASK		0xff00ffffffull	/* Aff3 [39:32], Aff2..Aff0 [23:0] */
/* GICD (5.2.12.15) */
#define GICD_LEN		24
#define GICD_BASE		8
#define GICD_VERSION		20
/* GIC MSI frame (5.2.12.16) */
#define MSI_FRAME_LEN		24
#define MSI_FRAME_BASE		8
#define MSI_FRAME_FLAGS		16
#define MSI_FRAME_SPI_SELECT	(1u << 0)
#define MSI_FRAME_SPI_COUNT	20
#define MSI_FRAME_SPI_BASE	22
/* GICR (5.2.12.17) */
#define GICR_LEN		16
#define GICR_BASE		4
#define GICR_LENGTH		12
/* GIC ITS (5.2.12.18) */
#define ITS_LEN			20
#define ITS_ID			4
#define ITS_BASE		8

/* GTDT (ACPI 6.5 5.2.25): the four per-CPU timers sit at the same offsets
 * since revision 1 (ACPI 5.0); revision 3 adds the EL2 virtual timer. */
#define GTDT_MIN_LEN		80
#define GTDT_SEC_EL1		48
#define GTDT_NS_EL1		56
#define GTDT_VIRT_EL1		64
#define GTDT_EL2		72
#define GTDT_PLATFORM_COUNT	88
#define GTDT_REV2_LEN		96
#define GTDT_VIRT_EL2		96
#define GTDT_REV3_LEN		104
#define GTDT_FLAG_EDGE		(1u << 0)
#define GTDT_FLAG_ACTIVE_LOW	(1u << 1)
#define GTDT_FLAG_ALWAYS_ON	(1u << 2)

/* SPCR (Microsoft "Serial Port Console Redirection Table", revisions 2-4). */
#define SPCR_INTERFACE_TYPE	36
#define SPCR_BASE_GAS		40
#define SPCR_INTERRUPT_TYPE	52
#define SPCR_IRQ_GIC		(1u << 3)
#define SPCR_GSIV		54
#define SPCR_BAUD		58
#define SPCR_PARITY		59
#define SPCR_STOP_BITS		60
#define SPCR_FLOW_CONTROL	61
#define SPCR_PCI_SEGMENT	75
#define SPCR_REV2_LEN		80
#define SPCR_UART_CLOCK		76	/* revision 3 */
#define SPCR_PRECISE_BAUD	80	/* revision 4 */
#define SPCR_REV4_LEN		88

/* Generic Address Structure (ACPI 6.5 5.2.3.2), 12 bytes. */
#define GAS_SPACE		0
#define GAS_BIT_WIDTH		1
#define GAS_ACCESS_SIZE		3
#define GAS_ADDRESS		4
#define GAS_LEN			12
#define GAS_SPACE_MEMORY	0
#define GAS_SPACE_IO		1

/* DBG2 (Microsoft "Debug Port Table 2"). */
#define DBG2_INFO_OFFSET	36
#define DBG2_INFO_COUNT		40
#define DBG2_MIN_LEN		44
#define DBG2_DEV_LENGTH		1
#define DBG2_DEV_NREGS		3
#define DBG2_DEV_NS_LEN		4
#define DBG2_DEV_NS_OFFSET	6
#define DBG2_DEV_PORT_TYPE	12
#define DBG2_DEV_PORT_SUBTYPE	14
#define DBG2_DEV_BAR_OFFSET	18
#define DBG2_DEV_SIZE_OFFSET	20
#define DBG2_DEV_MIN_LEN	22
#define DBG2_PORT_SERIAL	0x8000

/* IORT (Arm DEN0049 "IO Remapping Table", issue E.e; table revisions 0-6):
 * header, node count, node array offset, then nodes. Every node starts with
 * type, length (16 bits), revision, identifier, ID mapping count and offset
 * (DEN0049 3.1.1.2, Table 4); an ID mapping is 20 bytes (3.4, Table 5). */
#define IORT_NODE_COUNT		36
#define IORT_NODE_OFFSET	40
#define IORT_MIN_LEN		48
#define IORT_NODE_TYPE		0
#define IORT_NODE_LENGTH	1
#define IORT_NODE_MAP_COUNT	8
#define IORT_NODE_MAP_OFFSET	12
#define IORT_NODE_HDR_LEN	16
#define IORT_ITS_GROUP		0
#define IORT_SMMU_V1V2		3
#define IORT_SMMU_V3		4
#define IORT_ROOT_COMPLEX	2
#define IORT_ITS_COUNT		16	/* ITS group node (3.1.1.3) */
#define IORT_ITS_IDS		20
#define IORT_RC_SEGMENT		28	/* Root Complex node (3.1.1.5) */
#define IORT_RC_MIN_LEN		32
#define IORT_MAP_INPUT		0
#define IORT_MAP_COUNT		4	/* number of IDs minus one */
#define IORT_MAP_OUTPUT		8
#define IORT_MAP_REF		12
#define IORT_MAP_FLAGS		16
#define IORT_MAP_SINGLE		(1u << 0)
#define IORT_MAP_LEN		20

/* MCFG (PCI Firmware Specification 3.2, 4.1.2). */
#define MCFG_ENTRIES		44
#define MCFG_ENTRY_LEN		16

/* ------------------------------------------------------------ context ---- */

#define ACPI_MAX_AML	64	/* the DSDT and every SSDT */
#define ACPI_MAX_UARTS	8
#define ACPI_MAX_PIO	16
#define ACPI_PATH_MAX	96	/* "\\_SB_.PCI0.COM1": 1 + 5 per segment, 18 deep */
#define ACPI_MAX_ITS	16	/* MADT ITS structures remembered for IORT */
#define ACPI_MAX_CPUS	4096	/* beyond Linux's NR_CPUS; bounds the work on a hostile MADT */
#define ACPI_SYMS_SIZE	2048	/* /chosen, /aliases, /__symbols__ entries held for the end */
#define ACPI_PHANDLE_FIRST_FREE 5	/* 1-4: gic, cpus, psci, timer (acpi_fdt.c) */

/* One table after acpi_table_check: readable for `len` bytes. */
struct acpi_sdt {
	const uint8_t *p;	/* NULL: absent */
	uint32_t len;
	uint8_t rev;
	char sig[5];
	const char *origin;
	int skipped;		/* its converter refused it (counted as skipped) */
};

/* A register-level UART model: what the tree's node will say. */
enum uart_kind { UART_NONE, UART_16550, UART_PL011, UART_SBSA };
/* Where a UART was named; the order is the console precedence. */
enum uart_src { SRC_SPCR, SRC_DBG2, SRC_DSDT, SRC_COUNT };

struct acpi_uart {
	enum uart_kind kind;
	enum uart_src src;		/* the best source naming it */
	unsigned sources;		/* bit per enum uart_src */
	char path[ACPI_PATH_MAX];	/* namespace path, "" when unknown */
	uint64_t base, size;
	int size_from_crs;		/* size came from a _CRS, not a default */
	uint32_t gsiv;			/* 0: no interrupt */
	uint32_t irq_flags;		/* DT trigger flags (1 edge, 4 level, ...) */
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
};

struct acpi_ctx {
	void *fdt;
	const struct plinth_log *log;
	struct acpi2fdt_result *res;
	/* Tables by role, checked; .p == NULL when absent. */
	struct acpi_sdt fadt, madt, gtdt, spcr, dbg2, mcfg, iort;
	struct acpi_sdt aml[ACPI_MAX_AML];
	unsigned naml;
	/* What earlier steps decided, for later ones. */
	int psci;			/* /psci written */
	uint32_t gic_phandle;		/* 0: no interrupt controller node */
	int gic_version;		/* 2 or 3 (the binding used) */
	unsigned ncpus;
	struct { uint32_t id; uint64_t base; } its[ACPI_MAX_ITS];	/* msi-controller@base nodes */
	unsigned nits;
	uint64_t v2m_base;		/* first v2m@ frame written */
	int have_v2m;
	uint32_t next_phandle;
	struct acpi_pio pio[ACPI_MAX_PIO];
	unsigned npio;
	unsigned npcie;
	struct acpi_uart uart[ACPI_MAX_UARTS];
	unsigned nuart;
	int console;			/* index in uart[], -1: none */
	unsigned nserial;
	unsigned aml_devices;		/* devices seen by the first AML walk */
	/* /chosen, /aliases and /__symbols__ properties held for the finish
	 * (acpi_fdt_hold). */
	char syms[ACPI_SYMS_SIZE];
	size_t syms_len;
};

/* ------------------------------------------------------------ helpers ---- */

/* Log "fdt: " + the formatted text as one line. */
void acpi_log(struct acpi_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));


/* Bounds: `n` bytes at `off` lie within the table. */
static inline int sdt_has(const struct acpi_sdt *t, uint64_t off, uint64_t n)
{
	return off <= t->len && n <= t->len - off;
}

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
/* Translate an I/O port through a known PCI I/O window of segment `seg`. */
int acpi_pio_translate(const struct acpi_ctx *c, unsigned seg, uint64_t port, uint64_t *cpu);
/* Add a UART candidate, merging it into one already known at the same base.
 * Returns its index, or -PLINTH_ENOMEM when the table is full. */
int acpi_uart_add(struct acpi_ctx *c, const struct acpi_uart *u, const char *who);
void acpi_uart_init(struct acpi_uart *u, enum uart_kind kind, enum uart_src src);

/* Tree helpers (acpi_fdt.c). Each returns 0 / a node offset, or -FDT_ERR_*. */
int acpi_fdt_node(struct acpi_ctx *c, int parent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Label a node (__symbols__), giving it a phandle when it has none. */
int acpi_fdt_label(struct acpi_ctx *c, int node, const char *label);
int acpi_fdt_alias(struct acpi_ctx *c, const char *alias, int node);
int acpi_fdt_phandle(struct acpi_ctx *c, int node, uint32_t *phandle);
int acpi_fdt_reg(struct acpi_ctx *c, int node, const uint64_t *pairs, unsigned npairs);
int acpi_fdt_u32s(struct acpi_ctx *c, int node, const char *name, const uint32_t *v, unsigned n);
/* A GIC interrupt specifier <type number flags> for a GSIV (arm,gic.yaml and
 * arm,gic-v3.yaml). `flags` are DT trigger flags; SPIs only take level-high
 * and rising edge, so an active-low SPI is normalised (*normalised set).
 * -PLINTH_ERANGE when the GSIV is not a PPI, SPI, EPPI or ESPI. */
int acpi_gic_spec(const struct acpi_ctx *c, uint32_t gsiv, uint32_t flags, uint32_t spec[3],
		  int *normalised);
/* Format a GSIV for logs: "GSIV 33 (SPI 1)". */
const char *acpi_gsiv_str(uint32_t gsiv, char *buf, size_t size);
/* `interrupts` from a GSIV when a GIC exists; logs why not otherwise.
 * Returns 1 written, 0 not written, < 0 a libfdt error. */
int acpi_fdt_interrupt(struct acpi_ctx *c, int node, const char *who, uint32_t gsiv,
		       uint32_t flags);
/* Rewrite buf's tree in creation order (libfdt's read-write calls insert
 * each node and property first among its siblings), packed, then reopened
 * to `size`. *packed = the tree's packed size. */
/* Raw structure records for runs of sibling nodes (acpi_fdt.c explains):
 * room for `bytes` of records under parent, and the record writers. The
 * sizes count a node's BEGIN and END records; a property name is given by
 * its offset in the strings block, read off a property already written
 * (acpi_fdt_nameoff). */
void *acpi_fdt_reserve(struct acpi_ctx *c, int parent, size_t bytes, int *err);
size_t raw_node_size(const char *name);
size_t raw_prop_size(uint32_t len);
uint8_t *raw_begin(uint8_t *p, const char *name);
uint8_t *raw_prop(uint8_t *p, uint32_t nameoff, const void *v, uint32_t len);
uint8_t *raw_end(uint8_t *p);
int acpi_fdt_nameoff(struct acpi_ctx *c, int node, const char *name);
/* A string property of /chosen ('c'), /aliases ('a') or /__symbols__ ('s'),
 * held until acpi_fdt_finish writes it (acpi_fdt.c says why). */
int acpi_fdt_hold(struct acpi_ctx *c, char kind, const char *name, const char *value);
/* The last step: pack the tree, put nodes and properties in creation order,
 * write the held /__symbols__ and /aliases entries; *packed is its size. */
int acpi_fdt_finish(struct acpi_ctx *c, size_t size, size_t *packed, unsigned *nodes);

/* Converters, in the order acpi2fdt runs them (acpi_tables.c says why).
 * Each returns 0 (table used or skipped with a log line) or a negative libfdt
 * code when the tree cannot be written (out of space aborts the conversion). */
int acpi_fadt(struct acpi_ctx *c);
int acpi_madt(struct acpi_ctx *c);
int acpi_gtdt(struct acpi_ctx *c);
int acpi_dsdt(struct acpi_ctx *c);	/* UART scan of the DSDT and SSDTs */
int acpi_mcfg(struct acpi_ctx *c);
int acpi_spcr(struct acpi_ctx *c);
int acpi_dbg2(struct acpi_ctx *c);
int acpi_iort(struct acpi_ctx *c);	/* after MADT and MCFG */
int acpi_console(struct acpi_ctx *c);	/* precedence, UART nodes, stdout-path */

/* ------------------------------------------------- AML (acpi_aml.c) ---- */

enum aml_kind { AML_NAME = 1, AML_METHOD, AML_DEVICE };

/* A named object found in a DSDT or SSDT. */
struct aml_obj {
	enum aml_kind kind;
	char path[ACPI_PATH_MAX];	/* absolute: "\\_SB_.COM1._CRS" */
	const struct acpi_sdt *table;
	uint32_t off;			/* of its opcode in the table */
	const uint8_t *data;		/* AML_NAME: its data object; AML_DEVICE: its TermList */
	uint32_t len;
	const uint8_t *scope;		/* the TermList it is declared in, */
	uint32_t scope_len;
	const char *scope_path;		/* and that list's scope (valid during the visit) */
};

/* Visitor: nonzero stops the walk and is returned by aml_walk. */
typedef int (*aml_visit)(void *arg, const struct aml_obj *o);

/* Visit every Name, Method and Device of every AML table, in table order.
 * With `log` set, each table's walk is summarised (and code the walker
 * cannot step over is reported) in fdt: lines. */
int aml_walk(struct acpi_ctx *c, aml_visit fn, void *arg, int log);
/* The object at an absolute path. 1 found, 0 not. A find only descends into
 * scopes on the way to the path, so an object declared by an absolute or
 * parent-prefixed name inside an unrelated scope needs aml_find_in. */
int aml_find(struct acpi_ctx *c, const char *path, struct aml_obj *out);
/* The object at `path` among those declared in a device's TermList (a
 * device object as the walk reported it). 1 found, 0 not. */
int aml_find_in(struct acpi_ctx *c, const struct aml_obj *device, const char *path,
		struct aml_obj *out);
/* Normalise a path string ("\\_SB.COM0" -> "\\_SB_.COM0"). 0 or -PLINTH_EINVAL. */
int aml_path_normalise(const char *in, size_t inlen, char *out, size_t size);
/* The devices whose path ends in `suffix` ("COM0", "PCI0.COM0"): returns how
 * many; with exactly one, its path is in out. */
int aml_find_device_suffix(struct acpi_ctx *c, const char *suffix, char *out, size_t size);
/* Resolve a NameString reference (AML bytes) seen in the scope `scope`, by
 * the namespace search rules (ACPI 6.5 5.3): a single segment is looked for
 * in the scope and then each parent. 1 found (path in out, and the object
 * in *obj when obj is not NULL), 0 not. */
int aml_resolve(struct acpi_ctx *c, const char *scope, const uint8_t *p, uint32_t len,
		char *out, size_t size, struct aml_obj *obj);
/* The parent path of an object path ("\\_SB_.COM1._CRS" -> "\\_SB_.COM1"). */
void aml_parent(const char *path, char *out, size_t size);

/* Data objects (ACPI 6.5 20.2.3). Each returns 0 or -PLINTH_EINVAL. */
int aml_integer(const uint8_t *p, uint32_t len, uint64_t *v);
int aml_string(const uint8_t *p, uint32_t len, const char **s, uint32_t *slen);
int aml_buffer(const uint8_t *p, uint32_t len, const uint8_t **data, uint32_t *dlen);
/* A hardware ID: an EISA ID integer or a string, as text ("PNP0501"). */
int aml_hardware_id(const uint8_t *p, uint32_t len, char *out, size_t size);
/* True when the object bytes are a NameString (a reference). */
int aml_is_namestring(const uint8_t *p, uint32_t len);

struct aml_pkg {
	const uint8_t *p, *end;
	uint32_t left;			/* elements still to read */
};
int aml_package(const uint8_t *p, uint32_t len, struct aml_pkg *it);
/* Next element's bytes. 1 got one, 0 end, -PLINTH_EINVAL malformed. */
int aml_pkg_next(struct aml_pkg *it, const uint8_t **elem, uint32_t *elen);

/* An integer device property from a static _DSD (device-properties UUID,
 * ACPI 6.5 6.2.5). 0 found, -PLINTH_ENOENT not there, -PLINTH_EINVAL bad. */
int aml_dsd_integer(const uint8_t *dsd, uint32_t len, const char *name, uint64_t *v);

/* Resource templates (ACPI 6.5 6.4). */
enum res_type { RES_MEMORY, RES_IO, RES_BUS, RES_IRQ };
struct acpi_res {
	enum res_type type;
	uint64_t min, len, offset;	/* address spaces: offset = translation */
	int producer;			/* address space: ResourceProducer */
	int prefetchable;		/* memory: _MEM = prefetchable */
	uint32_t irq;			/* RES_IRQ: the first interrupt */
	unsigned nirq;
	int edge, active_low;
};
struct res_iter {
	const uint8_t *p, *end;
};
void res_iter_init(struct res_iter *it, const uint8_t *buf, uint32_t len);
/* Next descriptor the converter understands. 1 got one, 0 end (end tag or
 * buffer end), -PLINTH_EINVAL malformed. Others are stepped over. */
int res_next(struct res_iter *it, struct acpi_res *r);

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
int acpi_devinfo(struct acpi_ctx *c, const char *dev, const struct aml_obj *where,
		 struct acpi_devinfo *di);

/* Host bridge facts for one MCFG segment (acpi_dsdt.c): ranges, I/O window,
 * interrupt-map. Writes them to the pcie node. Returns 1 when `ranges` was
 * written, 0 when not (logged), < 0 a libfdt error. */
int acpi_host_bridge(struct acpi_ctx *c, int node, unsigned pcie, uint16_t seg,
		     uint8_t bus_start, uint8_t bus_end);

#endif
