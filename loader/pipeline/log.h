/* The loader log (log.c). Every line goes to the handover buffer (the
 * region the tree names as /reserved-memory/loader-log, printed by the
 * kernel's `log`) and, while boot services run, to ConOut through `out`.
 * Under AAVMF ConOut already is the serial console, so printing nowhere else
 * is what keeps each line from appearing twice. Pure C: the output is a
 * callback, so the host tests drive it without firmware. */
#ifndef PLINTH_PIPELINE_LOG_H
#define PLINTH_PIPELINE_LOG_H
#include <stddef.h>
#include <plinth/log.h>

struct llog {
	char *buf;			/* NUL-terminated text; NULL until allocated */
	size_t size, len;
	size_t dropped;			/* bytes that did not fit */
	void (*out)(void *arg, const char *line);	/* NULL: buffer only */
	void *out_arg;
	int holding;			/* llog_hold(): buffer, do not print yet */
	size_t hold_from;
	/* Optional, realloc's shape: a larger buffer when a line does not fit
	 * (a host tool's log has no fixed region); NULL or a failure: what
	 * does not fit is dropped and counted. */
	void *(*grow)(void *buf, size_t size);
	/* Lines before the buffer exists (the first few), kept to copy in. */
	char early[1024];
	size_t early_len;
};

void llog_init(struct llog *l, void (*out)(void *, const char *), void *arg);
/* Give the log its handover buffer; early lines are copied in. */
void llog_set_buffer(struct llog *l, char *buf, size_t size);
void llog_line(struct llog *l, const char *text);
/* The plinth_log view of this log, for the converter and the pure units. */
struct plinth_log llog_sink(struct llog *l);
/* Hold printing (lines still buffered) until llog_release(l, keep): keep = 1
 * prints the held lines, keep = 0 drops them (a conversion that is retried
 * in a larger buffer must not print its lines twice). */
void llog_hold(struct llog *l);
void llog_release(struct llog *l, int keep);

#endif
