# Hypervisor packaging of the board's disk image (loader/loader.mk makes
# $(BOARD_IMG), the GPT + ESP disk). boards/<name>/board.mk lists what the
# board ships in BOARD_IMAGES: img (the disk itself), vmwarevm (VMware Fusion
# bundle), hdd (Parallels disk bundle), iso. plinth.iso is made for every
# board: it is the one artefact both Fusion and Parallels boot with no
# doubt about disk formats. tools/mkpackage does the work; README.md,
# "Images", says how to use each.

ifneq ($(BOARD_IMG),)
BOARD_DIR   := $(BUILD)/$(BOARD)
BOARD_ISO   := $(BOARD_DIR)/plinth.iso
BOARD_VMX   := $(BOARD_DIR)/plinth.vmwarevm/plinth.vmx
BOARD_HDD   := $(BOARD_DIR)/plinth.hdd/DiskDescriptor.xml
# VMware packaging: the reference VM (4 vCPUs, 2 GB: docs/platforms.md,
# "VMware Fusion"); virtualHW 20 is Fusion 13.0's, the first with Arm guests
# (a board.mk may override these).
BOARD_VMX_NAME ?= Plinth
BOARD_VMX_CPUS ?= 4
BOARD_VMX_MEM_MB ?= 2048
BOARD_VMX_HW ?= 20

BOARD_PACKAGES := $(BOARD_ISO) \
	$(if $(filter vmwarevm,$(BOARD_IMAGES)),$(BOARD_VMX)) \
	$(if $(filter hdd,$(BOARD_IMAGES)),$(BOARD_HDD))

.PHONY: packages
packages: $(BOARD_PACKAGES)
image: $(BOARD_PACKAGES)

$(BOARD_ISO): $(BOARD_IMG) tools/mkpackage
	tools/mkpackage iso -o $@ $(BOARD_IMG)

# The bundle is a directory: plinth.vmx stands for it (mkpackage writes the
# bundle beside it and renames it in place, so a failure leaves no half).
$(BOARD_VMX): $(BOARD_IMG) tools/mkpackage $(BOARD_MK)
	tools/mkpackage vmwarevm -o $(@D) --name $(BOARD_VMX_NAME) --cpus $(BOARD_VMX_CPUS) \
		--mem $(BOARD_VMX_MEM_MB) --hw $(BOARD_VMX_HW) $(BOARD_IMG)

$(BOARD_HDD): $(BOARD_IMG) tools/mkpackage
	tools/mkpackage hdd -o $(@D) $(BOARD_IMG)
endif
