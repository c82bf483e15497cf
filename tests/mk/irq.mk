# The interrupt core (kernel/core/irq.c) against the mock chip of
# tests/mock_intc.c on tests/trees/irq_core.dts, and GIC specifier decoding
# (gic_common.c).
UNIT_TESTS += irq
TEST_irq := kernel/core/irq.c kernel/drivers/gic_common.c kernel/core/device.c \
	kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c tests/mock_intc.c
