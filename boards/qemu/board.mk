# QEMU -M virt under AAVMF (docs/platforms.md, "QEMU virt").
# Detection (gen/boards.py): the tables' OEM ID, trailing spaces trimmed
# ("BOCHS " in every table QEMU writes); SMBIOS type 1 as QEMU fills it.
BOARD_ACPI_OEM_ID := BOCHS
BOARD_SMBIOS_MANUFACTURER := QEMU
BOARD_SMBIOS_PRODUCT :=
# Packaging: the GPT + ESP disk image (loader/loader.mk).
BOARD_IMAGES := img
# How it runs: QEMU's machine and CPU, the one place they are written. make
# run / run-kernel / debug pass this to tools/run-qemu and tools/debug
# (--machine), which read it here when run by hand; the QEMU tests read it
# too (tests/qemu/plinth_qemu.py, machine()) and vary only what they test
# (gic-version=, virtualization=on, another -cpu).
BOARD_QEMU_FLAGS := -M virt -cpu cortex-a57
