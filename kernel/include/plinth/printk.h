/* Formatted output. kprintf() appends to the kernel log (kept from the first
 * line of boot, before any console exists) and writes to the active console. */
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

/* The kernel log: a ring of the most recent output (console.c). */
void log_write(const char *s, size_t n);
/* Copy out the log in order; returns bytes copied. */
size_t log_read(char *buf, size_t size);

#endif
