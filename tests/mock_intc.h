/* A minimal interrupt controller for host tests of interrupt-driven drivers
 * (tests/mock_intc.c): compatible "test,mock-intc", #interrupt-cells = <1>,
 * the cell is the INTID (a level SPI). It becomes the root controller when it
 * probes; mock_intc_raise() delivers one interrupt through irq_dispatch(), as
 * the vectors would. */
#ifndef PLINTH_TESTS_MOCK_INTC_H
#define PLINTH_TESTS_MOCK_INTC_H
#include <stdbool.h>
#include <stdint.h>
#include <plinth/driver.h>

/* Probe the mock controller at `path` of dt by hand and mark it bound, as
 * devtree_probe_all would (for tests that probe devices one at a time). */
void mock_intc_bind(struct devtree *dt, const char *path);
/* INTID pending once, then irq_dispatch(). */
void mock_intc_raise(uint32_t intid);
bool mock_intc_enabled(uint32_t intid);
/* Interrupts acknowledged and EOId since the last mock_intc_reset(). */
unsigned mock_intc_eois(void);
void mock_intc_reset(void);

#endif
