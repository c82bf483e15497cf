/* Host tests of the shell (kernel/shell/shell.c, cmd_help.c): splitting,
 * dispatch through the plinth_cmds section, line editing (backspace, DEL,
 * CR LF, escape sequences, Ctrl-C, Ctrl-U, up/down history), the 256-byte
 * line limit, and `help`.
 * The console is a string of input bytes and a capture buffer; when the input
 * runs out console_getc fails, the shell halts, and arch_halt longjmps back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <plinth/console.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>
#include "host_env.h"

static char out[1 << 16];
static size_t outlen;
static const char *in;
static size_t inpos, inlen;
static jmp_buf halted;

static void out_add(const char *s, size_t n)
{
	if (n > sizeof(out) - 1 - outlen)
		n = sizeof(out) - 1 - outlen;
	memcpy(out + outlen, s, n);
	outlen += n;
	out[outlen] = 0;
}

void console_putc(char c)
{
	out_add(&c, 1);
}

void console_puts(const char *s)
{
	out_add(s, strlen(s));
}

int console_getc(void)
{
	if (inpos >= inlen)
		return -PLINTH_ENODEV;
	return (unsigned char)in[inpos++];
}

/* kprintf (lib/printf.c) ends here: the shell's output. */
void log_write(const char *s, size_t n)
{
	out_add(s, n);
}

void arch_halt(void)
{
	longjmp(halted, 1);
}

/* Commands for the test: record what they were given. */
static int last_argc;
static char last_args[SHELL_MAX_ARGS][SHELL_MAX_LINE];
static int calls;

static int cmd_echo(int argc, char **argv)
{
	last_argc = argc;
	for (int i = 0; i < argc; i++)
		snprintf(last_args[i], sizeof(last_args[i]), "%s", argv[i]);
	calls++;
	return 0;
}

static int cmd_fail(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return -PLINTH_EIO;
}

SHELL_CMD(zz_echo_cmd) = { "echo", "echo [words...]", "record the words", cmd_echo };
SHELL_CMD(fail_cmd) = { "fail", "fail", "always fail", cmd_fail };

static void reset(const char *input, size_t len)
{
	outlen = 0;
	out[0] = 0;
	in = input;
	inpos = 0;
	inlen = len;
	last_argc = -1;
	calls = 0;
	memset(last_args, 0, sizeof(last_args));
	shell_history_clear();
}

static void run_shell(const char *input, size_t len)
{
	reset(input, len);
	if (setjmp(halted) == 0) {
		shell_run();
		fail_msg("shell_run returned");
	}
}

static void test_split(void **state)
{
	(void)state;
	char line[] = "  dt \t /chosen  x ";
	char *argv[4];
	assert_int_equal(shell_split(line, argv, 4), 3);
	assert_string_equal(argv[0], "dt");
	assert_string_equal(argv[1], "/chosen");
	assert_string_equal(argv[2], "x");
	assert_null(argv[3]);
	char empty[] = "   ";
	assert_int_equal(shell_split(empty, argv, 4), 0);
	char many[] = "a b c d e";
	assert_int_equal(shell_split(many, argv, 4), -PLINTH_EINVAL);
}

static void test_exec(void **state)
{
	(void)state;
	reset("", 0);
	char l1[] = "echo one two";
	assert_int_equal(shell_exec(l1), 0);
	assert_int_equal(last_argc, 3);
	assert_string_equal(last_args[2], "two");
	char l2[] = "nosuch arg";
	assert_int_equal(shell_exec(l2), -PLINTH_ENOENT);
	assert_non_null(strstr(out, "nosuch: unknown command (try 'help')"));
	char l3[] = "fail";
	assert_int_equal(shell_exec(l3), -PLINTH_EIO);
	assert_non_null(strstr(out, "fail: failed: PLINTH_EIO"));
	char l4[] = "";
	assert_int_equal(shell_exec(l4), 0);
}

