# Fuzzers: clang libFuzzer with ASan + UBSan, one per parser (tests/fuzz/README.md).
# Included by the Makefile (include $(wildcard ... tests/fuzz/*.mk)).
#
#   make fuzz-build                build/fuzz/bin/fuzz_<target> (`make test` does)
#   make fuzz FUZZ_SECONDS=N       run every target for N seconds, one after the
#                                  other (make -j2 fuzz: two at a time)
#   make fuzz-<target> FUZZ_SECONDS=N   one target
#
# A run's first corpus directory is build/fuzz/<target>/ (writable: libFuzzer
# adds what it finds there); read-only seeds follow: the committed corpus
# tests/fuzz/corpus/<target>/, the compiled test trees, the ACPI fixtures and,
# read in place, the real-firmware corpus where `tools/corpus where` finds it
# verified (../shared/acpi-dumps/, else $(BUILD)/corpus/ from `make corpus`;
# never copied into the project; the per-table targets get a directory of
# symlinks to it). Crashes land in
# build/fuzz/artifacts/, each run's output in build/fuzz/logs/<target>.log.
# `make test` replays the corpora and a fixed-seed run (tests/fuzz/test_fuzz.py).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT     := $(BUILD)/fuzz
# Asked once, on first use (a fuzz run), not whenever make reads this file:
# checking the corpus against tests/corpus/manifest.json hashes a few MB.
# Empty when there is none (the reason is on stderr).
ACPI_DUMPS   ?= $(eval ACPI_DUMPS := $$(shell $(PYTHON) tools/corpus --build $(BUILD) where))$(ACPI_DUMPS)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
	-DPLINTH_HOST -Ikernel/include -Ilib/include -Iloader -Itests $(FUZZ_SAN) -fsanitize=fuzzer-no-link

# ------------------------------------------------------------ targets ----
FUZZ_TARGETS := devtree shell dt_print
FUZZ_devtree := tests/fuzz/fuzz_devtree.c tests/host_env.c kernel/core/device.c \
	kernel/core/dt.c kernel/core/irq.c kernel/core/smp_tree.c \
	kernel/drivers/uart_ns16550.c kernel/drivers/uart_pl011.c \
	kernel/drivers/gic_v2.c kernel/drivers/gic_v3.c kernel/drivers/gic_common.c \
	kernel/drivers/fixed_clock.c $(LIB_SRCS)
FUZZ_shell := tests/fuzz/fuzz_shell.c tests/host_env.c kernel/shell/shell.c \
	kernel/shell/cmd_help.c $(LIB_SRCS)
FUZZ_dt_print := tests/fuzz/fuzz_dt_print.c tests/host_env.c $(LIB_SRCS)
FUZZ_SEEDS_devtree := $(BUILD)/host/trees $(BUILD)/dts
# The overlay pipeline (loader/pipeline/overlay.c): base tree + overlays, length-prefixed.
FUZZ_TARGETS += overlay
FUZZ_overlay := tests/fuzz/fuzz_overlay.c tests/host_env.c loader/pipeline/overlay.c $(LIB_SRCS)
FUZZ_SEEDS_dt_print := $(BUILD)/host/trees $(BUILD)/dts

# The converter's targets: the whole table set, and SPCR, DBG2 and the DSDT
# scan on their own.
FUZZ_ACPI_SRCS := $(ACPI2FDT_SRCS)
FUZZ_ACPI_TARGETS := acpi2fdt acpi_spcr acpi_dbg2 acpi_dsdt
FUZZ_TARGETS += $(FUZZ_ACPI_TARGETS)
FUZZ_ACPI_COMMON := tests/host_env.c $(FUZZ_ACPI_SRCS) $(LIB_SRCS)
$(foreach t,$(FUZZ_ACPI_TARGETS),$(eval FUZZ_$(t) := tests/fuzz/fuzz_acpi.c $(FUZZ_ACPI_COMMON)))
FUZZ_DEFS_acpi_spcr := -DFUZZ_FORCE_SIG='"SPCR"'
FUZZ_DEFS_acpi_dbg2 := -DFUZZ_FORCE_SIG='"DBG2"'
FUZZ_DEFS_acpi_dsdt := -DFUZZ_FORCE_SIG='"DSDT"'
# Recursive (=) and expanded only in recipes, so ACPI_DUMPS is asked lazily.
FUZZ_ACPI_MACHINES = $(if $(ACPI_DUMPS),$(sort $(patsubst %/,%,$(dir $(wildcard \
	$(ACPI_DUMPS)/*/*.dat $(ACPI_DUMPS)/*/*.aml)))))
