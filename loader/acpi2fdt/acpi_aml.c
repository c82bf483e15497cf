/* A small AML walker (ACPI 6.5 chapter 20): finds the Names, Methods and
 * Devices a DSDT or SSDT declares, with their absolute paths, without
 * interpreting anything. Method bodies and conditional code are stepped over
 * by their PkgLength; an opcode the walker cannot step over ends the walk of
 * the enclosing scope only (its PkgLength says where the scope ends), with a
 * log line. Also decodes the static data objects the converters read: integers,
 * strings, buffers, packages, hardware IDs, _DSD properties and resource
 * templates (6.4). Every read is bounded by the enclosing object's end. */
#include <string.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

#define AML_MAX_DEPTH	16	/* scope nesting (paths hold 18 segments); bounds the recursion */
#define EXPR_MAX_DEPTH	8
#define PROBLEMS_LOGGED	4	/* per table */

/* Opcodes (ACPI 6.5 20.3). */
enum {
	ZERO_OP = 0x00, ONE_OP = 0x01, ALIAS_OP = 0x06, NAME_OP = 0x08, BYTE_PREFIX = 0x0a,
	WORD_PREFIX = 0x0b, DWORD_PREFIX = 0x0c, STRING_PREFIX = 0x0d, QWORD_PREFIX = 0x0e,
	SCOPE_OP = 0x10, BUFFER_OP = 0x11, PACKAGE_OP = 0x12, VAR_PACKAGE_OP = 0x13,
	METHOD_OP = 0x14, EXTERNAL_OP = 0x15, DUAL_NAME_PREFIX = 0x2e, MULTI_NAME_PREFIX = 0x2f,
	EXT_OP_PREFIX = 0x5b, ROOT_CHAR = 0x5c, PARENT_PREFIX = 0x5e,
	LOCAL0_OP = 0x60, ARG6_OP = 0x6e, IF_OP = 0xa0, ELSE_OP = 0xa1, WHILE_OP = 0xa2,
	NOOP_OP = 0xa3, ONES_OP = 0xff,
	/* after EXT_OP_PREFIX */
	MUTEX_OP = 0x01, EVENT_OP = 0x02, CREATE_FIELD_OP = 0x13, REVISION_OP = 0x30,
	DEBUG_OP = 0x31, OP_REGION_OP = 0x80, FIELD_OP = 0x81, DEVICE_OP = 0x82,
	PROCESSOR_OP = 0x83, POWER_RES_OP = 0x84, THERMAL_ZONE_OP = 0x85,
	INDEX_FIELD_OP = 0x86, BANK_FIELD_OP = 0x87, DATA_REGION_OP = 0x88,
};

/* ----------------------------------------------------------- encoding ---- */

/* PkgLength (20.2.4): its value counts its own bytes. On success *body is
 * after the encoding and *pend the package's end, within `end`. */
static int pkglength(const uint8_t *p, const uint8_t *end, const uint8_t **body,
		     const uint8_t **pend)
{
	unsigned follow;
	uint32_t len;

	if (p >= end)
		return -PLINTH_EINVAL;
	follow = p[0] >> 6;
	if ((size_t)(end - p) < 1 + follow)
		return -PLINTH_EINVAL;
	if (follow == 0) {
		len = p[0] & 0x3f;
	} else {
		len = p[0] & 0x0f;
		for (unsigned i = 1; i <= follow; i++)
			len |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	}
	if (len < 1 + follow || len > (size_t)(end - p))
		return -PLINTH_EINVAL;
	*body = p + 1 + follow;
	*pend = p + len;
	return 0;
}

static int lead_char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int name_char(uint8_t ch)
{
	return lead_char(ch) || (ch >= '0' && ch <= '9');
}

static int seg_ok(const uint8_t *s)
{
	return lead_char(s[0]) && name_char(s[1]) && name_char(s[2]) && name_char(s[3]);
}

static int starts_name(uint8_t ch)
{
	return lead_char(ch) || ch == ROOT_CHAR || ch == PARENT_PREFIX || ch == DUAL_NAME_PREFIX ||
	       ch == MULTI_NAME_PREFIX;
}

