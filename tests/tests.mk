# Host unit tests: tests/<name>_test.c (cmocka) linked with the units it
# exercises, listed here as TEST_<name>, plus tests/host_env.c and the shared
# library (lib/: printf, errors, tree checks, the DTS printer), which every
# test links. A new test is one line here.

# --- lib/ -------------------------------------------------------------------
UNIT_TESTS += printf dt_print string
TEST_printf :=
TEST_dt_print :=
# lib/string.c is the freestanding one: the test builds it under other names
TEST_string :=

# --- kernel: driver core, tree helpers, memory, interrupts, consoles ---------
UNIT_TESTS += dt device mm smp_tree console console_routing irq
TEST_dt := kernel/core/dt.c
TEST_device := kernel/core/device.c kernel/core/dt.c kernel/drivers/fixed_clock.c
TEST_mm := kernel/core/mm.c kernel/core/dt.c
TEST_smp_tree := kernel/core/smp_tree.c kernel/core/dt.c
TEST_console := kernel/core/console.c kernel/core/dt.c
TEST_console_routing := kernel/core/console.c kernel/core/dt.c
# the interrupt core against the mock chip of tests/mock_intc.c, and GIC
# specifier decoding
TEST_irq := kernel/core/irq.c kernel/drivers/gic_common.c kernel/core/device.c kernel/core/dt.c \
	tests/mock_intc.c
# the arm64 translation table builder
UNIT_TESTS += pgtable
TEST_pgtable := kernel/arch/arm64/pgtable.c

# --- kernel: drivers against register models --------------------------------
UNIT_TESTS += uart_ns16550 uart_pl011 gic_v3 pci
DRIVER_TEST_COMMON := kernel/core/console.c kernel/core/irq.c kernel/core/device.c kernel/core/dt.c \
	tests/mock_intc.c tests/probe_harness.c
TEST_uart_ns16550 := kernel/drivers/uart_ns16550.c $(DRIVER_TEST_COMMON)
TEST_uart_pl011 := kernel/drivers/uart_pl011.c $(DRIVER_TEST_COMMON)
TEST_gic_v3 := kernel/drivers/gic_v3.c kernel/drivers/gic_common.c kernel/core/irq.c \
	kernel/core/device.c kernel/core/dt.c
# the PCI core and the ECAM host driver against a config-space model
TEST_pci := kernel/core/pci.c kernel/core/pci_assign.c kernel/core/pci_irq.c \
	kernel/core/pci_attach.c kernel/drivers/pci_ecam.c tests/pci_model.c kernel/core/device.c \
	kernel/core/dt.c

# --- kernel: the framebuffer console, and fbtext (tools/fbimage.c) -----------
UNIT_TESTS += fbcon fb_simple fbtext
FB_TEST_COMMON := kernel/core/fbcon.c kernel/core/fb_format.c $(BUILD)/gen/console_font.c
TEST_fbcon := $(FB_TEST_COMMON)
TEST_fb_simple := kernel/drivers/fb_simple.c $(FB_TEST_COMMON) kernel/core/console.c \
	kernel/core/device.c kernel/core/dt.c tests/probe_harness.c
TEST_fbtext := tools/fbimage.c $(FB_TEST_COMMON)

# --- kernel: the shell --------------------------------------------------------
UNIT_TESTS += shell
TEST_shell := kernel/shell/shell.c kernel/shell/cmd_help.c

# --- the ACPI -> tree converter, on the ASL fixtures (build/host/acpi/) -------
# (recursive: ACPI2FDT_SRCS comes from the converter's own .mk, read later)
ACPI_UNIT_TESTS := acpi_tables acpi_fadt acpi_madt acpi_gtdt acpi_dsdt acpi_mcfg acpi_spcr \
	acpi_dbg2 acpi_iort
UNIT_TESTS += $(ACPI_UNIT_TESTS)
$(foreach t,$(ACPI_UNIT_TESTS),$(eval TEST_$(t) = $$(ACPI2FDT_SRCS) tests/acpi_test_util.c))

# --- the loader's pure units (test names kept from when they were efi_*.c) --
UNIT_TESTS += efi_log efi_cfg efi_image efi_memmap efi_tree efi_acpi efi_gop smbios
TEST_efi_log := loader/pipeline/log.c
TEST_efi_cfg := loader/efi/cfg.c loader/pipeline/log.c
TEST_efi_image := loader/efi/image.c loader/pipeline/log.c
TEST_efi_memmap := loader/efi/memmap.c loader/efi/final_tree.c loader/pipeline/log.c
TEST_efi_tree := loader/efi/tree.c loader/efi/memmap.c loader/efi/final_tree.c \
	loader/pipeline/tree_buf.c \
	loader/pipeline/log.c
TEST_efi_acpi = $(ACPI2FDT_SRCS) loader/pipeline/log.c
TEST_efi_gop := loader/efi/gop.c loader/efi/tree.c loader/efi/memmap.c loader/pipeline/log.c
TEST_smbios := loader/pipeline/smbios.c loader/pipeline/log.c

# --- the tree pipeline: conversion, board and user overlays ------------------
# (boards_test also links the generated board table: gen/boards.mk.)
UNIT_TESTS += overlay pipeline boards
TEST_overlay := loader/pipeline/overlay.c tests/overlay_util.c
TEST_boards := loader/pipeline/overlay.c
TEST_pipeline = $(ACPI2FDT_SRCS) $(PIPELINE_SRCS) tests/acpi_test_util.c tests/overlay_util.c

# --- the UEFI application on the host, against a fake firmware ---------------
# loader/efi/efi_*.c built for the host with gnu-efi's own headers (Debian's
# gnu-efi, for this machine's architecture) and GNU_EFI_USE_MS_ABI: every
# firmware call goes through EFIAPI (ms_abi on x86_64) as on real firmware,
# and a fake function not declared EFIAPI does not compile. -fshort-wchar:
# L"" strings are UCS-2, as in the loader's own build.
EFI_HOST_CFLAGS := -isystem /usr/include/efi -isystem /usr/include/efi/$(shell uname -m) \
	-DGNU_EFI_USE_MS_ABI -fshort-wchar
EFI_HOST_SRCS := $(wildcard loader/efi/efi_*.c) tests/efi_fake.c tests/efi_files_test.c \
	tests/efi_fw_test.c
$(foreach d,host host-san,$(patsubst %.c,$(BUILD)/$(d)/obj/%.o,$(EFI_HOST_SRCS))): \
	HCFLAGS += $(EFI_HOST_CFLAGS)
UNIT_TESTS += efi_files efi_fw
TEST_efi_files := loader/efi/efi_files.c loader/efi/efi_fw.c tests/efi_fake.c loader/efi/cfg.c \
	loader/efi/image.c loader/efi/memmap.c loader/efi/tree.c loader/pipeline/log.c
TEST_efi_fw := loader/efi/efi_fw.c tests/efi_fake.c loader/efi/memmap.c loader/efi/tree.c \
	loader/pipeline/log.c
