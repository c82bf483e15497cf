/* Host stand-ins for kernel services (see host_env.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_env.h"

static char logbuf[1 << 16];
static size_t loglen;

__attribute__((weak)) void log_write(const char *s, size_t n)
{
	if (getenv("PLINTH_TEST_VERBOSE"))
		fwrite(s, 1, n, stderr);
	if (n > sizeof(logbuf) - 1 - loglen)
		n = sizeof(logbuf) - 1 - loglen;
	memcpy(logbuf + loglen, s, n);
	loglen += n;
	logbuf[loglen] = 0;
}

__attribute__((weak)) size_t log_read(char *buf, size_t size)
{
	size_t n = loglen < size ? loglen : size;
	memcpy(buf, logbuf, n);
	return n;
}

const char *host_log(void)
{
	return logbuf;
}

void host_log_clear(void)
{
	loglen = 0;
	logbuf[0] = 0;
}

/* Sleeping until an interrupt (irq.h cpu_wait_irq): nothing arrives unless
 * a test says what does. */
__attribute__((weak)) void host_wait_irq(void)
{
}

__attribute__((weak)) void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

__attribute__((weak)) int ioremap(uint64_t addr, uint64_t size)
{
	(void)addr;
	(void)size;
	return 0;
}

__attribute__((weak)) int ioremap_wc(uint64_t addr, uint64_t size)
{
	(void)addr;
	(void)size;
	return 0;
}

void *host_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "host_read_file: cannot open %s\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *p = malloc(n > 0 ? (size_t)n : 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "host_read_file: cannot read %s\n", path);
		abort();
	}
	fclose(f);
	if (len)
		*len = (size_t)n;
	return p;
}

const char *host_tree_path(const char *name)
{
	static char path[4096];
	const char *build = getenv("PLINTH_BUILD");
	snprintf(path, sizeof(path), "%s/host/trees/%s.dtb", build ? build : "build", name);
	return path;
}
