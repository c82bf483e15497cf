/* Fuzz target: the shell's line editor and command splitting
 * (kernel/shell/shell.c) on arbitrary console input.
 *
 * The input is what a terminal types, byte by byte: shell_run() reads it
 * through console_getc(); when it runs out, console_getc fails, the shell
 * halts, and arch_halt() longjmps back here. Lines that complete run through
 * shell_exec() against two commands: `help` (kernel/shell/cmd_help.c) and
 * `echo`, which checks that every word it is given lies inside the line
 * buffer and is NUL-terminated within SHELL_MAX_LINE bytes. What the shell
 * echoes goes to a sink that checks it never writes a NUL byte. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/arch.h>
#include <plinth/console.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>
#include "host_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LINE_MAX (2 * SHELL_MAX_LINE)

static const uint8_t *in;
static size_t inpos, inlen;
static jmp_buf halted;

void console_putc(char c)
{
	if (c == '\0')
		abort();	/* the terminal would show garbage */
}

void console_puts(const char *s)
{
	(void)s;
}

int console_getc(void)
{
	if (inpos >= inlen)
		return -PLINTH_ENODEV;
	return in[inpos++];
}

void arch_halt(void)
{
	longjmp(halted, 1);
}

static int cmd_echo(int argc, char **argv)
{
	/* argv[argc] is NULL whenever there is room for it (shell.h). */
	if (argc < 1 || argc > SHELL_MAX_ARGS || (argc < SHELL_MAX_ARGS && argv[argc]))
		abort();
	/* Words are never empty and end inside the line (at most
	 * LINE_MAX - 1 bytes: shell_exec is also handed raw lines below). */
	for (int i = 0; i < argc; i++) {
		size_t n = strnlen(argv[i], LINE_MAX);

		if (n == 0 || n >= LINE_MAX)
			abort();
	}
	return 0;
}

SHELL_CMD(fuzz_echo_cmd) = { "echo", "echo [words...]", "check the words", cmd_echo };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[LINE_MAX];
	size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;

	in = data;
	inpos = 0;
	inlen = size;
	host_log_clear();
	shell_history_clear();
	if (!setjmp(halted))
		shell_run();

	/* shell_exec on the raw bytes too: any line the caller hands it. */
	memcpy(line, data, n);
	line[n] = '\0';
	shell_exec(line);
	return 0;
}
