/* lib/string.c, the freestanding string functions the kernel, the loader
 * and the Debian libfdt.a they link use, against the host C library: every
 * length up to 40 at every alignment of both sides, and the word-at-a-time
 * paths' edges (a zero in each byte of a word, a difference in each byte).
 * The functions are built here under other names (plinth_memcpy, ...). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define memcpy plinth_memcpy
#define memmove plinth_memmove
#define memset plinth_memset
#define memcmp plinth_memcmp
#define memchr plinth_memchr
#define strlen plinth_strlen
#define strnlen plinth_strnlen
#define strchr plinth_strchr
#define strrchr plinth_strrchr
#define strcmp plinth_strcmp
#define strncmp plinth_strncmp
#define strcpy plinth_strcpy
#define strncpy plinth_strncpy
#define strtoul plinth_strtoul
#define PLINTH_STRING_TEST 1
#include "../lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strchr
#undef strrchr
#undef strcmp
#undef strncmp
#undef strcpy
#undef strncpy
#undef strtoul

#define N 40
#define PAD 24

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + 1);
}

static void copies(void **state)
{
	(void)state;
	for (size_t n = 0; n <= N; n++)
		for (size_t da = 0; da < 8; da++)
			for (size_t sa = 0; sa < 8; sa++) {
				/* 8-aligned: the word paths read whole aligned words */
				_Alignas(8) unsigned char src[N + PAD], a[N + PAD], b[N + PAD];

				fill(src, sizeof(src), (unsigned)(n + sa));
				memset(a, 0xee, sizeof(a));
				memset(b, 0xee, sizeof(b));
				plinth_memcpy(a + da, src + sa, n);
				memcpy(b + da, src + sa, n);
				assert_memory_equal(a, b, sizeof(a));
				/* memmove both ways within one buffer */
				for (int dir = 0; dir < 2; dir++) {
					unsigned char x[2 * N + PAD], y[2 * N + PAD];
					size_t from = dir ? sa : da + 8, to = dir ? da + 8 : sa;

					fill(x, sizeof(x), (unsigned)n);
					memcpy(y, x, sizeof(y));
					plinth_memmove(x + to, x + from, n);
					memmove(y + to, y + from, n);
					assert_memory_equal(x, y, sizeof(x));
				}
				memset(a, 0xee, sizeof(a));
				memset(b, 0xee, sizeof(b));
				plinth_memset(a + da, (int)(0x100 + sa), n);
				memset(b + da, (int)(0x100 + sa), n);
				assert_memory_equal(a, b, sizeof(a));
			}
}

static void compares(void **state)
{
	(void)state;
	for (size_t n = 0; n <= N; n++)
		for (size_t aa = 0; aa < 8; aa++)
			for (size_t ba = 0; ba < 8; ba++)
				for (size_t diff = 0; diff <= n; diff++) {
					unsigned char a[N + PAD], b[N + PAD];

					fill(a, sizeof(a), 3);
					fill(b, sizeof(b), 3);
					memmove(a + aa, a, n);
					memmove(b + ba, b, n);
					if (diff < n)
						b[ba + diff] ^= 0x80;	/* a difference at byte `diff` */
					assert_int_equal(sign(plinth_memcmp(a + aa, b + ba, n)),
							 sign(memcmp(a + aa, b + ba, n)));
				}
}

static void strings(void **state)
{
	(void)state;
	for (size_t len = 0; len <= N; len++)
		for (size_t aa = 0; aa < 8; aa++)
			for (size_t ba = 0; ba < 8; ba++) {
				char a[N + PAD], b[N + PAD];

				memset(a, 'x', sizeof(a));
				memset(b, 'x', sizeof(b));
				a[aa + len] = 0;
				b[ba + len] = 0;
				assert_int_equal(plinth_strlen(a + aa), len);
				for (size_t max = 0; max <= len + 9; max++)
					assert_int_equal(plinth_strnlen(a + aa, max), strnlen(a + aa, max));
				assert_int_equal(sign(plinth_strcmp(a + aa, b + ba)), 0);
				for (size_t k = 0; k < len; k++) {
					b[ba + k] = 'y';
					assert_int_equal(sign(plinth_strcmp(a + aa, b + ba)),
							 sign(strcmp(a + aa, b + ba)));
					b[ba + k] = 'x';
				}
				b[ba + len] = 'x';	/* b longer */
				b[ba + len + 1] = 0;
				assert_int_equal(sign(plinth_strcmp(a + aa, b + ba)),
						 sign(strcmp(a + aa, b + ba)));
			}
}

/* memchr: the byte at every position of every length and alignment, or
 * absent; its high-bit twin (0x80 ^ c) is never taken for it. */
static void chrs(void **state)
{
	(void)state;
	for (size_t n = 0; n <= N; n++)
		for (size_t al = 0; al < 8; al++)
			for (size_t at = 0; at <= n; at++) {
				_Alignas(8) unsigned char a[N + PAD];

				memset(a, 0xa5 ^ 0x80, sizeof(a));
				if (at < n)
					a[al + at] = 0xa5;
				a[al + n] = 0xa5;	/* just past the end: not found */
				assert_ptr_equal(plinth_memchr(a + al, 0x1a5, n), memchr(a + al, 0xa5, n));
				assert_ptr_equal(plinth_memchr(a + al, 0xa5, n),
						 at < n ? a + al + at : NULL);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copies),
		cmocka_unit_test(chrs),
		cmocka_unit_test(compares),
		cmocka_unit_test(strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
