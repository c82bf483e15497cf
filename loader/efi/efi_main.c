/* BOOTAA64.EFI: the UEFI glue. boot() below is the recipe, one step per
 * line in the order they must run; every other file of the loader is pure C
 * (efi_loader.h, acpi2fdt.h) and this one is the only one that calls the
 * firmware.
 *
 * Failure policy: every step that fails says what failed with the EFI status
 * or libfdt/plinth code by name. Before ExitBootServices a failure frees what
 * was allocated and returns to the firmware (its boot manager goes on with
 * the next option); nothing is ever jumped to with a tree that could not be
 * built. */
#include <efi.h>
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "acpi2fdt/acpi2fdt.h"
#include "pipeline/board.h"
#include "pipeline/smbios.h"
#include "pipeline/tree_buf.h"
#include "loader.h"

#define LOG_BYTES	(64u * 1024)	/* the handed-over log region */
#define TREE_MAX	(8u << 20)	/* never grow a tree past this */
#define TREE_ROOM	4096		/* free bytes kept before the last in-place edits */
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

struct boot {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *st;
	EFI_BOOT_SERVICES *bs;
	uint64_t t0;			/* CNTVCT at entry */
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
	const struct board *board;	/* NULL: no board matched */
	unsigned novl;			/* user overlays read, in name order */
	struct user_ovl {
		char name[OVL_NAME_MAX];
		void *data;		/* pool; NULL once applied */
		uint64_t size;
	} ovl[OVL_MAX];
	struct acpi_found acpi;
	struct acpi2fdt_result res;
	struct tree_alloc talloc;
	struct tree_buf tree;
};

/* libfdt.a (built with -fstack-protector-strong) and kprintf (printf.c)
 * call out to these two without a context: they reach the one boot there is
 * through this pointer, set first thing in efi_main. */
static struct boot *the_boot;

/* ------------------------------------------------------------ helpers ---- */

static const char *efi_status_name(EFI_STATUS s)
{
	static const char *const names[] = {
		"EFI_SUCCESS", "EFI_LOAD_ERROR", "EFI_INVALID_PARAMETER", "EFI_UNSUPPORTED",
		"EFI_BAD_BUFFER_SIZE", "EFI_BUFFER_TOO_SMALL", "EFI_NOT_READY", "EFI_DEVICE_ERROR",
		"EFI_WRITE_PROTECTED", "EFI_OUT_OF_RESOURCES", "EFI_VOLUME_CORRUPTED",
		"EFI_VOLUME_FULL", "EFI_NO_MEDIA", "EFI_MEDIA_CHANGED", "EFI_NOT_FOUND",
		"EFI_ACCESS_DENIED", "EFI_NO_RESPONSE", "EFI_NO_MAPPING", "EFI_TIMEOUT",
		"EFI_NOT_STARTED", "EFI_ALREADY_STARTED", "EFI_ABORTED", "EFI_ICMP_ERROR",
		"EFI_TFTP_ERROR", "EFI_PROTOCOL_ERROR", "EFI_INCOMPATIBLE_VERSION",
		"EFI_SECURITY_VIOLATION", "EFI_CRC_ERROR", "EFI_END_OF_MEDIA", "status 29",
		"status 30", "EFI_END_OF_FILE", "EFI_INVALID_LANGUAGE", "EFI_COMPROMISED_DATA",
	};
	static char other[40];
	uint64_t code = s & ~EFI_ERROR_MASK;

	if ((s == EFI_SUCCESS || EFI_ERROR(s)) && code < sizeof(names) / sizeof(names[0]))
		return names[code];
	ksnprintf(other, sizeof(other), "EFI status 0x%llx", (unsigned long long)s);
	return other;
}

static uint64_t page_round(uint64_t bytes)
{
	return (bytes + SZ_4K - 1) & ~(SZ_4K - 1);
}

static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Microseconds between two counter values. */
static unsigned long long us(uint64_t from, uint64_t to)
{
	uint64_t hz = cntfrq();

	return hz ? (unsigned long long)((to - from) * 1000000ull / hz) : 0ull;
}

static unsigned current_el(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
	return (unsigned)(v >> 2) & 3;
}

