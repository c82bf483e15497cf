# gen/boards.py turns every boards/<name>/ (board.mk + overlay.dtso +
# console.dtso, compiled with dtc -@) into one table, $(BOARDS_C), that the
# loader and acpi2dts link with loader/pipeline/board.c (detection) and
# overlay.c (application). A new folder is picked up by the wildcard.
BOARDS_C     := $(BUILD)/gen/boards.c
BOARD_INPUTS := $(wildcard boards/*/board.mk boards/*/*.dtso)

$(BOARDS_C): gen/boards.py $(BOARD_INPUTS) | $(STAMP)
	$(PYTHON) gen/boards.py --boards boards --dtc $(DTC) --out $@

$(BUILD)/host/obj/gen/boards.o: $(BOARDS_C)
	@mkdir -p $(@D)
	$(HOSTCC) $(HCFLAGS) -c $< -o $@

# tests/boards_test.c checks every board's blobs as built: it links the
# table too (in both unit-test builds).
$(BUILD)/host/tests/boards_test: $(BUILD)/host/obj/gen/boards.o
$(BUILD)/host-san/tests/boards_test: $(BUILD)/host-san/obj/gen/boards.o
$(BUILD)/host-san/obj/gen/boards.o: $(BOARDS_C)
	@mkdir -p $(@D)
	$(HOSTCC) $(HCFLAGS) $(HSANFLAGS) -c $< -o $@
