/* Formatted output without floating point (printk.h): kvsnprintf and the
 * wrappers on top of it. Conversions follow C11 7.21.6.1 for the subset
 * printk.h lists; an unknown conversion is copied through verbatim so a bad
 * format string is visible in the log rather than silently eaten. */
#include <string.h>
#include <stdbool.h>
#include <stdint.h>
#include <plinth/printk.h>

/* Longest single kprintf; longer output is cut and ends with KPRINTF_CUT. */
#define KPRINTF_MAX 512
#define KPRINTF_CUT "...[truncated]\n"

/* Output cursor: counts every byte the full output would have, stores only
 * what fits (leaving room for the NUL). */
struct out {
	char *buf;
	size_t size, len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* n bytes at once: what fits, and the length as if all did. */
static void out_run(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_c(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;		/* -1: none */
	int prec;		/* -1: none */
	int len;		/* 'H' hh, 'h', 0 int, 'l', 'L' ll, 'z' */
};

static void out_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* Precision first: the array need not hold a NUL within it (C11
	 * 7.21.6.1p8), so s[prec] may be past its end (found by the ACPI
	 * fuzzer: DBG2 namespace strings printed with %.*s). */
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	if (!sp->left)
		out_pad(o, ' ', sp->width - n);
	out_run(o, s, (size_t)n);
	if (sp->left)
		out_pad(o, ' ', sp->width - n);
}

/* One integer: magnitude v, sign from neg, digits in base. */
static void out_num(struct out *o, uint64_t v, bool neg, unsigned base,
		    bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 2^64 in octal is 22 digits */
	int nd = 0, ndig, total;
	char sign = 0;
	const char *prefix = "";
	bool zero = v == 0;

	do {
		tmp[nd++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && nd == 1 && tmp[0] == '0')
		nd = 0;		/* C11: %.0d of 0 prints no digits */
	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	if (sp->alt && base == 16 && !zero)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (nd == 0 || tmp[nd - 1] != '0'))
		prefix = "0";

	ndig = nd > sp->prec ? nd : sp->prec;
	total = ndig + (sign ? 1 : 0);
	for (const char *p = prefix; *p; p++)
		total++;

	/* '0' is ignored with '-' or with a precision (C11 7.21.6.1p6). */
	if (!sp->left && !(sp->zero && sp->prec < 0))
		out_pad(o, ' ', sp->width - total);
	if (sign)
		out_c(o, sign);
	for (const char *p = prefix; *p; p++)
		out_c(o, *p);
	if (!sp->left && sp->zero && sp->prec < 0)
		out_pad(o, '0', sp->width - total);
	out_pad(o, '0', ndig - nd);
	while (nd)
		out_c(o, tmp[--nd]);
	if (sp->left)
		out_pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .width = -1, .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		for (; *f >= '0' && *f <= '9'; f++)
			sp->width = (sp->width < 0 ? 0 : sp->width) * 10 + (*f - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;	/* negative precision: as if omitted */
			f++;
		} else {
			for (; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
		}
	}
	if (f[0] == 'h' && f[1] == 'h') {
		sp->len = 'H';
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->len = 'L';
		f += 2;
	} else if (*f == 'h' || *f == 'l' || *f == 'z') {
		sp->len = *f++;
	}
	return f;
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (int64_t)va_arg(*ap, size_t);
	default:  return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	default:  return va_arg(*ap, unsigned);
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		const char *start = f;

		if (*f != '%') {
			/* The text up to the next conversion, in one piece. */
			while (f[1] && f[1] != '%')
				f++;
			out_run(&o, start, (size_t)(f - start + 1));
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&sp, &ap);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			out_num(&o, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
			out_num(&o, arg_unsigned(&sp, &ap), false, 10, false, &sp);
			break;
		case 'x':
		case 'X':
			out_num(&o, arg_unsigned(&sp, &ap), false, 16, *f == 'X', &sp);
			break;
		case 'o':
			out_num(&o, arg_unsigned(&sp, &ap), false, 8, false, &sp);
			break;
		case 'p':
			sp.alt = true;
			sp.len = 'l';
			out_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!sp.left)
				out_pad(&o, ' ', sp.width - 1);
			out_c(&o, c);
			if (sp.left)
				out_pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			out_str(&o, va_arg(ap, const char *), &sp);
			break;
		case '%':
			out_c(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: copy it through. */
			for (const char *p = start; p <= f && *p; p++)
				out_c(&o, *p);
			if (!*f)
				f--;	/* the format ended inside the spec */
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len > (size_t)INT32_MAX ? INT32_MAX : (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	char buf[KPRINTF_MAX];
	va_list ap;
	int n;
	size_t len;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	len = (size_t)n;
	if (len >= sizeof(buf)) {
		/* Say that something was cut rather than lose it silently. */
		const char cut[] = KPRINTF_CUT;
		len = sizeof(buf) - 1;
		for (size_t i = 0; i < sizeof(cut) - 1; i++)
			buf[len - (sizeof(cut) - 1) + i] = cut[i];
	}
	log_write(buf, len);
	return n;
}