/* One log line on ConOut: ASCII to UCS-2 in chunks, CR LF at the end. */
static void conout_line(void *arg, const char *text)
{
	struct boot *b = arg;
	CHAR16 buf[132];
	unsigned k = 0;

	if (b->ebs_done || !b->st->ConOut)
		return;
	for (const char *p = text;; p++) {
		if (*p == 0 || k == 128) {
			if (*p == 0) {
				buf[k++] = '\r';
				buf[k++] = '\n';
			}
			buf[k] = 0;
			b->st->ConOut->OutputString(b->st->ConOut, buf);
			k = 0;
			if (*p == 0)
				return;
		}
		unsigned char c = (unsigned char)*p;

		buf[k++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
}

#define say(b, ...) lprintf(&(b)->sink, __VA_ARGS__)

/* A failed firmware call: name it, return its status. */
static EFI_STATUS efi_fail(struct boot *b, const char *what, EFI_STATUS s)
{
	say(b, "loader: %s: %s", what, efi_status_name(s));
	return s;
}

static void ascii_from_ucs2(char *dst, size_t max, const CHAR16 *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < max; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[i] = 0;
}

static EFI_STATUS pages_alloc(struct boot *b, EFI_ALLOCATE_TYPE type, uint64_t bytes,
			      uint64_t *addr)
{
	EFI_PHYSICAL_ADDRESS a = *addr;
	EFI_STATUS s = b->bs->AllocatePages(type, EfiLoaderData, EFI_SIZE_TO_PAGES(bytes), &a);

	if (!EFI_ERROR(s))
		*addr = a;
	return s;
}

static void pages_free(struct boot *b, uint64_t addr, uint64_t bytes)
{
	if (addr && bytes && !b->ebs_done)
		b->bs->FreePages(addr, EFI_SIZE_TO_PAGES(bytes));
}

/* Tree buffers (tree_buf): loader-data pages, so the final one survives
 * ExitBootServices and lies inside /memory. */
static void *tree_pages(void *ctx, size_t size)
{
	uint64_t a = 0;

	return EFI_ERROR(pages_alloc(ctx, AllocateAnyPages, size, &a)) ? NULL : (void *)(uintptr_t)a;
}

static void tree_pages_free(void *ctx, void *p, size_t size)
{
	pages_free(ctx, (uint64_t)(uintptr_t)p, size);
}

/* ------------------------------------------------------------- files ----- */

static EFI_STATUS file_open(struct boot *b, const char *path, EFI_FILE_HANDLE *fh)
{
	CHAR16 wpath[CFG_PATH_MAX];
	size_t i = 0;

	for (; path[i] && i + 1 < CFG_PATH_MAX; i++)
		wpath[i] = (unsigned char)path[i];
	wpath[i] = 0;
	return b->root->Open(b->root, fh, wpath, EFI_FILE_MODE_READ, 0);
}

static EFI_STATUS file_size(struct boot *b, EFI_FILE_HANDLE fh, uint64_t *size)
{
	EFI_GUID info_id = EFI_FILE_INFO_ID;
	uint64_t buf[64];		/* EFI_FILE_INFO + a 400-odd character name */
	UINTN len = sizeof(buf);
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)buf;
	EFI_STATUS s = fh->GetInfo(fh, &info_id, &len, info);

	if (s == EFI_BUFFER_TOO_SMALL) {
		s = b->bs->AllocatePool(EfiLoaderData, len, (void **)&info);
		if (!EFI_ERROR(s)) {
			s = fh->GetInfo(fh, &info_id, &len, info);
			*size = info->FileSize;
			b->bs->FreePool(info);
			return s;
		}
	}
	if (!EFI_ERROR(s))
		*size = info->FileSize;
	return s;
}

/* Read exactly size bytes from the start of the file; a short read is an
 * error (EFI_END_OF_FILE). Firmware may return less per call: loop. */
static EFI_STATUS file_read(EFI_FILE_HANDLE fh, void *dst, uint64_t size)
{
	uint8_t *p = dst;
	EFI_STATUS s = fh->SetPosition(fh, 0);

	while (!EFI_ERROR(s) && size) {
		UINTN n = size > (64u << 20) ? (64u << 20) : size;

		s = fh->Read(fh, &n, p);
		if (!EFI_ERROR(s) && n == 0)
			s = EFI_END_OF_FILE;
		p += n;
		size -= n;
	}
	return s;
}

/* Open path, check its size (1..max bytes), report it. */
static EFI_STATUS file_open_sized(struct boot *b, const char *what, const char *path,
				  EFI_FILE_HANDLE *fh, uint64_t *size)
{
	EFI_STATUS s = file_open(b, path, fh);

	if (EFI_ERROR(s)) {
		say(b, "loader: %s: cannot open %s: %s", what, path, efi_status_name(s));
		return s;
	}
	s = file_size(b, *fh, size);
	if (EFI_ERROR(s)) {
		say(b, "loader: %s: %s: GetInfo: %s", what, path, efi_status_name(s));
	} else if (*size == 0 || *size > FILE_MAX) {
		say(b, "loader: %s: %s: size %llu bytes (1..%llu accepted)", what, path,
		    (unsigned long long)*size, (unsigned long long)FILE_MAX);
		s = EFI_BAD_BUFFER_SIZE;
	}
	if (EFI_ERROR(s))
		(*fh)->Close(*fh);
	return s;
}

/* --------------------------------------------------------- memory map ---- */

/* GetMemoryMap into b->map (growing it first when too small, which is only
 * allowed before ExitBootServices was tried), then the sorted plain copy. */
static EFI_STATUS map_read(struct boot *b, int may_grow)
{
	EFI_STATUS s;

	for (;;) {
		b->map_size = b->map_cap;
		s = b->bs->GetMemoryMap(&b->map_size, b->map, &b->map_key, &b->desc_size,
					&b->desc_ver);
		if (s != EFI_BUFFER_TOO_SMALL || !may_grow)
			break;
		if (b->map)
			b->bs->FreePool(b->map);
		if (b->descs)
			b->bs->FreePool(b->descs);
		b->map = NULL;
		b->descs = NULL;
		/* Room for what the two allocations below add, and then some. */
		b->map_cap = b->map_size + MAP_SLACK * (b->desc_size ? b->desc_size : 48);
		b->desc_cap = (unsigned)(b->map_cap / sizeof(EFI_MEMORY_DESCRIPTOR)) + MAP_SLACK;
		s = b->bs->AllocatePool(EfiLoaderData, b->map_cap, (void **)&b->map);
		if (!EFI_ERROR(s))
			s = b->bs->AllocatePool(EfiLoaderData, b->desc_cap * sizeof(struct mem_desc),
						(void **)&b->descs);
		if (EFI_ERROR(s)) {
			b->map_cap = 0;
			return s;
		}
	}
	if (EFI_ERROR(s))
		return s;
	if (b->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR))
		return EFI_INCOMPATIBLE_VERSION;
	b->ndesc = 0;
	for (UINTN off = 0; off + b->desc_size <= b->map_size && b->ndesc < b->desc_cap;
	     off += b->desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const uint8_t *)b->map + off);

		b->descs[b->ndesc++] = (struct mem_desc){ d->Type, d->PhysicalStart, d->NumberOfPages };
	}
	memmap_sort(b->descs, b->ndesc);
	return EFI_SUCCESS;
}

