/* Freestanding <stdlib.h> for the kernel: only what is implemented
 * (lib/string.c). libfdt_env.h includes it. */
#ifndef PLINTH_LIBC_STDLIB_H
#define PLINTH_LIBC_STDLIB_H
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