void aml_parent(const char *path, char *out, size_t size)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] != '.')
		n--;
	if (n <= 1) {			/* "\\SEG" or "\\": the root */
		str_copy(out, size, "\\");
		return;
	}
	if (size) {
		n = n - 1 < size - 1 ? n - 1 : size - 1;
		memmove(out, path, n);
		out[n] = 0;
	}
}

/* seg after the n-character path: the new length, or 0 when it does not
 * fit. */
static size_t path_append_at(char *path, size_t size, size_t n, const uint8_t *seg)
{
	int sep = !(n == 1 && path[0] == '\\');

	if (n + sep + 4 >= size)
		return 0;
	if (sep)
		path[n++] = '.';
	memcpy(path + n, seg, 4);
	path[n + 4] = 0;
	return n + 4;
}

static int path_append(char *path, size_t size, const uint8_t *seg)
{
	return path_append_at(path, size, strlen(path), seg) ? 0 : -PLINTH_ERANGE;
}

/* A NameString (20.2.2) at p: its length in bytes, and with `scope` given,
 * the absolute path it names when declared there (no search rules). */
static int namestring(const uint8_t *p, const uint8_t *end, const char *scope, char *out,
		      size_t size)
{
	const uint8_t *q = p;
	unsigned nseg;
	size_t n = 0;			/* out's length, kept as segments go on */

	if (scope)
		n = str_copy(out, size, scope);
	if (q < end && *q == ROOT_CHAR) {
		if (scope)
			n = str_copy(out, size, "\\");
		q++;
	} else {
		while (q < end && *q == PARENT_PREFIX) {
			if (scope) {
				if (strcmp(out, "\\") == 0)
					return -PLINTH_EINVAL;
				aml_parent(out, out, size);
				n = strlen(out);
			}
			q++;
		}
	}
	if (q >= end)
		return -PLINTH_EINVAL;
	if (*q == ZERO_OP) {
		nseg = 0, q++;
	} else if (*q == DUAL_NAME_PREFIX) {
		nseg = 2, q++;
	} else if (*q == MULTI_NAME_PREFIX) {
		if (end - q < 2)
			return -PLINTH_EINVAL;
		nseg = q[1], q += 2;
	} else {
		nseg = 1;
	}
	for (unsigned i = 0; i < nseg; i++, q += 4) {
		if (end - q < 4 || !seg_ok(q))
			return -PLINTH_EINVAL;
		if (scope && !(n = path_append_at(out, size, n, q)))
			return -PLINTH_ERANGE;
	}
	return (int)(q - p);
}

/* ------------------------------------------------------------ skipping ---- */

static const uint8_t *skip_termarg(const uint8_t *p, const uint8_t *end, int depth);

/* SuperName or NullName as a Target (20.2.5.4). */
static const uint8_t *skip_target(const uint8_t *p, const uint8_t *end)
{
	int n;

	if (p >= end)
		return NULL;
	if (*p == ZERO_OP || (*p >= LOCAL0_OP && *p <= ARG6_OP))
		return p + 1;
	if (*p == EXT_OP_PREFIX)
		return end - p >= 2 && p[1] == DEBUG_OP ? p + 2 : NULL;
	n = namestring(p, end, NULL, NULL, 0);
	return n > 0 ? p + n : NULL;
}

/* A TermArg or DataRefObject the walker can step over without evaluating:
 * constants, strings, buffers and packages, names (taken as having no
 * arguments), locals and args, and the integer operators tables use in
 * OperationRegion offsets. NULL: not understood. */
