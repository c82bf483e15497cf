# The tree pipeline (loader/pipeline/): board detection, overlay application,
# SMBIOS strings, the loader log and the growing tree buffer, shared by the
# loader and acpi2dts. The board table it detects from is generated
# (gen/boards.mk, $(BOARDS_C)).
PIPELINE_SRCS := $(sort $(wildcard loader/pipeline/*.c))
