/* Shared by the converter's unit tests (tests/acpi_*_test.c): load the ASL
 * fixtures make compiled (build/host/acpi/...), edit their bytes (truncate,
 * patch a field, fix length and checksum), run acpi2fdt, and look at the
 * tree and the `fdt:` lines it logged. */
#ifndef PLINTH_TESTS_ACPI_TEST_UTIL_H
#define PLINTH_TESTS_ACPI_TEST_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include "acpi2fdt/acpi2fdt.h"

struct tbl {
	uint8_t *p;
	size_t len;
	char origin[96];
};

#define CONV_LOG 65536
#define CONV_TREE (256 * 1024)

struct conv {
	void *fdt;
	char log[CONV_LOG];
	size_t loglen;
	int rc;
	struct acpi2fdt_result res;
};

/* build/host/acpi/<name>.aml, e.g. "common/apic-gicv3-4cpu". */
struct tbl fixture(const char *name);
/* A table from raw bytes (copied); the SDT length field is not touched. */
struct tbl raw(const void *bytes, size_t len, const char *origin);
void tbl_free(struct tbl *t);
/* Set the length field to t->len and recompute the checksum. */
void tbl_fix(struct tbl *t);
/* Keep the first n bytes, then tbl_fix. */
void tbl_truncate(struct tbl *t, size_t n);
/* Patch a little-endian field (then tbl_fix). */
void tbl_set(struct tbl *t, size_t off, uint64_t v, unsigned size);
/* Insert bytes at off (then tbl_fix). */
void tbl_insert(struct tbl *t, size_t off, const void *bytes, size_t n);

/* Convert; c->rc is acpi2fdt's result, c->fdt the tree (freed by conv_free). */
struct conv *convert(struct tbl *tables, unsigned n);
struct conv *convert_in(struct tbl *tables, unsigned n, size_t treesize);
void conv_free(struct conv *c);

/* Assertions on the log (substring) and the tree. */
void assert_log(const struct conv *c, const char *needle);
void assert_no_log(const struct conv *c, const char *needle);
int node(const struct conv *c, const char *path);	/* offset, or < 0 */
void assert_node(const struct conv *c, const char *path);
void assert_no_node(const struct conv *c, const char *path);
void assert_no_prop(const struct conv *c, const char *path, const char *prop);
void assert_str(const struct conv *c, const char *path, const char *prop, const char *want);
/* A string-list property's strings joined by '|' ("arm,pl011|arm,primecell"). */
void assert_strlist(const struct conv *c, const char *path, const char *prop, const char *want);
/* The property's cells, compared with want[0..n). */
void assert_cells(const struct conv *c, const char *path, const char *prop, const uint32_t *want,
		  unsigned n);
void assert_u32(const struct conv *c, const char *path, const char *prop, uint32_t want);
/* Number of subnodes of path whose name starts with prefix. */
int count_nodes(const struct conv *c, const char *path, const char *prefix);
/* The path a label names in /__symbols__, or NULL. */
const char *label_path(const struct conv *c, const char *label);

#define CELLS(...) ((const uint32_t[]){ __VA_ARGS__ }), \
	(sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

#endif