static const uint8_t *skip_termarg(const uint8_t *p, const uint8_t *end, int depth)
{
	const uint8_t *body, *pend;

	if (p >= end || depth > EXPR_MAX_DEPTH)
		return NULL;
	switch (*p) {
	case ZERO_OP: case ONE_OP: case ONES_OP:
		return p + 1;
	case BYTE_PREFIX:
		return end - p >= 2 ? p + 2 : NULL;
	case WORD_PREFIX:
		return end - p >= 3 ? p + 3 : NULL;
	case DWORD_PREFIX:
		return end - p >= 5 ? p + 5 : NULL;
	case QWORD_PREFIX:
		return end - p >= 9 ? p + 9 : NULL;
	case STRING_PREFIX: {
		const uint8_t *z = memchr(p + 1, 0, (size_t)(end - p - 1));
		return z ? z + 1 : NULL;
	}
	case BUFFER_OP: case PACKAGE_OP: case VAR_PACKAGE_OP:
		return pkglength(p + 1, end, &body, &pend) < 0 ? NULL : pend;
	case EXT_OP_PREFIX:
		return end - p >= 2 && (p[1] == REVISION_OP || p[1] == DEBUG_OP) ? p + 2 : NULL;
	/* Add Subtract Multiply ShiftLeft ShiftRight And Nand Or Nor Xor Mod:
	 * Operand Operand Target */
	case 0x72: case 0x74: case 0x77: case 0x79: case 0x7a: case 0x7b: case 0x7c:
	case 0x7d: case 0x7e: case 0x7f: case 0x85: {
		const uint8_t *q = skip_termarg(p + 1, end, depth + 1);
		q = q ? skip_termarg(q, end, depth + 1) : NULL;
		return q ? skip_target(q, end) : NULL;
	}
	default:
		if (*p >= LOCAL0_OP && *p <= ARG6_OP)
			return p + 1;
		if (starts_name(*p)) {
			int n = namestring(p, end, NULL, NULL, 0);
			return n > 0 ? p + n : NULL;
		}
		return NULL;
	}
}

/* ------------------------------------------------------------- walking ---- */

struct walker {
	struct acpi_ctx *c;
	const struct acpi_sdt *t;
	aml_visit fn;
	void *arg;
	int log;
	const char *target;		/* aml_find: only scopes on the way to it */
	int ret;
	const uint8_t *list, *list_end;	/* the TermList being walked */
	const char *list_scope;		/* and the scope it declares into */
	unsigned devices, names, methods, conditional, problems;
};

static void problem(struct walker *w, const uint8_t *at, const char *scope, const char *what,
		    unsigned value)
{
	if (w->log && w->problems < PROBLEMS_LOGGED)
		acpi_log(w->c, "%s: %s+0x%x in %s: %s 0x%02x not understood: rest of the scope skipped",
			 w->t->sig[0] == 'D' ? "dsdt" : "ssdt", w->t->origin,
			 (unsigned)(at - w->t->p), scope, what, value);
	w->problems++;
}

static int on_the_way(const struct walker *w, const char *path)
{
	size_t n = strlen(path);

	if (!w->target || (n == 1 && path[0] == '\\'))
		return 1;
	return strncmp(w->target, path, n) == 0 && (w->target[n] == '.' || w->target[n] == 0);
}

static void visit(struct walker *w, enum aml_kind kind, const char *path, const uint8_t *op,
		  const uint8_t *data, const uint8_t *dend)
{
	struct aml_obj o;

	if (w->ret)
		return;
	if (w->target && strcmp(w->target, path) != 0)
		return;
	o.kind = kind;
	str_copy(o.path, sizeof(o.path), path);
	o.table = w->t;
	o.off = (uint32_t)(op - w->t->p);
	o.data = data;
	o.len = data ? (uint32_t)(dend - data) : 0;
	o.scope = w->list;
	o.scope_len = (uint32_t)(w->list_end - w->list);
	o.scope_path = w->list_scope;
	w->ret = w->fn(w->arg, &o);
}

static void walk_list(struct walker *w, const uint8_t *p, const uint8_t *end, const char *scope,
		      int depth);

/* Scope, Device: PkgLength NameString TermList. */
static const uint8_t *walk_scope(struct walker *w, const uint8_t *op, const uint8_t *p,
				 const uint8_t *end, const char *scope, int depth, int device)
{
	const uint8_t *body, *pend;
	char path[ACPI_PATH_MAX];
	int n;

	if (pkglength(p, end, &body, &pend) < 0 ||
	    (n = namestring(body, pend, scope, path, sizeof(path))) < 0)
		return NULL;
	if (device) {
		w->devices++;
		visit(w, AML_DEVICE, path, op, body + n, pend);
	}
	if (depth >= AML_MAX_DEPTH) {
		if (w->log && w->problems < PROBLEMS_LOGGED)
			acpi_log(w->c, "%s: %s+0x%x: %s nested deeper than %d scopes: not walked",
				 w->t->sig[0] == 'D' ? "dsdt" : "ssdt", w->t->origin,
				 (unsigned)(op - w->t->p), path, AML_MAX_DEPTH);
		w->problems++;
		return pend;
	}
	if (on_the_way(w, path))
		walk_list(w, body + n, pend, path, depth + 1);
	return pend;
}

