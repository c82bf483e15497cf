/* The fake firmware (efi_fake.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include "efi_fake.h"

static struct fake_fw *fake;		/* boot services have no This */

/* An open file or directory: the protocol first, so a handle is one. */
struct fake_handle {
	EFI_FILE_PROTOCOL proto;
	struct fake_fw *fw;
	char path[300];			/* "" is the root */
	int file;			/* index in fw->files; -1: a directory */
	uint64_t pos;			/* bytes read, or directory entries */
};

static int fails(struct fake_fail *f)
{
	f->calls++;
	return f->at && f->calls == f->at;
}

void fake_fail_on(struct fake_fail *f, unsigned nth, EFI_STATUS status)
{
	f->at = nth;
	f->calls = 0;
	f->status = status;
}

/* ------------------------------------------------------ allocations ---- */

static void track(struct fake_fw *fw, void *p, uint64_t pages)
{
	for (unsigned i = 0; i < FAKE_ALLOCS_MAX; i++)
		if (!fw->allocs[i].p) {
			fw->allocs[i] = (struct fake_alloc){ p, pages };
			return;
		}
	fail_msg("efi_fake: more than %d allocations outstanding", FAKE_ALLOCS_MAX);
}

/* The record of p (pages 0: pool), or NULL. */
static struct fake_alloc *tracked(struct fake_fw *fw, void *p)
{
	for (unsigned i = 0; i < FAKE_ALLOCS_MAX; i++)
		if (p && fw->allocs[i].p == p)
			return &fw->allocs[i];
	return NULL;
}

