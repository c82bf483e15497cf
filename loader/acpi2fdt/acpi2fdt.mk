# The ACPI -> device tree converter library (loader/acpi2fdt/): pure C, no
# UEFI calls, linked into BOOTAA64.EFI, build/host/acpi2dts, the unit tests
# and the fuzzers, with lib/ and libfdt. ACPI2FDT_SRCS is the one list of its
# sources; `convert-check` builds them as the loader does (freestanding,
# aarch64, strict alignment) so no hosted-libc dependency creeps in.
ACPI2FDT_SRCS := $(sort $(wildcard loader/acpi2fdt/*.c))

ACPI2FDT_CROSS_OBJS := $(patsubst %.c,$(BUILD)/convert-aarch64/%.o,$(ACPI2FDT_SRCS))
$(BUILD)/convert-aarch64/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -Iloader -MMD -MP -c $< -o $@

.PHONY: convert-check
convert-check: $(ACPI2FDT_CROSS_OBJS)
host: convert-check

-include $(shell find $(BUILD)/convert-aarch64 -name '*.d' 2>/dev/null)