/* Name: NameString DataRefObject. */
static const uint8_t *walk_name(struct walker *w, const uint8_t *op, const uint8_t *end,
				const char *scope)
{
	char path[ACPI_PATH_MAX];
	int n = namestring(op + 1, end, scope, path, sizeof(path));
	const uint8_t *data, *dend;

	if (n < 0)
		return NULL;
	data = op + 1 + n;
	if (!(dend = skip_termarg(data, end, 0)))
		return NULL;
	w->names++;
	visit(w, AML_NAME, path, op, data, dend);
	return dend;
}

/* Method: PkgLength NameString MethodFlags TermList (the body is skipped). */
static const uint8_t *walk_method(struct walker *w, const uint8_t *op, const uint8_t *end,
				  const char *scope)
{
	const uint8_t *body, *pend;
	char path[ACPI_PATH_MAX];

	if (pkglength(op + 1, end, &body, &pend) < 0 ||
	    namestring(body, pend, scope, path, sizeof(path)) < 0)
		return NULL;
	w->methods++;
	visit(w, AML_METHOD, path, op, NULL, NULL);
	return pend;
}

/* Named objects the walker only steps over. */
static const uint8_t *skip_named(const uint8_t *p, const uint8_t *end, unsigned nargs,
				 unsigned trailing)
{
	int n;

	for (unsigned i = 0; i < nargs && p; i++)
		p = skip_termarg(p, end, 0);
	if (!p || (n = namestring(p, end, NULL, NULL, 0)) < 0)
		return NULL;
	p += n;
	return (size_t)(end - p) >= trailing ? p + trailing : NULL;
}

static const uint8_t *walk_ext(struct walker *w, const uint8_t *op, const uint8_t *end,
			       const char *scope, int depth)
{
	const uint8_t *p = op + 2, *body, *pend;

	if (end - op < 2)
		return NULL;
	switch (op[1]) {
	case DEVICE_OP:
		return walk_scope(w, op, p, end, scope, depth, 1);
	case FIELD_OP: case INDEX_FIELD_OP: case BANK_FIELD_OP:
	case PROCESSOR_OP: case POWER_RES_OP: case THERMAL_ZONE_OP:
		return pkglength(p, end, &body, &pend) < 0 ? NULL : pend;
	case OP_REGION_OP: {		/* NameString RegionSpace Offset Length */
		int n = namestring(p, end, NULL, NULL, 0);
		if (n < 0 || end - (p + n) < 1)
			return NULL;
		p = skip_termarg(p + n + 1, end, 0);
		return p ? skip_termarg(p, end, 0) : NULL;
	}
	case MUTEX_OP:			/* NameString SyncFlags */
		return skip_named(p, end, 0, 1);
	case EVENT_OP:
		return skip_named(p, end, 0, 0);
	case CREATE_FIELD_OP:		/* Buffer BitIndex NumBits NameString */
		return skip_named(p, end, 3, 0);
	case DATA_REGION_OP: {		/* NameString Signature OemId OemTableId */
		int n = namestring(p, end, NULL, NULL, 0);
		const uint8_t *q = n < 0 ? NULL : p + n;
		for (int i = 0; i < 3 && q; i++)
			q = skip_termarg(q, end, 0);
		return q;
	}
	default:
		return NULL;
	}
}

