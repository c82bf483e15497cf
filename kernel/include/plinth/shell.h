/* Shell commands are records in the `plinth_cmds` linker section: a new
 * command is one file, no registration call. */
#ifndef PLINTH_SHELL_H
#define PLINTH_SHELL_H

struct shell_cmd {
	const char *name;
	const char *usage;	/* e.g. "dt [path]" */
	const char *help;	/* one line */
	int (*fn)(int argc, char **argv);	/* 0 = ok, < 0 = error (printed) */
};

#define SHELL_CMD(sym) \
	static const struct shell_cmd sym \
	__attribute__((used, section("plinth_cmds"), aligned(8)))

#define SHELL_MAX_LINE 256
#define SHELL_MAX_ARGS 16

/* Split line in place into argv; returns argc or -PLINTH_EINVAL (too many). */
int shell_split(char *line, char **argv, int max);
/* Run one command line; prints errors. */
int shell_exec(char *line);
/* Read-eval loop on the console; never returns. Line editing: backspace,
 * Ctrl-U, Ctrl-C, up/down history; a line longer than SHELL_MAX_LINE - 1
 * bytes is refused (bell) and discarded. */
void shell_run(void);
/* Forget the history (host tests). */
void shell_history_clear(void);

#endif
