/* The mock interrupt controller of mock_intc.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/err.h>
#include <plinth/irq.h>
#include "mock_intc.h"

struct mock_intc mock_intc;

static int one_cell_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out);

static struct {
	bool enabled[MOCK_INTC_LINES];
	uint32_t queue[16];
	unsigned qhead, qlen;
	int (*xlate)(struct device *chip, const struct dt_irq *spec, struct irq_hw *out);
} mock = { .xlate = one_cell_xlate };

static int one_cell_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	(void)chip;
	if (spec->ncells != 1 || spec->cells[0] < 32 || spec->cells[0] >= MOCK_INTC_LINES)
		return -PLINTH_EINVAL;
	memset(out, 0, sizeof(*out));
	out->intid = spec->cells[0];
	out->kind = IRQ_KIND_SPI;
	out->trigger = IRQ_TRIGGER_LEVEL;
	return 0;
}

static int mock_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	return mock.xlate(chip, spec, out);
}

static int mock_set_trigger(struct device *chip, uint32_t intid, enum irq_trigger t)
{
	(void)chip;
	if (intid < MOCK_INTC_LINES)
		mock_intc.trigger[intid] = t;
	return 0;
}

static void logged(uint32_t *log, unsigned *n, uint32_t v)
{
	if (*n < MOCK_INTC_LOG)
		log[*n] = v;
	(*n)++;
}

static void mock_enable(struct device *chip, uint32_t intid)
{
	(void)chip;
	mock.enabled[intid % MOCK_INTC_LINES] = true;
	logged(mock_intc.enabled, &mock_intc.nenabled, intid);
}

static void mock_disable(struct device *chip, uint32_t intid)
{
	(void)chip;
	mock.enabled[intid % MOCK_INTC_LINES] = false;
	logged(mock_intc.disabled, &mock_intc.ndisabled, intid);
}

static uint32_t mock_ack(struct device *chip, uint32_t *intid)
{
	(void)chip;
	*intid = mock.qhead < mock.qlen ? mock.queue[mock.qhead++] : 1023;
	return *intid | 0x400u * cpu_current();	/* a token distinct from the INTID */
}

static void mock_eoi(struct device *chip, uint32_t token)
{
	(void)chip;
	logged(mock_intc.eoi, &mock_intc.neoi, token);
}

static int mock_cpu_init(struct device *chip, unsigned cpu)
{
	(void)chip;
	mock_intc.cpu_inits[cpu]++;
	return mock_intc.cpu_init_err;
}

static const struct irq_chip_ops mock_ops = {
	.magic = IRQ_CHIP_MAGIC,
	.name = "mock",
	.xlate = mock_xlate,
	.set_trigger = mock_set_trigger,
	.enable = mock_enable,
	.disable = mock_disable,
	.ack = mock_ack,
	.eoi = mock_eoi,
	.cpu_init = mock_cpu_init,
};

static int mock_probe(struct device *dev)
{
	dev->provider = &mock_ops;
	return irq_root_register(dev);
}

static const struct dt_match mock_match[] = {
	{ "test,mock-intc", NULL },
	{ NULL, NULL },
};

PLINTH_DRIVER(mock_intc_driver) = {
	.name = "mock-intc",
	.match = mock_match,
	.probe = mock_probe,
};

void mock_intc_bind(struct devtree *dt, const char *path)
{
	struct device *d = devtree_find(dt, fdt_path_offset(dt->fdt, path));

	assert_non_null(d);
	assert_int_equal(d->drv->probe(d), 0);
	d->state = DEV_BOUND;
}

void mock_intc_set_xlate(int (*xlate)(struct device *chip, const struct dt_irq *spec,
				      struct irq_hw *out))
{
	mock.xlate = xlate;
}

void mock_intc_queue(const uint32_t *ids, unsigned n)
{
	assert_true(n <= sizeof(mock.queue) / sizeof(mock.queue[0]));
	memcpy(mock.queue, ids, n * sizeof(*ids));
	mock.qhead = 0;
	mock.qlen = n;
}

void mock_intc_raise(uint32_t intid)
{
	mock_intc_queue(&intid, 1);
	irq_dispatch(NULL);
}

bool mock_intc_enabled(uint32_t intid)
{
	return mock.enabled[intid % MOCK_INTC_LINES];
}

unsigned mock_intc_eois(void)
{
	return mock_intc.neoi;
}

void mock_intc_reset(void)
{
	memset(&mock_intc, 0, sizeof(mock_intc));
	memset(&mock, 0, sizeof(mock));
	mock.xlate = one_cell_xlate;
	irq_core_reset();
}
