/* Formatted output (lib/printf.c). kprintf() hands whole text to log_write,
 * which each user of the library provides: the kernel appends to its log
 * and the consoles (kernel/core/console.c), the loader to the log it hands
 * over, the host tools to stderr. */
#ifndef PLINTH_PRINTK_H
#define PLINTH_PRINTK_H
#include <stdarg.h>
#include <stddef.h>

/* Supports %d %i %u %x %X %o %c %s %p %% with flags '-', '0', width, precision
 * (for %s) and length modifiers hh h l ll z. Always NUL-terminates when size > 0;
 * returns the length the full output would have had (C99 semantics). */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Where kprintf's output goes: provided by the program. */
void log_write(const char *s, size_t n);

#endif
