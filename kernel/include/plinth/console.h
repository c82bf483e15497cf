/* Consoles. A UART driver registers itself at probe; the device that
 * /chosen/stdout-path names becomes the active console (the log so far is
 * replayed on it). Without stdout-path, the first registered one is used and
 * the log says so. */
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
};

void console_register(struct device *dev, const struct console_ops *ops, void *ctx);
/* The device of the active console, or NULL. */
struct device *console_device(void);
void console_putc(char c);
void console_puts(const char *s);
void console_write(const char *s, size_t n);
/* Blocking read of one byte from the active console (sleeps in WFI between
 * bytes when its input is interrupt-driven). */
int console_getc(void);
/* Tell the console layer which node stdout-path names (or < 0). */
void console_set_stdout(const void *fdt, int node);

#endif
