/* The AML walker (acpi_aml.c): the namespace the DSDT and SSDTs declare,
 * read from static objects only, nothing evaluated; data objects; resource
 * templates. Private to loader/acpi2fdt/. */
#ifndef PLINTH_ACPI2FDT_AML_H
#define PLINTH_ACPI2FDT_AML_H
#include <stdint.h>

struct acpi_ctx;
struct acpi_sdt;

#define ACPI_PATH_MAX	96	/* "\\_SB_.PCI0.COM1": 1 + 5 per segment, 18 deep */

enum aml_kind { AML_NAME = 1, AML_METHOD, AML_DEVICE };

/* A named object found in a DSDT or SSDT. */
struct aml_obj {
	enum aml_kind kind;
	char path[ACPI_PATH_MAX];	/* absolute: "\\_SB_.COM1._CRS" */
	const struct acpi_sdt *table;
	uint32_t off;			/* of its opcode in the table */
	const uint8_t *data;		/* AML_NAME: its data object; AML_DEVICE: its TermList */
	uint32_t len;
	const uint8_t *scope;		/* the TermList it is declared in, */
	uint32_t scope_len;
	const char *scope_path;		/* and that list's scope (valid during the visit) */
};

/* Visitor: nonzero stops the walk and is returned by aml_walk. */
typedef int (*aml_visit)(void *arg, const struct aml_obj *o);

/* Visit every Name, Method and Device of every AML table, in table order.
 * With `log` set, each table's walk is summarised (and code the walker
 * cannot step over is reported) in fdt: lines. */
int aml_walk(struct acpi_ctx *c, aml_visit fn, void *arg, int log);
/* The object at an absolute path. 1 found, 0 not. A find only descends into
 * scopes on the way to the path, so an object declared by an absolute or
 * parent-prefixed name inside an unrelated scope needs aml_find_in. */
int aml_find(struct acpi_ctx *c, const char *path, struct aml_obj *out);
/* The object at `path` among those declared in a device's TermList (a
 * device object as the walk reported it). 1 found, 0 not. */
int aml_find_in(struct acpi_ctx *c, const struct aml_obj *device, const char *path,
		struct aml_obj *out);
/* Normalise a path string ("\\_SB.COM0" -> "\\_SB_.COM0"). 0 or -PLINTH_EINVAL. */
int aml_path_normalise(const char *in, size_t inlen, char *out, size_t size);
/* Resolve a NameString reference to a Device (a _PRT Source, ACPI 6.5
 * 6.2.13) seen in the scope `scope`, by the namespace search rules (5.3): a
 * single segment is looked for in the scope and then each parent. Looked up
 * among the Devices the namespace walk recorded (acpi_device_at), not by
 * walking again. 1 found (path in out, and the device in *obj when obj is
 * not NULL), 0 not. */
int aml_resolve_device(struct acpi_ctx *c, const char *scope, const uint8_t *p, uint32_t len,
		char *out, size_t size, struct aml_obj *obj);
/* The parent path of an object path ("\\_SB_.COM1._CRS" -> "\\_SB_.COM1"). */
void aml_parent(const char *path, char *out, size_t size);

/* Data objects (ACPI 6.5 20.2.3). Each returns 0 or -PLINTH_EINVAL. */
int aml_integer(const uint8_t *p, uint32_t len, uint64_t *v);
int aml_string(const uint8_t *p, uint32_t len, const char **s, uint32_t *slen);
int aml_buffer(const uint8_t *p, uint32_t len, const uint8_t **data, uint32_t *dlen);
/* A hardware ID: an EISA ID integer or a string, as text ("PNP0501"). */
int aml_hardware_id(const uint8_t *p, uint32_t len, char *out, size_t size);
/* True when the object bytes are a NameString (a reference). */
int aml_is_namestring(const uint8_t *p, uint32_t len);

struct aml_pkg {
	const uint8_t *p, *end;
	uint32_t left;			/* elements still to read */
};
int aml_package(const uint8_t *p, uint32_t len, struct aml_pkg *it);
/* Next element's bytes. 1 got one, 0 end, -PLINTH_EINVAL malformed. */
int aml_pkg_next(struct aml_pkg *it, const uint8_t **elem, uint32_t *elen);

/* An integer device property from a static _DSD (device-properties UUID,
 * ACPI 6.5 6.2.5). 0 found, -PLINTH_ENOENT not there, -PLINTH_EINVAL bad. */
int aml_dsd_integer(const uint8_t *dsd, uint32_t len, const char *name, uint64_t *v);

/* Resource templates (ACPI 6.5 6.4). */
enum res_type { RES_MEMORY, RES_IO, RES_BUS, RES_IRQ };
struct acpi_res {
	enum res_type type;
	uint64_t min, len, offset;	/* address spaces: offset = translation */
	int producer;			/* address space: ResourceProducer */
	int prefetchable;		/* memory: _MEM = prefetchable */
	uint32_t irq;			/* RES_IRQ: the first interrupt */
	unsigned nirq;
	int edge, active_low;
};
struct res_iter {
	const uint8_t *p, *end;
};
void res_iter_init(struct res_iter *it, const uint8_t *buf, uint32_t len);
/* Next descriptor the converter understands. 1 got one, 0 end (end tag or
 * buffer end), -PLINTH_EINVAL malformed. Others are stepped over. */
int res_next(struct res_iter *it, struct acpi_res *r);

#endif
