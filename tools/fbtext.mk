# build/host/fbtext: a screenshot of the framebuffer console (PPM) back to
# text, with the kernel's own font table (tools/fonts.mk makes it), and to
# PNG; the QEMU framebuffer tests assert on what it reads. Part of `make host`.
FBTEXT      := $(BUILD)/host/fbtext
FBTEXT_OBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,tools/fbtext.c tools/fbimage.c \
	$(BUILD)/gen/console_font.c)

$(FBTEXT): $(FBTEXT_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) -o $@ $^

host: $(FBTEXT)
