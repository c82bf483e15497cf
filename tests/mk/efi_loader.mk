# The loader's pure units (loader/efi_*.c except efi_main.c, the UEFI glue).
UNIT_TESTS += efi_log efi_cfg efi_image efi_memmap efi_tree efi_acpi
EFI_TEST_COMMON := loader/efi_log.c kernel/lib/printf.c kernel/core/errors.c
TEST_efi_log := $(EFI_TEST_COMMON)
TEST_efi_cfg := loader/efi_cfg.c $(EFI_TEST_COMMON)
TEST_efi_image := loader/efi_image.c $(EFI_TEST_COMMON)
TEST_efi_memmap := loader/efi_memmap.c loader/efi_tree.c $(EFI_TEST_COMMON)
TEST_efi_tree := loader/efi_tree.c loader/efi_memmap.c $(EFI_TEST_COMMON)
TEST_efi_acpi := loader/efi_acpi.c $(EFI_TEST_COMMON)