static EFI_STATUS map_step(struct boot *b)
{
	EFI_STATUS s = map_read(b, 1);

	if (EFI_ERROR(s))
		return efi_fail(b, "memory map: GetMemoryMap", s);
	return EFI_SUCCESS;
}

static uint64_t map_avail(void *ctx, uint64_t addr)
{
	struct boot *b = ctx;

	return memmap_avail(b->descs, b->ndesc, addr);
}

/* ------------------------------------------------------------- steps ----- */

static EFI_STATUS log_open(struct boot *b)
{
	char vendor[40];

	llog_init(&b->log, conout_line, b);
	b->sink = llog_sink(&b->log);
	ascii_from_ucs2(vendor, sizeof(vendor), b->st->FirmwareVendor);
	say(b, "loader: Plinth BOOTAA64.EFI on \"%s\" firmware rev 0x%x, UEFI %u.%u, EL%u", vendor,
	    b->st->FirmwareRevision, b->st->Hdr.Revision >> 16, (b->st->Hdr.Revision & 0xffff) / 10,
	    current_el());
	/* The log region is allocated first so that every later line is in
	 * what the kernel's `log` prints. Without it the boot goes on,
	 * printing on ConOut only. */
	EFI_STATUS s = pages_alloc(b, AllocateAnyPages, LOG_BYTES, &b->log_base);

	if (EFI_ERROR(s)) {
		b->log_base = 0;
		return efi_fail(b, "log: AllocatePages for the log region", s);
	}
	llog_set_buffer(&b->log, (char *)(uintptr_t)b->log_base, LOG_BYTES);
	return EFI_SUCCESS;
}

static EFI_STATUS open_esp(struct boot *b)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS s;

	s = b->bs->HandleProtocol(b->image, &li_guid, (void **)&li);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: HandleProtocol(LoadedImage)", s);
	s = b->bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: the volume this loader came from has no file system", s);
	s = fs->OpenVolume(fs, &b->root);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: OpenVolume", s);
	return EFI_SUCCESS;
}

/* plinth.cfg is optional: absent means the defaults. */
static EFI_STATUS read_cfg(struct boot *b)
{
	EFI_FILE_HANDLE fh;
	uint64_t size;
	char *text = NULL;
	EFI_STATUS s;

	cfg_defaults(&b->cfg);
	s = file_open(b, CFG_PATH, &fh);
	if (s == EFI_NOT_FOUND) {
		say(b, "loader: cfg: %s absent, defaults: kernel=%s", CFG_PATH, b->cfg.kernel);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(s))
		return efi_fail(b, "cfg: opening " CFG_PATH, s);
	s = file_size(b, fh, &size);
	if (!EFI_ERROR(s) && size > 64 * 1024) {
		say(b, "loader: cfg: %s is %llu bytes; 65536 is the limit", CFG_PATH,
		    (unsigned long long)size);
		s = EFI_BAD_BUFFER_SIZE;
	}
	if (!EFI_ERROR(s) && size)
		s = b->bs->AllocatePool(EfiLoaderData, size, (void **)&text);
	if (!EFI_ERROR(s) && size)
		s = file_read(fh, text, size);
	fh->Close(fh);
	if (EFI_ERROR(s)) {
		if (text)
			b->bs->FreePool(text);
		return efi_fail(b, "cfg: reading " CFG_PATH, s);
	}
	int warnings = size ? cfg_parse(&b->cfg, text, size, &b->sink) : 0;

	if (text)
		b->bs->FreePool(text);
	say(b, "loader: cfg: %s: kernel=%s%s%s%s%s%s%s, %d warning(s)", CFG_PATH, b->cfg.kernel,
	    b->cfg.initrd[0] ? " initrd=" : "", b->cfg.initrd,
	    b->cfg.have_bootargs ? " bootargs=\"" : "", b->cfg.have_bootargs ? b->cfg.bootargs : "",
	    b->cfg.have_bootargs ? "\"" : "", b->cfg.board[0] ? " board=" : "", warnings);
	return EFI_SUCCESS;
}

/* The Image goes to the lowest 2 MiB-aligned free RAM that holds
 * text_offset + image_size (booting.rst; also right for flags bit 3 = 0,
 * "as low as possible"). The map is only a guide: AllocateAddress decides,
 * and a refused candidate moves the search on. */
static EFI_STATUS place_image(struct boot *b, const struct arm64_image *img)
{
	uint64_t need = image_alloc_size(img), from = 0, base;
	EFI_STATUS s = EFI_NOT_FOUND;

	for (int tries = 0; tries < 64; tries++) {
		if (memmap_find_free(b->descs, b->ndesc, need, SZ_2M, from, &base) < 0)
			break;
		s = pages_alloc(b, AllocateAddress, need, &base);
		if (!EFI_ERROR(s)) {
			b->img_base = base;
			b->img_bytes = need;
			b->entry = base + img->text_offset;
			return EFI_SUCCESS;
		}
		from = base + SZ_2M;
	}
	say(b, "loader: image: no 2 MiB-aligned free RAM for 0x%llx bytes (last AllocatePages: %s)",
	    (unsigned long long)need, efi_status_name(s));
	return EFI_OUT_OF_RESOURCES;
}

