/* A byte ring between one producer (a UART's receive interrupt handler) and
 * one consumer (the console reader). Indices run freely and are published
 * with release stores and read with acquire loads, so the two sides need no
 * lock even on different CPUs. A full ring drops the new byte and counts it:
 * the handler must still drain the UART, or a level interrupt would storm. */
#ifndef PLINTH_RING_H
#define PLINTH_RING_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/err.h>

#define RING_SIZE 256u		/* power of two: indices wrap by mask */

struct byte_ring {
	uint8_t buf[RING_SIZE];
	uint32_t head;		/* bytes ever put (producer) */
	uint32_t tail;		/* bytes ever taken (consumer) */
	uint32_t dropped;	/* bytes refused because the ring was full */
};

static inline bool ring_put(struct byte_ring *r, uint8_t b)
{
	uint32_t h = r->head, t = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);

	if (h - t >= RING_SIZE) {
		r->dropped++;
		return false;
	}
	r->buf[h & (RING_SIZE - 1)] = b;
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
	return true;
}

/* The oldest byte (0..255), or -PLINTH_EAGAIN when the ring is empty. */
static inline int ring_get(struct byte_ring *r)
{
	uint32_t t = r->tail, h = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	uint8_t b;

	if (t == h)
		return -PLINTH_EAGAIN;
	b = r->buf[t & (RING_SIZE - 1)];
	__atomic_store_n(&r->tail, t + 1, __ATOMIC_RELEASE);
	return b;
}

#endif
