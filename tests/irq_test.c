/* Host tests of the interrupt core (kernel/core/irq.c) and of GIC specifier
 * decoding (gic_decode_spec in kernel/drivers/gic_common.c).
 *
 * The core runs against the mock chip of tests/mock_intc.c, bound to
 * "test,mock-intc" in tests/trees/irq_core.dts with GICv2 specifier decoding:
 * its ack() pops INTIDs from a queue and its other ops record their calls. */
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
#include <plinth/err.h>
#include <plinth/gic.h>
#include <plinth/irq.h>
#include "host_env.h"
#include "mock_intc.h"

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fprintf(stderr, "missing: %s\n--- log ---\n%s\n", needle, text);
		fail();
	}
}

static unsigned count_of(const char *text, const char *needle)
{
	unsigned n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ------------------------------------------------- host stand-ins ---- */

static unsigned test_cpu;

unsigned cpu_current(void)
{
	return test_cpu;
}

/* gic_common.c's v2m driver reads MSI_TYPER; no test here probes it. */
uint8_t mmio_read8(uintptr_t a) { (void)a; return 0; }
uint32_t mmio_read32(uintptr_t a) { (void)a; return 0; }
void mmio_write8(uintptr_t a, uint8_t v) { (void)a; (void)v; }
void mmio_write32(uintptr_t a, uint32_t v) { (void)a; (void)v; }

/* ------------------------------------------------------ mock chip ---- */

/* tests/irq_core.dts gives the mock GICv2-style three-cell specifiers. */
static int gic_v2_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	return gic_xlate(chip, spec, false, out);
}

/* ------------------------------------------------------- fixtures ---- */

static struct devtree dt;
static void *fdt;

static struct device *dev_at(const char *path)
{
	int node = fdt_path_offset(fdt, path);

	assert_true(node >= 0);
	return devtree_find(&dt, node);
}

static int setup(void **state)
{
	(void)state;
	mock_intc_reset();
	mock_intc_set_xlate(gic_v2_xlate);
	test_cpu = 0;
	fdt = host_read_file(host_tree_path("irq_core"), NULL);
	assert_int_equal(devtree_init(&dt, fdt), 0);
	host_log_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(fdt);
	return 0;
}

static int hits;
static void *hit_ctx;

static void handler(void *ctx)
{
	hits++;
	hit_ctx = ctx;
}

/* Probe everything and claim dev@2000's SPI 1 (INTID 33) and PPI 11 (27). */
static void bind_and_request(void)
{
	struct device *d = dev_at("/dev@2000");

	devtree_probe_all(&dt);
	assert_ptr_equal(irq_root(), dev_at("/intc@1000"));
	assert_int_equal(irq_request(d, 0, handler, &dt), 33);
	assert_int_equal(irq_request(d, 1, handler, d), 27);
	host_log_clear();
	hits = 0;
}

/* ---------------------------------------------------- decoding ---- */

struct spec_case {
	uint32_t c[4];
	unsigned n;
	bool v3;
	int err;
	uint32_t intid;
	enum irq_trigger trig;
	bool percpu, normalised;
};

static void check_spec(const struct spec_case *t)
{
	struct irq_hw hw = { .intid = 0xdead };
	const char *why = NULL;
	int err = gic_decode_spec(t->c, t->n, t->v3, &hw, &why);

	if (err != t->err)
		fprintf(stderr, "<%u %u 0x%x> v3=%d: got %d want %d (%s)\n", t->c[0], t->c[1],
			t->c[2], t->v3, err, t->err, why);
	assert_int_equal(err, t->err);
	assert_non_null(why);
	if (err < 0) {
		assert_int_equal(hw.intid, 0xdead);	/* out untouched on refusal */
		return;
	}
	assert_int_equal(hw.intid, t->intid);
	assert_int_equal(hw.trigger, t->trig);
	assert_int_equal(hw.percpu, t->percpu);
	assert_int_equal(hw.normalised, t->normalised);
}