static EFI_STATUS load_kernel(struct boot *b)
{
	EFI_FILE_HANDLE fh;
	uint64_t size;
	uint8_t hdr[IMAGE_HDR_SIZE];
	struct arm64_image img;
	EFI_STATUS s;

	s = file_open_sized(b, "image", b->cfg.kernel, &fh, &size);
	if (EFI_ERROR(s))
		return s;
	s = file_read(fh, hdr, size < sizeof(hdr) ? size : sizeof(hdr));
	if (EFI_ERROR(s)) {
		fh->Close(fh);
		return efi_fail(b, "image: reading the header", s);
	}
	if (image_check(hdr, sizeof(hdr), size, &img, &b->sink) < 0) {
		fh->Close(fh);
		return EFI_LOAD_ERROR;
	}
	s = place_image(b, &img);
	if (!EFI_ERROR(s)) {
		s = file_read(fh, (void *)(uintptr_t)b->entry, size);
		if (EFI_ERROR(s))
			efi_fail(b, "image: reading the file", s);
	}
	fh->Close(fh);
	if (EFI_ERROR(s))
		return s;
	/* BSS (image_size beyond the file) is the kernel's to clear. */
	say(b, "loader: image: %s loaded at 0x%llx (2 MiB-aligned base 0x%llx, 0x%llx bytes allocated)",
	    b->cfg.kernel, (unsigned long long)b->entry, (unsigned long long)b->img_base,
	    (unsigned long long)b->img_bytes);
	return EFI_SUCCESS;
}

static EFI_STATUS load_initrd(struct boot *b)
{
	EFI_FILE_HANDLE fh;
	uint64_t size;
	EFI_STATUS s;

	if (!b->cfg.initrd[0])
		return EFI_SUCCESS;
	s = file_open_sized(b, "initrd", b->cfg.initrd, &fh, &size);
	if (EFI_ERROR(s))
		return s;
	s = pages_alloc(b, AllocateAnyPages, size, &b->initrd_base);
	if (EFI_ERROR(s)) {
		b->initrd_base = 0;
		efi_fail(b, "initrd: AllocatePages", s);
	} else {
		b->initrd_bytes = page_round(size);
		b->initrd_size = size;
		s = file_read(fh, (void *)(uintptr_t)b->initrd_base, size);
		if (EFI_ERROR(s))
			efi_fail(b, "initrd: reading the file", s);
	}
	fh->Close(fh);
	if (!EFI_ERROR(s))
		say(b, "loader: initrd: %s, %llu bytes at 0x%llx", b->cfg.initrd,
		    (unsigned long long)size, (unsigned long long)b->initrd_base);
	return s;
}

/* The ACPI 2.0+ RSDP from the configuration table (UEFI 2.10 4.6). */
static EFI_STATUS find_tables(struct boot *b)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	uint64_t rsdp = 0;

	for (UINTN i = 0; i < b->st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &b->st->ConfigurationTable[i];

		if (memcmp(&t->VendorGuid, &acpi20, sizeof(acpi20)) == 0) {
			rsdp = (uint64_t)(uintptr_t)t->VendorTable;
			break;
		}
	}
	if (!rsdp) {
		say(b, "fdt: rsdp: no ACPI 2.0 table in the UEFI configuration table (%llu entries)",
		    (unsigned long long)b->st->NumberOfTableEntries);
		return EFI_NOT_FOUND;
	}
	int err = acpi_collect(rsdp, map_avail, b, &b->acpi, &b->sink);

	if (err < 0) {
		say(b, "fdt: acpi: no usable root table: %s", plinth_strerror(err));
		return EFI_NOT_FOUND;
	}
	return EFI_SUCCESS;
}

/* acpi2fdt builds a new tree; on NOSPACE it is run again, from nothing, in
 * twice the room. Its lines are held until an attempt completes so a
 * retried conversion prints once. */
static EFI_STATUS convert(struct boot *b)
{
	size_t size = acpi2fdt_size_hint(b->acpi.t, b->acpi.n);	/* doubled on NOSPACE */
	void *buf;
	int r;

	if (size > TREE_MAX)	/* a table may claim any length */
		size = TREE_MAX;
	for (;;) {
		buf = tree_pages(b, size);
		if (!buf)
			return efi_fail(b, "fdt: AllocatePages for the tree", EFI_OUT_OF_RESOURCES);
		memset(&b->res, 0, sizeof(b->res));
		llog_hold(&b->log);
		r = acpi2fdt(b->acpi.t, b->acpi.n, buf, size, &b->sink, &b->res);
		if (r != -FDT_ERR_NOSPACE || size * 2 > TREE_MAX)
			break;
		llog_release(&b->log, 0);
		tree_pages_free(b, buf, size);
		say(b, "fdt: tree: %zu bytes were not enough for the conversion, again in %zu", size,
		    size * 2);
		size *= 2;
	}
	llog_release(&b->log, 1);
	/* Steps below edit the tree in place: open it to the whole buffer. */
	if (r >= 0)
		r = fdt_open_into(buf, buf, (int)size);
	if (r < 0) {
		tree_pages_free(b, buf, size);
		say(b, "fdt: acpi2fdt: %s: no tree could be built from the tables", plinth_strerror(r));
		return EFI_LOAD_ERROR;
	}
	b->talloc = (struct tree_alloc){ tree_pages, tree_pages_free, b };
	b->tree = (struct tree_buf){ buf, size, TREE_MAX, &b->talloc, 0 };
	return EFI_SUCCESS;
}

/* Tree steps, in the shape tree_step() runs. */
static int step_chosen(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;
	struct chosen_args a = {
		.bootargs = b->cfg.have_bootargs ? b->cfg.bootargs : NULL,
		.initrd_start = b->initrd_base,
		.initrd_size = b->initrd_size,
	};
	return tree_set_chosen(fdt, &a, log);
}

static int step_plinth(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	return tree_set_plinth(fdt, b->acpi.rsdp, b->cfg.board, log);
}

static int step_log_region(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	if (!b->log_base)
		return 0;
	return tree_add_log_region(fdt, b->log_base, LOG_BYTES, log);
}

static int step_image_rsv(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	return tree_add_memreserve(fdt, b->img_base, b->img_bytes, "Image", log);
}

