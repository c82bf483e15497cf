/* Freestanding <string.h> for the kernel and the loader (lib/string.c). The cross
 * compiler has no target libc headers; libfdt_env.h includes this one. */
#ifndef PLINTH_LIBC_STRING_H
#define PLINTH_LIBC_STRING_H
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);

/* -ffreestanding makes every one of these a call, even memcpy(d, s, 8) or
 * strlen("literal"): through the builtins the compiler expands what it can
 * (small and constant sizes, constant strings) and calls the rest. Not in
 * lib/string.c, which defines them. */
#ifndef PLINTH_STRING_IMPL
#define memcpy(d, s, n) __builtin_memcpy(d, s, n)
#define memmove(d, s, n) __builtin_memmove(d, s, n)
#define memset(d, c, n) __builtin_memset(d, c, n)
#define memcmp(a, b, n) __builtin_memcmp(a, b, n)
#define strlen(s) __builtin_strlen(s)
#define strcmp(a, b) __builtin_strcmp(a, b)
#define strncmp(a, b, n) __builtin_strncmp(a, b, n)
#define strchr(s, c) __builtin_strchr(s, c)
#endif

#endif