static EFI_STATUS EFIAPI allocate_pool(EFI_MEMORY_TYPE type, UINTN size, VOID **buf)
{
	(void)type;
	if (fails(&fake->alloc_pool))
		return fake->alloc_pool.status;
	*buf = malloc(size ? size : 1);
	if (!*buf)
		return EFI_OUT_OF_RESOURCES;
	memset(*buf, 0xaf, size);
	track(fake, *buf, 0);
	fake->pool_live++;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI free_pool(VOID *buf)
{
	struct fake_alloc *a = tracked(fake, buf);

	if (!a || a->pages) {
		fake->bad_frees++;
		return EFI_INVALID_PARAMETER;
	}
	free(buf);
	a->p = NULL;
	fake->pool_live--;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI allocate_pages(EFI_ALLOCATE_TYPE type, EFI_MEMORY_TYPE mem,
					UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	void *p;

	(void)mem;
	if (fails(&fake->alloc_pages))
		return fake->alloc_pages.status;
	if (type == AllocateAddress || pages == 0)
		return EFI_NOT_FOUND;
	p = aligned_alloc(EFI_PAGE_SIZE, pages * EFI_PAGE_SIZE);
	if (!p)
		return EFI_OUT_OF_RESOURCES;
	track(fake, p, pages);
	fake->pages_live++;
	*addr = (EFI_PHYSICAL_ADDRESS)(uintptr_t)p;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI free_pages(EFI_PHYSICAL_ADDRESS addr, UINTN pages)
{
	void *p = (void *)(uintptr_t)addr;
	struct fake_alloc *a = tracked(fake, p);

	if (!a || a->pages != pages) {
		fake->bad_frees++;
		return EFI_NOT_FOUND;
	}
	free(p);
	a->p = NULL;
	fake->pages_live--;
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------ files ---- */

static void ascii_path(char *dst, size_t max, const CHAR16 *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < max; i++)
		dst[i] = src[i] < 0x80 ? (char)src[i] : '?';
	dst[i] = 0;
}

/* The name after the last '\'. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '\\');

	return s ? s + 1 : path;
}

/* dir ("" for the root) holds path directly: "dir\name", no '\' in name. */
static int in_dir(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return strncasecmp(path, dir, n) == 0 && path[n] == '\\' && !strchr(path + n + 1, '\\');
}

static int is_dir(const struct fake_fw *fw, const char *path)
{
	size_t n = strlen(path);

	if (!path[0])
		return 1;
	for (unsigned i = 0; i < fw->nfiles; i++)
		if (strncasecmp(fw->files[i].path, path, n) == 0 && fw->files[i].path[n] == '\\')
			return 1;
	return 0;
}

static EFI_FILE_PROTOCOL *new_handle(struct fake_fw *fw, const char *path, int file);

static EFI_STATUS EFIAPI fake_open(EFI_FILE_PROTOCOL *self, EFI_FILE_PROTOCOL **out, CHAR16 *name,
				   UINT64 mode, UINT64 attr)
{
	struct fake_handle *h = (struct fake_handle *)self;
	char rel[300], path[600];

	(void)attr;
	if (fails(&h->fw->open))
		return h->fw->open.status;
	if (mode != EFI_FILE_MODE_READ)
		return EFI_WRITE_PROTECTED;
	ascii_path(rel, sizeof(rel), name);
	if (rel[0] == '\\')
		snprintf(path, sizeof(path), "%s", rel);
	else
		snprintf(path, sizeof(path), "%s\\%s", h->path, rel);
	while (path[0] && path[strlen(path) - 1] == '\\')	/* "\" is the root */
		path[strlen(path) - 1] = 0;
	for (unsigned i = 0; i < h->fw->nfiles; i++)
		if (strcasecmp(h->fw->files[i].path, path) == 0) {
			*out = new_handle(h->fw, path, (int)i);
			return EFI_SUCCESS;
		}
	if (!is_dir(h->fw, path))
		return EFI_NOT_FOUND;
	*out = new_handle(h->fw, path, -1);
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI fake_close(EFI_FILE_PROTOCOL *self)
{
	struct fake_handle *h = (struct fake_handle *)self;

	h->fw->handles_live--;
	free(h);
	return EFI_SUCCESS;
}

/* EFI_FILE_INFO for name into buf; EFI_BUFFER_TOO_SMALL with the size
 * needed in *len when it does not fit (UEFI 2.10, EFI_FILE_PROTOCOL.GetInfo). */
static EFI_STATUS file_info(const char *name, uint64_t size, int dir, UINTN *len, void *buf)
{
	size_t n = strlen(name);
	UINTN need = SIZE_OF_EFI_FILE_INFO + (n + 1) * sizeof(CHAR16);
	EFI_FILE_INFO *fi = buf;

	if (*len < need) {
		*len = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	memset(fi, 0, SIZE_OF_EFI_FILE_INFO);
	fi->Size = need;
	fi->FileSize = size;
	fi->PhysicalSize = (size + 511) & ~511ull;
	fi->Attribute = dir ? EFI_FILE_DIRECTORY : EFI_FILE_READ_ONLY;
	for (size_t i = 0; i <= n; i++)
		fi->FileName[i] = (unsigned char)name[i];
	*len = need;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI fake_read(EFI_FILE_PROTOCOL *self, UINTN *len, VOID *buf)
{
	struct fake_handle *h = (struct fake_handle *)self;
	struct fake_fw *fw = h->fw;

	if (fails(&fw->read))
		return fw->read.status;
	if (h->file >= 0) {
		const struct fake_file *f = &fw->files[h->file];
		uint64_t left = f->size - h->pos;

		if (*len > left)
			*len = left;
		memcpy(buf, (const uint8_t *)f->data + h->pos, *len);
		h->pos += *len;
		return EFI_SUCCESS;
	}
	/* A directory: the pos-th entry, then a read of 0 bytes at the end. */
	for (unsigned i = 0, k = 0; i < fw->nfiles; i++) {
		if (!in_dir(h->path, fw->files[i].path) || k++ != h->pos)
			continue;
		EFI_STATUS s = file_info(base_name(fw->files[i].path), fw->files[i].size, 0, len, buf);

		if (!EFI_ERROR(s))
			h->pos++;
		return s;
	}
	*len = 0;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI fake_set_position(EFI_FILE_PROTOCOL *self, UINT64 pos)
{
	struct fake_handle *h = (struct fake_handle *)self;

	if (h->file < 0) {
		if (pos)
			return EFI_UNSUPPORTED;	/* only a rewind, on a directory */
	} else if (pos > h->fw->files[h->file].size) {
		return EFI_INVALID_PARAMETER;
	}
	h->pos = pos;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI fake_get_info(EFI_FILE_PROTOCOL *self, EFI_GUID *type, UINTN *len,
				       VOID *buf)
{
	struct fake_handle *h = (struct fake_handle *)self;
	EFI_GUID info_id = EFI_FILE_INFO_ID;

	if (fails(&h->fw->get_info))
		return h->fw->get_info.status;
	if (memcmp(type, &info_id, sizeof(info_id)) != 0)
		return EFI_UNSUPPORTED;
	if (h->file < 0)
		return file_info(h->path[0] ? base_name(h->path) : "\\", 0, 1, len, buf);
	const struct fake_file *f = &h->fw->files[h->file];

	return file_info(f->info_name ? f->info_name : base_name(h->path), f->size, 0, len, buf);
}

static EFI_FILE_PROTOCOL *new_handle(struct fake_fw *fw, const char *path, int file)
{
	struct fake_handle *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->proto = (EFI_FILE_PROTOCOL){
		.Revision = EFI_FILE_PROTOCOL_REVISION,
		.Open = fake_open,
		.Close = fake_close,
		.Read = fake_read,
		.SetPosition = fake_set_position,
		.GetInfo = fake_get_info,
	};
	h->fw = fw;
	snprintf(h->path, sizeof(h->path), "%s", path);
	h->file = file;
	fw->handles_live++;
	return &h->proto;
}

void fake_add_file(struct fake_fw *fw, const char *path, const void *data, size_t size)
{
	assert_true(fw->nfiles < FAKE_FILES_MAX);
	assert_true(strlen(path) < sizeof(fw->files[0].path));
	fw->files[fw->nfiles++] = (struct fake_file){ .data = data, .size = size };
	strcpy(fw->files[fw->nfiles - 1].path, path);
}

/* ----------------------------------------------------------- ConOut ---- */

static EFI_STATUS EFIAPI output_string(SIMPLE_TEXT_OUTPUT_INTERFACE *self, CHAR16 *s)
{
	size_t len = strlen(fake->conout_text);

	(void)self;
	for (; *s && len + 1 < sizeof(fake->conout_text); s++)
		if (*s != '\r')
			fake->conout_text[len++] = *s < 0x80 ? (char)*s : '?';
	fake->conout_text[len] = 0;
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------ setup ---- */

static CHAR16 vendor[] = { 'F', 'a', 'k', 'e', 0 };

void fake_fw_init(struct fake_fw *fw)
{
	memset(fw, 0, sizeof(*fw));
	fw->bs.AllocatePool = allocate_pool;
	fw->bs.FreePool = free_pool;
	fw->bs.AllocatePages = allocate_pages;
	fw->bs.FreePages = free_pages;
	fw->conout.OutputString = output_string;
	fw->st.Hdr.Revision = 2u << 16 | 70;	/* UEFI 2.7, as AAVMF says */
	fw->st.FirmwareVendor = vendor;
	fw->st.FirmwareRevision = 0x10000;
	fw->st.ConOut = &fw->conout;
	fw->st.BootServices = &fw->bs;
	fake = fw;
}

static void log_line(void *arg, const char *line)
{
	struct fake_fw *fw = arg;
	size_t len = strlen(fw->log_text), n = strlen(line);

	if (getenv("PLINTH_TEST_VERBOSE"))
		fprintf(stderr, "| %s\n", line);
	if (len + n + 2 > sizeof(fw->log_text))
		return;
	memcpy(fw->log_text + len, line, n);
	fw->log_text[len + n] = '\n';
	fw->log_text[len + n + 1] = 0;
}

void fake_boot(struct fake_fw *fw, struct boot *b)
{
	memset(b, 0, sizeof(*b));
	b->st = &fw->st;
	b->bs = &fw->bs;
	b->root = new_handle(fw, "", -1);
	llog_init(&b->log, log_line, fw);
	b->sink = llog_sink(&b->log);
}

/* ------------------------------------------------------------ cpu.S ---- */

static uint64_t ticks;

uint64_t cpu_counter(void)
{
	return ++ticks;
}

uint64_t cpu_counter_hz(void)
{
	return 1000000;
}

unsigned cpu_el(void)
{
	return 1;
}

void cpu_halt(void)
{
	abort();
}
