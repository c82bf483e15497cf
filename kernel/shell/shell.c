/* The console shell: line input, splitting, and dispatch to the SHELL_CMD
 * records in the `plinth_cmds` linker section. */
#include <stdbool.h>
#include <string.h>
#include <plinth/arch.h>
#include <plinth/console.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/shell.h>

#define PROMPT "plinth> "

/* Section bounds the linker defines for a section named like a C identifier. */
extern const struct shell_cmd __start_plinth_cmds[];
extern const struct shell_cmd __stop_plinth_cmds[];

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;
	for (;;) {
		while (is_space(*p))
			*p++ = 0;
		if (!*p)
			break;
		if (argc == max)
			return -PLINTH_EINVAL;
		argv[argc++] = p;
		while (*p && !is_space(*p))
			p++;
	}
	if (argc < max)
		argv[argc] = NULL;
	return argc;
}

static const struct shell_cmd *find_cmd(const char *name)
{
	for (const struct shell_cmd *c = __start_plinth_cmds; c < __stop_plinth_cmds; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int shell_exec(char *line)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = shell_split(line, argv, SHELL_MAX_ARGS);
	if (argc < 0) {
		kprintf("shell: more than %d words on the line\n", SHELL_MAX_ARGS);
		return argc;
	}
	if (argc == 0)
		return 0;
	const struct shell_cmd *c = find_cmd(argv[0]);
	if (!c) {
		kprintf("%s: unknown command (try 'help')\n", argv[0]);
		return -PLINTH_ENOENT;
	}
	int err = c->fn(argc, argv);
	if (err < 0)
		kprintf("%s: failed: %s\n", argv[0], plinth_strerror(err));
	return err;
}

/* Input state that outlives one byte: CR LF must end one line, not two, and an
 * ANSI escape sequence (arrow keys) must not land in the line. */
struct line_in {
	char buf[SHELL_MAX_LINE];
	unsigned len;
	bool overflow;		/* bytes were refused: the line is discarded */
	bool last_cr;
	int esc;		/* 0 none, 1 after ESC, 2 inside CSI */
};

/* Feed one byte; returns true when a line is complete in li->buf. */
static bool line_feed(struct line_in *li, int c)
{
	bool cr = li->last_cr;
	li->last_cr = false;
	if (li->esc == 1) {
		li->esc = c == '[' || c == 'O' ? 2 : 0;
		return false;
	}
	if (li->esc == 2) {
		if (c >= 0x40 && c <= 0x7e)
			li->esc = 0;
		return false;
	}
	switch (c) {
	case '\n':
		if (cr)
			return false;
		/* fall through */
	case '\r':
		li->last_cr = c == '\r';
		console_puts("\n");
		li->buf[li->len] = 0;
		return true;
	case '\b':
	case 0x7f:
		if (li->len > 0) {
			li->len--;
			console_puts("\b \b");
		}
		return false;
	case 0x03:		/* Ctrl-C: drop the line */
		console_puts("^C\n");
		li->len = 0;
		li->overflow = false;
		li->buf[0] = 0;
		return true;
	case 0x1b:
		li->esc = 1;
		return false;
	}
	if (c < 0x20 || c > 0x7e)
		return false;
	if (li->len + 1 >= SHELL_MAX_LINE) {
		if (!li->overflow)
			console_putc('\a');
		li->overflow = true;
		return false;
	}
	li->buf[li->len++] = (char)c;
	console_putc((char)c);
	return false;
}

void shell_run(void)
{
	static struct line_in li;
	kprintf("plinth shell: type 'help' for the commands\n");
	for (;;) {
		console_puts(PROMPT);
		li.len = 0;
		li.overflow = false;
		for (;;) {
			int c = console_getc();
			if (c < 0) {
				/* no console, or one without input: nothing to wait for */
				kprintf("shell: no console input: %s; halting\n", plinth_strerror(c));
				arch_halt();
			}
			if (line_feed(&li, c))
				break;
		}
		if (li.overflow) {
			kprintf("shell: line longer than %d bytes, discarded\n", SHELL_MAX_LINE - 1);
			continue;
		}
		shell_exec(li.buf);
	}
}
