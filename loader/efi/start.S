/* The loader's entry, and the two things its PE file needs from the link
 * (loader/efi/efi.lds, loader/loader.mk).
 *
 * The firmware calls _start(ImageHandle, SystemTable) wherever it loaded
 * the image. The code is position-independent but the data holds absolute
 * addresses (pointer tables, string tables): those are the ELF's
 * R_AARCH64_RELATIVE relocations in .rela, applied here first, against
 * the image's base, by gnu-efi's _relocate (it reads them through
 * _DYNAMIC). The base is found from _start itself, which the link script
 * puts at 0x1000, after the page the PE headers take. */
	.section .text.start, "ax"
	.globl	_start
	.type	_start, %function
_start:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]		/* ImageHandle, SystemTable */
	adr	x0, _start
	sub	x0, x0, #0x1000			/* the image base */
	adrp	x1, _DYNAMIC
	add	x1, x1, #:lo12:_DYNAMIC
	ldp	x2, x3, [sp, #16]
	bl	_relocate
	cbnz	x0, 1f				/* an EFI status: give it back */
	ldp	x0, x1, [sp, #16]
	bl	efi_main
1:	ldp	x29, x30, [sp], #32
	ret
	.size	_start, . - _start

/* The PE base relocation directory (PE/COFF: a list of blocks, each a page
 * RVA and its size in bytes, 8 for the header alone). One empty block: the
 * image relocates itself above, but a loader that finds no relocation
 * directory may refuse to place the image anywhere but its preferred base
 * (0). objcopy makes this section the directory. */
	.section .reloc, "a"
	.long	0				/* page RVA */
	.long	8				/* block size: no entries */