static void test_decode_ranges(void **state)
{
	static const struct spec_case cases[] = {
		/* QEMU virt: PL011 SPI 1, timer PPIs with and without CPU mask */
		{ { 0, 1, 4 }, 3, false, 0, 33, IRQ_TRIGGER_LEVEL, false, false },
		{ { 1, 11, 0xf04 }, 3, false, 0, 27, IRQ_TRIGGER_LEVEL, true, false },
		{ { 1, 14, 4 }, 3, true, 0, 30, IRQ_TRIGGER_LEVEL, true, false },
		{ { 0, 0, 1 }, 3, false, 0, 32, IRQ_TRIGGER_EDGE, false, false },
		{ { 0, 987, 4 }, 3, false, 0, 1019, IRQ_TRIGGER_LEVEL, false, false },
		{ { 1, 0, 4 }, 3, false, 0, 16, IRQ_TRIGGER_LEVEL, true, false },
		{ { 1, 15, 4 }, 3, false, 0, 31, IRQ_TRIGGER_LEVEL, true, false },
		/* GICv3.1 extended ranges */
		{ { 2, 0, 4 }, 3, true, 0, 4096, IRQ_TRIGGER_LEVEL, false, false },
		{ { 2, 1023, 1 }, 3, true, 0, 5119, IRQ_TRIGGER_EDGE, false, false },
		{ { 3, 0, 4 }, 3, true, 0, 1056, IRQ_TRIGGER_LEVEL, true, false },
		{ { 3, 63, 4 }, 3, true, 0, 1119, IRQ_TRIGGER_LEVEL, true, false },
		/* 4 cells on GICv3: partition cell 0 is fine */
		{ { 0, 5, 4, 0 }, 4, true, 0, 37, IRQ_TRIGGER_LEVEL, false, false },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_spec(&cases[i]);
}

static void test_decode_bad_cells(void **state)
{
	static const struct spec_case cases[] = {
		{ { 0, 988, 4 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* past INTID 1019 */
		{ { 1, 16, 4 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* PPI 0..15 */
		{ { 2, 0, 4 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* ESPI needs v3 */
		{ { 3, 0, 4 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* EPPI needs v3 */
		{ { 2, 1024, 4 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },
		{ { 3, 64, 4 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },
		{ { 4, 0, 4 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* reserved type */
		{ { 0xffffffff, 0, 4 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },
		{ { 0, 1, 4 }, 2, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* too few cells */
		{ { 0, 1, 4, 0 }, 4, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* v2 has 3 */
		{ { 0, 1, 4, 0 }, 5, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },
		{ { 1, 9, 4, 1 }, 4, true, -PLINTH_ENOTSUP, 0, IRQ_TRIGGER_KEEP, false, false },	/* PPI partition */
		{ { 0, 9, 4, 1 }, 4, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* cell 3 on an SPI */
		{ { 0, 1, 2 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* falling edge SPI */
		{ { 0, 1, 8 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* active-low SPI */
		{ { 2, 1, 8 }, 3, true, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* active-low ESPI */
		{ { 0, 1, 3 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* two trigger bits */
		{ { 0, 1, 0x14 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* bits 7:4 */
		{ { 1, 1, 0x10004 }, 3, false, -PLINTH_EINVAL, 0, IRQ_TRIGGER_KEEP, false, false },	/* bits 31:16 */
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_spec(&cases[i]);
}

static void test_decode_normalised(void **state)
{
	static const struct spec_case cases[] = {
		/* PPI falling edge / active low: polarity is wiring */
		{ { 1, 13, 0xf08 }, 3, false, 0, 29, IRQ_TRIGGER_LEVEL, true, true },
		{ { 1, 13, 2 }, 3, false, 0, 29, IRQ_TRIGGER_EDGE, true, true },
		{ { 3, 2, 8 }, 3, true, 0, 1058, IRQ_TRIGGER_LEVEL, true, true },
		/* no trigger: keep the hardware's */
		{ { 0, 7, 0 }, 3, false, 0, 39, IRQ_TRIGGER_KEEP, false, true },
		/* CPU mask on an SPI: meaningless, ignored */
		{ { 0, 7, 0x304 }, 3, false, 0, 39, IRQ_TRIGGER_LEVEL, false, true },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_spec(&cases[i]);
}

/* ----------------------------------------------------- requesting ---- */

static void test_request_defers_until_controller_binds(void **state)
{
	struct device *d = dev_at("/dev@2000");

	(void)state;
	/* Nothing probed yet: intc@1000 is pending. */
	assert_int_equal(irq_request(d, 0, handler, NULL), -PLINTH_EDEFER);
	assert_string_equal(d->reason, "interrupt controller /intc@1000 not bound");
	devtree_probe_all(&dt);
	assert_int_equal(irq_request(d, 0, handler, NULL), 33);
	assert_int_equal(mock_intc.cpu_inits[0], 1);
}

static void test_request_configures_and_enables(void **state)
{
	(void)state;
	bind_and_request();
	assert_int_equal(mock_intc.trigger[33], IRQ_TRIGGER_LEVEL);
	assert_int_equal(mock_intc.trigger[27], IRQ_TRIGGER_LEVEL);
	assert_int_equal(mock_intc.nenabled, 2);
	assert_int_equal(mock_intc.enabled[0], 33);
	assert_int_equal(mock_intc.enabled[1], 27);
}

static void test_request_refusals(void **state)
{
	struct device *d = dev_at("/dev@2000");

	(void)state;
	bind_and_request();
	/* falling edge SPI: refused by the chip's xlate, with the cells logged */
	assert_int_equal(irq_request(d, 2, handler, NULL), -PLINTH_EINVAL);
	assert_has(host_log(), "irq: intc@1000: specifier <0x0 0x5 0x2> refused");
	assert_has(host_log(), "irq: dev@2000: interrupt 2: specifier refused by intc@1000");
	/* no such index */
	assert_int_equal(irq_request(d, 9, handler, NULL), -PLINTH_ENOENT);
	/* the same INTID for another device: no sharing */
	assert_int_equal(irq_request(dev_at("/other@3000"), 0, handler, NULL), -PLINTH_ENOTSUP);
	assert_has(host_log(), "INTID 33 on intc@1000 already belongs to dev@2000");
	/* controller without a driver: run polled */
	assert_int_equal(irq_request(dev_at("/orphan@4000"), 0, handler, NULL), -PLINTH_ENODEV);
	/* the edge SPI still works after all that */
	assert_int_equal(irq_request(d, 3, handler, NULL), 38);
	assert_int_equal(mock_intc.trigger[38], IRQ_TRIGGER_EDGE);
}

static void test_second_root_refused(void **state)
{
	(void)state;
	bind_and_request();
	assert_int_equal(irq_root_register(dev_at("/intc@1000")), 0);	/* same one: fine */
	struct device *fake = dev_at("/intc@5000");
	fake->provider = dev_at("/intc@1000")->provider;
	assert_int_equal(irq_root_register(fake), -PLINTH_ENOTSUP);
	assert_has(host_log(), "irq: intc@5000: a second root controller (intc@1000 is one)");
	fake->provider = NULL;
	assert_int_equal(irq_root_register(fake), -PLINTH_EINVAL);	/* not a chip */
}

/* ------------------------------------------------------- dispatch ---- */

static void test_dispatch_runs_handler_and_eois(void **state)
{
	static const uint32_t ids[] = { 33, 27, 33, 1023 };

	(void)state;
	bind_and_request();
	mock_intc_queue(ids, 4);
	irq_dispatch(NULL);
	assert_int_equal(hits, 3);
	assert_int_equal(irq_count(33, 0), 2);
	assert_int_equal(irq_count(27, 0), 1);
	assert_int_equal(irq_spurious_count(0), 0);	/* the drain's final 1023 is not */
	assert_int_equal(mock_intc.neoi, 3);
	assert_int_equal(mock_intc.eoi[0], 33);
	assert_int_equal(mock_intc.eoi[1], 27);
}

static void test_dispatch_spurious(void **state)
{
	static const uint32_t ids[][1] = { { 1023 }, { 1022 }, { 1020 }, { 1021 } };

	(void)state;
	bind_and_request();
	for (unsigned i = 0; i < 4; i++) {
		mock_intc_queue(ids[i], 1);
		irq_dispatch(NULL);
	}
	assert_int_equal(irq_spurious_count(0), 4);
	assert_int_equal(mock_intc.neoi, 0);		/* 1020-1023 are never EOId */
	assert_int_equal(hits, 0);
	/* logged the first time only */
	assert_int_equal(count_of(host_log(), "spurious interrupt"), 1);
	assert_has(host_log(), "irq: intc@1000: spurious interrupt (INTID 1023) on cpu0; "
			       "further ones are only counted\n");
}

static void test_dispatch_unexpected_logged_once(void **state)
{
	static const uint32_t ids[] = { 50, 50, 5, 1023 };

	(void)state;
	bind_and_request();
	mock_intc_queue(ids, 4);
	irq_dispatch(NULL);
	mock_intc_queue(ids, 2);
	irq_dispatch(NULL);
	assert_int_equal(irq_unexpected_count(0), 5);
	assert_int_equal(hits, 0);
	assert_int_equal(mock_intc.neoi, 5);		/* acked ones are EOId all the same */
	assert_int_equal(count_of(host_log(), "unexpected INTID 50 on cpu0, disabled"), 1);
	assert_int_equal(count_of(host_log(), "unexpected INTID 5 on cpu0\n"), 1);	/* SGI: kept on */
	assert_int_equal(mock_intc.ndisabled, 1);
	assert_int_equal(mock_intc.disabled[0], 50);
}

static void test_dispatch_without_root(void **state)
{
	(void)state;
	irq_dispatch(NULL);	/* nothing bound: counted, no crash */
	assert_int_equal(irq_unexpected_count(0), 1);
}

static void test_per_cpu_counts_and_cpu_init(void **state)
{
	static const uint32_t ids[] = { 27, 1023 };

	(void)state;
	bind_and_request();
	test_cpu = 2;
	mock_intc.nenabled = 0;
	assert_int_equal(irq_cpu_init(2), 0);
	assert_int_equal(mock_intc.cpu_inits[2], 1);
	/* only the per-CPU interrupt is re-enabled on the new CPU */
	assert_int_equal(mock_intc.nenabled, 1);
	assert_int_equal(mock_intc.enabled[0], 27);
	mock_intc_queue(ids, 2);
	irq_dispatch(NULL);
	assert_int_equal(irq_count(27, 2), 1);
	assert_int_equal(irq_count(27, 0), 0);
	assert_int_equal(mock_intc.eoi[0], 27 | 0x800);	/* the token, not the INTID */
	assert_int_equal(irq_cpu_init(IRQ_MAX_CPUS), -PLINTH_ERANGE);
	mock_intc.cpu_init_err = -PLINTH_EIO;
	assert_int_equal(irq_cpu_init(3), -PLINTH_EIO);
}

static void test_list(void **state)
{
	static const uint32_t ids[] = { 33, 33, 1023 };

	(void)state;
	bind_and_request();
	test_cpu = 1;
	assert_int_equal(irq_cpu_init(1), 0);
	mock_intc_queue(ids, 3);
	irq_dispatch(NULL);
	host_log_clear();
	irq_list();
	assert_has(host_log(), "controller");
	assert_has(host_log(), "cpu0");
	assert_has(host_log(), "cpu1");
	assert_has(host_log(), "intc@1000               33 SPI  level dev@2000                          0          2\n");
	assert_has(host_log(), "intc@1000               27 PPI  level dev@2000");
	assert_has(host_log(), "(spurious)");
	assert_has(host_log(), "(unexpected)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ranges),
		cmocka_unit_test(test_decode_bad_cells),
		cmocka_unit_test(test_decode_normalised),
		cmocka_unit_test_setup_teardown(test_request_defers_until_controller_binds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_configures_and_enables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_root_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_runs_handler_and_eois, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_spurious, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_unexpected_logged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_without_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_cpu_counts_and_cpu_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	};

	return cmocka_run_group_tests_name("irq_test", tests, NULL, NULL);
}
