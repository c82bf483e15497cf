/* The driver-test harness of probe_harness.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/console.h>
#include <plinth/printk.h>
#include "host_env.h"
#include "probe_harness.h"

void *unit_fdt;
struct devtree unit_dt;
static const char *unit_driver;

int probe_harness_init(const char *tree, const char *driver)
{
	unit_fdt = host_read_file(host_tree_path(tree), NULL);
	unit_driver = driver;
	return devtree_init(&unit_dt, unit_fdt);
}

struct device *dev_at(const char *path)
{
	int node = fdt_path_offset(unit_fdt, path);
	struct device *dev;

	assert_true(node >= 0);
	dev = devtree_find(&unit_dt, node);
	assert_non_null(dev);
	assert_non_null(dev->drv);
	assert_string_equal(dev->drv->name, unit_driver);
	dev->config = calloc(1, dev->drv->config_size);
	dev->reason[0] = 0;
	return dev;
}

void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- text ---\n%s\n", needle, text);
		fail();
	}
}

const char *log_text(void)
{
	static char buf[1 << 16];
	size_t n = log_read(buf, sizeof(buf) - 1);

	buf[n] = 0;
	return buf;
}
