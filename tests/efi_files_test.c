/* Host tests of loader/efi/efi_files.c against the fake firmware
 * (tests/efi_fake.c): file sizes through GetInfo (a long name needs a
 * second call in a pool buffer), plinth.cfg, the initrd and the overlays
 * directory, each failure named on its log line, and nothing left
 * allocated or open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "efi_fake.h"

struct fixture {
	struct fake_fw fw;
	struct boot b;
	char long_name[256];		/* GetInfo needs a second call for this one */
};

/* A file whose FileName does not fit the loader's first GetInfo buffer
 * (EFI_FILE_INFO is 80 bytes, the buffer 512: 240 UCS-2 characters do
 * not), opened by its 8.3 alias as FAT allows. */
#define LONG_PATH "\\plinth\\XXXXXX~1.DTB"

static const char cfg_text[] = "board=vmware\ninitrd=initrd.img\n";
static const char initrd[] = "an initrd of 29 bytes, really";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	fake_fw_init(&f->fw);
	memset(f->long_name, 'x', 235);
	strcat(f->long_name, ".dtbo");
	fake_add_file(&f->fw, LONG_PATH, "dtbo", 4);
	f->fw.files[0].info_name = f->long_name;
	fake_boot(&f->fw, &f->b);
	*state = f;
	return 0;
}

/* Everything given back: the root handle closed here, as release() does. */
static int teardown(void **state)
{
	struct fixture *f = *state;

	f->b.root->Close(f->b.root);
	assert_int_equal(f->fw.handles_live, 0);
	assert_int_equal(f->fw.pool_live, 0);
	assert_int_equal(f->fw.pages_live, 0);
	assert_int_equal(f->fw.bad_frees, 0);
	free(f);
	return 0;
}

static void assert_log(const struct fixture *f, const char *want)
{
	if (strcmp(f->fw.log_text, want) != 0)
		fail_msg("log:\n%s\nwanted:\n%s", f->fw.log_text, want);
}

static void test_file_size(void **state)
{
	struct fixture *f = *state;
	EFI_FILE_HANDLE fh;
	uint64_t size = 0;

	assert_int_equal(file_open(&f->b, LONG_PATH, &fh), EFI_SUCCESS);
	assert_int_equal(file_size(&f->b, fh, &size), EFI_SUCCESS);
	assert_int_equal(size, 4);
	assert_int_equal(f->fw.get_info.calls, 2);	/* too small, then in a pool buffer */
	fh->Close(fh);
}

/* The second GetInfo fails: its status comes back, named on the caller's
 * line, and *size is left alone (it once took FileSize from the buffer the
 * failed call never wrote). */
static void test_file_size_second_getinfo_fails(void **state)
{
	struct fixture *f = *state;
	EFI_FILE_HANDLE fh;
	uint64_t size = 0x5a5a;

	assert_int_equal(file_open(&f->b, LONG_PATH, &fh), EFI_SUCCESS);
	fake_fail_on(&f->fw.get_info, 2, EFI_DEVICE_ERROR);
	assert_int_equal(file_size(&f->b, fh, &size), EFI_DEVICE_ERROR);
	assert_int_equal(size, 0x5a5a);
	fh->Close(fh);

	fake_fail_on(&f->fw.get_info, 2, EFI_DEVICE_ERROR);
	assert_int_equal(file_open_sized(&f->b, "overlays", LONG_PATH, &fh, &size),
			 EFI_DEVICE_ERROR);
	assert_int_equal(size, 0x5a5a);
	assert_log(f, "loader: overlays: \\plinth\\XXXXXX~1.DTB: GetInfo: EFI_DEVICE_ERROR\n");
	assert_int_equal(f->fw.handles_live, 1);	/* closed on failure: the root is left */
}

/* No pool for the second call: that status, *size alone. */
static void test_file_size_no_pool(void **state)
{
	struct fixture *f = *state;
	EFI_FILE_HANDLE fh;
	uint64_t size = 0x5a5a;

	assert_int_equal(file_open(&f->b, LONG_PATH, &fh), EFI_SUCCESS);
	fake_fail_on(&f->fw.alloc_pool, 1, EFI_OUT_OF_RESOURCES);
	assert_int_equal(file_size(&f->b, fh, &size), EFI_OUT_OF_RESOURCES);
	assert_int_equal(size, 0x5a5a);
	fh->Close(fh);
}

static void test_read_cfg(void **state)
{
	struct fixture *f = *state;

	fake_add_file(&f->fw, "\\plinth\\plinth.cfg", cfg_text, sizeof(cfg_text) - 1);
	assert_int_equal(read_cfg(&f->b), EFI_SUCCESS);
	assert_string_equal(f->b.cfg.board, "vmware");
	assert_log(f, "loader: cfg: \\plinth\\plinth.cfg: kernel=\\plinth\\Image "
		      "initrd=\\plinth\\initrd.img board=vmware, 0 warning(s)\n");
}

