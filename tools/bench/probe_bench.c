/* make bench: the driver core (kernel/core/device.c) probing a synthetic tree,
 * built for the host like tests/device_test.c, run under callgrind by
 * tools/bench/bench.py. One mock driver matches every "bench,dev" node (its
 * parse reads reg, as a real driver's would); the figure is the instructions
 * spent in devtree_init + devtree_probe_all.
 *   probe_bench TREE.dtb */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include "host_env.h"

struct bench_cfg {
	uint64_t base;
};

static int bench_parse(struct device *dev)
{
	struct bench_cfg *cfg = dev->config;

	if (dev->reg_err < 0)
		return dev->reg_err;
	cfg->base = dev->nreg ? dev->reg[0].addr : 0;
	return 0;
}

static int bench_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

static const struct dt_match bench_match[] = {
	{ "bench,dev", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(bench_driver) = {
	.name = "bench-dev",
	.match = bench_match,
	.config_size = sizeof(struct bench_cfg),
	.parse = bench_parse,
	.probe = bench_probe,
};

int main(int argc, char **argv)
{
	struct devtree dt;
	struct device *d;
	unsigned bound = 0, total = 0;
	void *fdt;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: probe_bench TREE.dtb\n");
		return 2;
	}
	fdt = host_read_file(argv[1], NULL);
	rc = devtree_init(&dt, fdt);
	if (rc < 0) {
		fprintf(stderr, "probe_bench: devtree_init: %s\n", plinth_strerror(rc));
		return 1;
	}
	devtree_probe_all(&dt);
	for (d = dt.first; d; d = d->next) {
		total++;
		bound += d->state == DEV_BOUND;
	}
	printf("probe_bench: %u devices, %u bound\n", total, bound);
	return 0;
}
