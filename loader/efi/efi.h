/* The UEFI application's private header: the state of one boot (struct
 * boot) and the functions of the efi_*.c files, one file per kind of
 * firmware service:
 *
 *   efi_main.c      the recipe boot(), efi_main, release
 *   efi_fw.c        status names, pages, the memory map, ExitBootServices,
 *                   the counter, ConOut and the log
 *   efi_files.c     the ESP: plinth.cfg, the Image, the initrd, the overlays
 *   efi_platform.c  configuration tables (RSDP, SMBIOS) and the GOP
 *
 * Only these files call the firmware; what they compute is done by the pure
 * helpers of loader.h and the pipeline. Conventions: a step returns an
 * EFI_STATUS and has logged why when it is an error. */
#ifndef PLINTH_EFI_EFI_H
#define PLINTH_EFI_EFI_H
#include <efi.h>
#include "acpi2fdt/acpi2fdt.h"
#include "pipeline/pipeline.h"
#include "loader.h"

#define LOG_BYTES	(64u * 1024)	/* the handed-over log region */
#define TREE_MAX	(8u << 20)	/* never grow a tree past this */
#define MAP_SLACK	16		/* spare descriptors: allocating the map adds some */
#define EBS_TRIES	5
#define FILE_MAX	(256ull << 20)	/* refuse files larger than this */
#define OVL_DIR		"\\plinth\\overlays"
#define OVL_MAX		32		/* user overlays taken from OVL_DIR */
#define OVL_NAME_MAX	64

/* A region the handoff cleans to the point of coherency (handoff.S). */
struct region {
	uint64_t base, size;
};

__attribute__((noreturn)) void handoff(uint64_t entry, uint64_t fdt, const struct region *r,
				       uint64_t n);

/* cpu.S: the system registers the loader reads. */
uint64_t cpu_counter(void);		/* CNTVCT_EL0, after an ISB */
uint64_t cpu_counter_hz(void);		/* CNTFRQ_EL0 */
unsigned cpu_el(void);			/* CurrentEL.EL */
__attribute__((noreturn)) void cpu_halt(void);

struct boot {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *st;
	EFI_BOOT_SERVICES *bs;
	uint64_t t0;			/* the counter at entry */
	int ebs_done;

	struct llog log;
	struct plinth_log sink;	/* llog_sink(&log) */
	EFI_FILE_HANDLE root;		/* the ESP this loader came from */
	struct loader_cfg cfg;

	/* Everything allocated with AllocatePages, freed on failure. */
	uint64_t log_base;
	uint64_t img_base, img_bytes, entry;
	uint64_t initrd_base, initrd_bytes, initrd_size;

	/* The memory map: firmware descriptors and their plain copy. */
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN map_cap, map_size, map_key, desc_size;
	UINT32 desc_ver;
	struct mem_desc *descs;
	unsigned ndesc, desc_cap;

	struct gop_fb fb;		/* format NULL: no framebuffer node */
	unsigned novl;			/* user overlays read, in name order */
	struct user_ovl {
		char name[OVL_NAME_MAX];
		void *data;		/* pool; NULL once applied */
		uint64_t size;
	} ovl[OVL_MAX];
	struct acpi_found acpi;
	struct pipeline pipe;		/* the tree, the conversion's result, the board */
	struct tree_final_result final;	/* the final tree's (final_tree.c) */
};

#define say(b, ...) lprintf(&(b)->sink, __VA_ARGS__)

/* ------------------------------------------------------------ efi_fw.c -- */
const char *efi_status_name(EFI_STATUS s);
/* A failed firmware call: `loader: <what>: <status>`, and the status. */
EFI_STATUS efi_fail(struct boot *b, const char *what, EFI_STATUS s);
uint64_t page_round(uint64_t bytes);
/* Loader-data pages: at *addr (AllocateAddress) or anywhere; *addr is set
 * only on success. */
EFI_STATUS pages_alloc(struct boot *b, EFI_ALLOCATE_TYPE type, uint64_t bytes, uint64_t *addr);
void pages_free(struct boot *b, uint64_t addr, uint64_t bytes);
/* The tree's allocator (tree_alloc): loader-data pages, so the final tree
 * survives ExitBootServices and lies inside /memory. */
void *tree_pages(void *ctx, size_t size);
void tree_pages_free(void *ctx, void *p, size_t size);
/* Microseconds between two counter values. */
unsigned long long us(uint64_t from, uint64_t to);
void ascii_from_ucs2(char *dst, size_t max, const CHAR16 *src);
/* The log first: ConOut, then the region handed to the kernel. Never
 * fails: without the region (logged) the log is on ConOut only. */
void log_open(struct boot *b);
/* The memory map read again (GetMemoryMap, grown as needed). */
EFI_STATUS map_step(struct boot *b);
/* Bytes readable at addr per the map (memmap_avail), as acpi_collect and
 * the SMBIOS reader take it. */
uint64_t map_avail(void *ctx, uint64_t addr);
/* ExitBootServices, retried with a fresh map key; *t_ebs = the counter
 * right after it. */
EFI_STATUS exit_boot_services(struct boot *b, uint64_t *t_ebs);

/* --------------------------------------------------------- efi_files.c -- */
EFI_STATUS open_esp(struct boot *b);
EFI_STATUS read_cfg(struct boot *b);
EFI_STATUS load_kernel(struct boot *b);
EFI_STATUS load_initrd(struct boot *b);
void read_overlays(struct boot *b);
void free_overlays(struct boot *b);
/* The file helpers the steps above share (the host tests call them).
 * file_size sets *size only on success; file_read reads exactly size bytes
 * from the start (a short file is EFI_END_OF_FILE); file_open_sized opens,
 * checks 1..FILE_MAX bytes and logs `loader: <what>: <path>: ...` on any
 * failure, closing the file again. */
EFI_STATUS file_open(struct boot *b, const char *path, EFI_FILE_HANDLE *fh);
EFI_STATUS file_size(struct boot *b, EFI_FILE_HANDLE fh, uint64_t *size);
EFI_STATUS file_read(EFI_FILE_HANDLE fh, void *dst, uint64_t size);
EFI_STATUS file_open_sized(struct boot *b, const char *what, const char *path,
			   EFI_FILE_HANDLE *fh, uint64_t *size);

/* ------------------------------------------------------ efi_platform.c -- */
/* The ACPI 2.0 RSDP and the tables it leads to, into b->acpi. */
EFI_STATUS find_tables(struct boot *b);
/* The GOP's framebuffer, if any, into b->fb (no GOP is not an error). */
void find_gop(struct boot *b);
/* The board (b->pipe.board) from plinth.cfg board=, the tables' OEM ID,
 * then SMBIOS. */
void find_board(struct boot *b);

#endif
