/* Helpers for the converter's unit tests (acpi_test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "acpi_test_util.h"
#include "host_env.h"

struct tbl fixture(const char *name)
{
	char path[4096];
	const char *build = getenv("PLINTH_BUILD");
	struct tbl t;

	snprintf(path, sizeof(path), "%s/host/acpi/%s.aml", build ? build : "build", name);
	t.p = host_read_file(path, &t.len);
	snprintf(t.origin, sizeof(t.origin), "%s.aml", name);
	return t;
}

struct tbl raw(const void *bytes, size_t len, const char *origin)
{
	struct tbl t;

	t.p = malloc(len ? len : 1);
	assert_non_null(t.p);
	memcpy(t.p, bytes, len);
	t.len = len;
	snprintf(t.origin, sizeof(t.origin), "%s", origin);
	return t;
}

void tbl_free(struct tbl *t)
{
	free(t->p);
	t->p = NULL;
}

void tbl_fix(struct tbl *t)
{
	uint8_t sum = 0;

	assert_true(t->len >= 10);
	for (int i = 0; i < 4; i++)
		t->p[4 + i] = (uint8_t)(t->len >> (8 * i));
	t->p[9] = 0;
	for (size_t i = 0; i < t->len; i++)
		sum = (uint8_t)(sum + t->p[i]);
	t->p[9] = (uint8_t)-sum;
}

void tbl_truncate(struct tbl *t, size_t n)
{
	assert_true(n <= t->len);
	t->len = n;
	tbl_fix(t);
}

void tbl_set(struct tbl *t, size_t off, uint64_t v, unsigned size)
{
	assert_true(off + size <= t->len);
	for (unsigned i = 0; i < size; i++)
		t->p[off + i] = (uint8_t)(v >> (8 * i));
	tbl_fix(t);
}

void tbl_insert(struct tbl *t, size_t off, const void *bytes, size_t n)
{
	assert_true(off <= t->len);
	t->p = realloc(t->p, t->len + n);
	assert_non_null(t->p);
	memmove(t->p + off + n, t->p + off, t->len - off);
	memcpy(t->p + off, bytes, n);
	t->len += n;
	tbl_fix(t);
}

static void log_line(void *arg, const char *text)
{
	struct conv *c = arg;
	size_t n = strlen(text);

	if (getenv("PLINTH_TEST_VERBOSE"))
		fprintf(stderr, "%s\n", text);
	if (c->loglen + n + 2 > sizeof(c->log))
		return;
	memcpy(c->log + c->loglen, text, n);
	c->loglen += n;
	c->log[c->loglen++] = '\n';
	c->log[c->loglen] = 0;
}

struct conv *convert_in(struct tbl *tables, unsigned n, size_t treesize)
{
	struct acpi_table_ref refs[64];
	struct conv *c = calloc(1, sizeof(*c));
	struct plinth_log log = { log_line, c };

	assert_non_null(c);
	assert_true(n <= 64);
	c->fdt = malloc(treesize);
	assert_non_null(c->fdt);
	for (unsigned i = 0; i < n; i++)
		refs[i] = (struct acpi_table_ref){ tables[i].p, tables[i].len, tables[i].origin };
	c->rc = acpi2fdt(refs, n, c->fdt, treesize, &log, &c->res);
	if (c->rc == 0)
		assert_int_equal(fdt_check_header(c->fdt), 0);
	return c;
}

struct conv *convert(struct tbl *tables, unsigned n)
{
	struct conv *c = convert_in(tables, n, CONV_TREE);

	if (c->rc != 0)
		fprintf(stderr, "acpi2fdt: %d\n%s", c->rc, c->log);
	assert_int_equal(c->rc, 0);
	return c;
}

void conv_free(struct conv *c)
{
	free(c->fdt);
	free(c);
}

void assert_log(const struct conv *c, const char *needle)
{
	if (!strstr(c->log, needle)) {
		fprintf(stderr, "log lacks: %s\n--- log ---\n%s", needle, c->log);
		fail();
	}
}

void assert_no_log(const struct conv *c, const char *needle)
{
	if (strstr(c->log, needle)) {
		fprintf(stderr, "log has: %s\n--- log ---\n%s", needle, c->log);
		fail();
	}
}

int node(const struct conv *c, const char *path)
{
	return fdt_path_offset(c->fdt, path);
}

void assert_node(const struct conv *c, const char *path)
{
	if (node(c, path) < 0) {
		fprintf(stderr, "no node %s\n--- log ---\n%s", path, c->log);
		fail();
	}
}

void assert_no_node(const struct conv *c, const char *path)
{
	if (node(c, path) >= 0) {
		fprintf(stderr, "unexpected node %s\n", path);
		fail();
	}
}

static const void *prop(const struct conv *c, const char *path, const char *name, int *len)
{
	int off = node(c, path);
	const void *v;

	if (off < 0) {
		fprintf(stderr, "no node %s\n--- log ---\n%s", path, c->log);
		fail();
	}
	v = fdt_getprop(c->fdt, off, name, len);
	if (!v) {
		fprintf(stderr, "no property %s in %s\n", name, path);
		fail();
	}
	return v;
}

void assert_no_prop(const struct conv *c, const char *path, const char *name)
{
	int off = node(c, path);

	assert_true(off >= 0);
	if (fdt_getprop(c->fdt, off, name, NULL)) {
		fprintf(stderr, "unexpected property %s in %s\n", name, path);
		fail();
	}
}

void assert_str(const struct conv *c, const char *path, const char *name, const char *want)
{
	int len;
	const char *v = prop(c, path, name, &len);

	assert_true(len > 0 && v[len - 1] == 0);
	assert_string_equal(v, want);
}

void assert_strlist(const struct conv *c, const char *path, const char *name, const char *want)
{
	char got[256];
	int len;
	const char *v = prop(c, path, name, &len);

	assert_true(len > 0 && len < (int)sizeof(got) && v[len - 1] == 0);
	memcpy(got, v, (size_t)len);
	for (int i = 0; i < len - 1; i++)
		if (got[i] == 0)
			got[i] = '|';
	assert_string_equal(got, want);
}

void assert_cells(const struct conv *c, const char *path, const char *name, const uint32_t *want,
		  unsigned n)
{
	int len;
	const fdt32_t *v = prop(c, path, name, &len);

	if (len != (int)(4 * n)) {
		fprintf(stderr, "%s %s: %d bytes, want %u cells\n", path, name, len, n);
		fail();
	}
	for (unsigned i = 0; i < n; i++) {
		if (fdt32_to_cpu(v[i]) != want[i]) {
			fprintf(stderr, "%s %s: cell %u is 0x%x, want 0x%x\n", path, name, i,
				fdt32_to_cpu(v[i]), want[i]);
			fail();
		}
	}
}

void assert_u32(const struct conv *c, const char *path, const char *name, uint32_t want)
{
	assert_cells(c, path, name, &want, 1);
}

int count_nodes(const struct conv *c, const char *path, const char *pfx)
{
	int parent = node(c, path), n = 0, sub;

	if (parent < 0)
		return -1;
	fdt_for_each_subnode(sub, c->fdt, parent) {
		const char *name = fdt_get_name(c->fdt, sub, NULL);
		if (name && strncmp(name, pfx, strlen(pfx)) == 0)
			n++;
	}
	return n;
}

const char *label_path(const struct conv *c, const char *label)
{
	int sym = node(c, "/__symbols__");

	return sym < 0 ? NULL : fdt_getprop(c->fdt, sym, label, NULL);
}
