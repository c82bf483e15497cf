# Plinth — one entry point.
#
#   make            build everything (kernel Image, trees, host tools and tests)
#   make run        build build/$(BOARD)/plinth.img, boot it under QEMU + AAVMF
#                   (UEFI, the loader, the kernel) to the serial shell;
#                   GUI=1 adds a framebuffer (ramfb) and a QEMU window
#   make run-kernel boot the kernel Image directly (QEMU -kernel, QEMU's tree)
#   make test       every test: host unit tests, tree validation, QEMU boots
#   make corpus     the real-firmware ACPI corpus the tests read: verify
#                   ../shared/acpi-dumps, or fetch it (tools/corpus.mk)
#   make clean      remove build/
#
# Outputs go under $(BUILD) only. tools/setup installs what is missing the
# first time (its stamp is $(BUILD)/.setup-done).

BUILD   ?= build
BOARD   ?= qemu
CROSS   ?= aarch64-linux-gnu-
HOSTCC  ?= gcc
PYTHON  ?= python3
SYSROOT := $(BUILD)/sysroot
STAMP   := $(BUILD)/.setup-done

.PHONY: all kernel dtbs host run run-kernel test clean setup
all: kernel dtbs host

# lib/: what the kernel, the loader and the host tools share (LIB_SRCS).
include lib/lib.mk

setup: $(STAMP)
$(STAMP): tools/setup
	tools/setup $(BUILD)

# ---------------------------------------------------------------- kernel ----
KCC      := $(CROSS)gcc
KLD      := $(CROSS)ld
KOBJCOPY := $(CROSS)objcopy
# The cross compiler's own headers (stdbool.h, stdint.h, ...). Asked of the
# compiler on first use, in a recipe, not when make reads this file: on a
# fresh machine the compiler arrives with tools/setup, which runs first.
KCC_INCLUDE = $(eval KCC_INCLUDE := $$(shell $$(KCC) -print-file-name=include))$(KCC_INCLUDE)
# Recursive (=), so that KCC_INCLUDE is expanded only in recipes.
KCFLAGS   = -std=gnu11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -fpie -fno-plt -fno-stack-protector -fno-omit-frame-pointer \
	-mstrict-align -mgeneral-regs-only -mbranch-protection=none \
	-ffunction-sections -fdata-sections \
	-nostdinc -isystem $(KCC_INCLUDE) \
	-Ikernel/include -Ilib/include -Ilib/include/libc -isystem $(SYSROOT)/usr/include
KASFLAGS := -g -Ikernel/include -D__ASSEMBLY__