FUZZ_SEEDS_acpi2fdt = $(sort $(FUZZ_ACPI_MACHINES) $(wildcard $(BUILD)/host/acpi/*))
FUZZ_SEEDS_acpi_spcr := $(FUZZ_OUT)/seeds/acpi_spcr
FUZZ_SEEDS_acpi_dbg2 := $(FUZZ_OUT)/seeds/acpi_dbg2
FUZZ_SEEDS_acpi_dsdt := $(FUZZ_OUT)/seeds/acpi_dsdt
FUZZ_LINKS_acpi_spcr := SPCR
FUZZ_LINKS_acpi_dbg2 := DBG2
FUZZ_LINKS_acpi_dsdt := DSDT SSDT*
FUZZ_MAXLEN_acpi2fdt := 300000
FUZZ_MAXLEN_acpi_dsdt := 300000

# ------------------------------------------------------------- builds ----
# The harness (the first source) is built per target, since a per-table
# target's -D changes it; the units it links are shared.
$(FUZZ_OUT)/obj/common/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_rules
$(FUZZ_OUT)/obj/$(1)/harness.o: $(firstword $(FUZZ_$(1))) | $(STAMP)
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_DEFS_$(1)) -MMD -MP -c $$< -o $$@
$(FUZZ_OUT)/bin/fuzz_$(1): $(FUZZ_OUT)/obj/$(1)/harness.o \
		$(patsubst %.c,$(FUZZ_OUT)/obj/common/%.o,$(wordlist 2,999,$(FUZZ_$(1))))
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $$@ $$^ -lfdt
.PHONY: fuzz-$(1)
fuzz-$(1): $(FUZZ_OUT)/bin/fuzz_$(1) $(if $(FUZZ_LINKS_$(1)),fuzz-seeds-$(1))
	@mkdir -p $(FUZZ_OUT)/$(1) $(FUZZ_OUT)/artifacts $(FUZZ_OUT)/logs
	{ PLINTH_ACPI_DUMPS='$$(ACPI_DUMPS)' $(FUZZ_OUT)/bin/fuzz_$(1) \
		-max_total_time=$$(FUZZ_SECONDS) -print_final_stats=1 \
		$(if $(FUZZ_MAXLEN_$(1)),-max_len=$(FUZZ_MAXLEN_$(1))) \
		-artifact_prefix=$(FUZZ_OUT)/artifacts/$(1)- \
		$(FUZZ_OUT)/$(1)/ $(wildcard tests/fuzz/corpus/$(1)) \
		$$(wildcard $$(FUZZ_SEEDS_$(1))); echo $$$$? >$(FUZZ_OUT)/logs/$(1).rc; } 2>&1 | \
		tee $(FUZZ_OUT)/logs/$(1).log
	@exit $$$$(cat $(FUZZ_OUT)/logs/$(1).rc)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

# The per-table targets' seeds: symlinks to that table in every dump, so the
# dumps are read in place.
define fuzz_seed_links
.PHONY: fuzz-seeds-$(1)
fuzz-seeds-$(1):
	@rm -rf $(FUZZ_SEEDS_$(1)) && mkdir -p $(FUZZ_SEEDS_$(1))
	@for m in $$(FUZZ_ACPI_MACHINES); do for s in $(FUZZ_LINKS_$(1)); do \
		for f in $$$$m/$$$$s.dat $$$$m/$$$$s.aml; do [ -f "$$$$f" ] && \
		ln -sf "$$$$(realpath $$$$f)" $(FUZZ_SEEDS_$(1))/$$$$(basename $$$$m)-$$$$(basename $$$$f); \
		done; done; done; true
endef
$(foreach t,$(FUZZ_TARGETS),$(if $(FUZZ_LINKS_$(t)),$(eval $(call fuzz_seed_links,$(t)))))

# ------------------------------------------- the malformed-tree corpus ----
# tests/malformed/*.dts (broken on purpose, so dtc's warnings are silenced),
# and the tree consumer's harness with a plain main (standalone.c), built with
# gcc and ASan+UBSan, that tests/test_malformed.py runs them through.
MALFORMED_DTBS := $(patsubst tests/malformed/%.dts,$(BUILD)/host/malformed/%.dtb,\
	$(wildcard tests/malformed/*.dts))
$(BUILD)/host/malformed/%.dtb: tests/malformed/%.dts $(wildcard dts/*.dtsi dts/*.dts) | $(STAMP)
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -i dts -o $@ $<
DT_CONSUME := $(BUILD)/host-san/tools/dt_consume
$(DT_CONSUME): $(patsubst %.c,$(BUILD)/host-san/obj/%.o,tests/fuzz/standalone.c $(FUZZ_devtree))
	@mkdir -p $(@D)
	$(HOSTCC) $(HSANFLAGS) -o $@ $^ -lfdt
test: $(MALFORMED_DTBS) $(DT_CONSUME)

FUZZ_BINS := $(patsubst %,$(FUZZ_OUT)/bin/fuzz_%,$(FUZZ_TARGETS))
.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
fuzz: $(patsubst %,fuzz-%,$(FUZZ_TARGETS))
test: fuzz-build

-include $(shell find $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)
