/* The UEFI application's pure helpers (loader/efi/ files without the efi_
 * prefix): plinth.cfg, the arm64 Image header, the UEFI memory map, the GOP
 * mode, and the nodes the loader adds to the tree. No UEFI calls or types,
 * so the host unit tests (tests/efi_*_test.c) build them; the efi_*.c files
 * are the ones that talk to the firmware.
 *
 * Conventions as in acpi2fdt.h: 0 or a count on success, -PLINTH_* or
 * -FDT_ERR_* on failure; log lines go through struct plinth_log, one
 * complete line per call. */
#ifndef PLINTH_EFI_LOADER_H
#define PLINTH_EFI_LOADER_H
#include <stddef.h>
#include <stdint.h>
#include <plinth/err.h>
#include <plinth/log.h>

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull

/* ------------------------------------------------------------ cfg.c ------
 * \plinth\plinth.cfg: `key=value` lines; `#` starts a comment line; blank
 * lines, spaces around key and value, CR LF and a UTF-8 BOM are accepted.
 * Keys: kernel=, initrd=, bootargs=, board=, gop=. Anything else is warned about
 * with its line number and ignored; so is a line without '=' or a value too
 * long for its field. Paths take '/' or '\'; a path without a leading
 * separator is relative to \plinth\. */
#define CFG_PATH_MAX 256
#define CFG_BOOTARGS_MAX 2048		/* Linux arm64 COMMAND_LINE_SIZE */
#define CFG_BOARD_MAX 64

struct loader_cfg {
	char kernel[CFG_PATH_MAX];	/* ESP path, '\' separators */
	char initrd[CFG_PATH_MAX];	/* "" = none */
	char bootargs[CFG_BOOTARGS_MAX];
	char board[CFG_BOARD_MAX];	/* "" = detect */
	char gop[16];			/* "WxH": the GOP mode to set; "" = keep */
	int have_bootargs;
};

#define CFG_DEFAULT_KERNEL "\\plinth\\Image"
#define CFG_PATH "\\plinth\\plinth.cfg"

void cfg_defaults(struct loader_cfg *c);
/* Parse text[0..len) into c over the defaults already there; returns the
 * number of warnings printed (>= 0). */
int cfg_parse(struct loader_cfg *c, const char *text, size_t len, const struct plinth_log *log);
/* The line that sums up a parsed plinth.cfg: every key it set, and the
 * warnings cfg_parse counted:
 *   loader: cfg: \plinth\plinth.cfg: kernel=K[ initrd=I][ bootargs="B"]
 *   [ board=N][ gop=WxH], W warning(s)                     (one line) */
void cfg_summary(const struct loader_cfg *c, int warnings, const struct plinth_log *log);

/* ---------------------------------------------------------- image.c ------
 * The arm64 Image header (Linux Documentation/arm64/booting.rst). */
#define IMAGE_HDR_SIZE 64
#define IMAGE_MAGIC 0x644d5241u		/* "ARM\x64" at offset 56 */
#define IMAGE_FLAG_BE (1ull << 0)
#define IMAGE_FLAG_PAGE_SHIFT 1		/* bits 2:1: 0 unspecified, 1 4K, 2 16K, 3 64K */
#define IMAGE_FLAG_ANYWHERE (1ull << 3)

struct arm64_image {
	uint64_t text_offset;
	uint64_t image_size;		/* bytes from the load address, BSS included */
	uint64_t flags;
	uint64_t file_size;
};

/* Check the header of a file of file_size bytes; fills img. Every refusal
 * logs the value that failed: -PLINTH_EINVAL (not an arm64 Image, big
 * endian, image_size 0 or smaller than the file), -PLINTH_ERANGE (sizes
 * that overflow). */
int image_check(const void *hdr, size_t len, uint64_t file_size, struct arm64_image *img,
		const struct plinth_log *log);
/* Bytes to allocate from a 2 MiB-aligned base: text_offset + image_size,
 * rounded up to pages. */
uint64_t image_alloc_size(const struct arm64_image *img);

/* -------------------------------------------------------- memmap.c ------
 * The UEFI memory map, copied out of the firmware's descriptors (whose
 * stride is DescriptorSize, not sizeof) into plain records. Types are the
 * UEFI spec's EFI_MEMORY_TYPE values (UEFI 2.10 table 7.10). */
