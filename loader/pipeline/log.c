/* The loader log (log.h): one buffer that becomes the handover
 * region, one output (ConOut while boot services run). Pure C: the output is
 * a callback, so the host tests drive it without firmware. */
#include <string.h>
#include <plinth/printk.h>
#include "log.h"

#define LINE_MAX 256
#define TRUNC_NOTE_MAX 64	/* kept free at the end for the "truncated" note */

void llog_init(struct llog *l, void (*out)(void *, const char *), void *arg)
{
	memset(l, 0, sizeof(*l));
	l->out = out;
	l->out_arg = arg;
}

/* Append bytes; what does not fit is counted, and said once at the end. */
static void buf_put(struct llog *l, const char *s, size_t n)
{
	if (!l->buf) {
		size_t room = sizeof(l->early) - 1 - l->early_len;

		if (n > room) {
			l->dropped += n - room;
			n = room;
		}
		memcpy(l->early + l->early_len, s, n);
		l->early_len += n;
		l->early[l->early_len] = 0;
		return;
	}
	size_t used = 1 + TRUNC_NOTE_MAX + l->len;

	if (l->size < used + n && l->grow) {
		size_t size = 2 * l->size > used + n ? 2 * l->size : used + n;
		char *nb = l->grow(l->buf, size);

		if (nb) {
			l->buf = nb;
			l->size = size;
		}
	}
	size_t room = l->size > used ? l->size - used : 0;

	if (n > room) {
		l->dropped += n - room;
		n = room;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = 0;
}

static void note_truncation(struct llog *l)
{
	char note[TRUNC_NOTE_MAX];
	size_t n;

	if (!l->buf || !l->dropped)
		return;
	ksnprintf(note, sizeof(note), "loader: log truncated, %llu bytes dropped\n",
		  (unsigned long long)l->dropped);
	n = strlen(note);
	memcpy(l->buf + l->len, note, n + 1);	/* room kept by buf_put */
}

void llog_set_buffer(struct llog *l, char *buf, size_t size)
{
	if (!buf || size < 2 * TRUNC_NOTE_MAX)
		return;
	l->buf = buf;
	l->size = size;
	l->len = 0;
	buf[0] = 0;
	buf_put(l, l->early, l->early_len);
	note_truncation(l);
}

void llog_line(struct llog *l, const char *text)
{
	buf_put(l, text, strlen(text));
	buf_put(l, "\n", 1);
	note_truncation(l);
	if (l->out && !l->holding)
		l->out(l->out_arg, text);
}

static void sink_line(void *arg, const char *text)
{
	llog_line(arg, text);
}

struct plinth_log llog_sink(struct llog *l)
{
	return (struct plinth_log){ sink_line, l };
}

void llog_hold(struct llog *l)
{
	l->holding = 1;
	l->hold_from = l->buf ? l->len : l->early_len;
}

/* Held lines are whole lines in the buffer: print them one by one. */
static void print_held(struct llog *l)
{
	char line[LINE_MAX];
	const char *p = l->buf ? l->buf + l->hold_from : l->early + l->hold_from;
	const char *end = l->buf ? l->buf + l->len : l->early + l->early_len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = 0;
		l->out(l->out_arg, line);
		p = nl ? nl + 1 : end;
	}
}

void llog_release(struct llog *l, int keep)
{
	if (!l->holding)
		return;
	l->holding = 0;
	if (!keep) {
		if (l->buf) {
			l->len = l->hold_from;
			l->buf[l->len] = 0;
		} else {
			l->early_len = l->hold_from;
			l->early[l->early_len] = 0;
		}
		return;
	}
	if (l->out)
		print_held(l);
}
