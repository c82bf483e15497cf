# loader/efi_gop.c: GOP pixel format -> simple-framebuffer node.
UNIT_TESTS += efi_gop
TEST_efi_gop := loader/efi_gop.c loader/efi_tree.c loader/efi_memmap.c loader/efi_log.c \
	kernel/lib/printf.c kernel/core/errors.c