enum mem_type {
	MEM_RESERVED = 0, MEM_LOADER_CODE, MEM_LOADER_DATA, MEM_BS_CODE, MEM_BS_DATA,
	MEM_RT_CODE, MEM_RT_DATA, MEM_CONVENTIONAL, MEM_UNUSABLE, MEM_ACPI_RECLAIM,
	MEM_ACPI_NVS, MEM_MMIO, MEM_MMIO_PORT, MEM_PAL_CODE, MEM_PERSISTENT,
	MEM_UNACCEPTED, MEM_TYPE_END
};

struct mem_desc {
	uint32_t type;
	uint64_t base;
	uint64_t pages;			/* 4 KiB UEFI pages */
};

const char *mem_type_name(uint32_t type);
/* Sort by base (insertion sort: maps are small and nearly sorted). */
void memmap_sort(struct mem_desc *d, unsigned n);
/* Bytes readable from addr on: up to the end of the run of contiguous
 * descriptors that holds addr (0 when no descriptor does). Firmware maps
 * what its map describes; ACPI tables are never read past this. */
uint64_t memmap_avail(const struct mem_desc *d, unsigned n, uint64_t addr);
/* Lowest base >= from, aligned to align, with [base, base + size) inside
 * one run of contiguous EfiConventionalMemory: 0 and *base, or
 * -PLINTH_ENOMEM when there is none. */
int memmap_find_free(const struct mem_desc *d, unsigned n, uint64_t size, uint64_t align,
		     uint64_t from, uint64_t *base);
/* What a type becomes (UEFI 2.10 table 7.10): RAM for /memory, or a region
 * to preserve (a /reserved-memory no-map child); MMIO, unusable,
 * persistent and unknown types are neither. */
enum mem_class { MEM_CLASS_NONE, MEM_CLASS_RAM, MEM_CLASS_PRESERVE };
enum mem_class memmap_class(uint32_t type);
/* A run of descriptors of one class, merged: [base, end) of one type. */
struct mem_run {
	uint64_t base, end;
	uint32_t type;			/* the first descriptor's */
};
/* The next run of class cls from d[*i] on, in a sorted map: RAM merges when
 * contiguous (or, from buggy firmware, overlapping); a preserved region
 * only with neighbours of the same type (its node name says the type).
 * 1 and *r, or 0 at the end. */
int memmap_next_run(const struct mem_desc *d, unsigned n, unsigned *i, enum mem_class cls,
		    struct mem_run *r);
/* Descriptors the tree leaves out: bad (0 pages, or past 2^64) and other
 * (MEM_CLASS_NONE). */
void memmap_count_unused(const struct mem_desc *d, unsigned n, unsigned *bad, unsigned *other);
/* A value that changes when the regions the tree preserves change, and not
 * when firmware merely splits or merges descriptors: the sum, per
 * preserved type, of the address of every page. */
uint64_t memmap_reserved_sig(const struct mem_desc *d, unsigned n);

/* ----------------------------------------------------- final_tree.c ------
 * The tree the kernel gets, written once in one sequential pass over the
 * tree the steps and overlays left: everything in it, less its memory
 * nodes, plus what only the end of the boot knows. */
struct tree_final {
	const struct mem_desc *map;	/* sorted; read after every allocation */
	unsigned nmap;
	uint64_t log_base, log_size;	/* /reserved-memory/loader-log@ (size 0: none) */
	uint64_t image_base, image_size;	/* /memreserve/ "Image" (size 0: none) */
	uint64_t self_size;		/* /memreserve/ "tree": the output buffer, this many bytes */
	uint64_t rsdp;			/* /plinth/acpi-rsdp */
	const char *board;		/* /plinth/board: board= from plinth.cfg; NULL or "": none */
};

struct tree_final_result {
	int nodes;			/* in the written tree */
};

/* Writes into out (size bytes): src's /memreserve/ entries and its nodes in
 * their order, without the root's memory nodes (device_type "memory": the
 * map is the authority) and /plinth; then /plinth (compatible
 * "plinth,boot-info", acpi-rsdp, board), /memory@<first> from the map's RAM runs,
 * /reserved-memory children for the log and each preserved run (no-map),
 * /__symbols__/memory, and /memreserve/ for the Image and out itself. Each
 * addition is logged as `fdt: <what>: ...`. 0; -FDT_ERR_NOSPACE when out is
 * too small (call again with more room; the lines logged so far are the
 * caller's to drop); -PLINTH_ENOENT when the map has no RAM; or a libfdt
 * error from src. */
