/* Host tests of lib/printf.c: each conversion, flag and length
 * modifier checked against the host libc's snprintf where C11 defines the
 * result, truncation/return value semantics, and kprintf's bounded buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <plinth/printk.h>
#include "host_env.h"

/* Some cases are deliberately odd ('0' with '-' or a precision): C11 says
 * what they mean, and the comparison with libc checks we agree. */
#pragma GCC diagnostic ignored "-Wformat"

/* ksnprintf without the format attribute, for deliberately bad formats. */
static int unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Format with both implementations and compare text and return value. */
#define SAME(...)                                                          \
	do {                                                               \
		char k[256], l[256];                                       \
		int nk = ksnprintf(k, sizeof(k), __VA_ARGS__);             \
		int nl = snprintf(l, sizeof(l), __VA_ARGS__);              \
		if (strcmp(k, l) != 0 || nk != nl) {                       \
			fprintf(stderr, "fmt %s: kernel '%s' (%d), libc '%s' (%d)\n", \
				#__VA_ARGS__, k, nk, l, nl);               \
			fail();                                            \
		}                                                          \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	SAME("%d %i %u", 0, -1, 4000000000u);
	/* cppcheck takes INT32_MIN for a long; it is an int. */
	/* cppcheck-suppress invalidPrintfArgType_sint */
	SAME("%d %d", INT32_MIN, INT32_MAX);
	SAME("%x %X %o", 0xdeadbeefu, 0xabcdefu, 0755u);
	SAME("%lld %llu %llx", (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
	     0x123456789abcdef0ull);
	SAME("%ld %lu %lx", -5L, 5UL, 0xfeedUL);
	SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
	/* Deliberately wider arguments: the hh and h conversions must truncate. */
	/* cppcheck-suppress invalidPrintfArgType_sint */
	/* cppcheck-suppress invalidPrintfArgType_uint */
	SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	/* cppcheck-suppress invalidPrintfArgType_uint */
	SAME("%hhx %hx", 0x1ff, 0x1ffff);
}

static void test_flags_width(void **state)
{
	(void)state;
	SAME("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
	SAME("[%05d] [%5d] [%+d] [% d] [%+d]", -42, -42, 42, 42, -42);
	SAME("[%08x] [%#x] [%#010x] [%#o] [%#X]", 0xbeefu, 0xbeefu, 0xbeefu, 8u, 0xabu);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, -7, 7, 7);
	SAME("[%.0d] [%.0x] [%#.0o] [%5.0d]", 0, 0u, 0u, 0);
	SAME("[%*d] [%-*d] [%*d]", 6, 1, 6, 1, -6, 1);
	SAME("[%016llx]", 0x3fff03f8ull);
	SAME("[%#x]", 0u);
}

static void test_strings_chars(void **state)
{
	(void)state;
	SAME("[%s] [%10s] [%-10s]", "abc", "abc", "abc");
	SAME("[%.2s] [%5.1s] [%.*s] [%.0s]", "abcdef", "xyz", 3, "hello", "gone");
	SAME("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	SAME("100%% [%%]");
	SAME("%s", "");

	char k[32];
	unchecked(k, sizeof(k), "%s", (const char *)NULL);
	assert_string_equal(k, "(null)");
}

/* %.*s on bytes without a NUL: nothing past the precision is read (the
 * sanitized build, build/host-san, catches a read one past the end). */
static void test_precision_unterminated(void **state)
{
	char *bytes = malloc(4), out[16];

	(void)state;
	assert_non_null(bytes);
	memcpy(bytes, "COM0", 4);
	assert_int_equal(ksnprintf(out, sizeof(out), "'%.*s'", 4, bytes), 6);
	assert_string_equal(out, "'COM0'");
	assert_int_equal(ksnprintf(out, sizeof(out), "%.2s|%.0s", bytes, bytes + 4), 3);
	assert_string_equal(out, "CO|");
	free(bytes);
}

static void test_pointer(void **state)
{
	char k[64];
	(void)state;
	ksnprintf(k, sizeof(k), "%p", (void *)(uintptr_t)0x3fff03f8);
	assert_string_equal(k, "0x3fff03f8");
	ksnprintf(k, sizeof(k), "%p", (void *)(uintptr_t)0xffff000012345678ull);
	assert_string_equal(k, "0xffff000012345678");
}

/* C99 semantics: the return value is the untruncated length, the buffer
 * is always NUL-terminated, and size 0 writes nothing. */
static void test_truncation(void **state)
{
	char b[8];
	(void)state;
	memset(b, 'X', sizeof(b));
	assert_int_equal(ksnprintf(b, sizeof(b), "%s", "0123456789"), 10);
	assert_string_equal(b, "0123456");
	memset(b, 'X', sizeof(b));
	assert_int_equal(ksnprintf(b, 1, "abc"), 3);
	assert_int_equal(b[0], 0);
	assert_int_equal(b[1], 'X');
	memset(b, 'X', sizeof(b));
	assert_int_equal(ksnprintf(b, 0, "abc%d", 12), 5);
	assert_int_equal(b[0], 'X');
	assert_int_equal(ksnprintf(NULL, 0, "%08x", 1u), 8);
	/* Literal text and strings are copied in runs: a run cut mid-way, and
	 * the byte after the NUL left alone. */
	char c[12];

	memset(c, 'X', sizeof(c));
	assert_int_equal(ksnprintf(c, 6, "abcdefgh%d", 42), 10);
	assert_string_equal(c, "abcde");
	assert_int_equal(c[6], 'X');
	memset(c, 'X', sizeof(c));
	assert_int_equal(ksnprintf(c, 6, "ab%sgh", "cdef"), 8);
	assert_string_equal(c, "abcde");
	assert_int_equal(c[6], 'X');
	assert_int_equal(ksnprintf(c, 3, "%d%s", 12345, "x"), 6);
	assert_string_equal(c, "12");
	/* Exactly filling: 7 chars + NUL. */
	assert_int_equal(ksnprintf(b, sizeof(b), "%7d", 1), 7);
	assert_string_equal(b, "      1");
}

/* An unknown conversion is copied through so the bad format is visible. */
static void test_unknown_conversion(void **state)
{
	char b[32];
	(void)state;
	unchecked(b, sizeof(b), "a%qb %d", 5);
	assert_string_equal(b, "a%qb 5");
	unchecked(b, sizeof(b), "end%");
	assert_string_equal(b, "end%");
	unchecked(b, sizeof(b), "end%-5");
	assert_string_equal(b, "end%-5");
}

static void test_kprintf_logs(void **state)
{
	(void)state;
	host_log_clear();
	assert_int_equal(kprintf("console: %s (%s)\n", "/pl011@9000000", "pl011"),
			 (int)strlen("console: /pl011@9000000 (pl011)\n"));
	assert_string_equal(host_log(), "console: /pl011@9000000 (pl011)\n");
}

/* kprintf's buffer is bounded: longer output is cut, and says so. */
static void test_kprintf_truncates(void **state)
{
	char big[2000];
	const char *log;
	size_t len;
	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	host_log_clear();
	assert_int_equal(kprintf("%s!", big), 2000);
	log = host_log();
	len = strlen(log);
	assert_true(len > 100 && len < 1024);
	assert_non_null(strstr(log, "[truncated]\n"));
	assert_int_equal(log[len - 1], '\n');
	assert_int_equal(log[0], 'a');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_flags_width),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_precision_unterminated),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_kprintf_logs),
		cmocka_unit_test(test_kprintf_truncates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
