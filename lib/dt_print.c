/* DTS printer for the `dt` command (see dt_print.h). Follows the DTS syntax of
 * the Devicetree Specification v0.4, chapter 6, and dtc's lexer: string escapes
 * (\" \\ \t \n \r \xNN), labels [a-zA-Z_][a-zA-Z0-9_]*, path references &{/path}. */
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <plinth/dt_print.h>
#include <plinth/err.h>

#define DT_PRINT_MAX_DEPTH 32	/* deeper than any real tree; bounds the recursion */
#define DT_PRINT_PATH 512

struct dtp {
	const void *fdt;
	dt_print_write write;
	void *ctx;
	int symbols;			/* /__symbols__ offset, or < 0 */
	const char *root;		/* path of the printed subtree ("/" = whole tree) */
	size_t rootlen;
	char path[DT_PRINT_PATH];	/* scratch: never held across a recursion */
};

static void out(struct dtp *p, const char *s)
{
	p->write(p->ctx, s, strlen(s));
}

static void outn(struct dtp *p, const char *s, size_t n)
{
	p->write(p->ctx, s, n);
}

static void outhex(struct dtp *p, uint64_t v, int min_digits)
{
	char b[2 + 16];
	int n = 0;
	char d[16];
	do {
		d[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v || n < min_digits);
	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < n; i++)
		b[2 + i] = d[n - 1 - i];
	outn(p, b, 2 + (size_t)n);
}

static void indent(struct dtp *p, int depth)
{
	for (int i = 0; i < depth; i++)
		out(p, "\t");
}

