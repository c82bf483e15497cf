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
	/* The bounds of one linker section, not two objects. */
	/* cppcheck-suppress comparePointers */
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

/* Line input. The cursor is always at the end of the line: editing is
 * backspace/DEL, Ctrl-U (erase the line), Ctrl-C (abandon it), and up/down
 * through the history of the last SHELL_HISTORY lines run (ANSI/VT100 cursor
 * keys, CSI "ESC [ A" or SS3 "ESC O A"). A line cannot grow past
 * SHELL_MAX_LINE - 1 bytes: further bytes are refused with a bell, and the
 * line, no longer what was typed, is discarded at Enter. */
#define SHELL_HISTORY 16

#define CTRL_C 0x03
#define CTRL_U 0x15
#define ESC 0x1b

struct line_in {
	char buf[SHELL_MAX_LINE];
	unsigned len;
	bool overflow;		/* bytes were refused: the line is discarded */
	bool last_cr;		/* CR LF ends one line, not two */
	int esc;		/* 0 none, 1 after ESC, 2 inside CSI / SS3 */
	char hist[SHELL_HISTORY][SHELL_MAX_LINE];
	unsigned nhist;		/* lines ever added; the ring keeps the last ones */
	unsigned browse;	/* 0: a new line; k: the k-th most recent shown */
	char draft[SHELL_MAX_LINE];	/* the new line, kept while browsing */
	bool draft_overflow;
};

static struct line_in li;

/* Erase what the terminal shows of the line: back, blank, back. */
static void erase_shown(const struct line_in *li)
{
	for (unsigned i = 0; i < li->len; i++)
		console_puts("\b \b");
}

static void replace_line(struct line_in *li, const char *text)
{
	erase_shown(li);
	li->len = (unsigned)strlen(text);
	memcpy(li->buf, text, li->len + 1);
	li->overflow = false;
	console_puts(li->buf);
}

static const char *hist_entry(const struct line_in *li, unsigned k)
{
	return li->hist[(li->nhist - k) % SHELL_HISTORY];
}

static unsigned hist_avail(const struct line_in *li)
{
	return li->nhist < SHELL_HISTORY ? li->nhist : SHELL_HISTORY;
}

static void hist_up(struct line_in *li)
{
	if (li->browse == hist_avail(li)) {
		console_putc('\a');
		return;
	}
	if (li->browse == 0) {
		li->buf[li->len] = 0;
		memcpy(li->draft, li->buf, li->len + 1);
		li->draft_overflow = li->overflow;
	}
	li->browse++;
	replace_line(li, hist_entry(li, li->browse));
}

static void hist_down(struct line_in *li)
{
	if (li->browse == 0) {
		console_putc('\a');
		return;
	}
	li->browse--;
	replace_line(li, li->browse ? hist_entry(li, li->browse) : li->draft);
	if (li->browse == 0)
		li->overflow = li->draft_overflow;
}

/* A line that ran: remembered unless empty or the same as the last one. */
static void hist_add(struct line_in *li)
{
	unsigned i = 0;

	while (li->buf[i] == ' ' || li->buf[i] == '\t')
		i++;
	if (!li->buf[i] || (li->nhist && strcmp(hist_entry(li, 1), li->buf) == 0))
		return;
	memcpy(li->hist[li->nhist % SHELL_HISTORY], li->buf, li->len + 1);
	li->nhist++;
}

/* Inside an escape sequence: the final byte of a CSI / SS3 sequence ends it
 * (ECMA-48 5.4: 0x40-0x7e); A and B are the up and down keys. */
static void line_escape(struct line_in *li, int c)
{
	if (li->esc == 1) {
		li->esc = c == '[' || c == 'O' ? 2 : 0;
		return;
	}
	if (c < 0x40 || c > 0x7e)
		return;		/* parameter or intermediate byte */
	li->esc = 0;
	if (c == 'A')
		hist_up(li);
	else if (c == 'B')
		hist_down(li);
}

static void line_add(struct line_in *li, int c)
{
	if (c < 0x20 || c > 0x7e)
		return;
	if (li->len + 1 >= SHELL_MAX_LINE) {
		if (!li->overflow)
			console_putc('\a');
		li->overflow = true;
		return;
	}
	li->buf[li->len++] = (char)c;
	console_putc((char)c);
}

/* Feed one byte; returns true when a line is complete in li->buf. */
static bool line_feed(struct line_in *li, int c)
{
	bool cr = li->last_cr;

	li->last_cr = false;
	if (li->esc) {
		line_escape(li, c);
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
	case CTRL_U:
		erase_shown(li);
		li->len = 0;
		li->overflow = false;
		return false;
	case CTRL_C:
		console_puts("^C\n");
		li->len = 0;
		li->overflow = false;
		li->buf[0] = 0;
		return true;
	case ESC:
		li->esc = 1;
		return false;
	}
	line_add(li, c);
	return false;
}

static void line_start(struct line_in *li)
{
	li->len = 0;
	li->overflow = false;
	li->browse = 0;
	li->esc = 0;
}

void shell_history_clear(void)
{
	li.nhist = 0;
	li.browse = 0;
}

void shell_run(void)
{
	kprintf("plinth shell: type 'help' for the commands\n");
	for (;;) {
		console_puts(PROMPT);
		line_start(&li);
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
		hist_add(&li);
		shell_exec(li.buf);
	}
}
