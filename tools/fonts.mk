# The console font: a PC Screen Font from Debian's console-setup-linux package,
# downloaded and unpacked into $(BUILD)/fonts/ (like the arm64 sysroot, never
# installed), turned into a C table by gen/psf2c and linked into the kernel
# (the framebuffer console) and the host tools and tests (fbtext).
# Included by the Makefile (include $(wildcard ... tools/*.mk)).
#
#   make font            $(BUILD)/gen/console_font.c
#
# FONT picks the file in /usr/share/consolefonts of the package: a PSF1 or
# PSF2, with a Unicode table (Uni2-*: Latin, Greek, Cyrillic).

FONT        ?= Uni2-Terminus16
FONTS_DIR   := $(BUILD)/fonts
FONT_PSF    := $(FONTS_DIR)/usr/share/consolefonts/$(FONT).psf.gz
FONT_C      := $(BUILD)/gen/console_font.c
FONT_KOBJ   := $(BUILD)/gen/kernel/console_font.o

.PHONY: font
font: $(FONT_C)

# apt-get download needs no root when the package lists are present (tools/setup
# ran apt-get update if it installed anything); its chatter goes to a log.
$(FONTS_DIR)/.done: | $(STAMP)
	@rm -rf $(FONTS_DIR)
	@mkdir -p $(FONTS_DIR)/debs
	@cd $(FONTS_DIR)/debs && apt-get download -q console-setup-linux >../download.log 2>&1 || \
		{ cat ../download.log; echo "fonts: apt-get download console-setup-linux failed" \
		  "(package lists missing? run: sudo apt-get update)"; exit 1; }
	dpkg -x $(FONTS_DIR)/debs/console-setup-linux_*.deb $(FONTS_DIR)
	@touch $@

# The header comment of the output names the file, its checksum, the package
# version and the generator's options. (The .psf.gz keeps the package's old
# mtime, so the unpacking stamp is the prerequisite.)
$(FONT_C): $(FONTS_DIR)/.done gen/psf2c
	@test -f $(FONT_PSF) || { echo "fonts: $(FONT_PSF) not in console-setup-linux (FONT=$(FONT))"; exit 1; }
	@mkdir -p $(@D)
	$(PYTHON) gen/psf2c --name $(FONT) --symbol console_font \
		--origin "Debian console-setup-linux $$(dpkg-deb -f $(FONTS_DIR)/debs/console-setup-linux_*.deb Version)" \
		$(FONT_PSF) $@

# Into the kernel: the Image's link rule takes $(KOBJS) when it runs, so the
# font object is appended here and made a prerequisite of the link.
$(FONT_KOBJ): $(FONT_C) kernel/include/plinth/font.h | $(STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -c $< -o $@
KOBJS += $(FONT_KOBJ)
$(BUILD)/kernel/Image.elf: $(FONT_KOBJ)