static void walk_list(struct walker *w, const uint8_t *p, const uint8_t *end, const char *scope,
		      int depth)
{
	const uint8_t *body, *pend, *next, *outer = w->list, *outer_end = w->list_end;
	const char *outer_scope = w->list_scope;

	w->list = p;
	w->list_end = end;
	w->list_scope = scope;
	while (p < end && !w->ret) {
		const uint8_t *op = p;

		switch (*p) {
		case SCOPE_OP:
			next = walk_scope(w, op, p + 1, end, scope, depth, 0);
			break;
		case NAME_OP:
			next = walk_name(w, op, end, scope);
			break;
		case METHOD_OP:
			next = walk_method(w, op, end, scope);
			break;
		case EXT_OP_PREFIX:
			next = walk_ext(w, op, end, scope, depth);
			break;
		case IF_OP: case ELSE_OP: case WHILE_OP:
			/* Load-time code: what it declares depends on evaluation. */
			w->conditional++;
			next = pkglength(p + 1, end, &body, &pend) < 0 ? NULL : pend;
			break;
		case ALIAS_OP: {		/* NameString NameString */
			int n = namestring(p + 1, end, NULL, NULL, 0);
			next = n < 0 ? NULL : skip_named(p + 1 + n, end, 0, 0);
			break;
		}
		case EXTERNAL_OP:		/* NameString ObjectType ArgumentCount */
			next = skip_named(p + 1, end, 0, 2);
			break;
		case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8f:
			/* CreateDWord/Word/Byte/Bit/QWordField: Buffer Index NameString */
			next = skip_named(p + 1, end, 2, 0);
			break;
		case NOOP_OP:
			next = p + 1;
			break;
		case ZERO_OP: case ONE_OP: case ONES_OP: case BYTE_PREFIX: case WORD_PREFIX:
		case DWORD_PREFIX: case QWORD_PREFIX: case STRING_PREFIX:
			/* A constant as a statement: evaluates to nothing. Microsoft's
			 * compiler leaves such bytes after padded strings. */
			next = skip_termarg(p, end, 0);
			break;
		default:
			next = NULL;
		}
		if (!next) {
			problem(w, op, scope, *op == EXT_OP_PREFIX && end - op > 1 ? "opcode 5b" : "opcode",
				*op == EXT_OP_PREFIX && end - op > 1 ? op[1] : *op);
			break;
		}
		p = next;
	}
	w->list = outer;
	w->list_end = outer_end;
	w->list_scope = outer_scope;
}

static int walk_table(struct acpi_ctx *c, const struct acpi_sdt *t, aml_visit fn, void *arg,
		      int log, const char *target)
{
	struct walker w = { .c = c, .t = t, .fn = fn, .arg = arg, .log = log, .target = target };

	if (t->len < SDT_HEADER_LEN)
		return 0;
	walk_list(&w, t->p + SDT_HEADER_LEN, t->p + t->len, "\\", 0);
	if (log) {
		acpi_log(c, "%s: %s: revision %u, %u bytes: %u devices, %u names, %u methods%s",
			 t->sig[0] == 'D' ? "dsdt" : "ssdt", t->origin, t->rev, t->len, w.devices,
			 w.names, w.methods, w.problems ? "" : " (all of it walked)");
		if (w.conditional)
			acpi_log(c, "%s: %s: %u If/Else/While block(s) at load time not walked",
				 t->sig[0] == 'D' ? "dsdt" : "ssdt", t->origin, w.conditional);
		if (w.problems > PROBLEMS_LOGGED)
			acpi_log(c, "%s: %s: %u more scope(s) cut short",
				 t->sig[0] == 'D' ? "dsdt" : "ssdt", t->origin,
				 w.problems - PROBLEMS_LOGGED);
		c->aml_devices += w.devices;
	}
	return w.ret;
}

int aml_walk(struct acpi_ctx *c, aml_visit fn, void *arg, int log)
{
	int ret = 0;

	for (unsigned i = 0; i < c->naml && !ret; i++)
		ret = walk_table(c, &c->aml[i], fn, arg, log, NULL);
	return ret;
}

static int find_visit(void *arg, const struct aml_obj *o)
{
	*(struct aml_obj *)arg = *o;
	return 1;
}

int aml_find_in(struct acpi_ctx *c, const struct aml_obj *scope, const char *path,
		struct aml_obj *out)
{
	struct walker w = { .c = c, .t = scope->table, .fn = find_visit, .arg = out,
			    .target = path };

	if (!scope->data || !scope->table)
		return 0;
	walk_list(&w, scope->data, scope->data + scope->len, scope->path, 0);
	return w.ret;
}

int aml_find(struct acpi_ctx *c, const char *path, struct aml_obj *out)
{
	for (unsigned i = 0; i < c->naml; i++)
		if (walk_table(c, &c->aml[i], find_visit, out, 0, path))
			return 1;
	return 0;
}

