# loader/smbios.c: SMBIOS entry points and the type-1 strings (board detection).
UNIT_TESTS += smbios
TEST_smbios := loader/smbios.c loader/efi_log.c kernel/lib/printf.c kernel/core/errors.c
