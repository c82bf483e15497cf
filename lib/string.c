/* The C string functions the kernel and libfdt.a use (freestanding: no libc).
 * The kernel is built -mstrict-align, so these never issue an unaligned
 * access. NO_PATTERNS stops gcc from turning a loop here back into a call to
 * memcpy/memset, which would recurse. */
#define PLINTH_STRING_IMPL 1	/* the functions, not the builtins (string.h) */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __clang__
/* clang's equivalent: no_builtin keeps its loop-idiom pass from it too. */
#define NO_PATTERNS __attribute__((no_builtin))
#else
#define NO_PATTERNS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

/* Word-at-a-time helpers. Every load is aligned (the kernel runs these
 * with the MMU off, where an unaligned access faults), and a word read past
 * a string's end stays inside the aligned word that holds its last byte, so
 * it never crosses a page. */
typedef uint64_t __attribute__((may_alias)) word;
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "memcpy's shifts assume little-endian");
#define ONES	0x0101010101010101ull
#define HIGHS	0x8080808080808080ull

/* Nonzero when one of the 8 bytes of v is 0. */
static inline uint64_t has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* The loops run to an end pointer, 16 bytes a turn where they can: the
 * shape gcc keeps tight at -Os too (the loader is built -Os). */
NO_PATTERNS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src, *end = s + n, *stop;

	if (((uintptr_t)d & 7) == ((uintptr_t)s & 7)) {
		for (; s != end && ((uintptr_t)s & 7); )
			*d++ = *s++;
		for (stop = s + ((size_t)(end - s) & ~(size_t)15); s != stop; d += 16, s += 16) {
			uint64_t a = ((const word *)s)[0], b = ((const word *)s)[1];

			((word *)d)[0] = a;
			((word *)d)[1] = b;
		}
		if (end - s >= 8) {
			*(word *)d = *(const word *)s;
			d += 8, s += 8;
		}
	} else if (n >= 16) {
		/* Misaligned against each other (a log line into its buffer):
		 * aligned stores, each word made of two aligned loads. Every
		 * load holds a byte that is copied, so none crosses a page
		 * past the source's end. Little-endian: the lower address is
		 * the lower byte. */
		unsigned sh;
		const word *w;
		uint64_t lo;

		for (; (uintptr_t)d & 7; )
			*d++ = *s++;
		sh = 8 * ((uintptr_t)s & 7);	/* not 0: the two differed */
		w = (const word *)(s - ((uintptr_t)s & 7));
		lo = *w++;
		for (stop = s + ((size_t)(end - s) & ~(size_t)7); s != stop; d += 8, s += 8) {
			uint64_t hi = *w++;

			*(word *)d = (lo >> sh) | (hi << (64 - sh));
			lo = hi;
		}
	}
	while (s != end)
		*d++ = *s++;
	return dst;
}

NO_PATTERNS void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d + n <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst below src: forward, each word read before the
	 * store that may overwrite it (memcpy's restrict lets the compiler
	 * reorder them). */
	if (d < s) {
		if (((uintptr_t)d & 7) == ((uintptr_t)s & 7)) {
			for (; n && ((uintptr_t)d & 7); n--)
				*d++ = *s++;
			for (; n >= 8; n -= 8, d += 8, s += 8)
				*(word *)d = *(const word *)s;
		}
		while (n--)
			*d++ = *s++;
		return dst;
	}
	/* Overlapping with dst above src: copy backwards, by words when both
	 * have the same alignment (libfdt's read-write calls shift the rest of
	 * the tree up by whole tags on every insertion: bytes would be most of
	 * it). */
	if (((uintptr_t)d & 7) == ((uintptr_t)s & 7)) {
		for (; n && ((uintptr_t)(d + n) & 7); n--)
			d[n - 1] = s[n - 1];
		for (; n >= 16; n -= 16) {
			uint64_t a = *(const word *)(s + n - 8), b = *(const word *)(s + n - 16);

			*(word *)(d + n - 8) = a;
			*(word *)(d + n - 16) = b;
		}
		for (; n >= 8; n -= 8)
			*(word *)(d + n - 8) = *(const word *)(s + n - 8);
	} else if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
		for (; n & 3; n--)
			d[n - 1] = s[n - 1];
		for (; n; n -= 4)
			*(uint32_t *)(d + n - 4) = *(const uint32_t *)(s + n - 4);
	}
	while (n--)
		d[n] = s[n];
	return dst;
}