int aml_path_normalise(const char *in, size_t inlen, char *out, size_t size)
{
	size_t i = 0;

	str_copy(out, size, "\\");
	while (i < inlen && (in[i] == '\\'))
		i++;
	while (i < inlen && in[i]) {
		uint8_t seg[4] = { '_', '_', '_', '_' };
		unsigned n = 0;

		while (i < inlen && in[i] && in[i] != '.') {
			if (n == 4 || !name_char((uint8_t)in[i]))
				return -PLINTH_EINVAL;
			seg[n++] = (uint8_t)in[i++];
		}
		if (n == 0 || !seg_ok(seg) || path_append(out, size, seg) < 0)
			return -PLINTH_EINVAL;
		if (i < inlen && in[i] == '.')
			i++;
	}
	return strcmp(out, "\\") == 0 ? -PLINTH_EINVAL : 0;
}

int aml_resolve_device(struct acpi_ctx *c, const char *scope, const uint8_t *p, uint32_t len,
		char *out, size_t size, struct aml_obj *obj)
{
	const uint8_t *end = p + len;
	char try[ACPI_PATH_MAX];
	struct aml_obj spare = { .data = NULL }, *o = obj ? obj : &spare;
	int n;

	if (len == 0 || namestring(p, end, NULL, NULL, 0) != (int)len)
		return 0;
	/* Prefixed or multi-segment names are not searched (ACPI 6.5 5.3). */
	if (!lead_char(p[0]) || len != 4) {
		if ((n = namestring(p, end, scope, out, size)) < 0)
			return 0;
		return acpi_device_at(c, out, o);
	}
	str_copy(try, sizeof(try), scope);
	for (;;) {
		char cand[ACPI_PATH_MAX];

		str_copy(cand, sizeof(cand), try);
		if (path_append(cand, sizeof(cand), p) == 0 && acpi_device_at(c, cand, o)) {
			str_copy(out, size, cand);
			return 1;
		}
		if (strcmp(try, "\\") == 0)
			return 0;
		aml_parent(try, try, sizeof(try));
	}
}

/* --------------------------------------------------------- data objects ---- */

int aml_integer(const uint8_t *p, uint32_t len, uint64_t *v)
{
	if (len < 1)
		return -PLINTH_EINVAL;
	switch (p[0]) {
	case ZERO_OP: *v = 0; return 0;
	case ONE_OP: *v = 1; return 0;
	case ONES_OP: *v = ~0ull; return 0;
	case BYTE_PREFIX: if (len < 2) break; *v = p[1]; return 0;
	case WORD_PREFIX: if (len < 3) break; *v = le16(p + 1); return 0;
	case DWORD_PREFIX: if (len < 5) break; *v = le32(p + 1); return 0;
	case QWORD_PREFIX: if (len < 9) break; *v = le64(p + 1); return 0;
	default: break;
	}
	return -PLINTH_EINVAL;
}

int aml_string(const uint8_t *p, uint32_t len, const char **s, uint32_t *slen)
{
	const uint8_t *z;

	if (len < 2 || p[0] != STRING_PREFIX || !(z = memchr(p + 1, 0, len - 1)))
		return -PLINTH_EINVAL;
	*s = (const char *)p + 1;
	*slen = (uint32_t)(z - p - 1);
	return 0;
}

int aml_buffer(const uint8_t *p, uint32_t len, const uint8_t **data, uint32_t *dlen)
{
	const uint8_t *body, *pend, *q;
	uint64_t declared;

	if (len < 2 || p[0] != BUFFER_OP || pkglength(p + 1, p + len, &body, &pend) < 0 ||
	    !(q = skip_termarg(body, pend, 0)) || aml_integer(body, (uint32_t)(q - body), &declared) < 0)
		return -PLINTH_EINVAL;
	*data = q;
	*dlen = (uint32_t)(pend - q);
	if (declared < *dlen)		/* the ByteList may be longer than BufferSize */
		*dlen = (uint32_t)declared;
	return 0;
}

int aml_is_namestring(const uint8_t *p, uint32_t len)
{
	return len > 0 && starts_name(p[0]) && namestring(p, p + len, NULL, NULL, 0) == (int)len;
}

