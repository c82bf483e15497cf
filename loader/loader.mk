# The UEFI loader, BOOTAA64.EFI (gnu-efi + libfdt, arm64), and the board's
# disk image. Included by the Makefile (include $(wildcard loader/*.mk)).
#
#   make loader            build/loader/BOOTAA64.EFI
#   make image             build/$(BOARD)/plinth.img (GPT + ESP, tools/mkimage)
#
# Three rooms (loader/README.md): the UEFI application loader/efi/, the
# converter library loader/acpi2fdt/ and the tree pipeline loader/pipeline/
# (the same sources acpi2dts and the unit tests build), with lib/.

LOADER_OUT   := $(BUILD)/loader
EFI_LIBDIR   := $(SYSROOT)/usr/lib
EFI_INC      := $(SYSROOT)/usr/include/efi

# gnu-efi's aarch64 rules: position-independent, no stack protector, UCS-2
# wchar_t for L"" strings. -mgeneral-regs-only: no FP/SIMD state to worry
# about in firmware context. Sections per function and hidden symbols let
# --gc-sections drop what nothing calls (a shared object exports every
# visible symbol, which would keep it all). -flto: code is generated for
# the whole program at the link. -Os and no frame pointer:
# BOOTAA64.EFI stays within 128 KiB (make bench reports its size). No
# unwind tables: the link script drops .eh_frame, so -g then writes the
# call frames to .debug_frame, which gdb reads from BOOTAA64.so to walk the
# stack without frame pointers. -fno-zero-initialized-in-bss: gnu-efi's
# link script gathers .bss but not the .bss.* that -fdata-sections makes,
# which would land past the end of the image (tools/pe-finish refuses
# that). The loader's time goes to
# libfdt and the firmware's console, not to code -O2 would speed up:
# lib/string.c's loops are written to stay tight at -Os.
# Recursive (=): KCC_INCLUDE asks the compiler, which setup may not have
# installed yet when make reads this (Makefile).
LCFLAGS = -std=gnu11 -Wall -Wextra -Werror -Os -flto -g \
	-ffunction-sections -fdata-sections -fvisibility=hidden \
	-ffreestanding -fpic -fno-stack-protector -fshort-wchar -mstrict-align \
	-mgeneral-regs-only -mbranch-protection=none -fomit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-zero-initialized-in-bss \
	-nostdinc -isystem $(KCC_INCLUDE) \
	-Iloader -Ilib/include -Ilib/include/libc -isystem $(SYSROOT)/usr/include \
	-isystem $(EFI_INC) -isystem $(EFI_INC)/aarch64 -DPLINTH_LOADER
LASFLAGS := -g -D__ASSEMBLY__

# The UEFI application (loader/efi/), the converter library, the tree
# pipeline with every board, and lib/.
LOADER_SRCS := $(wildcard loader/efi/*.c loader/efi/*.S) $(ACPI2FDT_SRCS) \
	$(PIPELINE_SRCS) $(BOARDS_C) $(LIB_FREESTANDING_SRCS)
LOADER_OBJS := $(patsubst %,$(LOADER_OUT)/obj/%.o,$(basename $(sort $(LOADER_SRCS))))

.PHONY: loader image
loader: $(LOADER_OUT)/BOOTAA64.EFI

$(LOADER_OUT)/obj/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(LCFLAGS) -MMD -MP -c $< -o $@
$(LOADER_OUT)/obj/%.o: %.S | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(LASFLAGS) -MMD -MP -c $< -o $@

# Linked through the compiler with LCFLAGS: the objects hold -flto's
# intermediate code, and the code is generated here for the whole program
# (3 KiB less than file by file, the same instructions run). The layout is
# ours (efi.lds), the entry too (start.S: the image relocates itself with
# gnu-efi's _relocate, then calls efi_main). -shared -Bsymbolic: a
# position-independent image whose only dynamic relocations are
# R_AARCH64_RELATIVE. --no-undefined: a shared object would otherwise link
# with a missing symbol and fail only in the firmware.
$(LOADER_OUT)/BOOTAA64.so: $(LOADER_OBJS) $(LIBFDT_ARM64) loader/efi/efi.lds
	$(KCC) $(LCFLAGS) -flto=2 -nostdlib -shared \
		-Wl,-znocombreloc,-Bsymbolic,--no-undefined,--no-warn-rwx-segments,--gc-sections \
		-Wl,--build-id=none -Wl,-T,loader/efi/efi.lds \
		$(LOADER_OBJS) $(LIBFDT_ARM64) -L$(EFI_LIBDIR) -lgnuefi \
		-Wl,-Map=$(LOADER_OUT)/BOOTAA64.map -o $@

# objcopy writes the PE/COFF file (binutils' pei-aarch64-little): headers,
# then each section at 512-byte file alignment, Subsystem 10 (EFI
# application), the base relocation directory from .reloc, no symbols.
# tools/pe-finish then checks what a firmware will rely on: the Subsystem,
# every writable section of the .so inside the image, the sections' data
# inside the file.
$(LOADER_OUT)/BOOTAA64.EFI: $(LOADER_OUT)/BOOTAA64.so tools/pe-finish
	$(KOBJCOPY) -O pei-aarch64-little --strip-all --subsystem efi-app \
		--file-alignment 0x200 --section-alignment 0x1000 \
		-j .text -j .dynamic -j .data -j .rela -j .reloc $< $@.tmp
	$(PYTHON) tools/pe-finish $@.tmp $<
	mv $@.tmp $@
	@echo "BOOTAA64.EFI: $$(stat -c %s $@) bytes"

# ------------------------------------------------------------ disk image ----
# BOARD picks the packaging: boards/$(BOARD)/board.mk (README: Boards).
# BOARD_CFG, when set (on the command line or in a board.mk; no board sets
# it), is a plinth.cfg to put on the ESP as \plinth\plinth.cfg.
BOARD_MK := $(wildcard boards/$(BOARD)/board.mk)
ifeq ($(BOARD_MK),)
$(error BOARD=$(BOARD): no boards/$(BOARD)/board.mk (boards: $(patsubst boards/%/board.mk,%,$(wildcard boards/*/board.mk))))
endif
include $(BOARD_MK)

BOARD_IMG := $(BUILD)/$(BOARD)/plinth.img
image: $(BOARD_IMG)

$(BOARD_IMG): $(LOADER_OUT)/BOOTAA64.EFI $(BUILD)/kernel/Image tools/mkimage $(BOARD_CFG)
	@mkdir -p $(@D)
	tools/mkimage -o $@ --loader $(LOADER_OUT)/BOOTAA64.EFI --kernel $(BUILD)/kernel/Image \
		$(if $(BOARD_CFG),--cfg $(BOARD_CFG))

all: loader image

-include $(shell find $(LOADER_OUT)/obj -name '*.d' 2>/dev/null)
