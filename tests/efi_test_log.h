/* For the loader's unit tests (tests/efi_*_test.c): an plinth_log sink
 * that keeps every line, so a test can assert on what a unit printed. */
#ifndef PLINTH_TESTS_EFI_TEST_LOG_H
#define PLINTH_TESTS_EFI_TEST_LOG_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plinth/log.h>

struct captured {
	char text[32768];
	size_t len;
	unsigned lines;
};

static inline void captured_line(void *arg, const char *line)
{
	struct captured *c = arg;
	size_t n = strlen(line);

	if (getenv("PLINTH_TEST_VERBOSE"))
		fprintf(stderr, "| %s\n", line);
	if (c->len + n + 2 > sizeof(c->text))
		return;
	memcpy(c->text + c->len, line, n);
	c->text[c->len + n] = '\n';
	c->len += n + 1;
	c->text[c->len] = 0;
	c->lines++;
}

static inline struct plinth_log captured_log(struct captured *c)
{
	memset(c, 0, sizeof(*c));
	return (struct plinth_log){ captured_line, c };
}

/* Whether some captured line contains s. */
static inline int captured_has(const struct captured *c, const char *s)
{
	return strstr(c->text, s) != NULL;
}

#endif
