/* A minimal interrupt controller for host tests of interrupt-driven drivers
 * and of the interrupt core (tests/mock_intc.c): compatible "test,mock-intc",
 * #interrupt-cells = <1>, the cell is the INTID (a level SPI), unless a test
 * installs its own xlate. It becomes the root controller when it probes;
 * mock_intc_raise() delivers one interrupt through irq_dispatch(), as the
 * vectors would. ack() pops INTIDs queued by mock_intc_queue() and returns
 * INTID | 0x400 * cpu_current() as the token; the other ops record their
 * calls in mock_intc. */
#ifndef PLINTH_TESTS_MOCK_INTC_H
#define PLINTH_TESTS_MOCK_INTC_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>
#include <plinth/irq.h>

#define MOCK_INTC_LINES 1024
#define MOCK_INTC_LOG 64

/* What the core did to the mock since the last mock_intc_reset(). The logs
 * keep the first MOCK_INTC_LOG calls; their counts go on. */
struct mock_intc {
	uint32_t enabled[MOCK_INTC_LOG];	/* enable() calls, in order */
	unsigned nenabled;
	uint32_t disabled[MOCK_INTC_LOG];	/* disable() calls, in order */
	unsigned ndisabled;
	uint32_t eoi[MOCK_INTC_LOG];		/* the tokens EOId, in order */
	unsigned neoi;
	enum irq_trigger trigger[MOCK_INTC_LINES];	/* set_trigger(), by INTID */
	unsigned cpu_inits[IRQ_MAX_CPUS];
	int cpu_init_err;			/* what cpu_init() returns */
};
extern struct mock_intc mock_intc;

/* Probe the mock controller at `path` of dt by hand and mark it bound, as
 * devtree_probe_all would (for tests that probe devices one at a time). */
void mock_intc_bind(struct devtree *dt, const char *path);
/* The specifier decoding of the next probes, until mock_intc_reset(). */
void mock_intc_set_xlate(int (*xlate)(struct device *chip, const struct dt_irq *spec,
				      struct irq_hw *out));
/* The INTIDs the next acks return, in order; 1023 (none) after them. */
void mock_intc_queue(const uint32_t *ids, unsigned n);
/* INTID pending once, then irq_dispatch(). */
void mock_intc_raise(uint32_t intid);
/* Enabled now (enable() last, not disable()). */
bool mock_intc_enabled(uint32_t intid);
/* Interrupts acknowledged and EOId since the last mock_intc_reset(). */
unsigned mock_intc_eois(void);
/* Forget all of the above, and the interrupt core's state. */
void mock_intc_reset(void);

#endif
