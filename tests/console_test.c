/* Host tests of kernel/core/console.c with fake consoles: the log ring keeps
 * the most recent 64 KiB in order; without a stdout-path the first console
 * registered is used, the log says it was a fallback, and later ones of the
 * same tree mirror it. (Activation by stdout-path is tested with the UART
 * drivers, mirrors and input routing in console_routing_test.c.) */
#define _GNU_SOURCE
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
	char out[1 << 18];
	size_t n;
	const char *in;
};

static void fake_putc(void *ctx, char c)
{
	struct fake *f = ctx;
	if (f->n < sizeof(f->out) - 1)
		f->out[f->n++] = c;
}

static int fake_getc(void *ctx)
{
	struct fake *f = ctx;
	return *f->in ? (unsigned char)*f->in++ : -PLINTH_EAGAIN;
}

static const struct console_ops ops = { .putc = fake_putc, .getc = fake_getc };
static const struct driver fake_drv = { .name = "fake" };

static void test_log_ring_order_and_wrap(void **state)
{
	static char buf[1 << 17];
	char line[32];
	size_t n;
	(void)state;

	kprintf("first\n");
	n = log_read(buf, sizeof(buf));
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "first\n", 6);
	n = log_read(buf, 3);			/* the most recent 3 bytes */
	assert_memory_equal(buf, "st\n", 3);
	assert_int_equal(n, 3);
	for (int i = 0; i < 5000; i++)		/* 5000 * 16 bytes > 64 KiB */
		kprintf("line %09d\n", i);
	n = log_read(buf, sizeof(buf));
	assert_int_equal(n, 64 * 1024);
	ksnprintf(line, sizeof(line), "line %09d\n", 4999);
	assert_memory_equal(buf + n - 15, line, 15);
	assert_null(memmem(buf, n, "first", 5));	/* overwritten */
}

static void test_fallback_console(void **state)
{
	static struct fake a, b;
	static struct device da, db;
	static char fdt[256];
	(void)state;

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);	/* no /chosen */
	da = (struct device){ .fdt = fdt, .node = 0, .name = "uart-a", .drv = &fake_drv };
	db = (struct device){ .fdt = fdt, .node = 0, .name = "uart-b", .drv = &fake_drv };
	assert_null(console_device());
	console_putc('!');			/* no console: dropped, no crash */
	assert_int_equal(console_getc(), -PLINTH_ENODEV);
	kprintf("before\n");
	console_register(&da, &ops, &a);
	assert_ptr_equal(console_device(), &da);
	a.out[a.n] = 0;
	assert_non_null(strstr(a.out, "before\r\n"));	/* replayed with CR LF */
	assert_non_null(strstr(a.out, "console: / (fake), fallback: no usable /chosen/stdout-path\r\n"));
	console_register(&db, &ops, &b);	/* a mirror: the log replayed, then output */
	assert_ptr_equal(console_device(), &da);
	b.out[b.n] = 0;
	assert_non_null(strstr(b.out, "before\r\n"));
	assert_non_null(strstr(a.out, "console: / (fake), mirror\r\n"));
	a.n = b.n = 0;
	kprintf("x\n");
	console_puts("y\n");
	assert_int_equal(a.n, 6);
	assert_memory_equal(a.out, "x\r\ny\r\n", 6);
	assert_int_equal(b.n, 6);
	assert_memory_equal(b.out, "x\r\ny\r\n", 6);
	b.in = "no";				/* input comes from the primary only */
	a.in = "hi";
	assert_int_equal(console_getc(), 'h');
	assert_int_equal(console_getc(), 'i');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_ring_order_and_wrap),
		cmocka_unit_test(test_fallback_console),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
