# The ACPI -> device tree converter (loader/acpi_*.c): the host tool
# build/host/acpi2dts, the ASL test fixtures, and a freestanding aarch64 build
# of the converter that keeps it free of hosted-libc dependencies.
# Included by the Makefile (include $(wildcard loader/*.mk)); the unit tests
# are declared in tests/tests.mk.
#
# For the loader's own rules: the converter is $(ACPI2FDT_SRCS) plus
# $(ACPI2FDT_DEPS) (ksnprintf and plinth_strerror), and libfdt.

ACPI2FDT_SRCS := $(sort $(wildcard loader/acpi_*.c))
ACPI2FDT_DEPS := lib/printf.c lib/errors.c

# --------------------------------------------------------------- boards ----
# gen/boards.py turns every boards/<name>/ (board.mk + overlay.dtso +
# console.dtso, compiled with dtc -@) into one table, $(BOARDS_C), that the
# loader and acpi2dts link with loader/board.c (detection) and
# loader/overlay.c (application; it checks each overlay with the kernel's
# dt_check_blob, kernel/core/dt.c). A new folder is picked up by the wildcard.
BOARD_SRCS := loader/board.c loader/overlay.c lib/dt_check.c
BOARDS_C   := $(BUILD)/gen/boards.c
BOARD_INPUTS := $(wildcard boards/*/board.mk boards/*/*.dtso)

$(BOARDS_C): gen/boards.py $(BOARD_INPUTS) | $(STAMP)
	$(PYTHON) gen/boards.py --boards boards --dtc $(DTC) --out $@

$(BUILD)/host/obj/gen/boards.o: $(BOARDS_C)
	@mkdir -p $(@D)
	$(HOSTCC) $(HCFLAGS) -Iloader -c $< -o $@

# ------------------------------------------------------------- acpi2dts ----
ACPI2DTS_SRCS := tools/acpi2dts.c $(ACPI2FDT_SRCS) $(BOARD_SRCS) $(LIB_SRCS)

ACPI2DTS_OBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(sort $(ACPI2DTS_SRCS)))
$(BUILD)/host/acpi2dts: $(ACPI2DTS_OBJS) $(BUILD)/host/obj/gen/boards.o
	@mkdir -p $(@D)
	$(HOSTCC) -o $@ $^ -lfdt

# The objects acpi2dts links besides the board table (tests/test_boards.py
# links them with a board table of its own).
.PHONY: acpi2dts-objs
acpi2dts-objs:
	@echo $(ACPI2DTS_OBJS)

# ------------------------------------------------------- ASL fixtures ----
# tests/fixtures/acpi/<scenario>/<table>.asl -> build/host/acpi/<scenario>/<table>.aml,
# compiled with iasl by tests/fixtures/acpi/build-table (which also applies
# the `fixture-signature:` directive, see tests/fixtures/acpi/README.md).
ACPI_FIXTURE_ASL := $(wildcard tests/fixtures/acpi/*/*.asl)
ACPI_FIXTURE_AML := $(patsubst tests/fixtures/acpi/%.asl,$(BUILD)/host/acpi/%.aml,$(ACPI_FIXTURE_ASL))

$(BUILD)/host/acpi/%.aml: tests/fixtures/acpi/%.asl tests/fixtures/acpi/build-table | $(STAMP)
	@mkdir -p $(@D)
	$(PYTHON) tests/fixtures/acpi/build-table $< $@

.PHONY: acpi-fixtures
acpi-fixtures: $(ACPI_FIXTURE_AML)

# ------------------------------------------- freestanding aarch64 check ----
# The converter as the loader builds it: no hosted headers, strict alignment.
ACPI2FDT_CROSS_OBJS := $(patsubst %.c,$(BUILD)/convert-aarch64/%.o,$(ACPI2FDT_SRCS))

$(BUILD)/convert-aarch64/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -MMD -MP -c $< -o $@

.PHONY: convert-check
convert-check: $(ACPI2FDT_CROSS_OBJS)

host: $(BUILD)/host/acpi2dts acpi-fixtures convert-check

-include $(shell find $(BUILD)/convert-aarch64 -name '*.d' 2>/dev/null)
