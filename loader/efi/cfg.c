/* \plinth\plinth.cfg (loader.h). The file is the user's, so it is
 * untrusted input: every line is bounded by the stated length, nothing is
 * assumed NUL-terminated, and anything not understood is named in a warning
 * and ignored rather than failing the boot. */
#include <stdbool.h>
#include <string.h>
#include "loader.h"

void cfg_defaults(struct loader_cfg *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->kernel, CFG_DEFAULT_KERNEL);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* A value with '/' turned into '\' and, without a leading separator, under
 * \plinth\ (the cfg file's own directory). */
static int set_path(char *dst, size_t max, const char *v, size_t n)
{
	size_t pre = 0;

	if (n == 0 || (v[0] != '\\' && v[0] != '/')) {
		static const char dir[] = "\\plinth\\";

		pre = sizeof(dir) - 1;
		if (pre >= max)
			return -1;
		memcpy(dst, dir, pre);
	}
	if (n == 0 || pre + n >= max)
		return -1;
	for (size_t i = 0; i < n; i++)
		dst[pre + i] = v[i] == '/' ? '\\' : v[i];
	dst[pre + n] = 0;
	return 0;
}

static int set_text(char *dst, size_t max, const char *v, size_t n)
{
	if (n >= max)
		return -1;
	memcpy(dst, v, n);
	dst[n] = 0;
	return 0;
}

/* A value must be printable ASCII: it ends up in a tree string or a UEFI
 * path, and a stray control byte would be invisible in the log. */
static long bad_byte(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return (long)i;
	return -1;
}

struct cfg_key {
	const char *name;
	size_t off, max;
	bool path;
};

#define KEY(n, field, p) { n, offsetof(struct loader_cfg, field), sizeof(((struct loader_cfg *)0)->field), p }
static const struct cfg_key keys[] = {
	KEY("kernel", kernel, true),
	KEY("initrd", initrd, true),
	KEY("bootargs", bootargs, false),
	KEY("board", board, false),
	KEY("gop", gop, false),
};

/* One line without its newline; returns 1 when it drew a warning. */
static int parse_line(struct loader_cfg *c, unsigned num, const char *s, size_t n,
		      const struct plinth_log *log)
{
	const char *eq, *k, *v;
	size_t kn, vn;
	long bad;

	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n == 0 || s[0] == '#')
		return 0;
	eq = memchr(s, '=', n);
	if (!eq) {
		lprintf(log, "loader: cfg: line %u: no '=' in \"%.*s\", ignored", num,
			(int)(n > 60 ? 60 : n), s);
		return 1;
	}
	k = s;
	kn = (size_t)(eq - s);
	while (kn && is_space(k[kn - 1]))
		kn--;
	v = eq + 1;
	vn = (size_t)(s + n - v);
	while (vn && is_space(*v))
		v++, vn--;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct cfg_key *key = &keys[i];
		char *dst = (char *)c + key->off;

		if (strlen(key->name) != kn || memcmp(key->name, k, kn) != 0)
			continue;
		bad = bad_byte(v, vn);
		if (bad >= 0) {
			lprintf(log, "loader: cfg: line %u: %s= has byte 0x%02x at column %ld, ignored",
				num, key->name, (unsigned char)v[bad], (long)(v - s) + bad + 1);
			return 1;
		}
		if ((key->path ? set_path(dst, key->max, v, vn) : set_text(dst, key->max, v, vn)) < 0) {
			lprintf(log, "loader: cfg: line %u: %s= value of %zu bytes %s, ignored", num,
				key->name, vn, vn ? "too long" : "empty");
			return 1;
		}
		if (key->off == offsetof(struct loader_cfg, bootargs))
			c->have_bootargs = 1;
		return 0;
	}
	lprintf(log, "loader: cfg: line %u: unknown key '%.*s', ignored", num,
		(int)(kn > 40 ? 40 : kn), k);
	return 1;
}

int cfg_parse(struct loader_cfg *c, const char *text, size_t len, const struct plinth_log *log)
{
	unsigned num = 0;
	int warnings = 0;
	size_t pos = 0;

	/* A UTF-8 byte order mark, as some editors write. */
	if (len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
	    (unsigned char)text[2] == 0xbf)
		pos = 3;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		num++;
		if (memchr(s, 0, n)) {
			lprintf(log, "loader: cfg: line %u: NUL byte, ignored", num);
			warnings++;
		} else {
			warnings += parse_line(c, num, s, n, log);
		}
		pos += n + (nl ? 1 : 0);
	}
	return warnings;
}

void cfg_summary(const struct loader_cfg *c, int warnings, const struct plinth_log *log)
{
	lprintf(log, "loader: cfg: %s: kernel=%s%s%s%s%s%s%s%s%s%s, %d warning(s)", CFG_PATH,
		c->kernel, c->initrd[0] ? " initrd=" : "", c->initrd,
		c->have_bootargs ? " bootargs=\"" : "", c->have_bootargs ? c->bootargs : "",
		c->have_bootargs ? "\"" : "", c->board[0] ? " board=" : "", c->board,
		c->gop[0] ? " gop=" : "", c->gop, warnings);
}
