# QEMU -M virt under AAVMF (docs/platforms.md, "QEMU virt").
# Detection (gen/boards.py): the tables' OEM ID, trailing spaces trimmed
# ("BOCHS " in every table QEMU writes); SMBIOS type 1 as QEMU fills it.
BOARD_ACPI_OEM_ID := BOCHS
BOARD_SMBIOS_MANUFACTURER := QEMU
BOARD_SMBIOS_PRODUCT :=
# Packaging: the GPT + ESP disk image (loader/loader.mk).
BOARD_IMAGES := img
# How it runs: tools/run-qemu's defaults are this board.
BOARD_QEMU_FLAGS := -M virt -cpu cortex-a57