static bool label_ok(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The first valid label whose __symbols__ value is exactly `path`, or NULL. */
static const char *first_label(struct dtp *p, const char *path)
{
	int prop;
	if (p->symbols < 0)
		return NULL;
	fdt_for_each_property_offset(prop, p->fdt, p->symbols) {
		const char *name;
		int len;
		const char *v = fdt_getprop_by_offset(p->fdt, prop, &name, &len);
		if (v && len > 0 && v[len - 1] == 0 && strcmp(v, path) == 0 && label_ok(name))
			return name;
	}
	return NULL;
}

static void print_labels(struct dtp *p, const char *path)
{
	int prop;
	if (p->symbols < 0)
		return;
	fdt_for_each_property_offset(prop, p->fdt, p->symbols) {
		const char *name;
		int len;
		const char *v = fdt_getprop_by_offset(p->fdt, prop, &name, &len);
		if (v && len > 0 && v[len - 1] == 0 && strcmp(v, path) == 0 && label_ok(name)) {
			out(p, name);
			out(p, ": ");
		}
	}
}

static bool printable(char c)
{
	return (c >= 0x20 && c <= 0x7e) || c == '\t' || c == '\n' || c == '\r';
}

/* NUL-terminated printable strings, none empty (a lone "" is allowed). */
static bool is_string_list(const char *v, int len)
{
	int start = 0;
	if (len <= 0 || v[len - 1] != 0)
		return false;
	if (len == 1)
		return true;
	for (int i = 0; i < len; i++) {
		if (v[i] == 0) {
			if (i == start)
				return false;
			start = i + 1;
		} else if (!printable(v[i])) {
			return false;
		}
	}
	return true;
}

static void print_strings(struct dtp *p, const char *v, int len)
{
	int i = 0;
	while (i < len) {
		out(p, i ? ", \"" : "\"");
		for (; v[i]; i++) {
			switch (v[i]) {
			case '"': out(p, "\\\""); break;
			case '\\': out(p, "\\\\"); break;
			case '\t': out(p, "\\t"); break;
			case '\n': out(p, "\\n"); break;
			case '\r': out(p, "\\r"); break;
			default: outn(p, &v[i], 1);
			}
		}
		out(p, "\"");
		i++;
	}
}

static void print_cells(struct dtp *p, const void *v, int len)
{
	out(p, "<");
	for (int i = 0; i < len / 4; i++) {
		if (i)
			out(p, " ");
		outhex(p, fdt32_ld((const fdt32_t *)v + i), 1);
	}
	out(p, ">");
}

static void print_bytes(struct dtp *p, const uint8_t *v, int len)
{
	static const char hex[] = "0123456789abcdef";
	out(p, "[");
	for (int i = 0; i < len; i++) {
		char b[3] = { hex[v[i] >> 4], hex[v[i] & 0xf], ' ' };
		outn(p, b, i + 1 < len ? 3 : 2);
	}
	out(p, "]");
}

static bool inside_subtree(const struct dtp *p, const char *path)
{
	if (p->rootlen == 1)
		return true;
	return strncmp(path, p->root, p->rootlen) == 0 &&
	       (path[p->rootlen] == 0 || path[p->rootlen] == '/');
}

/* Path of the node a phandle names, when a reference to it may be printed:
 * known and inside the printed subtree (else dtc would reject it). */
static const char *ref_path(struct dtp *p, uint32_t phandle, int *node)
{
	int target = fdt_node_offset_by_phandle(p->fdt, phandle);
	if (target < 0 || fdt_get_path(p->fdt, target, p->path, sizeof(p->path)) < 0 ||
	    !inside_subtree(p, p->path))
		return NULL;
	if (node)
		*node = target;
	return p->path;
}

static void print_ref(struct dtp *p, const char *path)
{
	const char *label = first_label(p, path);
	out(p, "&");
	if (label) {
		out(p, label);
	} else {
		out(p, "{");
		out(p, path);
		out(p, "}");
	}
}

/* Properties whose value is a list of (phandle, args...) with the arg count
 * in the provider's #cells property: the ones dtc checks (checks.c), so a
 * dump that prints them as references compiles without warnings. */
static const struct {
	const char *prop, *cells;
} phandle_lists[] = {
	{ "clocks", "#clock-cells" },		{ "cooling-device", "#cooling-cells" },
	{ "dmas", "#dma-cells" },		{ "hwlocks", "#hwlock-cells" },
	{ "interrupts-extended", "#interrupt-cells" },
	{ "io-channels", "#io-channel-cells" },	{ "iommus", "#iommu-cells" },
	{ "mboxes", "#mbox-cells" },		{ "msi-parent", "#msi-cells" },
	{ "mux-controls", "#mux-control-cells" },	{ "phys", "#phy-cells" },
	{ "power-domains", "#power-domain-cells" },	{ "pwms", "#pwm-cells" },
	{ "resets", "#reset-cells" },		{ "sound-dai", "#sound-dai-cells" },
	{ "thermal-sensors", "#thermal-sensor-cells" },
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The #cells property name for a phandle-list property, or NULL. */
static const char *phandle_cells_prop(const char *name)
{
	for (unsigned i = 0; i < sizeof(phandle_lists) / sizeof(phandle_lists[0]); i++)
		if (strcmp(name, phandle_lists[i].prop) == 0)
			return phandle_lists[i].cells;
	/* gpios, foo-gpios, gpio, foo-gpio; not "ngpios" or "foo,nr-gpios" */
	if (strcmp(name, "gpios") == 0 || strcmp(name, "gpio") == 0 ||
	    ((ends_with(name, "-gpios") || ends_with(name, "-gpio")) && !ends_with(name, ",nr-gpios")))
		return "#gpio-cells";
	return NULL;
}

/* Walks a phandle list; returns false (print nothing) when it does not parse:
 * unknown phandle, provider without the #cells property, or a length that
 * does not match. With print set, prints it with references. */
static bool walk_phandle_list(struct dtp *p, const fdt32_t *v, int ncells, const char *cellsprop,
			      bool print)
{
	int i = 0;
	while (i < ncells) {
		uint32_t ph = fdt32_ld(&v[i]), nargs = 0;
		const char *path = NULL;
		/* 0 and -1 are placeholders some bindings use for an absent entry */
		if (ph != 0 && ph != 0xffffffffu) {
			int target = fdt_node_offset_by_phandle(p->fdt, ph);
			int len;
			if (target < 0)
				return false;
			path = ref_path(p, ph, NULL);
			const fdt32_t *c = fdt_getprop(p->fdt, target, cellsprop, &len);
			if (c && len == 4)
				nargs = fdt32_ld(c);
			else if (strcmp(cellsprop, "#msi-cells") != 0)	/* optional, 0 */
				return false;
		}
		if (nargs > (uint32_t)(ncells - i - 1))
			return false;
		if (print) {
			if (i)
				out(p, " ");
			if (path)
				print_ref(p, path);
			else
				outhex(p, ph, 1);
			for (uint32_t a = 1; a <= nargs; a++) {
				out(p, " ");
				outhex(p, fdt32_ld(&v[i + a]), 1);
			}
		}
		i += 1 + (int)nargs;
	}
	return true;
}

static bool print_phandle_list(struct dtp *p, const void *v, int len, const char *cellsprop)
{
	if (len % 4 || !walk_phandle_list(p, v, len / 4, cellsprop, false))
		return false;
	out(p, "<");
	walk_phandle_list(p, v, len / 4, cellsprop, true);
	out(p, ">");
	return true;
}

/* A one-cell phandle as `<&label>` / `<&{/path}>`; raw when its node is
 * unknown or outside the printed subtree. */
static void print_phandle_ref(struct dtp *p, const void *v, int len)
{
	const char *path = ref_path(p, fdt32_ld(v), NULL);
	if (!path) {
		print_cells(p, v, len);
		return;
	}
	out(p, "<");
	print_ref(p, path);
	out(p, ">");
}

static void print_prop(struct dtp *p, int prop, int depth)
{
	const char *name;
	int len;
	const void *v = fdt_getprop_by_offset(p->fdt, prop, &name, &len);
	if (!v)
		return;
	indent(p, depth);
	out(p, name);
	if (len == 0) {
		out(p, ";\n");
		return;
	}
	out(p, " = ");
	const char *cellsprop = phandle_cells_prop(name);
	if (strcmp(name, "interrupt-parent") == 0 && len == 4)
		print_phandle_ref(p, v, len);
	else if (cellsprop && print_phandle_list(p, v, len, cellsprop))
		;
	else if (is_string_list(v, len))
		print_strings(p, v, len);
	else if (len % 4 == 0)
		print_cells(p, v, len);
	else
		print_bytes(p, v, len);
	out(p, ";\n");
}

static void print_node_open(struct dtp *p, int node, int depth, bool labels)
{
	indent(p, depth);
	if (labels && fdt_get_path(p->fdt, node, p->path, sizeof(p->path)) >= 0)
		print_labels(p, p->path);
	if (node == 0) {
		out(p, "/");
	} else {
		const char *name = fdt_get_name(p->fdt, node, NULL);
		out(p, name ? name : "?");
	}
	out(p, " {\n");
}

static int print_node(struct dtp *p, int node, int depth)
{
	int prop, child, err;
	if (depth > DT_PRINT_MAX_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;
	print_node_open(p, node, depth, true);
	fdt_for_each_property_offset(prop, p->fdt, node)
		print_prop(p, prop, depth + 1);
	if (prop != -FDT_ERR_NOTFOUND)
		return prop;
	fdt_for_each_subnode(child, p->fdt, node) {
		out(p, "\n");
		err = print_node(p, child, depth + 1);
		if (err < 0)
			return err;
	}
	if (child != -FDT_ERR_NOTFOUND)
		return child;
	indent(p, depth);
	out(p, "};\n");
	return 0;
}

static int print_memreserve(struct dtp *p)
{
	int n = fdt_num_mem_rsv(p->fdt);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		uint64_t addr, size;
		int err = fdt_get_mem_rsv(p->fdt, i, &addr, &size);
		if (err < 0)
			return err;
		out(p, "/memreserve/ ");
		outhex(p, addr, 1);
		out(p, " ");
		outhex(p, size, 1);
		out(p, ";\n");
	}
	return 0;
}

/* An ancestor as a wrapper: only the cell counts its children's reg needs. */
static void print_wrapper(struct dtp *p, int node, int depth)
{
	static const char *const keep[] = { "#address-cells", "#size-cells" };
	print_node_open(p, node, depth, false);
	for (unsigned i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		int len;
		const void *v = fdt_getprop(p->fdt, node, keep[i], &len);
		if (v && len == 4) {
			indent(p, depth + 1);
			out(p, keep[i]);
			out(p, " = ");
			print_cells(p, v, len);
			out(p, ";\n");
		}
	}
	out(p, "\n");
}

int dt_print(const void *fdt, const char *path, dt_print_write write, void *ctx)
{
	static const char root[] = "/";
	char rootpath[DT_PRINT_PATH];
	struct dtp p = { .fdt = fdt, .write = write, .ctx = ctx, .root = root, .rootlen = 1 };
	int err = fdt_check_header(fdt);
	if (err < 0)
		return err;
	int node = fdt_path_offset(fdt, path && *path ? path : "/");
	if (node < 0)
		return node;
	err = fdt_get_path(fdt, node, rootpath, sizeof(rootpath));
	if (err < 0)
		return err;
	p.symbols = fdt_path_offset(fdt, "/__symbols__");
	int depth = fdt_node_depth(fdt, node);
	if (depth < 0)
		return depth;
	if (depth > DT_PRINT_MAX_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;

	out(&p, "/dts-v1/;\n");
	if (node == 0) {
		err = print_memreserve(&p);
		if (err < 0)
			return err;
		out(&p, "\n");
		return print_node(&p, 0, 0);
	}
	p.root = rootpath;
	p.rootlen = strlen(rootpath);
	out(&p, "\n");
	for (int d = 0; d < depth; d++) {
		int anc = fdt_supernode_atdepth_offset(fdt, node, d, NULL);
		if (anc < 0)
			return anc;
		print_wrapper(&p, anc, d);
	}
	err = print_node(&p, node, depth);
	for (int d = depth - 1; d >= 0 && err >= 0; d--) {
		indent(&p, d);
		out(&p, "};\n");
	}
	return err;
}