/* EISA ID (ACPI 6.5 19.6.35 EISAID): three 5-bit letters and four hex
 * digits, stored big-endian in the integer's first two and last two bytes. */
int aml_hardware_id(const uint8_t *p, uint32_t len, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *s;
	uint32_t slen;
	uint64_t v;

	if (aml_string(p, len, &s, &slen) == 0) {
		ksnprintf(out, size, "%.*s", (int)slen, s);
		return 0;
	}
	if (aml_integer(p, len, &v) < 0 || size < 8)
		return -PLINTH_EINVAL;
	uint8_t b0 = v & 0xff, b1 = (v >> 8) & 0xff, b2 = (v >> 16) & 0xff, b3 = (v >> 24) & 0xff;
	out[0] = (char)('@' + ((b0 >> 2) & 0x1f));
	out[1] = (char)('@' + (((b0 & 3) << 3) | (b1 >> 5)));
	out[2] = (char)('@' + (b1 & 0x1f));
	out[3] = hex[b2 >> 4];
	out[4] = hex[b2 & 0xf];
	out[5] = hex[b3 >> 4];
	out[6] = hex[b3 & 0xf];
	out[7] = 0;
	return 0;
}

int aml_package(const uint8_t *p, uint32_t len, struct aml_pkg *it)
{
	const uint8_t *body, *pend, *q;
	uint64_t n;

	if (len < 2 || (p[0] != PACKAGE_OP && p[0] != VAR_PACKAGE_OP) ||
	    pkglength(p + 1, p + len, &body, &pend) < 0 || body >= pend)
		return -PLINTH_EINVAL;
	if (p[0] == PACKAGE_OP) {
		n = body[0];
		q = body + 1;
	} else {
		if (!(q = skip_termarg(body, pend, 0)) ||
		    aml_integer(body, (uint32_t)(q - body), &n) < 0)
			return -PLINTH_EINVAL;
	}
	it->p = q;
	it->end = pend;
	it->left = n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
	return 0;
}

int aml_pkg_next(struct aml_pkg *it, const uint8_t **elem, uint32_t *elen)
{
	const uint8_t *next;

	if (!it->left || it->p >= it->end)
		return 0;
	if (!(next = skip_termarg(it->p, it->end, 0)))
		return -PLINTH_EINVAL;
	*elem = it->p;
	*elen = (uint32_t)(next - it->p);
	it->p = next;
	it->left--;
	return 1;
}

/* _DSD device properties UUID daffd814-6eba-4d8c-8a91-bc9bbf4aa301, as
 * ToUUID lays it out. */
static const uint8_t dsd_props_uuid[16] = {
	0x14, 0xd8, 0xff, 0xda, 0xba, 0x6e, 0x8c, 0x4d,
	0x8a, 0x91, 0xbc, 0x9b, 0xbf, 0x4a, 0xa3, 0x01,
};

static int dsd_props(const uint8_t *p, uint32_t len, const char *name, uint64_t *v)
{
	struct aml_pkg props, prop;
	const uint8_t *e, *k, *val;
	uint32_t elen, klen, vlen, slen;
	const char *s;
	int r;

	if (aml_package(p, len, &props) < 0)
		return -PLINTH_EINVAL;
	while ((r = aml_pkg_next(&props, &e, &elen)) > 0) {
		if (aml_package(e, elen, &prop) < 0 || aml_pkg_next(&prop, &k, &klen) <= 0 ||
		    aml_pkg_next(&prop, &val, &vlen) <= 0 || aml_string(k, klen, &s, &slen) < 0)
			continue;
		if (slen == strlen(name) && memcmp(s, name, slen) == 0)
			return aml_integer(val, vlen, v);
	}
	return r < 0 ? r : -PLINTH_ENOENT;
}

