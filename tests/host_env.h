/* The host stand-in for the kernel environment, for unit tests (host_env.c):
 * kzalloc is calloc, ioremap does nothing, and the kernel log is captured so a
 * test can assert on the lines a unit printed. All of it is weak: a test may
 * supply its own. */
#ifndef PLINTH_TESTS_HOST_ENV_H
#define PLINTH_TESTS_HOST_ENV_H
#include <stddef.h>

/* irq.h's sleep-until-interrupt on the host; weak, a test may supply its own
 * that raises an interrupt. */
void host_wait_irq(void);

/* Everything logged since the last host_log_clear(), NUL-terminated. */
const char *host_log(void);
void host_log_clear(void);
/* Read a whole file (e.g. a .dtb under build/host/trees); aborts on error. */
void *host_read_file(const char *path, size_t *len);
/* Path of a compiled test tree: $PLINTH_BUILD/host/trees/<name>.dtb. */
const char *host_tree_path(const char *name);

#endif
