/* Unit tests of the driver core (kernel/core/device.c) with mock drivers,
 * plus the fixed-clock driver, on tests/trees/devices.dts; long reg and
 * interrupt lists on tests/trees/device_lists.dts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include "host_env.h"

/* ------------------------------------------------------- mock drivers ---- */

/* Every parse/probe call, in order: "parse /uart@9000000" ... */
static char calls[4096];

static void record(const char *what, struct device *dev)
{
	char path[128], line[160];

	snprintf(line, sizeof(line), "%s %s\n", what, dt_path(dev->fdt, dev->node, path, sizeof(path)));
	strncat(calls, line, sizeof(calls) - strlen(calls) - 1);
}

/* ioremap as the MMU would see it. */
static char mapped[4096];

int ioremap(uint64_t addr, uint64_t size)
{
	char line[64];

	snprintf(line, sizeof(line), "%#llx+%#llx\n", (unsigned long long)addr, (unsigned long long)size);
	strncat(mapped, line, sizeof(mapped) - strlen(mapped) - 1);
	return 0;
}

struct uart_variant {
	int version;
};
static const struct uart_variant uart_v1 = { 1 }, uart_v2 = { 2 };

struct uart_cfg {
	uint64_t base, hz;
	bool polled;
};

static int uart_parse(struct device *dev)
{
	struct uart_cfg *cfg = dev->config;
	int rc;

	record("parse", dev);
	if (dev->reg_err < 0)	/* the core's reason says why */
		return dev->reg_err;
	if (!dev->nreg)
		return dev_fail(dev, -PLINTH_EINVAL, "no reg");
	cfg->base = dev->reg[0].addr;
	rc = dev_clock_rate(dev, NULL, &cfg->hz);
	if (rc == -PLINTH_EDEFER)
		return rc;
	if (rc < 0 && rc != -PLINTH_ENOENT)
		return dev_fail(dev, rc, "clock: %s", plinth_strerror(rc));
	return 0;
}

static int uart_probe(struct device *dev)
{
	struct uart_cfg *cfg = dev->config;
	int rc;

	record("probe", dev);
	rc = dev_irq_ready(dev, 0);
	if (rc == -PLINTH_EDEFER)
		return rc;
	cfg->polled = rc < 0;
	return 0;
}

/* "test,uart" first here, yet a node listing "test,uart-v2" first gets v2. */
static const struct dt_match uart_match[] = {
	{ "test,uart", &uart_v1 },
	{ "test,uart-v2", &uart_v2 },
	{ NULL, NULL },
};

PLINTH_DRIVER(mock_uart_driver) = {
	.name = "test-uart",
	.match = uart_match,
	.config_size = sizeof(struct uart_cfg),
	.parse = uart_parse,
	.probe = uart_probe,
};

static int intc_probe(struct device *dev)
{
	record("probe", dev);
	return 0;
}

