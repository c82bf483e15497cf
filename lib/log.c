/* Log sinks (plinth/log.h): formatted lines, and `fdt:` lines whose text
 * may come from firmware tables. */
#include <stdarg.h>
#include <string.h>
#include <plinth/log.h>
#include <plinth/printk.h>

#define LINE_MAX 256

void lprintf(const struct plinth_log *log, const char *fmt, ...)
{
	char line[LINE_MAX];
	va_list ap;

	if (!log || !log->line)
		return;
	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log->line(log->arg, line);
}

void lvfdt(const struct plinth_log *log, const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	const char prefix[] = "fdt: ";

	if (!log || !log->line)
		return;
	memcpy(line, prefix, sizeof(prefix));
	kvsnprintf(line + sizeof(prefix) - 1, sizeof(line) - (sizeof(prefix) - 1), fmt, ap);
	/* Strings from the tables (DBG2 namespace strings, OEM IDs) are
	 * untrusted: a control byte in one must not start a forged line of
	 * its own or drive the terminal (found by tests/fuzz/fuzz_acpi.c). */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	log->line(log->arg, line);
}

void lfdt(const struct plinth_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lvfdt(log, fmt, ap);
	va_end(ap);
}

const char *log_printable(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	if (!size)
		return dst;
	for (i = 0; i < n && i + 1 < size && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = 0;
	return dst;
}
