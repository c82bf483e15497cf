# The tree pipeline (loader/pipeline/): the conversion and overlay stages
# (pipeline.c) on a growing tree buffer, board detection, overlay
# application, SMBIOS strings and the loader log, shared by the loader and
# acpi2dts. The board table it detects from is generated
# (gen/boards.mk, $(BOARDS_C)).
PIPELINE_SRCS := $(sort $(wildcard loader/pipeline/*.c))
