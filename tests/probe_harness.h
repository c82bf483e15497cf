/* The shared harness of the driver tests that parse and probe the devices of
 * one test tree one at a time (tests/probe_harness.c; uart_ns16550_test,
 * uart_pl011_test, fb_simple_test): the tree is read once, its devices found
 * by path with a fresh configuration each, and the kernel log read back. */
#ifndef PLINTH_TESTS_PROBE_HARNESS_H
#define PLINTH_TESTS_PROBE_HARNESS_H
#include <plinth/driver.h>

/* The tree of probe_harness_init() and its devices. */
extern void *unit_fdt;
extern struct devtree unit_dt;

/* Read the compiled test tree `tree` (host_tree_path) into unit_fdt and
 * list its devices in unit_dt; dev_at() wants them bound to the driver named
 * `driver`. devtree_init's result. */
int probe_harness_init(const char *tree, const char *driver);
/* The device at `path` of unit_fdt, matched to the driver, with a zeroed
 * configuration (never freed: consoles point into it) and no reason. */
struct device *dev_at(const char *path);
/* Fail, printing both, unless needle occurs in text. */
void assert_has(const char *text, const char *needle);
/* The kernel log so far (console.c keeps it, not host_env.c), NUL-terminated. */
const char *log_text(void);

#endif