static void test_prompt_echo_crlf(void **state)
{
	(void)state;
	static const char input[] = "echo a\r\necho b\n\recho c\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 3);
	assert_string_equal(last_args[1], "c");
	/* CR LF is one line end, so no empty-line prompt in between */
	assert_non_null(strstr(out, "plinth> echo a\nplinth> echo b\n"));
	/* LF CR is two: an empty line between */
	assert_non_null(strstr(out, "plinth> echo b\nplinth> \nplinth> echo c\n"));
}

static void test_backspace_del_escape(void **state)
{
	(void)state;
	/* "echx" BS "o" "ab" DEL "c"  + an up-arrow (no history yet) and a
	 * Home key that must vanish */
	static const char input[] = "echx\bo ab\x7f" "c\x1b[A\x1bOH\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 1);
	assert_string_equal(last_args[0], "echo");
	assert_string_equal(last_args[1], "ac");
	assert_non_null(strstr(out, "echx\b \bo"));
	/* backspace on an empty line does nothing */
	static const char input2[] = "\b\b\x7f" "echo z\r";
	run_shell(input2, sizeof(input2) - 1);
	assert_string_equal(last_args[1], "z");
}

static void test_ctrl_c(void **state)
{
	(void)state;
	static const char input[] = "echo no\x03" "echo yes\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 1);
	assert_string_equal(last_args[1], "yes");
	assert_non_null(strstr(out, "^C\n"));
}

#define UP "\x1b[A"
#define DOWN "\x1b[B"
#define UP_SS3 "\x1bOA"

/* Up recalls the lines run, most recent first; Enter runs the recalled one,
 * which becomes the most recent. The shown line is erased by BS-space-BS. */
static void test_history_up_down(void **state)
{
	(void)state;
	static const char input[] = "echo one\r" "echo two\r" UP UP "\r" UP "\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 4);
	assert_string_equal(last_args[1], "one");
	/* "echo two" shown, erased (8 x BS SP BS), "echo one" shown */
	assert_non_null(strstr(out, "plinth> echo two"
				    "\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b"
				    "echo one\n"));

	/* Down walks back towards the newest, then to the line being typed
	 * before Up was pressed (the draft); SS3 arrows work the same. */
	static const char input2[] = "echo a\r" "echo b\r" "echo c\r" "echo dr"
				     UP UP UP_SS3 DOWN DOWN DOWN "aft\r";
	run_shell(input2, sizeof(input2) - 1);
	assert_int_equal(calls, 4);
	assert_string_equal(last_args[1], "draft");
}

static void test_history_edit_limits_and_bells(void **state)
{
	(void)state;
	/* Up with nothing older and Down at the newest ring the bell and change
	 * nothing; a recalled line can be edited; empty lines, Ctrl-C'd lines
	 * and repeats of the last line are not remembered. */
	static const char input[] = DOWN UP "echo x\r" "\r" "echo x\r" "echo gone\x03"
				    UP UP "\by\r" UP UP "\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 4);
	assert_string_equal(last_args[1], "x");	/* Up Up: "echo y", then "echo x" */
	assert_int_equal(strchr(out, '\a') != NULL, 1);
	const char *p = out;
	unsigned bells = 0;
	while ((p = strchr(p, '\a')))
		bells++, p++;
	assert_int_equal(bells, 3);	/* DOWN, UP at start; second UP after one entry */
}

/* The ring keeps the last SHELL_HISTORY lines: the oldest are forgotten. */
static void test_history_ring(void **state)
{
	(void)state;
	static char input[4096];
	size_t n = 0;
	for (int i = 0; i < 20; i++)
		n += (size_t)sprintf(input + n, "echo %d\r", i);
	for (int i = 0; i < 17; i++)	/* one more than it holds */
		n += (size_t)sprintf(input + n, UP);
	n += (size_t)sprintf(input + n, "\r");
	run_shell(input, n);
	assert_int_equal(calls, 21);
	assert_string_equal(last_args[1], "4");	/* 20 - 16: the oldest kept */
}

