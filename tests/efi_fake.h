/* A small fake of the UEFI firmware (UEFI 2.10), for host tests of the
 * loader's efi_*.c files, built for the host against gnu-efi's headers:
 *
 *   boot services  AllocatePool/FreePool and AllocatePages/FreePages on the
 *                  heap, each outstanding allocation counted (pool memory
 *                  comes filled with 0xaf, as firmware's is not zeroed);
 *                  AllocateAddress is refused (EFI_NOT_FOUND): there is no
 *                  physical memory map yet
 *   a volume       files held in memory, by path, through EFI_FILE_PROTOCOL
 *                  (Open, Close, Read, SetPosition, GetInfo; a directory
 *                  reads as one EFI_FILE_INFO per call); open handles counted
 *   ConOut         OutputString captured as ASCII
 *   cpu.S          cpu_counter (1 MHz, one tick per read), cpu_el (1)
 *
 * Open, Read, GetInfo, AllocatePool and AllocatePages can be told to fail:
 * fake_fail_on(&fw->get_info, 2, EFI_DEVICE_ERROR) makes the second
 * GetInfo from now return EFI_DEVICE_ERROR (and write nothing). Every
 * function the loader calls through a table is EFIAPI (ms_abi on x86_64,
 * as the firmware's are). One fake at a time: boot services have no This. */
#ifndef PLINTH_TESTS_EFI_FAKE_H
#define PLINTH_TESTS_EFI_FAKE_H
#include "efi/efi.h"

#define FAKE_FILES_MAX	16
#define FAKE_ALLOCS_MAX	256

struct fake_file {
	char path[300];			/* "\plinth\Image"; '\' separators */
	const void *data;
	size_t size;
	/* The name GetInfo reports when not the path's last part: FAT's long
	 * name of a file opened by its 8.3 alias. */
	const char *info_name;
};

/* The nth call from fake_fail_on returns status; at 0: never. */
struct fake_fail {
	unsigned at, calls;
	EFI_STATUS status;
};

struct fake_fw {
	EFI_SYSTEM_TABLE st;
	EFI_BOOT_SERVICES bs;
	SIMPLE_TEXT_OUTPUT_INTERFACE conout;
	char conout_text[16384];	/* what OutputString printed */
	char log_text[16384];		/* the loader's log lines (fake_boot) */
	struct fake_file files[FAKE_FILES_MAX];
	unsigned nfiles;
	struct fake_fail open, read, get_info, alloc_pool, alloc_pages;
	/* What the code under test holds, and frees that matched nothing. */
	unsigned pool_live, pages_live, handles_live, bad_frees;
	struct fake_alloc {
		void *p;
		uint64_t pages;		/* 0: pool */
	} allocs[FAKE_ALLOCS_MAX];
};

/* The fake, empty; it becomes the one boot services reach. */
void fake_fw_init(struct fake_fw *fw);
/* A file on the volume; directories are implied by the paths. */
void fake_add_file(struct fake_fw *fw, const char *path, const void *data, size_t size);
void fake_fail_on(struct fake_fail *f, unsigned nth, EFI_STATUS status);
/* A struct boot on the fake, as efi_main and open_esp leave it: st, bs,
 * root (an open handle on the volume's root) and the log (lines into
 * fw->log_text, no region). */
void fake_boot(struct fake_fw *fw, struct boot *b);

#endif
