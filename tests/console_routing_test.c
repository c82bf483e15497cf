/* Host tests of console routing (kernel/core/console.c): stdout-path names an
 * output-only console (a framebuffer); a UART of the same tree that registers
 * before it mirrors the output from the start and, since the primary cannot
 * read, is where input comes from; a console of another tree (host tests
 * probe several) is left alone; a console with a write op gets each write
 * whole, without CR. One scenario, in order: console.c's state is global. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/console.h>
#include <plinth/driver.h>
#include <plinth/printk.h>
#include "host_env.h"

struct fake {
	char out[1 << 16];
	size_t n;
	unsigned writes;
	const char *in;
};

static void fake_putc(void *ctx, char c)
{
	struct fake *f = ctx;

	if (f->n < sizeof(f->out) - 1)
		f->out[f->n++] = c;
	f->out[f->n] = 0;
}

static void fake_write(void *ctx, const char *s, size_t n)
{
	struct fake *f = ctx;

	for (size_t i = 0; i < n; i++)
		fake_putc(ctx, s[i]);
	f->writes++;
}

static int fake_getc(void *ctx)
{
	struct fake *f = ctx;

	return *f->in ? (unsigned char)*f->in++ : -PLINTH_EAGAIN;
}

static const struct console_ops uart_ops = { .putc = fake_putc, .getc = fake_getc };
static const struct console_ops screen_ops = { .putc = fake_putc, .write = fake_write };
static const struct driver uart_drv = { .name = "fake-uart" };
static const struct driver screen_drv = { .name = "fake-screen" };

/* / with /screen (stdout-path), /uart and /uart2. */
static void make_tree(void *fdt, size_t size)
{
	assert_int_equal(fdt_create_empty_tree(fdt, (int)size), 0);
	assert_true(fdt_add_subnode(fdt, 0, "screen") >= 0);
	assert_true(fdt_add_subnode(fdt, 0, "uart") >= 0);
	assert_true(fdt_add_subnode(fdt, 0, "uart2") >= 0);
	assert_true(fdt_add_subnode(fdt, 0, "chosen") >= 0);
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path",
					    "/screen"), 0);
}

static void test_routing(void **state)
{
	static char fdt[1024], other[1024];
	static struct fake screen, uart, uart2, stranger;
	static struct device dscreen, duart, duart2, dstranger;
	(void)state;

	make_tree(fdt, sizeof(fdt));
	make_tree(other, sizeof(other));
	dscreen = (struct device){ .fdt = fdt, .node = fdt_path_offset(fdt, "/screen"),
				   .name = "screen", .drv = &screen_drv };
	duart = (struct device){ .fdt = fdt, .node = fdt_path_offset(fdt, "/uart"),
				 .name = "uart", .drv = &uart_drv };
	duart2 = (struct device){ .fdt = fdt, .node = fdt_path_offset(fdt, "/uart2"),
				  .name = "uart2", .drv = &uart_drv };
	dstranger = (struct device){ .fdt = other, .node = fdt_path_offset(other, "/uart"),
				     .name = "uart", .drv = &uart_drv };

	kprintf("early\n");
	console_set_stdout(fdt, dscreen.node);
	console_register(&duart, &uart_ops, &uart);	/* before the primary: a mirror */
	assert_null(console_device());
	assert_non_null(strstr(uart.out, "early\r\n"));
	assert_non_null(strstr(uart.out, "console: /uart (fake-uart), mirror\r\n"));
	assert_int_equal(console_flags(&duart), CONSOLE_MIRROR);

	console_register(&dstranger, &uart_ops, &stranger);	/* another tree */
	assert_int_equal(stranger.n, 0);
	assert_int_equal(console_flags(&dstranger), 0);

	console_register(&dscreen, &screen_ops, &screen);	/* the primary */
	assert_ptr_equal(console_device(), &dscreen);
	assert_non_null(strstr(screen.out, "early\n"));	/* write op: no CR added */
	assert_null(strstr(screen.out, "\r"));
	assert_non_null(strstr(uart.out, "console: /screen (fake-screen)\r\n"));
	assert_int_equal(console_flags(&dscreen), CONSOLE_PRIMARY);
	assert_int_equal(console_flags(&duart), CONSOLE_MIRROR | CONSOLE_INPUT);

	console_register(&duart2, &uart_ops, &uart2);	/* later: a mirror, not the input */
	assert_non_null(strstr(uart2.out, "early\r\n"));
	assert_non_null(strstr(uart2.out, "console: /uart2 (fake-uart), mirror\r\n"));
	assert_int_equal(console_flags(&duart2), CONSOLE_MIRROR);

	/* Every write reaches every live console once: the screen whole. */
	screen.n = uart.n = uart2.n = stranger.n = 0;
	screen.writes = 0;
	kprintf("to all %d\n", 3);
	assert_string_equal(screen.out, "to all 3\n");
	assert_int_equal(screen.writes, 1);
	assert_string_equal(uart.out, "to all 3\r\n");
	assert_string_equal(uart2.out, "to all 3\r\n");
	assert_int_equal(stranger.n, 0);
	console_putc('!');
	assert_string_equal(screen.out, "to all 3\n!");

	/* Input: from the first UART, the primary having none. */
	uart2.in = "nope";
	stranger.in = "nope";
	uart.in = "ok";
	assert_int_equal(console_getc(), 'o');
	assert_int_equal(console_getc(), 'k');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