static int step_memory(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	return tree_set_memory(fdt, b->descs, b->ndesc, log);
}

/* GOP mode n as the pure part sees it (efi_gop.c). */
static void gop_mode_of(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct gop_mode *m)
{
	const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *i = gop->Mode->Info;

	*m = (struct gop_mode){
		.pixel_format = i->PixelFormat,
		.mask = { i->PixelInformation.RedMask, i->PixelInformation.GreenMask,
			  i->PixelInformation.BlueMask, i->PixelInformation.ReservedMask },
		.width = i->HorizontalResolution,
		.height = i->VerticalResolution,
		.pixels_per_line = i->PixelsPerScanLine,
		.base = gop->Mode->FrameBufferBase,
		.size = gop->Mode->FrameBufferSize,
	};
}

/* plinth.cfg gop=WxH: set that mode when the GOP lists it; otherwise the
 * firmware's current mode stays. */
static void gop_pick_mode(struct boot *b, EFI_GRAPHICS_OUTPUT_PROTOCOL *gop)
{
	uint32_t w, h;

	if (!b->cfg.gop[0])
		return;
	if (gop_parse_size(b->cfg.gop, &w, &h) < 0) {
		say(b, "fdt: gop: cfg gop=%s is not WxH, the current mode stays", b->cfg.gop);
		return;
	}
	for (UINT32 n = 0; n < gop->Mode->MaxMode; n++) {
		EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *i;
		UINTN len;

		if (EFI_ERROR(gop->QueryMode(gop, n, &len, &i)))
			continue;
		int match = i->HorizontalResolution == w && i->VerticalResolution == h;

		b->bs->FreePool(i);
		if (!match)
			continue;
		EFI_STATUS s = gop->SetMode(gop, n);

		say(b, "fdt: gop: cfg gop=%s: mode %u %s", b->cfg.gop, n,
		    EFI_ERROR(s) ? efi_status_name(s) : "set");
		return;
	}
	say(b, "fdt: gop: cfg gop=%s: no such mode among %u, the current mode stays", b->cfg.gop,
	    gop->Mode->MaxMode);
}

/* The GOP's framebuffer, if any, into b->fb for step_gop. No GOP, or one
 * without a linear framebuffer, is logged and the boot goes on. */
static void find_gop(struct boot *b)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_STATUS s = b->bs->LocateProtocol(&gop_guid, NULL, (void **)&gop);
	struct gop_mode m;

	if (EFI_ERROR(s) || !gop->Mode || !gop->Mode->Info) {
		say(b, "fdt: gop: none (%s): no framebuffer", EFI_ERROR(s) ? efi_status_name(s) :
		    "no current mode");
		return;
	}
	gop_pick_mode(b, gop);
	gop_mode_of(gop, &m);
	if (gop_describe(&m, &b->fb, &b->sink))
		b->fb.reserve = gop_in_ram(b->descs, b->ndesc, b->fb.base, b->fb.region);
}

static int step_gop(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	return b->fb.format ? tree_add_framebuffer(fdt, &b->fb, log) : 0;
}

/* ------------------------------------------------ board and overlays ---- */

/* EDK2 has assigned every BAR and bridge window: the kernel keeps that
 * assignment (kernel/core/pci.c honours /chosen/linux,pci-probe-only). */
static int step_pci_probe_only(void *fdt, void *arg, const struct plinth_log *log)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), err;

	(void)arg;
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	err = fdt_setprop_u32(fdt, chosen, "linux,pci-probe-only", 1);
	if (err == 0)
		lprintf(log, "fdt: chosen: linux,pci-probe-only = 1 (the firmware's PCI assignment is kept)");
	return err;
}

/* The SMBIOS type-1 strings (smbios.c): the 64-bit entry point AAVMF
 * installs (SMBIOS3_TABLE_GUID), else the 32-bit one. Absent or malformed:
 * logged, and detection goes on without them. */
static int find_smbios(struct boot *b, struct smbios_system *sys)
{
	static const EFI_GUID guids[2] = { SMBIOS3_TABLE_GUID, SMBIOS_TABLE_GUID };
	struct smbios_table t;

	for (int k = 0; k < 2; k++)
		for (UINTN i = 0; i < b->st->NumberOfTableEntries; i++) {
			EFI_CONFIGURATION_TABLE *c = &b->st->ConfigurationTable[i];
			uint64_t ep = (uint64_t)(uintptr_t)c->VendorTable, avail;

			if (memcmp(&c->VendorGuid, &guids[k], sizeof(guids[k])) != 0)
				continue;
			avail = map_avail(b, ep);
			if (smbios_entry(c->VendorTable, avail, k == 0, &t, &b->sink) < 0)
				break;
			avail = map_avail(b, t.addr);
			if (smbios_system((const void *)(uintptr_t)t.addr,
					  avail < t.len ? avail : t.len, sys, &b->sink) < 0)
				return -PLINTH_ENOENT;
			say(b, "fdt: smbios: %u.%u (%s entry point): manufacturer \"%s\", product \"%s\"",
			    t.major, t.minor, k == 0 ? "64-bit" : "32-bit", sys->manufacturer,
			    sys->product);
			return 0;
		}
	say(b, "fdt: smbios: no usable SMBIOS entry point in the UEFI configuration table");
	return -PLINTH_ENOENT;
}

/* Which boards/<name>/ this machine is (loader/board.c logs the match):
 * plinth.cfg board= first, then the converter's ACPI OEM ID, then SMBIOS. */
static void find_board(struct boot *b)
{
	struct smbios_system sys;
	struct board_ids ids = {
		.forced = b->cfg.board,
		.oem_id = b->res.oem_id,
	};

	if (find_smbios(b, &sys) == 0) {
		ids.smbios_manufacturer = sys.manufacturer;
		ids.smbios_product = sys.product;
	}
	b->board = board_detect(plinth_boards, plinth_board_count, &ids, &b->sink);
}

