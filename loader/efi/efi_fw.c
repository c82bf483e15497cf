/* The firmware's general services (efi.h): status names, pages, the memory
 * map and ExitBootServices, the counter, and the log's output on ConOut. */
#include <string.h>
#include <plinth/printk.h>
#include "efi.h"

const char *efi_status_name(EFI_STATUS s)
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
	static char other[40] = "";	/* initialised: no .bss.* in the loader (loader.mk) */
	uint64_t code = s & ~EFI_ERROR_MASK;

	if ((s == EFI_SUCCESS || EFI_ERROR(s)) && code < sizeof(names) / sizeof(names[0]))
		return names[code];
	ksnprintf(other, sizeof(other), "EFI status 0x%llx", (unsigned long long)s);
	return other;
}

EFI_STATUS efi_fail(struct boot *b, const char *what, EFI_STATUS s)
{
	say(b, "loader: %s: %s", what, efi_status_name(s));
	return s;
}

/* ------------------------------------------------------------- pages ---- */

uint64_t page_round(uint64_t bytes)
{
	return (bytes + SZ_4K - 1) & ~(SZ_4K - 1);
}

EFI_STATUS pages_alloc(struct boot *b, EFI_ALLOCATE_TYPE type, uint64_t bytes, uint64_t *addr)
{
	EFI_PHYSICAL_ADDRESS a = *addr;
	EFI_STATUS s = b->bs->AllocatePages(type, EfiLoaderData, EFI_SIZE_TO_PAGES(bytes), &a);

	if (!EFI_ERROR(s))
		*addr = a;
	return s;
}

void pages_free(struct boot *b, uint64_t addr, uint64_t bytes)
{
	if (addr && bytes && !b->ebs_done)
		b->bs->FreePages(addr, EFI_SIZE_TO_PAGES(bytes));
}

void *tree_pages(void *ctx, size_t size)
{
	uint64_t a = 0;

	return EFI_ERROR(pages_alloc(ctx, AllocateAnyPages, size, &a)) ? NULL : (void *)(uintptr_t)a;
}

void tree_pages_free(void *ctx, void *p, size_t size)
{
	pages_free(ctx, (uint64_t)(uintptr_t)p, size);
}

/* ----------------------------------------------------------- counter ---- */

unsigned long long us(uint64_t from, uint64_t to)
{
	uint64_t hz = cpu_counter_hz();

	return hz ? (unsigned long long)((to - from) * 1000000ull / hz) : 0ull;
}

/* ------------------------------------------------------ ConOut, log ---- */

void ascii_from_ucs2(char *dst, size_t max, const CHAR16 *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < max; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[i] = 0;
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

void log_open(struct boot *b)
{
	char vendor[40];

	llog_init(&b->log, conout_line, b);
	b->sink = llog_sink(&b->log);
	ascii_from_ucs2(vendor, sizeof(vendor), b->st->FirmwareVendor);
	say(b, "loader: Plinth BOOTAA64.EFI on \"%s\" firmware rev 0x%x, UEFI %u.%u, EL%u", vendor,
	    b->st->FirmwareRevision, b->st->Hdr.Revision >> 16, (b->st->Hdr.Revision & 0xffff) / 10,
	    cpu_el());
	/* The log region is allocated first so that every later line is in
	 * what the kernel's `log` prints. Without it the boot goes on,
	 * printing on ConOut only: a missing log is no reason not to boot. */
	EFI_STATUS s = pages_alloc(b, AllocateAnyPages, LOG_BYTES, &b->log_base);

	if (EFI_ERROR(s)) {
		b->log_base = 0;
		efi_fail(b, "log: AllocatePages for the log region", s);
		return;
	}
	llog_set_buffer(&b->log, (char *)(uintptr_t)b->log_base, LOG_BYTES);
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

EFI_STATUS map_step(struct boot *b)
{
	EFI_STATUS s = map_read(b, 1);

	if (EFI_ERROR(s))
		return efi_fail(b, "memory map: GetMemoryMap", s);
	return EFI_SUCCESS;
}

uint64_t map_avail(void *ctx, uint64_t addr)
{
	struct boot *b = ctx;

	return memmap_avail(b->descs, b->ndesc, addr);
}

/* ExitBootServices with the key of a map read just before it; a stale key
 * (EFI_INVALID_PARAMETER: something allocated in between, e.g. a timer
 * event) means read the map again and retry. After the first attempt only
 * GetMemoryMap and ExitBootServices may be called, so no allocation: the
 * map buffer has slack from map_read. */
EFI_STATUS exit_boot_services(struct boot *b, uint64_t *t_ebs)
{
	uint64_t sig = memmap_reserved_sig(b->descs, b->ndesc);
	EFI_STATUS s = EFI_SUCCESS;
	int attempt;

	/* The last line on ConOut; the exact figure, taken after
	 * ExitBootServices, goes to the handed-over log (see boot()). */
	say(b, "loader: ExitBootServices, %llu us after entry (the kernel's own output follows)",
	    us(b->t0, cpu_counter()));
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
	*t_ebs = cpu_counter();
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
