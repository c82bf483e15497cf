/* Host tests of loader/efi_image.c: the arm64 Image header checks, each
 * refusal naming its value, on synthetic headers and on the kernel's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "efi/loader.h"
#include "efi_test_log.h"
#include "host_env.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header as Linux writes it: text_offset, image_size, flags, magic. */
static void make_hdr(uint8_t *h, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(h, 0, IMAGE_HDR_SIZE);
	h[0] = 0x4d;	/* "MZ": an EFI-stub kernel's code0 */
	h[1] = 0x5a;
	put64(h + 8, text_offset);
	put64(h + 16, image_size);
	put64(h + 24, flags);
	memcpy(h + 56, "ARM\x64", 4);
}

static void test_good(void **state)
{
	uint8_t h[IMAGE_HDR_SIZE];
	struct arm64_image img;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	make_hdr(h, 0, 0x2010000, 0xa);
	assert_int_equal(image_check(h, sizeof(h), 32956352, &img, &log), 0);
	assert_int_equal(img.image_size, 0x2010000);
	assert_int_equal(img.flags, 0xa);
	assert_int_equal(image_alloc_size(&img), 0x2010000);
	assert_true(captured_has(&cap, "flags 0xa (LE, 4K pages, anywhere)"));

	make_hdr(h, 0x80000, 0x1234, 0);
	assert_int_equal(image_check(h, sizeof(h), 0x1000, &img, &log), 0);
	assert_int_equal(image_alloc_size(&img), 0x82000);	/* text_offset + size, in pages */
	assert_true(captured_has(&cap, "(LE, page size unspecified, low as possible)"));
}

static void test_refused(void **state)
{
	uint8_t h[IMAGE_HDR_SIZE];
	struct arm64_image img;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	make_hdr(h, 0, 0x10000, 0xa);
	h[59] = 0x65;
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "magic 0x654d5241 at offset 56, not an arm64 Image"));

	h[0] = 0x1f;
	h[1] = 0x8b;
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "gzip-compressed (1f 8b)"));

	make_hdr(h, 0, 0x10000, 0xb);
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "flags 0xb: big-endian kernel"));

	make_hdr(h, 0, 0, 0xa);
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "image_size 0 (a pre-3.17 Linux header)"));

	make_hdr(h, 0, 0x4000, 0xa);
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "image_size 0x4000 is smaller than the file (32768 bytes)"));

	make_hdr(h, 0x123, 0x10000, 0xa);
	assert_int_equal(image_check(h, sizeof(h), 0x8000, &img, &log), -PLINTH_ERANGE);
	assert_true(captured_has(&cap, "text_offset 0x123 / image_size 0x10000 out of range"));

	make_hdr(h, 0, 0x10000, 0xa);
	assert_int_equal(image_check(h, 32, 0x8000, &img, &log), -PLINTH_EINVAL);
	assert_int_equal(image_check(h, sizeof(h), 20, &img, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "20 bytes, shorter than the 64-byte arm64 Image header"));
}

/* The kernel this project builds must pass the loader's check. */
static void test_own_kernel(void **state)
{
	const char *build = getenv("PLINTH_BUILD");
	char path[512];
	struct arm64_image img;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/kernel/Image", build ? build : "build");
	f = fopen(path, "rb");
	if (!f)
		skip();
	fclose(f);
	void *data = host_read_file(path, &len);

	assert_int_equal(image_check(data, len, len, &img, &log), 0);
	assert_int_equal(img.text_offset, 0);
	assert_true(img.flags & IMAGE_FLAG_ANYWHERE);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_own_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
