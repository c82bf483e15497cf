# VMware Fusion on Apple silicon, guestOS "arm-other-64", firmware "efi"
# (docs/platforms.md, "VMware Fusion"; real tables: the corpus manifest
# entry vmware-fusion-arm64).
# Detection (gen/boards.py): ACPI OEM ID "VMWARE" (OEM table ID "VMWVBSA!"),
# SMBIOS type 1 manufacturer "VMware, Inc.".
BOARD_ACPI_OEM_ID := VMWARE
BOARD_SMBIOS_MANUFACTURER := VMware, Inc.
BOARD_SMBIOS_PRODUCT :=
# Packaging: .vmwarevm bundle (VMDK + .vmx) and the ISO (tools/images.mk).
BOARD_IMAGES := img vmwarevm iso
# Not run under QEMU (-acpitable is not supported on arm virt): tested
# through acpi2dts --board vmware on the host.
BOARD_QEMU_FLAGS :=