KSRCS := $(wildcard kernel/arch/arm64/*.S kernel/arch/arm64/*.c kernel/core/*.c \
	kernel/lib/*.c kernel/drivers/*.c kernel/shell/*.c) $(LIB_FREESTANDING_SRCS)
# lib/ objects of the kernel build go under $(BUILD)/kernel/lib-shared/.
KOBJS := $(patsubst lib/%,$(BUILD)/kernel/lib-shared/%,$(patsubst kernel/%,$(BUILD)/kernel/%,\
	$(addsuffix .o,$(basename $(KSRCS)))))
LIBFDT_ARM64 := $(SYSROOT)/usr/lib/aarch64-linux-gnu/libfdt.a

kernel: $(BUILD)/kernel/Image

$(BUILD)/kernel/%.o: kernel/%.c | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/lib-shared/%.o: lib/%.c | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/%.o: kernel/%.S | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KASFLAGS) -MMD -MP -c $< -o $@

# -pie: the Image runs wherever a loader puts it (head.S applies the
# R_AARCH64_RELATIVE relocations before any C runs).
# Linked twice: tools/ksyms turns the first link's function symbols into the
# table fault backtraces print names from (.plinth_ksyms, README: Debugging).
KLINK = $(KLD) -pie --no-dynamic-linker -z norelro -z noexecstack --gc-sections -T kernel/kernel.lds
$(BUILD)/kernel/Image.elf: $(KOBJS) kernel/kernel.lds $(LIBFDT_ARM64) tools/ksyms
	$(KLINK) -o $@.pass1 $(KOBJS) $(LIBFDT_ARM64)
	$(PYTHON) tools/ksyms $(CROSS)nm $@.pass1 >$(BUILD)/kernel/ksyms.S
	$(KCC) $(KASFLAGS) -c $(BUILD)/kernel/ksyms.S -o $(BUILD)/kernel/ksyms.o
	$(KLINK) -o $@ $(KOBJS) $(BUILD)/kernel/ksyms.o $(LIBFDT_ARM64)
	$(PYTHON) tools/ksyms --same $(CROSS)nm $@.pass1 $@
$(BUILD)/kernel/Image: $(BUILD)/kernel/Image.elf
	$(KOBJCOPY) -O binary $< $@
	@echo "Image: $$(stat -c %s $@) bytes"

# ----------------------------------------------------------------- trees ----
DTC      ?= dtc
# Debian's dtc 1.6.1 has no -Wall: the default checks plus useful extra ones.
DTC_EXTRA_WARN := -Wunique_unit_address -Wunique_unit_address_if_enabled
DTS_SRCS := $(wildcard dts/*.dts)
DTBS     := $(patsubst dts/%.dts,$(BUILD)/dts/%.dtb,$(DTS_SRCS))
dtbs: $(DTBS)
$(BUILD)/dts/%.dtb: dts/%.dts $(wildcard dts/*.dtsi) | $(STAMP)
	@mkdir -p $(@D)
	$(DTC) -@ $(DTC_EXTRA_WARN) -I dts -O dtb -i dts -o $@ $<

# ------------------------------------------------------------------ host ----
# Host builds of the pure kernel units (PLINTH_HOST) for unit tests.
HCFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -DPLINTH_HOST -Ikernel/include -Ilib/include \
	-Iloader -Itests
HLIBS   := -lfdt -lcmocka

$(BUILD)/host/obj/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HCFLAGS) -MMD -MP -c $< -o $@

# Each unit test: tests/<name>_test.c plus the units it exercises, declared
# in tests/tests.mk as TEST_<name> := <sources>, and lib/.
include tests/tests.mk
HOST_TESTS := $(patsubst %,$(BUILD)/host/tests/%_test,$(UNIT_TESTS))
# A test's sources, each once (a TEST_ list may name a lib/ file too).
test_srcs = $(sort tests/$(1)_test.c tests/host_env.c $(TEST_$(1)) $(LIB_SRCS))
define unit_test_rule
$(BUILD)/host/tests/$(1)_test: $(patsubst %.c,$(BUILD)/host/obj/%.o,$(call test_srcs,$(1)))
	@mkdir -p $$(@D)
	$(HOSTCC) -o $$@ $$^ $(HLIBS)
endef

TREES := $(patsubst tests/trees/%.dts,$(BUILD)/host/trees/%.dtb,$(wildcard tests/trees/*.dts))
$(BUILD)/host/trees/%.dtb: tests/trees/%.dts | $(STAMP)
	@mkdir -p $(@D)
	$(DTC) -@ -I dts -O dtb -o $@ $<

host: $(HOST_TESTS) $(TREES)

# The loader's rooms, the generated tables, fixtures, fuzzers, benchmarks and
# the other tools bring their own rules, one fragment beside what each builds
# (the converter and the pipeline first: the others use their source lists).
include loader/acpi2fdt/acpi2fdt.mk loader/pipeline/pipeline.mk gen/boards.mk loader/loader.mk
include $(wildcard tests/fixtures/*.mk tests/fuzz/*.mk tools/*.mk)
# The unit tests' rules, once every fragment has declared its sources.
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

# ------------------------------------------------------------- run, test ----
QEMU_MEM ?= 512
QEMU_SMP ?= 2
# The board's disk image under AAVMF: firmware, BOOTAA64.EFI, the tree from
# ACPI, the kernel. `run-kernel` is the direct QEMU -kernel boot. The machine
# is the board's BOARD_QEMU_FLAGS (boards/$(BOARD)/board.mk).
run: image
	tools/run-qemu --build $(BUILD) --machine "$(BOARD_QEMU_FLAGS)" --smp $(QEMU_SMP) \
		--mem $(QEMU_MEM) --uefi $(BOARD_IMG) $(if $(GUI),--gui)
run-kernel: kernel dtbs
	tools/run-qemu --build $(BUILD) --machine "$(BOARD_QEMU_FLAGS)" --smp $(QEMU_SMP) \
		--mem $(QEMU_MEM)

test: all
	$(PYTHON) tests/run --build $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/kernel $(BUILD)/host/obj -name '*.d' 2>/dev/null)