static void test_read_cfg_absent_or_failing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read_cfg(&f->b), EFI_SUCCESS);
	assert_string_equal(f->b.cfg.kernel, "\\plinth\\Image");
	fake_add_file(&f->fw, "\\plinth\\plinth.cfg", cfg_text, sizeof(cfg_text) - 1);
	fake_fail_on(&f->fw.read, 1, EFI_DEVICE_ERROR);
	assert_int_equal(read_cfg(&f->b), EFI_DEVICE_ERROR);
	assert_log(f, "loader: cfg: \\plinth\\plinth.cfg absent, defaults: kernel=\\plinth\\Image\n"
		      "loader: cfg: reading \\plinth\\plinth.cfg: EFI_DEVICE_ERROR\n");
}

static void test_initrd(void **state)
{
	struct fixture *f = *state;
	char want[256];

	fake_add_file(&f->fw, "\\plinth\\initrd.img", initrd, sizeof(initrd) - 1);
	strcpy(f->b.cfg.initrd, "\\plinth\\initrd.img");
	assert_int_equal(load_initrd(&f->b), EFI_SUCCESS);
	assert_int_equal(f->b.initrd_size, 29);
	assert_int_equal(f->b.initrd_bytes, 4096);
	assert_memory_equal((void *)(uintptr_t)f->b.initrd_base, initrd, 29);
	snprintf(want, sizeof(want), "loader: initrd: \\plinth\\initrd.img, 29 bytes at 0x%llx\n",
		 (unsigned long long)f->b.initrd_base);
	assert_log(f, want);
	pages_free(&f->b, f->b.initrd_base, f->b.initrd_bytes);
}

/* A read that fails is named; the pages are release()'s to free. */
static void test_initrd_read_fails(void **state)
{
	struct fixture *f = *state;

	fake_add_file(&f->fw, "\\plinth\\initrd.img", initrd, sizeof(initrd) - 1);
	strcpy(f->b.cfg.initrd, "\\plinth\\initrd.img");
	fake_fail_on(&f->fw.read, 1, EFI_DEVICE_ERROR);
	assert_int_equal(load_initrd(&f->b), EFI_DEVICE_ERROR);
	assert_log(f, "loader: initrd: reading the file: EFI_DEVICE_ERROR\n");
	assert_int_equal(f->fw.pages_live, 1);
	pages_free(&f->b, f->b.initrd_base, f->b.initrd_bytes);
	assert_int_equal(f->fw.handles_live, 1);
}

/* \plinth\overlays\: *.dtbo only, in name order; one that cannot be opened
 * is skipped with its line; the rest stay for the pipeline. */
static void test_overlays(void **state)
{
	struct fixture *f = *state;

	fake_add_file(&f->fw, "\\plinth\\overlays\\20-b.DTBO", "bb", 2);
	fake_add_file(&f->fw, "\\plinth\\overlays\\README.txt", "text", 4);
	fake_add_file(&f->fw, "\\plinth\\overlays\\30-c.dtbo", "c", 1);
	fake_add_file(&f->fw, "\\plinth\\overlays\\10-a.dtbo", "a", 1);
	/* Opens: the directory, then each overlay in name order; 20-b fails. */
	fake_fail_on(&f->fw.open, 3, EFI_ACCESS_DENIED);
	read_overlays(&f->b);
	assert_int_equal(f->b.novl, 2);
	assert_string_equal(f->b.ovl[0].name, "10-a.dtbo");
	assert_string_equal(f->b.ovl[1].name, "30-c.dtbo");
	assert_int_equal(f->b.ovl[1].size, 1);
	assert_memory_equal(f->b.ovl[1].data, "c", 1);
	assert_log(f, "loader: overlays: cannot open \\plinth\\overlays\\20-b.DTBO: EFI_ACCESS_DENIED\n"
		      "fdt: overlays: 2 in \\plinth\\overlays, applied in name order after the board's\n");
	assert_int_equal(f->fw.pool_live, 2);
	free_overlays(&f->b);
}

static void test_no_overlays_dir(void **state)
{
	struct fixture *f = *state;

	fake_fail_on(&f->fw.open, 1, EFI_NOT_FOUND);
	read_overlays(&f->b);
	assert_int_equal(f->b.novl, 0);
	assert_log(f, "fdt: overlays: no \\plinth\\overlays on the ESP (EFI_NOT_FOUND): no user overlay\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_size_second_getinfo_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_size_no_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_cfg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_cfg_absent_or_failing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_read_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_overlays_dir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