int aml_dsd_integer(const uint8_t *dsd, uint32_t len, const char *name, uint64_t *v)
{
	struct aml_pkg top;
	const uint8_t *uuid, *pkg, *data;
	uint32_t ulen, plen, dlen;
	int r;

	if (aml_package(dsd, len, &top) < 0)
		return -PLINTH_EINVAL;
	while ((r = aml_pkg_next(&top, &uuid, &ulen)) > 0) {
		if (aml_pkg_next(&top, &pkg, &plen) <= 0)
			return -PLINTH_EINVAL;
		if (aml_buffer(uuid, ulen, &data, &dlen) == 0 && dlen == 16 &&
		    memcmp(data, dsd_props_uuid, 16) == 0) {
			r = dsd_props(pkg, plen, name, v);
			if (r != -PLINTH_ENOENT)
				return r;
		}
	}
	return r < 0 ? r : -PLINTH_ENOENT;
}

/* ----------------------------------------------------- resource templates ---- */

void res_iter_init(struct res_iter *it, const uint8_t *buf, uint32_t len)
{
	it->p = buf;
	it->end = buf + len;
}

/* Word/DWord/QWord/Extended Address Space descriptors (6.4.3.5): type,
 * general flags, type flags, then granularity, min, max, offset, length
 * fields of `w` bytes each, starting at `at`. */
static int address_space(const uint8_t *d, size_t dlen, unsigned w, unsigned at,
			 struct acpi_res *r)
{
	uint64_t f[5];

	if (dlen < at + 5 * w)
		return -PLINTH_EINVAL;
	for (unsigned i = 0; i < 5; i++) {
		const uint8_t *q = d + at + i * w;
		f[i] = w == 2 ? le16(q) : w == 4 ? le32(q) : le64(q);
	}
	switch (d[3]) {
	case 0: r->type = RES_MEMORY; break;
	case 1: r->type = RES_IO; break;
	case 2: r->type = RES_BUS; break;
	default: return 0;		/* vendor-defined: not understood */
	}
	r->producer = !(d[4] & 1);
	r->prefetchable = r->type == RES_MEMORY && ((d[5] >> 1) & 3) == 3;
	r->min = f[1];
	r->offset = f[3];
	r->len = f[4] ? f[4] : (f[2] >= f[1] ? f[2] - f[1] + 1 : 0);
	return 1;
}

static int large_item(const uint8_t *d, size_t dlen, struct acpi_res *r)
{
	memset(r, 0, sizeof(*r));
	switch (d[0] & 0x7f) {
	case 0x05:			/* Memory32 (6.4.3.3): min max align length */
		if (dlen < 20)
			return -PLINTH_EINVAL;
		r->type = RES_MEMORY, r->min = le32(d + 4), r->len = le32(d + 16);
		return 1;
	case 0x06:			/* Memory32Fixed (6.4.3.4): base length */
		if (dlen < 12)
			return -PLINTH_EINVAL;
		r->type = RES_MEMORY, r->min = le32(d + 4), r->len = le32(d + 8);
		return 1;
	case 0x07:
		return address_space(d, dlen, 4, 6, r);
	case 0x08:
		return address_space(d, dlen, 2, 6, r);
	case 0x0a:
		return address_space(d, dlen, 8, 6, r);
	case 0x0b:
		return address_space(d, dlen, 8, 8, r);
	case 0x09:			/* Extended Interrupt (6.4.3.6) */
		if (dlen < 9 || d[4] == 0 || dlen < 5 + 4u * d[4])
			return -PLINTH_EINVAL;
		r->type = RES_IRQ;
		r->edge = (d[3] >> 1) & 1;
		r->active_low = (d[3] >> 2) & 1;
		r->nirq = d[4];
		r->irq = le32(d + 5);
		return 1;
	default:
		return 0;
	}
}

int res_next(struct res_iter *it, struct acpi_res *r)
{
	while (it->p < it->end) {
		const uint8_t *d = it->p;
		size_t left = (size_t)(it->end - d), dlen;
		int got;

		if (!(d[0] & 0x80)) {		/* small item: length in bits 2:0 */
			if (((d[0] >> 3) & 0xf) == 0x0f)
				return 0;	/* End Tag */
			dlen = 1 + (d[0] & 7u);
			if (dlen > left)
				return -PLINTH_EINVAL;
			it->p += dlen;
			continue;
		}
		if (left < 3 || (dlen = 3 + (size_t)le16(d + 1)) > left)
			return -PLINTH_EINVAL;
		it->p += dlen;
		if ((got = large_item(d, dlen, r)) != 0)
			return got;
	}
	return 0;
}
