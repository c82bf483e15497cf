/* Consoles. A console driver (UART, framebuffer) registers itself at probe;
 * the device that /chosen/stdout-path names becomes the primary console, every
 * other one a mirror: each has the log so far replayed on it, then receives
 * all output. Input comes from the primary, or from the first mirror that can
 * read when the primary cannot (a framebuffer). Without stdout-path, the
 * first registered console that can read is the primary and the log says so. */
#ifndef PLINTH_CONSOLE_H
#define PLINTH_CONSOLE_H
#include "driver.h"

struct console_ops {
	void (*putc)(void *ctx, char c);
	/* A received byte (0..255), or -PLINTH_EAGAIN when none is waiting. */
	int (*getc)(void *ctx);
	/* Optional: true when received bytes arrive by interrupt (into a
	 * buffer getc reads), so a reader may sleep until an interrupt instead
	 * of polling. */
	bool (*rx_irq)(void *ctx);
	/* Optional, used instead of putc: a whole write at once, bytes as
	 * given ("\n" without "\r"), so a console that draws (the framebuffer)
	 * redraws once per write, not once per byte. */
	void (*write)(void *ctx, const char *s, size_t n);
};

/* console_flags(): what a device does as a console (0: it is none). */
#define CONSOLE_PRIMARY	1u	/* the one stdout-path names */
#define CONSOLE_MIRROR	2u	/* another one, receiving the same output */
#define CONSOLE_INPUT	4u	/* the shell reads from it */

void console_register(struct device *dev, const struct console_ops *ops, void *ctx);

/* The kernel log: a ring of the most recent output, kept from the first line
 * of boot (kprintf's log_write appends to it). Copies it out in order;
 * returns the bytes copied. */
size_t log_read(char *buf, size_t size);
/* The device of the primary console, or NULL. */
struct device *console_device(void);
/* CONSOLE_* flags of dev's console, 0 when it is none (`devices`). */
unsigned console_flags(const struct device *dev);
void console_putc(char c);
void console_puts(const char *s);
void console_write(const char *s, size_t n);
/* Blocking read of one byte from the input console: the primary, or the first
 * mirror that can read when the primary cannot (sleeps in WFI between bytes
 * when its input is interrupt-driven). */
int console_getc(void);
/* Tell the console layer which node stdout-path names (or < 0). */
void console_set_stdout(const void *fdt, int node);

#endif