NO_PATTERNS void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst, *end = d + n, *stop;
	uint64_t v = (unsigned char)c * ONES;

	for (; d != end && ((uintptr_t)d & 7); )
		*d++ = (unsigned char)c;
	for (stop = d + ((size_t)(end - d) & ~(size_t)15); d != stop; d += 16) {
		((word *)d)[0] = v;
		((word *)d)[1] = v;
	}
	if (end - d >= 8) {
		*(word *)d = v;
		d += 8;
	}
	while (d != end)
		*d++ = (unsigned char)c;
	return dst;
}

NO_PATTERNS int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	/* The first byte decides most calls (libfdt tries a name at every
	 * offset of the strings block): check it before anything else. */
	if (!n || *x != *y)
		return n ? *x - *y : 0;
	if (((uintptr_t)x & 7) == ((uintptr_t)y & 7)) {
		for (; n && ((uintptr_t)x & 7); n--, x++, y++)
			if (*x != *y)
				return *x - *y;
		for (; n >= 8 && *(const word *)x == *(const word *)y; n -= 8)
			x += 8, y += 8;
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* libfdt looks for each name's NUL, the log for each line's end: a word at
 * a time, every word read inside [p, p + n). */
NO_PATTERNS void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p, *end = s + n;
	uint64_t pat = (unsigned char)c * ONES;

	for (; s != end && ((uintptr_t)s & 7); s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	for (; end - s >= 8 && !has_zero(*(const word *)s ^ pat); s += 8)
		;
	for (; s != end; s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return NULL;
}

NO_PATTERNS size_t strlen(const char *s)
{
	const char *p = s;
	const word *w;

	for (; (uintptr_t)p & 7; p++)
		if (!*p)
			return p - s;
	for (w = (const word *)p; !has_zero(*w); w++)
		;
	for (p = (const char *)w; *p; p++)
		;
	return p - s;
}

NO_PATTERNS size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	for (; n < max && ((uintptr_t)(s + n) & 7); n++)
		if (!s[n])
			return n;
	for (; max - n >= 8 && !has_zero(*(const word *)(s + n)); n += 8)
		;
	while (n < max && s[n])
		n++;
	return n;
}

NO_PATTERNS char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

NO_PATTERNS char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

NO_PATTERNS int strcmp(const char *a, const char *b)
{
	if (((uintptr_t)a & 7) == ((uintptr_t)b & 7)) {
		for (; (uintptr_t)a & 7; a++, b++)
			if (!*a || *a != *b)
				return (unsigned char)*a - (unsigned char)*b;
		for (; *(const word *)a == *(const word *)b &&
		       !has_zero(*(const word *)a); a += 8, b += 8)
			;
	}
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

NO_PATTERNS int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* C11 7.22.1.4: optional space and sign, base 0 picks 8/10/16 from the
 * prefix, overflow saturates to ULONG_MAX (no errno here). */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long v = 0;
	int neg = 0, overflow = 0, any = 0;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	for (; digit_value(*p) < base; p++) {
		unsigned d = digit_value(*p);

		any = 1;
		if (v > (ULONG_MAX - d) / (unsigned)base)
			overflow = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (overflow)
		return ULONG_MAX;
	return neg ? -v : v;
}

NO_PATTERNS char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* C11 7.24.2.4: pads with NULs up to n; no terminator if src is n or longer. */
NO_PATTERNS char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}
