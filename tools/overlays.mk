# Board and user overlays on the host (README: Boards).
#   make overlays         every *.dtso under boards/ (and OVERLAY_DIR=dir, a
#                         user folder, when given) -> build/overlays/*.dtbo,
#                         compiled with dtc -@
#   make check-overlays   tools/check-overlays: each board's overlays onto its
#                         fixture tree (tests/fixtures/boards/), every
#                         boards/examples overlay onto every board's tree, with
#                         fdtoverlay; dtc and dt-validate on every result.
#                         `make test` runs the same (tests/test_check_overlays.py).
OVERLAY_SRCS := $(wildcard boards/*/*.dtso)
OVERLAY_DTBOS := $(patsubst boards/%.dtso,$(BUILD)/overlays/%.dtbo,$(OVERLAY_SRCS))
ifneq ($(OVERLAY_DIR),)
OVERLAY_DTBOS += $(patsubst $(OVERLAY_DIR)/%.dtso,$(BUILD)/overlays/user/%.dtbo,$(wildcard $(OVERLAY_DIR)/*.dtso))
$(BUILD)/overlays/user/%.dtbo: $(OVERLAY_DIR)/%.dtso | $(STAMP)
	@mkdir -p $(@D)
	$(DTC) -@ -I dts -O dtb -o $@ $<
endif

$(BUILD)/overlays/%.dtbo: boards/%.dtso | $(STAMP)
	@mkdir -p $(@D)
	$(DTC) -@ -I dts -O dtb -o $@ $<

.PHONY: overlays check-overlays
overlays: $(OVERLAY_DTBOS)

check-overlays: overlays $(BUILD)/host/acpi2dts
	$(PYTHON) tools/check-overlays --build $(BUILD) --dtc $(DTC)
