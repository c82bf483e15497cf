# Parallels Desktop on Apple silicon (docs/platforms.md, "Parallels
# Desktop"; no public table dump: facts from reports).
# Detection (gen/boards.py): ACPI OEM ID "PRLS  " (trimmed), SMBIOS type 1
# manufacturer / product.
BOARD_ACPI_OEM_ID := PRLS
BOARD_SMBIOS_MANUFACTURER := Parallels International GmbH.
BOARD_SMBIOS_PRODUCT := Parallels ARM Virtual Machine
# Packaging: the .hdd bundle and the ISO (tools/images.mk).
BOARD_IMAGES := img hdd iso
BOARD_QEMU_FLAGS :=
