/* Host tests of loader/efi/efi_fw.c against the fake firmware
 * (tests/efi_fake.c): the log's first line on ConOut and its region, a
 * boot that goes on without the region (log_open cannot fail it), status
 * names, and pages given back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "efi_fake.h"

static const char first_line[] =
	"loader: Plinth BOOTAA64.EFI on \"Fake\" firmware rev 0x10000, UEFI 2.7, EL1\n";

static void test_log_open(void **state)
{
	struct fake_fw fw;
	struct boot b;

	(void)state;
	fake_fw_init(&fw);
	fake_boot(&fw, &b);
	log_open(&b);
	assert_string_equal(fw.conout_text, first_line);
	assert_int_not_equal(b.log_base, 0);
	assert_int_equal(fw.pages_live, 1);
	/* The region holds the line said before it existed. */
	assert_string_equal((const char *)(uintptr_t)b.log_base, first_line);
	say(&b, "loader: a line");
	assert_string_equal(fw.conout_text + strlen(first_line), "loader: a line\n");
	pages_free(&b, b.log_base, LOG_BYTES);
	assert_int_equal(fw.pages_live, 0);
	b.root->Close(b.root);
}

/* No pages for the region: said on ConOut, and the log goes on there. */
static void test_log_open_no_region(void **state)
{
	struct fake_fw fw;
	struct boot b;

	(void)state;
	fake_fw_init(&fw);
	fake_boot(&fw, &b);
	fake_fail_on(&fw.alloc_pages, 1, EFI_OUT_OF_RESOURCES);
	log_open(&b);
	assert_int_equal(b.log_base, 0);
	say(&b, "loader: still printing");
	assert_string_equal(fw.conout_text + strlen(first_line),
			    "loader: log: AllocatePages for the log region: EFI_OUT_OF_RESOURCES\n"
			    "loader: still printing\n");
	assert_int_equal(fw.pages_live, 0);
	b.root->Close(b.root);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(efi_status_name(EFI_SUCCESS), "EFI_SUCCESS");
	assert_string_equal(efi_status_name(EFI_DEVICE_ERROR), "EFI_DEVICE_ERROR");
	assert_string_equal(efi_status_name(EFI_COMPROMISED_DATA), "EFI_COMPROMISED_DATA");
	assert_string_equal(efi_status_name(EFIERR(99)), "EFI status 0x8000000000000063");
	assert_string_equal(efi_status_name(1), "EFI status 0x1");	/* a warning */
}

/* The tree's allocator on pages, freed by the size it was given. */
static void test_tree_pages(void **state)
{
	struct fake_fw fw;
	struct boot b;
	void *p;

	(void)state;
	fake_fw_init(&fw);
	fake_boot(&fw, &b);
	p = tree_pages(&b, 5000);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 4096, 0);
	assert_int_equal(fw.pages_live, 1);
	tree_pages_free(&b, p, 5000);
	fake_fail_on(&fw.alloc_pages, 1, EFI_OUT_OF_RESOURCES);
	assert_null(tree_pages(&b, 4096));
	assert_int_equal(fw.pages_live, 0);
	assert_int_equal(fw.bad_frees, 0);
	b.root->Close(b.root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_open),
		cmocka_unit_test(test_log_open_no_region),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_tree_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