static void test_ctrl_u(void **state)
{
	(void)state;
	/* Ctrl-U erases the whole line from the terminal and the buffer. */
	static const char input[] = "echo bad\x15" "echo good\r";
	run_shell(input, sizeof(input) - 1);
	assert_int_equal(calls, 1);
	assert_string_equal(last_args[1], "good");
	assert_non_null(strstr(out, "echo bad\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \becho good"));
	/* On an empty line it does nothing. */
	static const char input2[] = "\x15\x15" "echo z\r";
	run_shell(input2, sizeof(input2) - 1);
	assert_string_equal(last_args[1], "z");
}

/* Refused bytes are not echoed and not stored; Ctrl-U (or Ctrl-C) leaves the
 * overflowed line behind, and a discarded line is not remembered. */
static void test_line_limit_recovery(void **state)
{
	(void)state;
	static char input[1200];
	size_t n = (size_t)sprintf(input, "echo ");
	memset(input + n, 'y', 600);
	n += 600;
	input[n++] = 0x15;
	n += (size_t)sprintf(input + n, "echo ok\r");
	memset(input + n, 'w', 300);
	n += 300;
	input[n++] = '\r';
	n += (size_t)sprintf(input + n, UP "\r");
	run_shell(input, n);
	assert_int_equal(calls, 2);	/* "echo ok" twice: Up skips the discarded line */
	assert_string_equal(last_args[1], "ok");
	assert_non_null(strstr(out, "line longer than 255 bytes, discarded"));
	/* exactly 255 bytes of the first line were echoed */
	const char *y = strstr(out, "echo yyy");
	assert_non_null(y);
	assert_int_equal(strspn(y + 5, "y"), SHELL_MAX_LINE - 1 - 5);
}

static void test_line_limit(void **state)
{
	(void)state;
	static char input[1200];
	size_t n = 0;
	/* 255 bytes fit (plus the NUL) */
	n += (size_t)sprintf(input + n, "echo ");
	memset(input + n, 'x', SHELL_MAX_LINE - 1 - 5);
	n += SHELL_MAX_LINE - 1 - 5;
	input[n++] = '\r';
	run_shell(input, n);
	assert_int_equal(calls, 1);
	assert_int_equal(strlen(last_args[1]), SHELL_MAX_LINE - 1 - 5);

	/* 256 and more are refused and the whole line discarded, not run */
	n = (size_t)sprintf(input, "echo ");
	memset(input + n, 'y', 600);
	n += 600;
	input[n++] = '\r';
	n += (size_t)sprintf(input + n, "echo after\r");
	run_shell(input, n);
	assert_int_equal(calls, 1);
	assert_string_equal(last_args[1], "after");
	assert_non_null(strstr(out, "line longer than 255 bytes, discarded"));
	assert_non_null(strchr(out, '\a'));
}

static void test_halts_without_input(void **state)
{
	(void)state;
	run_shell("", 0);
	assert_non_null(strstr(out, "plinth> "));
	assert_non_null(strstr(out, "shell: no console input"));
}

static void test_help_sorted(void **state)
{
	(void)state;
	reset("", 0);
	char l[] = "help";
	assert_int_equal(shell_exec(l), 0);
	const char *e = strstr(out, "  echo [words...]  record the words\n");
	const char *f = strstr(out, "  fail             always fail\n");
	const char *h = strstr(out, "  help             list the commands\n");
	if (!e || !f || !h)
		fail_msg("help output:\n%s", out);
	assert_true(e < f && f < h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_prompt_echo_crlf),
		cmocka_unit_test(test_backspace_del_escape),
		cmocka_unit_test(test_ctrl_c),
		cmocka_unit_test(test_ctrl_u),
		cmocka_unit_test(test_history_up_down),
		cmocka_unit_test(test_history_edit_limits_and_bells),
		cmocka_unit_test(test_history_ring),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_line_limit_recovery),
		cmocka_unit_test(test_halts_without_input),
		cmocka_unit_test(test_help_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
