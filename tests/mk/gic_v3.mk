# GICv3: node parsing on tests/trees/gic_v3.dts, the redistributor search by
# affinity on a synthetic frame model, v2m ranges, and the driver's per-CPU
# bring-up against a register model (kernel/drivers/gic_v3.c).
UNIT_TESTS += gic_v3
TEST_gic_v3 := kernel/drivers/gic_v3.c kernel/drivers/gic_common.c kernel/core/irq.c \
	kernel/core/device.c kernel/core/dt.c kernel/core/errors.c kernel/lib/printf.c
