/* The ESP through the file protocols (efi.h): the volume this loader came
 * from, plinth.cfg, the kernel Image, the initrd and the user's overlays
 * directory. Files are the user's: every size is checked before anything is
 * allocated for it, and a short read is an error. */
#include <string.h>
#include <plinth/printk.h>
#include "efi.h"

/* ------------------------------------------------------------- files ----- */

EFI_STATUS file_open(struct boot *b, const char *path, EFI_FILE_HANDLE *fh)
{
	CHAR16 wpath[CFG_PATH_MAX];
	size_t i = 0;

	for (; path[i] && i + 1 < CFG_PATH_MAX; i++)
		wpath[i] = (unsigned char)path[i];
	wpath[i] = 0;
	return b->root->Open(b->root, fh, wpath, EFI_FILE_MODE_READ, 0);
}

EFI_STATUS file_size(struct boot *b, EFI_FILE_HANDLE fh, uint64_t *size)
{
	EFI_GUID info_id = EFI_FILE_INFO_ID;
	uint64_t buf[64];		/* EFI_FILE_INFO + a name of 215 characters */
	UINTN len = sizeof(buf);
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)buf;
	EFI_STATUS s = fh->GetInfo(fh, &info_id, &len, info);

	/* A longer name: again, in a buffer of the size the call asked for
	 * (UEFI 2.10, EFI_FILE_PROTOCOL.GetInfo). */
	if (s == EFI_BUFFER_TOO_SMALL) {
		s = b->bs->AllocatePool(EfiLoaderData, len, (void **)&info);
		if (EFI_ERROR(s))
			return s;
		s = fh->GetInfo(fh, &info_id, &len, info);
	}
	/* Only a call that succeeded has written FileSize. */
	if (!EFI_ERROR(s))
		*size = info->FileSize;
	if (info != (EFI_FILE_INFO *)buf)
		b->bs->FreePool(info);
	return s;
}

/* Read exactly size bytes from the start of the file; a short read is an
 * error (EFI_END_OF_FILE). Firmware may return less per call: loop. */
EFI_STATUS file_read(EFI_FILE_HANDLE fh, void *dst, uint64_t size)
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
EFI_STATUS file_open_sized(struct boot *b, const char *what, const char *path,
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

/* ----------------------------------------------- the ESP, cfg, Image ---- */

EFI_STATUS open_esp(struct boot *b)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS s;

	s = b->bs->HandleProtocol(b->image, &li_guid, (void **)&li);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: HandleProtocol(LoadedImage)", s);
	/* BOOTAA64.so is linked at 0: its symbols are at this base plus. */
	say(b, "loader: BOOTAA64.EFI at 0x%llx (gdb: add-symbol-file BOOTAA64.so -o 0x%llx)",
	    (unsigned long long)(uintptr_t)li->ImageBase,
	    (unsigned long long)(uintptr_t)li->ImageBase);
	s = b->bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: the volume this loader came from has no file system", s);
	s = fs->OpenVolume(fs, &b->root);
	if (EFI_ERROR(s))
		return efi_fail(b, "esp: OpenVolume", s);
	return EFI_SUCCESS;
}

/* plinth.cfg is optional: absent means the defaults. */
EFI_STATUS read_cfg(struct boot *b)
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
	cfg_summary(&b->cfg, warnings, &b->sink);
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

EFI_STATUS load_kernel(struct boot *b)
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

EFI_STATUS load_initrd(struct boot *b)
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

/* ------------------------------------------------------------ overlays ---- */

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
void read_overlays(struct boot *b)
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

void free_overlays(struct boot *b)
{
	for (unsigned i = 0; i < b->novl; i++)
		if (b->ovl[i].data && !b->ebs_done)
			b->bs->FreePool(b->ovl[i].data);
	b->novl = 0;
}