/* Scratch buffers for one overlay onto fdt (overlay.c allocates nothing):
 * a tree-sized copy and room for an ovl_max-byte overlay. */
static int ovl_bufs(struct boot *b, const void *fdt, size_t ovl_max, struct overlay_bufs *ob)
{
	ob->scratch_size = fdt_totalsize(fdt);
	ob->ovl_size = ovl_max ? ovl_max : 1;
	ob->scratch = tree_pages(b, ob->scratch_size);
	ob->ovl = tree_pages(b, ob->ovl_size);
	if (ob->scratch && ob->ovl)
		return 0;
	tree_pages_free(b, ob->scratch, ob->scratch_size);
	tree_pages_free(b, ob->ovl, ob->ovl_size);
	return -PLINTH_ENOMEM;
}

static void ovl_bufs_free(struct boot *b, struct overlay_bufs *ob)
{
	tree_pages_free(b, ob->scratch, ob->scratch_size);
	tree_pages_free(b, ob->ovl, ob->ovl_size);
}

/* The board's overlay.dtso, and console.dtso when the tree has no console.
 * A failed overlay is logged and skipped (overlay.c); only NOSPACE comes
 * back, for tree_step to grow the tree and run this again from its copy. */
static int step_board(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;
	const struct board *bd = b->board;
	struct overlay_bufs ob;
	int err;

	if (!bd)
		return 0;
	if (ovl_bufs(b, fdt, bd->overlay_size > bd->console_size ? bd->overlay_size :
		     bd->console_size, &ob) < 0) {
		lprintf(log, "fdt: board %s: no memory for the overlay buffers: no board overlay",
			bd->name);
		return 0;
	}
	err = overlay_apply_board(fdt, bd, &ob, log);
	ovl_bufs_free(b, &ob);
	return err == -FDT_ERR_NOSPACE ? err : 0;
}

static int step_user_overlays(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;
	struct overlay_bufs ob;
	size_t most = 0;
	int err = 0;

	for (unsigned i = 0; i < b->novl; i++)
		most = b->ovl[i].size > most ? b->ovl[i].size : most;
	if (!b->novl)
		return 0;
	if (ovl_bufs(b, fdt, most, &ob) < 0) {
		lprintf(log, "fdt: overlays: no memory for the overlay buffers: no user overlay");
		return 0;
	}
	/* Each onto a scratch copy (overlay.c): a failure keeps the tree. */
	for (unsigned i = 0; i < b->novl && err != -FDT_ERR_NOSPACE; i++)
		err = overlay_apply_checked(fdt, b->ovl[i].data, b->ovl[i].size, b->ovl[i].name,
					    &ob, log);
	ovl_bufs_free(b, &ob);
	return err == -FDT_ERR_NOSPACE ? err : 0;
}

/* "*.dtbo", any case. */
static int is_dtbo(const char *name)
{
	size_t n = strlen(name);
	const char *ext = ".dtbo";

	if (n <= 5)
		return 0;
	for (size_t i = 0; i < 5; i++) {
		char c = name[n - 5 + i];

		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != ext[i])
			return 0;
	}
	return 1;
}

/* One directory entry: a plain-ASCII *.dtbo name goes into b->ovl, kept
 * sorted by name (insertion: at most OVL_MAX). */
static void ovl_add(struct boot *b, const EFI_FILE_INFO *fi)
{
	char name[OVL_NAME_MAX];
	unsigned i, k;

	if (fi->Attribute & EFI_FILE_DIRECTORY)
		return;
	for (k = 0; fi->FileName[k]; k++)
		if (k + 1 >= OVL_NAME_MAX || fi->FileName[k] < 0x20 || fi->FileName[k] >= 0x7f) {
			ascii_from_ucs2(name, sizeof(name), fi->FileName);
			say(b, "fdt: overlays: skipping \"%s\": names are %u plain ASCII characters at most",
			    name, OVL_NAME_MAX - 1);
			return;
		}
	ascii_from_ucs2(name, sizeof(name), fi->FileName);
	if (!is_dtbo(name))
		return;
	if (b->novl == OVL_MAX) {
		say(b, "fdt: overlays: skipping %s: more than %u overlays", name, OVL_MAX);
		return;
	}
	for (i = b->novl; i > 0 && strcmp(b->ovl[i - 1].name, name) > 0; i--)
		b->ovl[i] = b->ovl[i - 1];
	b->ovl[i] = (struct user_ovl){ .data = NULL };
	memcpy(b->ovl[i].name, name, strlen(name) + 1);
	b->novl++;
}

/* Read one listed overlay into pool memory; on failure it is logged and
 * dropped from the list (the boot goes on without it). */
static int ovl_read(struct boot *b, struct user_ovl *o)
{
	char path[CFG_PATH_MAX];
	EFI_FILE_HANDLE fh;
	EFI_STATUS s;

	ksnprintf(path, sizeof(path), OVL_DIR "\\%s", o->name);
	s = file_open_sized(b, "overlays", path, &fh, &o->size);
	if (EFI_ERROR(s))
		return -1;
	s = b->bs->AllocatePool(EfiLoaderData, o->size, &o->data);
	if (EFI_ERROR(s))
		o->data = NULL;
	else
		s = file_read(fh, o->data, o->size);
	fh->Close(fh);
	if (!EFI_ERROR(s))
		return 0;
	say(b, "fdt: overlays: %s: reading it: %s; skipped", path, efi_status_name(s));
	if (o->data)
		b->bs->FreePool(o->data);
	o->data = NULL;
	return -1;
}

