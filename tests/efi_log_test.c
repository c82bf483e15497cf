/* Host tests of loader/efi_log.c: lines go to the output and the handover
 * buffer; lines before the buffer are kept; a held conversion prints once
 * or not at all; a full buffer says how much it dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "pipeline/log.h"
#include "efi_test_log.h"

static struct captured out;

static void out_line(void *arg, const char *line)
{
	captured_line(arg, line);
}

static void test_buffer_and_output(void **state)
{
	static char buf[1024];
	struct llog l;

	(void)state;
	memset(&out, 0, sizeof(out));
	llog_init(&l, out_line, &out);
	llog_line(&l, "loader: early");
	llog_set_buffer(&l, buf, sizeof(buf));
	struct plinth_log sink = llog_sink(&l);

	lprintf(&sink, "fdt: %s: %d", "spcr", 42);
	assert_string_equal(buf, "loader: early\nfdt: spcr: 42\n");
	assert_string_equal(out.text, "loader: early\nfdt: spcr: 42\n");

	/* After ExitBootServices: the buffer only. */
	l.out = NULL;
	llog_line(&l, "loader: after");
	assert_non_null(strstr(buf, "loader: after\n"));
	assert_null(strstr(out.text, "after"));
}

static void test_hold(void **state)
{
	static char buf[1024];
	struct llog l;

	(void)state;
	memset(&out, 0, sizeof(out));
	llog_init(&l, out_line, &out);
	llog_set_buffer(&l, buf, sizeof(buf));
	llog_line(&l, "a");
	llog_hold(&l);
	llog_line(&l, "try 1");
	assert_int_equal(out.lines, 1);		/* held: not printed yet */
	llog_release(&l, 0);			/* dropped: not printed, not kept */
	assert_string_equal(buf, "a\n");
	llog_hold(&l);
	llog_line(&l, "try 2");
	llog_line(&l, "try 2, line 2");
	llog_release(&l, 1);
	assert_string_equal(out.text, "a\ntry 2\ntry 2, line 2\n");
	assert_string_equal(buf, "a\ntry 2\ntry 2, line 2\n");
}

static void test_truncation(void **state)
{
	static char buf[200];
	struct llog l;

	(void)state;
	memset(&out, 0, sizeof(out));
	llog_init(&l, NULL, NULL);
	llog_set_buffer(&l, buf, sizeof(buf));
	for (int i = 0; i < 20; i++)
		llog_line(&l, "0123456789");
	assert_true(strlen(buf) < sizeof(buf));
	assert_non_null(strstr(buf, "loader: log truncated, "));
	assert_int_equal(l.dropped, 20 * 11 - l.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer_and_output),
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
