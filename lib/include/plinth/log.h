/* A log sink: where the converter, the tree pipeline and the loader put
 * their lines (the loader's log, acpi2dts's stderr, a test's buffer). */
#ifndef PLINTH_LOG_H
#define PLINTH_LOG_H
#include <stdarg.h>
#include <stddef.h>

/* One complete line per call, without the newline. */
struct plinth_log {
	void (*line)(void *arg, const char *text);
	void *arg;
};

/* printf-style line to a sink (kvsnprintf formats; cut at 256 bytes). A
 * NULL sink, or one without `line`, takes nothing. */
void lprintf(const struct plinth_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same as an `fdt: ` line (docs/design.md, the log contract), every
 * control byte in the result made '?': text from firmware tables or
 * overlays cannot start a forged line or drive the terminal. */
void lfdt(const struct plinth_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lvfdt(const struct plinth_log *log, const char *fmt, va_list ap);

/* Up to n bytes of untrusted text as a printable C string ('?' for the
 * rest), cut to fit dst[size]. Returns dst. */
const char *log_printable(char *dst, size_t size, const char *src, size_t n);

#endif