/* The user's \plinth\overlays\*.dtbo, listed through the file protocol
 * (a directory Read returns one EFI_FILE_INFO per call, 0 bytes at the
 * end), sorted by name, each read whole. No directory: none, logged. */
static void read_overlays(struct boot *b)
{
	uint64_t buf[96];		/* EFI_FILE_INFO + a 300-odd character name */
	EFI_FILE_HANDLE dir;
	EFI_STATUS s = file_open(b, OVL_DIR, &dir);
	unsigned kept = 0;

	if (EFI_ERROR(s)) {
		say(b, "fdt: overlays: no %s on the ESP (%s): no user overlay", OVL_DIR,
		    efi_status_name(s));
		return;
	}
	for (;;) {
		UINTN len = sizeof(buf);

		s = dir->Read(dir, &len, buf);
		if (EFI_ERROR(s) || len == 0)
			break;
		ovl_add(b, (const EFI_FILE_INFO *)buf);
	}
	dir->Close(dir);
	if (EFI_ERROR(s))
		say(b, "fdt: overlays: listing %s: %s; the names read so far are used", OVL_DIR,
		    efi_status_name(s));
	for (unsigned i = 0; i < b->novl; i++)
		if (ovl_read(b, &b->ovl[i]) == 0)
			b->ovl[kept++] = b->ovl[i];
	b->novl = kept;
	say(b, "fdt: overlays: %u in %s, applied in name order after the board's", b->novl, OVL_DIR);
}

static void free_overlays(struct boot *b)
{
	for (unsigned i = 0; i < b->novl; i++)
		if (b->ovl[i].data && !b->ebs_done)
			b->bs->FreePool(b->ovl[i].data);
	b->novl = 0;
}

static EFI_STATUS tree_fail(struct boot *b, const char *step, int err)
{
	say(b, "fdt: %s: %s: the tree cannot be completed", step, plinth_strerror(err));
	return EFI_LOAD_ERROR;
}

#define STEP(b, fn, name) do { \
	int _e = tree_step(&(b)->tree, fn, (b), &(b)->log); \
	if (_e < 0) \
		return tree_fail((b), (name), _e); \
} while (0)

/* Last edits, in a buffer that no longer moves: the tree's own reservation
 * must name its final address, so first make sure the buffer has room. */
static EFI_STATUS finish_tree(struct boot *b)
{
	struct tree_buf *t = &b->tree;
	uint64_t fdt;
	int err;

	if ((size_t)fdt_totalsize(t->fdt) - fdt_size_dt_struct(t->fdt) -
	    fdt_size_dt_strings(t->fdt) - fdt_off_dt_struct(t->fdt) < TREE_ROOM) {
		err = tree_move(t, t->size + TREE_ROOM);
		if (err < 0)
			return tree_fail(b, "tree", err);
	}
	fdt = (uint64_t)(uintptr_t)t->fdt;
	err = tree_add_memreserve(t->fdt, fdt, page_round(t->size),
				  "tree", &b->sink);
	if (err == 0)
		err = fdt_pack(t->fdt);
	if (err < 0)
		return tree_fail(b, "tree", err);
	say(b, "fdt: done: %d nodes, %u bytes at 0x%llx, tables used %u, skipped %u, not converted %u%s",
	    tree_count_nodes(t->fdt), fdt_totalsize(t->fdt), (unsigned long long)fdt,
	    b->res.tables_used, b->res.tables_skipped + b->acpi.skipped, b->res.tables_ignored,
	    b->res.have_console ? "" : ", no console");
	return EFI_SUCCESS;
}

/* ExitBootServices with the key of a map read just before it; a stale key
 * (EFI_INVALID_PARAMETER: something allocated in between, e.g. a timer
 * event) means read the map again and retry. After the first attempt only
 * GetMemoryMap and ExitBootServices may be called, so no allocation: the
 * map buffer has slack from map_read. */
