# build/host/acpi2dts: the converter and the tree pipeline on the host
# (tools/acpi2dts.c; tables in, DTS or a blob out), with every board.
ACPI2DTS_SRCS := tools/acpi2dts.c $(ACPI2FDT_SRCS) $(PIPELINE_SRCS) $(LIB_SRCS)
ACPI2DTS_OBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(sort $(ACPI2DTS_SRCS)))

$(BUILD)/host/acpi2dts: $(ACPI2DTS_OBJS) $(BUILD)/host/obj/gen/boards.o
	@mkdir -p $(@D)
	$(HOSTCC) -o $@ $^ -lfdt

# The objects acpi2dts links besides the board table (tests/test_boards.py
# links them with a board table of its own).
.PHONY: acpi2dts-objs
acpi2dts-objs:
	@echo $(ACPI2DTS_OBJS)

host: $(BUILD)/host/acpi2dts