static const struct dt_match intc_match[] = {
	{ "test,intc", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(mock_intc_driver) = {
	.name = "test-intc",
	.match = intc_match,
	.probe = intc_probe,
};

static int stuck_probe(struct device *dev)
{
	record("probe", dev);
	return dev_fail(dev, -PLINTH_EDEFER, "waiting for a firmware handshake");
}

static const struct dt_match stuck_match[] = {
	{ "test,stuck-intc", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(mock_stuck_driver) = {
	.name = "test-stuck-intc",
	.match = stuck_match,
	.probe = stuck_probe,
};

/* ------------------------------------------------------------ helpers ---- */

static void *devices_fdt, *lists_fdt;

static int load(void **state)
{
	(void)state;
	devices_fdt = host_read_file(host_tree_path("devices"), NULL);
	lists_fdt = host_read_file(host_tree_path("device_lists"), NULL);
	return 0;
}

static int unload(void **state)
{
	(void)state;
	free(devices_fdt);
	free(lists_fdt);
	return 0;
}

static int reset(void **state)
{
	(void)state;
	host_log_clear();
	calls[0] = mapped[0] = '\0';
	return 0;
}

static struct device *dev_at(struct devtree *dt, const char *path)
{
	int n = fdt_path_offset(dt->fdt, path);
	struct device *d;

	if (n < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(n));
	d = devtree_find(dt, n);
	if (!d)
		fail_msg("no device for %s", path);
	return d;
}

static void expect_state(struct devtree *dt, const char *path, enum dev_state s)
{
	struct device *d = dev_at(dt, path);

	if (d->state != s)
		fail_msg("%s: %s (%s), want %s", path, dev_state_name(d->state), d->reason, dev_state_name(s));
}

static void expect_log(const char *line)
{
	if (!strstr(host_log(), line))
		fail_msg("log lacks \"%s\"; log:\n%s", line, host_log());
}

static struct devtree *probed(void)
{
	static struct devtree dt;

	assert_int_equal(devtree_init(&dt, devices_fdt), 0);
	assert_int_equal(devtree_probe_all(&dt), 4);
	return &dt;
}

/* -------------------------------------------------------------- tests ---- */

static void test_every_node_in_tree_order(void **state)
{
	struct devtree dt;
	unsigned n = 0;
	int node = 0;

	(void)state;
	assert_int_equal(devtree_init(&dt, devices_fdt), 0);
	for (struct device *d = dt.first; d; d = d->next, n++) {
		assert_int_equal(d->node, node);
		node = fdt_next_node(devices_fdt, node, NULL);
	}
	assert_int_equal(node, -FDT_ERR_NOTFOUND);
	assert_int_equal(n, dt.count);
	assert_string_equal(dt.first->name, "/");
	expect_state(&dt, "/", DEV_NO_DRIVER);
	expect_state(&dt, "/uart@9000000", DEV_PENDING);
	assert_string_equal(dev_at(&dt, "/uart@9000000")->name, "uart@9000000");
	expect_log("devices: 20 nodes, 10 matched a driver");
}

static void test_match_preference_and_data(void **state)
{
	struct devtree dt;
	struct device *d;

	(void)state;
	assert_int_equal(devtree_init(&dt, devices_fdt), 0);
	d = dev_at(&dt, "/uart@9000000");
	assert_string_equal(d->drv->name, "test-uart");
	assert_string_equal(d->compatible, "test,uart-v2");
	assert_ptr_equal(d->match_data, &uart_v2);
	d = dev_at(&dt, "/uart@9001000");
	assert_ptr_equal(d->match_data, &uart_v1);
	expect_state(&dt, "/clock-24000000", DEV_PENDING);
	assert_string_equal(dev_at(&dt, "/clock-24000000")->drv->name, "fixed-clock");
}

static void test_resources(void **state)
{
	struct devtree dt;
	struct device *d, *intc;

	(void)state;
	assert_int_equal(devtree_init(&dt, devices_fdt), 0);
	d = dev_at(&dt, "/uart@9000000");
	intc = dev_at(&dt, "/intc@8000000");
	assert_int_equal(d->nreg, 1);
	assert_int_equal(d->reg[0].addr, 0x9000000);
	assert_int_equal(d->reg[0].size, 0x1000);
	assert_int_equal(d->reg_err, 0);
	assert_int_equal(d->nirq, 1);
	assert_int_equal(d->irq_err, 0);
	assert_ptr_equal(d->irq[0].ctrl, intc);
	assert_int_equal(d->irq[0].spec.ctrl, intc->node);
	assert_int_equal(d->irq[0].spec.ncells, 3);
	assert_int_equal(d->irq[0].spec.cells[1], 1);
	/* only matched, enabled devices are mapped */
	assert_non_null(strstr(mapped, "0x9000000+0x1000\n"));
	assert_non_null(strstr(mapped, "0x8000000+0x10000\n"));
	assert_null(strstr(mapped, "0x9002000"));	/* disabled */
	assert_null(strstr(mapped, "0x9004000"));	/* no driver */
	/* untranslatable reg: reported, with the reason */
	d = dev_at(&dt, "/bus/uart@100");
	assert_int_equal(d->nreg, 0);
	assert_int_equal(d->reg_err, -PLINTH_ENOTMAPPED);
	expect_log("devices: /bus/uart@100: reg: not memory-mapped: /bus has no ranges (PLINTH_ENOTMAPPED)");
	expect_log("devices: /bad5@a000000/uart@0: reg: #address-cells = 5 in /bad5@a000000 (must be 1..4)");
	/* stdout-path, through the alias */
	assert_int_equal(dt.stdout_node, dev_at(&dt, "/uart@9000000")->node);
	assert_string_equal(dt.stdout_opts, "115200n8");
}

static void test_deferral_console_binds_on_retry(void **state)
{
	struct devtree *dt;
	struct device *d;
	struct uart_cfg *cfg;
	const char *bound_intc, *bound_uart;

	(void)state;
	dt = probed();
	d = dev_at(dt, "/uart@9000000");
	expect_state(dt, "/uart@9000000", DEV_BOUND);
	assert_int_equal(d->err, 0);
	assert_string_equal(d->reason, "");
	cfg = d->config;
	assert_int_equal(cfg->base, 0x9000000);
	assert_int_equal(cfg->hz, 24000000);
	assert_false(cfg->polled);
	/* the console first (before the clock that precedes it in the tree), deferred
	 * on its clock; then on its controller; bound on the retry */
	assert_string_equal(strstr(calls, "parse /uart@9000000"), strstr(calls, "parse"));
	assert_true(strstr(calls, "parse /uart@9000000\nprobe /uart@9000000\n") <
		    strstr(calls, "probe /intc@8000000"));
	assert_non_null(strstr(strstr(calls, "probe /intc@8000000"), "probe /uart@9000000"));
	bound_intc = strstr(host_log(), "devices: /intc@8000000 bound to test-intc (test,intc)");
	bound_uart = strstr(host_log(), "devices: /uart@9000000 bound to test-uart (test,uart-v2)");
	assert_non_null(bound_intc);
	assert_non_null(bound_uart);
	assert_true(bound_intc < bound_uart);
	expect_log("devices: /clock-24000000 bound to fixed-clock (fixed-clock)");
	assert_int_equal(dev_irq_ready(d, 0), 0);
	assert_int_equal(dev_irq_ready(d, 1), -PLINTH_ENODEV);
}

static void test_deferral_never_resolved(void **state)
{
	struct devtree *dt;
	struct device *d;

	(void)state;
	dt = probed();
	d = dev_at(dt, "/uart@9001000");
	expect_state(dt, "/uart@9001000", DEV_DEFERRED);
	assert_int_equal(d->err, -PLINTH_EDEFER);
	assert_string_equal(d->reason, "interrupt controller /intc@8010000 not bound");
	expect_log("devices: /uart@9001000 deferred: interrupt controller /intc@8010000 not bound\n");
	expect_state(dt, "/intc@8010000", DEV_DEFERRED);
	expect_log("devices: /intc@8010000 deferred: waiting for a firmware handshake\n");
	assert_int_equal(dev_irq_ready(d, 0), -PLINTH_EDEFER);
	expect_log("devices: 4 bound, 2 deferred, 4 failed, 9 without driver, 1 disabled\n");
	/* no "fdt" in the core's lines */
	assert_null(strstr(host_log(), "fdt"));
}

static void test_polled_when_controller_has_no_driver(void **state)
{
	struct devtree *dt;
	struct device *d;

	(void)state;
	dt = probed();
	d = dev_at(dt, "/uart@9003000");
	expect_state(dt, "/uart@9003000", DEV_BOUND);
	assert_true(((struct uart_cfg *)d->config)->polled);
	assert_int_equal(dev_irq_ready(d, 0), -PLINTH_ENODEV);
	expect_state(dt, "/intc@8020000", DEV_NO_DRIVER);
}

static void test_disabled_and_unknown(void **state)
{
	struct devtree *dt;

	(void)state;
	dt = probed();
	expect_state(dt, "/uart@9002000", DEV_DISABLED);
	expect_state(dt, "/thing@9004000", DEV_NO_DRIVER);
	expect_state(dt, "/nocompat", DEV_NO_DRIVER);
	expect_state(dt, "/chosen", DEV_NO_DRIVER);
	assert_null(strstr(calls, "/uart@9002000"));
	assert_null(strstr(calls, "/thing@9004000"));
}

static void test_failures_logged(void **state)
{
	struct devtree *dt;
	struct device *d;

	(void)state;
	dt = probed();
	d = dev_at(dt, "/bus/uart@100");
	expect_state(dt, "/bus/uart@100", DEV_FAILED);
	assert_int_equal(d->err, -PLINTH_ENOTMAPPED);
	assert_string_equal(d->reason, "reg: not memory-mapped: /bus has no ranges");
	expect_log("devices: /bus/uart@100: test-uart failed: reg: not memory-mapped: /bus has no ranges "
		   "(PLINTH_ENOTMAPPED)\n");
	expect_state(dt, "/bad5@a000000/uart@0", DEV_FAILED);
	assert_int_equal(dev_at(dt, "/bad5@a000000/uart@0")->err, -PLINTH_EINVAL);
	/* fixed-clock without clock-frequency */
	expect_state(dt, "/clock-bad", DEV_FAILED);
	expect_log("devices: /clock-bad: fixed-clock failed: clock-frequency missing (PLINTH_EINVAL)\n");
	/* a consumer of the failed clock is told, not deferred */
	expect_state(dt, "/uart@9005000", DEV_FAILED);
	expect_log("devices: /uart@9005000: test-uart failed: clock: PLINTH_EINVAL (PLINTH_EINVAL)\n");
}

static void test_clock_rate_defers_until_provider_bound(void **state)
{
	struct devtree dt;
	struct device *d;
	uint64_t hz = 0;

	(void)state;
	assert_int_equal(devtree_init(&dt, devices_fdt), 0);
	d = dev_at(&dt, "/uart@9000000");
	assert_int_equal(dev_clock_rate(d, NULL, &hz), -PLINTH_EDEFER);
	assert_string_equal(d->reason, "clock provider /clock-24000000 not bound");
	dev_at(&dt, "/clock-24000000")->state = DEV_BOUND;
	assert_int_equal(dev_clock_rate(d, NULL, &hz), 0);
	assert_int_equal(hz, 24000000);
	/* no clocks at all */
	assert_int_equal(dev_clock_rate(dev_at(&dt, "/uart@9001000"), NULL, &hz), -PLINTH_ENOENT);
	/* the controller is pending: defer */
	assert_int_equal(dev_irq_ready(d, 0), -PLINTH_EDEFER);
	assert_string_equal(d->reason, "interrupt controller /intc@8000000 not bound");
}

static void test_no_stdout_tree_order(void **state)
{
	void *fdt = malloc(fdt_totalsize(devices_fdt) + 256);
	struct devtree dt;

	(void)state;
	assert_int_equal(fdt_open_into(devices_fdt, fdt, (int)fdt_totalsize(devices_fdt) + 256), 0);
	assert_int_equal(fdt_delprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path"), 0);
	assert_int_equal(devtree_init(&dt, fdt), 0);
	assert_int_equal(dt.stdout_node, -1);
	assert_int_equal(devtree_probe_all(&dt), 4);
	/* the clock precedes the console in tree order: the console binds in pass 1
	 * except for its controller */
	expect_state(&dt, "/uart@9000000", DEV_BOUND);
	assert_true(strstr(host_log(), "/clock-24000000 bound") < strstr(host_log(), "/uart@9000000 bound"));
	/* a stdout-path naming nothing is logged */
	host_log_clear();
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", "serial7"), 0);
	assert_int_equal(devtree_init(&dt, fdt), 0);
	assert_int_equal(dt.stdout_node, -1);
	expect_log("devices: stdout-path names no node (PLINTH_ENOENT)");
	free(fdt);
}

/* ------------------------------------------------------ long lists ---- */

/* A copy of device_lists.dts with room for the lists a test writes. */
static void *lists_copy(void)
{
	int size = (int)fdt_totalsize(lists_fdt) + 16384;
	void *fdt = malloc((size_t)size);

	assert_int_equal(fdt_open_into(lists_fdt, fdt, size), 0);
	return fdt;
}

/* n reg entries (one address and one size cell each) 0x1000 apart from base. */
static void set_regs(void *fdt, const char *path, unsigned n, uint32_t base)
{
	fdt32_t *cells = calloc(2 * n, sizeof(*cells));

	for (unsigned i = 0; i < n; i++) {
		cells[2 * i] = cpu_to_fdt32(base + i * 0x1000);
		cells[2 * i + 1] = cpu_to_fdt32(0x100);
	}
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, path), "reg", cells,
				     (int)(2 * n * sizeof(*cells))), 0);
	free(cells);
}

/* n interrupts of the one-cell test,intc: as `interrupts-extended`
 * (<&intc k> pairs), or as `interrupts` under interrupt-parent. */
static void set_irqs(void *fdt, const char *path, unsigned n, bool extended)
{
	int node = fdt_path_offset(fdt, path);
	uint32_t intc = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/intc@1000"));
	unsigned per = extended ? 2 : 1;
	fdt32_t *cells = calloc(per * n, sizeof(*cells));

	for (unsigned i = 0; i < n; i++) {
		if (extended)
			cells[2 * i] = cpu_to_fdt32(intc);
		cells[per * i + per - 1] = cpu_to_fdt32(i + 1);
	}
	if (!extended) {
		assert_int_equal(fdt_delprop(fdt, node, "interrupts-extended"), 0);
		node = fdt_path_offset(fdt, path);
		assert_int_equal(fdt_setprop_u32(fdt, node, "interrupt-parent", intc), 0);
	}
	assert_int_equal(fdt_setprop(fdt, node, extended ? "interrupts-extended" : "interrupts", cells,
				     (int)(per * n * sizeof(*cells))), 0);
	free(cells);
}

/* Twelve of each, more than the eight the core once kept: every one is
 * there, in order, and every region is mapped. */
static void test_twelve_regs_and_irqs_kept(void **state)
{
	struct devtree dt;
	struct device *d, *intc;
	char line[64];

	(void)state;
	assert_int_equal(devtree_init(&dt, lists_fdt), 0);
	d = dev_at(&dt, "/uart@10000");
	intc = dev_at(&dt, "/intc@1000");
	assert_int_equal(d->reg_err, 0);
	assert_int_equal(d->nreg, 12);
	assert_int_equal(d->irq_err, 0);
	assert_int_equal(d->nirq, 12);
	for (unsigned i = 0; i < 12; i++) {
		assert_int_equal(d->reg[i].addr, 0x10000 + i * 0x1000);
		assert_int_equal(d->reg[i].size, 0x100);
		snprintf(line, sizeof(line), "%#x+0x100\n", 0x10000 + i * 0x1000);
		assert_non_null(strstr(mapped, line));
		assert_ptr_equal(d->irq[i].ctrl, intc);
		assert_int_equal(d->irq[i].spec.ncells, 1);
		assert_int_equal(d->irq[i].spec.cells[0], i + 1);
	}
	/* a node without reg or interrupts has neither list */
	d = dev_at(&dt, "/");
	assert_int_equal(d->nreg, 0);
	assert_null(d->reg);
	assert_int_equal(d->nirq, 0);
	assert_null(d->irq);
	assert_null(strstr(host_log(), "entries"));
}

/* DEV_MAX_REGS entries are kept; one more and none are, with a line naming
 * the node, the property and both counts, for a node without a driver too. */
static void test_reg_past_the_bound_refused(void **state)
{
	void *fdt = lists_copy();
	struct devtree dt;
	struct device *d;
	char why[96];

	(void)state;
	set_regs(fdt, "/uart@100000", DEV_MAX_REGS, 0x100000);
	assert_int_equal(devtree_init(&dt, fdt), 0);
	d = dev_at(&dt, "/uart@100000");
	assert_int_equal(d->reg_err, 0);
	assert_int_equal(d->nreg, DEV_MAX_REGS);
	assert_int_equal(d->reg[DEV_MAX_REGS - 1].addr, 0x100000 + (DEV_MAX_REGS - 1) * 0x1000);
	assert_null(strstr(host_log(), "entries"));

	set_regs(fdt, "/uart@100000", DEV_MAX_REGS + 1, 0x100000);
	set_regs(fdt, "/thing@300000", 300, 0x300000);
	host_log_clear();
	mapped[0] = '\0';
	assert_int_equal(devtree_init(&dt, fdt), 0);
	d = dev_at(&dt, "/uart@100000");
	assert_int_equal(d->nreg, 0);
	assert_null(d->reg);
	assert_int_equal(d->reg_err, -PLINTH_ERANGE);
	assert_null(strstr(mapped, "0x100000+"));
	expect_log("devices: /uart@100000: reg: 257 entries, more than the 256 a device may have: "
		   "none kept (PLINTH_ERANGE)\n");
	expect_log("devices: /thing@300000: reg: 300 entries, more than the 256 a device may have: "
		   "none kept (PLINTH_ERANGE)\n");
	expect_state(&dt, "/thing@300000", DEV_NO_DRIVER);
	/* what `devices` prints under the node */
	dev_reg_reason(dev_at(&dt, "/thing@300000"), why, sizeof(why));
	assert_string_equal(why, "reg: 300 entries, more than the 256 a device may have: none kept");
	/* the driver is told, and its failure says why (intc, uart@10000 and
	 * uart@200000 bind) */
	assert_int_equal(devtree_probe_all(&dt), 3);
	expect_state(&dt, "/uart@100000", DEV_FAILED);
	assert_string_equal(d->reason, "reg: 257 entries, more than the 256 a device may have: none kept");
	free(fdt);
}

static void test_irqs_past_the_bound_refused(void **state)
{
	void *fdt = lists_copy();
	struct devtree dt;
	struct device *d;
	char why[96];

	(void)state;
	set_irqs(fdt, "/uart@200000", DEV_MAX_IRQS, true);
	assert_int_equal(devtree_init(&dt, fdt), 0);
	d = dev_at(&dt, "/uart@200000");
	assert_int_equal(d->irq_err, 0);
	assert_int_equal(d->nirq, DEV_MAX_IRQS);
	assert_int_equal(d->irq[DEV_MAX_IRQS - 1].spec.cells[0], DEV_MAX_IRQS);

	set_irqs(fdt, "/uart@200000", DEV_MAX_IRQS + 1, true);
	host_log_clear();
	assert_int_equal(devtree_init(&dt, fdt), 0);
	d = dev_at(&dt, "/uart@200000");
	assert_int_equal(d->nirq, 0);
	assert_null(d->irq);
	assert_int_equal(d->irq_err, -PLINTH_ERANGE);
	assert_int_equal(d->nreg, 1);	/* reg is its own list, kept */
	expect_log("devices: /uart@200000: interrupts-extended: 257 entries, more than the 256 a "
		   "device may have: none kept (PLINTH_ERANGE)\n");

	/* the same through `interrupts`, named as such */
	set_irqs(fdt, "/uart@200000", DEV_MAX_IRQS + 1, false);
	host_log_clear();
	assert_int_equal(devtree_init(&dt, fdt), 0);
	d = dev_at(&dt, "/uart@200000");
	assert_int_equal(d->irq_err, -PLINTH_ERANGE);
	expect_log("devices: /uart@200000: interrupts: 257 entries, more than the 256 a device may "
		   "have: none kept (PLINTH_ERANGE)\n");
	dev_irq_reason(d, why, sizeof(why));
	assert_string_equal(why, "interrupts: 257 entries, more than the 256 a device may have: none kept");
	free(fdt);
}

/* ---------------------------------------------------------- malformed ---- */

static void *copy_tree(void)
{
	void *fdt = malloc(fdt_totalsize(devices_fdt));

	memcpy(fdt, devices_fdt, fdt_totalsize(devices_fdt));
	return fdt;
}

static void expect_rejected(void *fdt, const char *msg)
{
	struct devtree dt;

	host_log_clear();
	assert_true(devtree_init(&dt, fdt) < 0);
	assert_null(dt.first);
	assert_int_equal(dt.count, 0);
	expect_log(msg);
	free(fdt);
}

static void test_malformed_trees(void **state)
{
	struct devtree dt;
	void *fdt;

	(void)state;
	fdt = copy_tree();
	fdt_set_magic(fdt, 0xd00dfeee);
	expect_rejected(fdt, "devices: invalid tree header: FDT_ERR_BADMAGIC\n");

	/* truncated: the blob ends inside the strings block */
	fdt = copy_tree();
	fdt_set_totalsize(fdt, fdt_off_dt_strings(fdt) + 4);
	expect_rejected(fdt, "devices: invalid tree header: FDT_ERR_TRUNCATED\n");

	/* struct block said to start past the end */
	fdt = copy_tree();
	fdt_set_off_dt_struct(fdt, fdt_totalsize(fdt) + 0x100);
	expect_rejected(fdt, "devices: invalid tree header: FDT_ERR_TRUNCATED\n");

	/* struct block size running past the strings */
	fdt = copy_tree();
	fdt_set_size_dt_struct(fdt, 0x7ffffff0);
	expect_rejected(fdt, "devices: invalid tree header:");

	/* a misaligned struct offset */
	fdt = copy_tree();
	fdt_set_off_dt_struct(fdt, fdt_off_dt_struct(fdt) + 1);
	expect_rejected(fdt, "devices: invalid tree");

	/* a valid header over a corrupt structure block */
	fdt = copy_tree();
	*(fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt)) = cpu_to_fdt32(0xdeadbeef);
	expect_rejected(fdt, "devices: invalid tree (totalsize ");

	/* a property name offset outside the strings block */
	fdt = copy_tree();
	fdt_set_size_dt_strings(fdt, 4);
	expect_rejected(fdt, "devices: invalid tree");

	host_log_clear();
	assert_int_equal(devtree_init(&dt, NULL), -PLINTH_EINVAL);
	expect_log("devices: no device tree\n");
	assert_int_equal(devtree_init(NULL, devices_fdt), -PLINTH_EINVAL);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(dev_state_name(DEV_DISABLED), "disabled");
	assert_string_equal(dev_state_name(DEV_NO_DRIVER), "no driver");
	assert_string_equal(dev_state_name(DEV_PENDING), "pending");
	assert_string_equal(dev_state_name(DEV_DEFERRED), "deferred");
	assert_string_equal(dev_state_name(DEV_BOUND), "bound");
	assert_string_equal(dev_state_name(DEV_FAILED), "failed");
	assert_string_equal(dev_state_name((enum dev_state)42), "?");
}

static void test_dev_fail_formats(void **state)
{
	struct device d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(dev_fail(&d, -PLINTH_EIO, "lsr %#x after %d tries", 0x60, 3), -PLINTH_EIO);
	assert_int_equal(d.err, -PLINTH_EIO);
	/* the printf is the kernel's (printf.c supports no '#'): just check it landed */
	assert_non_null(strstr(d.reason, "after 3 tries"));
	assert_int_equal(dev_fail(&d, -PLINTH_EINVAL, "%s", "a reason far longer than the ninety-six "
				  "bytes the reason field holds, so it has to be cut off cleanly"), -PLINTH_EINVAL);
	assert_int_equal(strlen(d.reason), sizeof(d.reason) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_node_in_tree_order, reset),
		cmocka_unit_test_setup(test_match_preference_and_data, reset),
		cmocka_unit_test_setup(test_resources, reset),
		cmocka_unit_test_setup(test_deferral_console_binds_on_retry, reset),
		cmocka_unit_test_setup(test_deferral_never_resolved, reset),
		cmocka_unit_test_setup(test_polled_when_controller_has_no_driver, reset),
		cmocka_unit_test_setup(test_disabled_and_unknown, reset),
		cmocka_unit_test_setup(test_failures_logged, reset),
		cmocka_unit_test_setup(test_clock_rate_defers_until_provider_bound, reset),
		cmocka_unit_test_setup(test_no_stdout_tree_order, reset),
		cmocka_unit_test_setup(test_twelve_regs_and_irqs_kept, reset),
		cmocka_unit_test_setup(test_reg_past_the_bound_refused, reset),
		cmocka_unit_test_setup(test_irqs_past_the_bound_refused, reset),
		cmocka_unit_test_setup(test_malformed_trees, reset),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_dev_fail_formats),
	};

	return cmocka_run_group_tests_name("device_test", tests, load, unload);
}
