/* The ACPI -> device tree converter: pure C, no UEFI calls, so the same files
 * build into the loader (BOOTAA64.EFI), the host tool acpi2dts and the unit
 * tests. Tables in, a tree and `fdt: <table>: <what>` log lines out.
 *
 * Conventions (docs/design.md, house conventions): 0 or a count on success,
 * negative -PLINTH_* / -FDT_ERR_* codes on failure; a bad optional table is
 * skipped with a log line; running out of tree space returns -FDT_ERR_NOSPACE
 * so the caller can grow the buffer and convert again. */
#ifndef PLINTH_ACPI2FDT_H
#define PLINTH_ACPI2FDT_H
#include <stddef.h>
#include <stdint.h>
#include <plinth/log.h>

/* One table as found: its bytes, how many of them are readable (mapped or in
 * the file), and where it came from for log lines ("DSDT.dat", "0x5b3f0000"). */
struct acpi_table_ref {
	const void *data;
	size_t avail;
	const char *origin;
};

struct acpi2fdt_result {
	unsigned tables_used;
	unsigned tables_skipped;
	char oem_id[7];			/* the FADT's, else the XSDT's, else the first table's
					 * (board detection; acpi_tables.c says why) */
	char oem_table_id[9];
	int have_console;		/* /chosen/stdout-path was set */
	unsigned tables_ignored;	/* valid, but no converter reads them (IORT, PPTT, ...) */
};

/* What is wrong with a table, if anything (acpi_table_verify). */
enum acpi_fault {
	ACPI_FAULT_NONE,
	ACPI_FAULT_NO_DATA,		/* a reference without bytes */
	ACPI_FAULT_SHORT,		/* no room for a signature and a length (RSDP: 20 bytes) */
	ACPI_FAULT_SIGNATURE,		/* the signature is not 4 of A-Z a-z 0-9 _ */
	ACPI_FAULT_HEADER,		/* its length is shorter than the 36-byte header */
	ACPI_FAULT_PAST_END,		/* its length runs past the bytes readable */
	ACPI_FAULT_FACS_LENGTH,		/* a FACS length outside 64..readable */
	ACPI_FAULT_RSDP_V2_SHORT,	/* an RSDP of revision 2+ with less than 36 bytes */
	ACPI_FAULT_RSDP_LENGTH,		/* an RSDP length outside 36..readable */
};

struct acpi_table_info {
	enum acpi_fault fault;
	char sig[5];			/* "RSDP" for the RSDP, "?" when unreadable */
	uint32_t length;
	uint8_t rev;
	uint8_t sum, ext_sum;		/* byte sums: 0 when the checksums hold */
	int rsdp, facs;
};

/* The one check every table passes before it is read (ACPI 6.5 5.2.5.3,
 * 5.2.6, 5.2.10): signature, length within `avail` and covering the header,
 * checksum computed (a mismatch is no fault: Linux uses such tables too).
 * Returns the table's length, or a negative code with info->fault saying
 * why. Logs nothing: its callers say what a fault means to them. */
long acpi_table_verify(const struct acpi_table_ref *t, struct acpi_table_info *info);
/* acpi_table_verify with the converter's log lines: a fault skips the table
 * with a line naming origin and value, a checksum mismatch is a warning. */
long acpi_table_check(const struct acpi_table_ref *t, const struct plinth_log *log);
/* The byte sum of n bytes (a table whose checksum holds sums to 0). */
uint8_t acpi_sum8(const void *p, size_t n);

/* Build a new tree in buf[0..size) from the tables (RSDP and XSDT refs among
 * them are accepted and ignored). The tree holds what the tables state, with
 * the labels of the tree contract (docs/design.md) in __symbols__ and
 * /aliases. It has no /memory: the loader adds that from the UEFI memory
 * map. */
int acpi2fdt(const struct acpi_table_ref *tables, unsigned n, void *buf, size_t size,
	     const struct plinth_log *log, struct acpi2fdt_result *res);

/* A first buffer size for acpi2fdt that the tables should not outgrow (a
 * retry on -FDT_ERR_NOSPACE converts everything again): a base for the
 * fixed nodes, room for a CPU node per MADT entry and for interrupt-maps
 * from the DSDT/SSDTs. */
size_t acpi2fdt_size_hint(const struct acpi_table_ref *tables, unsigned n);

/* ----------------------------------------------------------- acpi_rsdp.c --
 * From the RSDP to the list of tables the converter reads: the RSDP (both
 * checksums), the XSDT (or, for an ACPI 1.0 RSDP, the RSDT), every table it
 * lists, and the DSDT the FADT points at (it is in no root table). Each table
 * passes acpi_table_check against the bytes the memory map says are there;
 * one that fails is skipped and counted, with a log line. */
#define ACPI_MAX_TABLES 128

struct acpi_found {
	uint64_t rsdp;
	char oem_id[7];
	unsigned n, skipped;
	struct acpi_table_ref t[ACPI_MAX_TABLES];
	char origin[ACPI_MAX_TABLES][20];
};

/* Bytes readable from addr on (memmap_avail over the firmware's map). */
typedef uint64_t (*acpi_avail_fn)(void *ctx, uint64_t addr);

/* 0 with f filled (f->n may be 0), or a negative code when there is no
 * usable root (RSDP or XSDT/RSDT unreadable): nothing can be converted. */
int acpi_collect(uint64_t rsdp, acpi_avail_fn avail, void *ctx, struct acpi_found *f,
		 const struct plinth_log *log);

#endif