int tree_write_final(const void *src, void *out, size_t size, const struct tree_final *f,
		     struct tree_final_result *res, const struct plinth_log *log);
/* Room for tree_write_final's output: src's blocks, and enough for what it
 * adds from a map of n descriptors. */
size_t tree_final_size(const void *src, unsigned nmap);

/* ----------------------------------------------------------- tree.c ------
 * The loader's steps on the converted tree. Each logs what it changed as
 * `fdt: <step>: <what>`. */
struct chosen_args {
	const char *bootargs;		/* NULL: leave bootargs alone */
	uint64_t initrd_start, initrd_size;	/* size 0: no initrd */
};

int tree_set_chosen(void *fdt, const struct chosen_args *a, const struct plinth_log *log);
/* /chosen/linux,pci-probe-only = 1: the kernel keeps the firmware's PCI
 * resource assignment. */
int tree_set_pci_probe_only(void *fdt, const struct plinth_log *log);
/* The child `name` of parent, added when missing: its offset or an error. */
int tree_subnode(void *fdt, int parent, const char *name);
/* Give node the root's cells (#address-cells and #size-cells 2, the tree
 * contract) and an empty ranges, so its children's reg are CPU addresses.
 * Returns node or an error. */
int tree_cpu_ranges(void *fdt, int node);
/* The /reserved-memory node (created with #address-cells/#size-cells 2 and
 * empty ranges when missing). */
int tree_reserved_memory(void *fdt);
/* Set label -> path in /__symbols__ (created when missing). */
int tree_set_symbol(void *fdt, const char *label, const char *path);

/* ------------------------------------------------------------ gop.c ------
 * The GOP's current mode as a simple-framebuffer node. efi_platform.c copies
 * the mode into struct gop_mode; the rest is pure. */
enum {					/* EFI_GRAPHICS_PIXEL_FORMAT, UEFI 2.10 12.9 */
	GOP_PIXEL_RGBX8 = 0, GOP_PIXEL_BGRX8 = 1, GOP_PIXEL_BITMASK = 2, GOP_PIXEL_BLT_ONLY = 3,
};

struct gop_mode {
	uint32_t pixel_format;
	uint32_t mask[4];		/* red, green, blue, reserved (PixelBitMask only) */
	uint32_t width, height, pixels_per_line;
	uint64_t base, size;		/* FrameBufferBase, FrameBufferSize */
};

struct gop_fb {
	uint64_t base, size;		/* reg: stride x height */
	uint64_t region;		/* FrameBufferSize: what /reserved-memory covers */
	uint32_t width, height, stride;	/* stride in bytes */
	const char *format;		/* the binding's string; NULL: no node */
	int reserve;			/* add /reserved-memory/framebuffer@ (gop_in_ram) */
};

/* The binding's format for a GOP pixel format (and masks, for
 * PixelBitMask), with its bytes per pixel; NULL when none fits. */
const char *gop_format(uint32_t pixel_format, const uint32_t mask[4], unsigned *bytes);
/* "WxH" (plinth.cfg gop=) -> width, height; -PLINTH_EINVAL otherwise. */
int gop_parse_size(const char *s, uint32_t *w, uint32_t *h);
/* 1 and fb filled when the mode can be described; 0 with a log line why not. */
int gop_describe(const struct gop_mode *m, struct gop_fb *fb, const struct plinth_log *log);
/* Whether [base, base + size) lies in memory tree_write_final puts in
 * /memory (a RAM-backed framebuffer such as ramfb's may): only then does it
 * need its own no-map reservation. Firmware-reserved RAM becomes a no-map
 * child there already, and MMIO (a PCI BAR) is not in /memory at all. */
int gop_in_ram(const struct mem_desc *d, unsigned n, uint64_t base, uint64_t size);
/* /chosen/framebuffer@base (label and alias fb0, status okay), /chosen's
 * cells and ranges, and, when fb->reserve, a no-map /reserved-memory entry. */
int tree_add_framebuffer(void *fdt, const struct gop_fb *fb, const struct plinth_log *log);

#endif