static EFI_STATUS exit_boot_services(struct boot *b, uint64_t *t_ebs)
{
	uint64_t sig = memmap_reserved_sig(b->descs, b->ndesc);
	EFI_STATUS s = EFI_SUCCESS;
	int attempt;

	/* The last line on ConOut; the exact figure, taken after
	 * ExitBootServices, goes to the handed-over log (see boot()). */
	say(b, "loader: ExitBootServices, %llu us after entry (the kernel's own output follows)",
	    us(b->t0, cntvct()));
	for (attempt = 1; attempt <= EBS_TRIES; attempt++) {
		s = map_read(b, attempt == 1);
		if (EFI_ERROR(s))
			break;
		s = b->bs->ExitBootServices(b->image, b->map_key);
		if (s != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(s)) {
		/* Best effort: the firmware may already be partly gone. */
		say(b, "loader: ExitBootServices: %s after %d attempt(s); returning to the firmware",
		    efi_status_name(s), attempt);
		return s;
	}
	*t_ebs = cntvct();
	b->ebs_done = 1;
	b->log.out = NULL;
	/* From here the log goes only into the handed-over region. */
	say(b, "loader: ExitBootServices: done, attempt %d, map key 0x%llx, %u descriptors", attempt,
	    (unsigned long long)b->map_key, b->ndesc);
	if (memmap_reserved_sig(b->descs, b->ndesc) != sig)
		say(b, "loader: warning: the firmware's reserved regions changed after the tree's "
		       "/reserved-memory was written");
	return EFI_SUCCESS;
}

static void release(struct boot *b)
{
	free_overlays(b);
	if (b->tree.fdt)
		tree_pages_free(b, b->tree.fdt, b->tree.size);
	pages_free(b, b->initrd_base, b->initrd_bytes);
	pages_free(b, b->img_base, b->img_bytes);
	if (b->map)
		b->bs->FreePool(b->map);
	if (b->descs)
		b->bs->FreePool(b->descs);
	if (b->root)
		b->root->Close(b->root);
	/* The log region last: everything above may still have said something. */
	b->log.buf = NULL;
	pages_free(b, b->log_base, LOG_BYTES);
}

#define RUN(call) do { EFI_STATUS _s = (call); if (EFI_ERROR(_s)) return _s; } while (0)

/* The recipe. Returns only on failure (the handoff does not return). */
static EFI_STATUS boot(struct boot *b)
{
	uint64_t t_ebs = 0, t_files, t_tables, t_convert, t_tree;

	/* 1. The log before anything else: every later step reports through it. */
	log_open(b);
	/* 2. The ESP and plinth.cfg: the cfg names the kernel and initrd. */
	RUN(open_esp(b));
	RUN(read_cfg(b));
	/* 3. A first memory map: the Image placement and the ACPI table
	 *    bounds are checked against it. */
	RUN(map_step(b));
	/* 4. Kernel and initrd before the tree: the tree records where they are. */
	RUN(load_kernel(b));
	RUN(load_initrd(b));
	read_overlays(b);
	t_files = cntvct();
	/* 5. ACPI -> tree. Nothing after this step may fail silently: a tree
	 *    that cannot be built means returning to the firmware. */
	RUN(find_tables(b));
	t_tables = cntvct();
	RUN(convert(b));
	t_convert = cntvct();
	/* 6. The loader's own nodes. /chosen keeps the converter's stdout-path. */
	STEP(b, step_chosen, "chosen");
	STEP(b, step_plinth, "plinth");
	/* The framebuffer before the user overlays: they may target &fb0. */
	find_gop(b);
	STEP(b, step_gop, "gop");
	STEP(b, step_pci_probe_only, "chosen");
	/* Board overlays, then the user's last (README, "Boards": precedence). */
	find_board(b);
	STEP(b, step_board, "board overlays");
	STEP(b, step_user_overlays, "user overlays");
	free_overlays(b);
	STEP(b, step_log_region, "reserved-memory");
	STEP(b, step_image_rsv, "memreserve");
	/* 7. /memory and /reserved-memory last (m1n1's rule), from a map read
	 *    after every allocation above: the tree must describe the map that
	 *    the kernel inherits. Later allocations (a tree move) are loader
	 *    data, which /memory covers already. */
	RUN(map_step(b));
	STEP(b, step_memory, "memory");
	/* 8. The tree's own /memreserve/ at its final address, then pack. */
	RUN(finish_tree(b));
	t_tree = cntvct();
	/* 9. Leave the firmware. No ConOut output after this. */
	RUN(exit_boot_services(b, &t_ebs));
	say(b, "loader: entry to ExitBootServices: %llu counter ticks at %llu Hz (%llu us): "
	    "cfg+files %llu us, ACPI tables %llu us, conversion %llu us, loader nodes+memory %llu us, "
	    "ExitBootServices %llu us", (unsigned long long)(t_ebs - b->t0),
	    (unsigned long long)cntfrq(), us(b->t0, t_ebs), us(b->t0, t_files),
	    us(t_files, t_tables), us(t_tables, t_convert), us(t_convert, t_tree),
	    us(t_tree, t_ebs));
	say(b, "loader: jumping to 0x%llx, x0 = 0x%llx", (unsigned long long)b->entry,
	    (unsigned long long)(uintptr_t)b->tree.fdt);
	/* 10. Clean what the kernel reads with its caches off, then jump. */
	const struct region r[] = {
		{ b->img_base, b->img_bytes },
		{ (uint64_t)(uintptr_t)b->tree.fdt, b->tree.size },
		{ b->log_base, b->log_base ? LOG_BYTES : 0 },
		{ b->initrd_base, b->initrd_bytes },
	};
	handoff(b->entry, (uint64_t)(uintptr_t)b->tree.fdt, r, sizeof(r) / sizeof(r[0]));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct boot *b;
	EFI_STATUS s;
	uint64_t t0 = cntvct();

	s = st->BootServices->AllocatePool(EfiLoaderData, sizeof(*b), (void **)&b);
	if (EFI_ERROR(s)) {
		st->ConOut->OutputString(st->ConOut, L"loader: AllocatePool for the loader state failed\r\n");
		return s;
	}
	memset(b, 0, sizeof(*b));
	b->image = image;
	b->st = st;
	b->bs = st->BootServices;
	b->t0 = t0;
	the_boot = b;
	s = boot(b);
	say(b, "loader: boot failed (%s); returning to the firmware", efi_status_name(s));
	release(b);
	the_boot = NULL;
	st->BootServices->FreePool(b);
	return s;
}

/* ------------------------------------------------- library callbacks ---- */

/* kprintf (lib/printf.c) ends here: whole lines into the log. */
void log_write(const char *s, size_t n)
{
	static char line[256];
	static size_t len;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' && len + 1 < sizeof(line)) {
			line[len++] = s[i];
			continue;
		}
		line[len] = 0;
		if (the_boot)
			llog_line(&the_boot->log, line);
		len = 0;
	}
}

/* A fixed guard, as in the kernel (kernel/lib/stack_chk.c): there is no
 * entropy to speak of this early and it only has to catch accidents. */
uintptr_t __stack_chk_guard = 0x2f8a5c93e1b7d400ull;

__attribute__((noreturn)) void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	struct boot *b = the_boot;

	if (b && !b->ebs_done) {
		say(b, "loader: stack smashing detected (return address %p); returning to the firmware",
		    __builtin_return_address(0));
		b->bs->Exit(b->image, EFI_ABORTED, 0, NULL);
	}
	for (;;)
		__asm__ volatile("wfi");
}
