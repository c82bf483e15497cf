/* The C string functions the kernel and libfdt.a use (freestanding: no libc).
 * The kernel is built -mstrict-align, so these never issue an unaligned
 * access. NO_PATTERNS stops gcc from turning a loop here back into a call to
 * memcpy/memset, which would recurse. */
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

NO_PATTERNS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_PATTERNS void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards, by words when both
	 * start aligned (libfdt's read-write calls shift the rest of the tree
	 * up by whole tags on every insertion: bytes would be most of it). */
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n & 7; n--)
			d[n - 1] = s[n - 1];
		for (; n; n -= 8)
			*(uint64_t *)(d + n - 8) = *(const uint64_t *)(s + n - 8);
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
	unsigned char *d = dst;
	uint64_t v = (unsigned char)c;

	v |= v << 8;
	v |= v << 16;
	v |= v << 32;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = v;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

NO_PATTERNS int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

NO_PATTERNS void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;

	for (; n; n--, s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return NULL;
}

NO_PATTERNS size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

NO_PATTERNS size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

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
