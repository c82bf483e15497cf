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

#define MOCK_LINES 1024

static struct {
	bool enabled[MOCK_LINES];
	uint32_t pending;	/* 1023: none */
	unsigned eois;
} mock = { .pending = 1023 };

static int mock_xlate(struct device *chip, const struct dt_irq *spec, struct irq_hw *out)
{
	(void)chip;
	if (spec->ncells != 1 || spec->cells[0] < 32 || spec->cells[0] >= MOCK_LINES)
		return -PLINTH_EINVAL;
	memset(out, 0, sizeof(*out));
	out->intid = spec->cells[0];
	out->kind = IRQ_KIND_SPI;
	out->trigger = IRQ_TRIGGER_LEVEL;
	return 0;
}

static void mock_enable(struct device *chip, uint32_t intid)
{
	(void)chip;
	mock.enabled[intid % MOCK_LINES] = true;
}

static void mock_disable(struct device *chip, uint32_t intid)
{
	(void)chip;
	mock.enabled[intid % MOCK_LINES] = false;
}

static uint32_t mock_ack(struct device *chip, uint32_t *intid)
{
	(void)chip;
	*intid = mock.pending;
	mock.pending = 1023;
	return *intid;
}

static void mock_eoi(struct device *chip, uint32_t token)
{
	(void)chip;
	(void)token;
	mock.eois++;
}

static int mock_cpu_init(struct device *chip, unsigned cpu)
{
	(void)chip;
	(void)cpu;
	return 0;
}

static const struct irq_chip_ops mock_ops = {
	.magic = IRQ_CHIP_MAGIC,
	.name = "mock",
	.xlate = mock_xlate,
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

void mock_intc_raise(uint32_t intid)
{
	mock.pending = intid;
	irq_dispatch(NULL);
}

bool mock_intc_enabled(uint32_t intid)
{
	return mock.enabled[intid % MOCK_LINES];
}

unsigned mock_intc_eois(void)
{
	return mock.eois;
}

void mock_intc_reset(void)
{
	memset(&mock, 0, sizeof(mock));
	mock.pending = 1023;
	irq_core_reset();
}
