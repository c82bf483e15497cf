# The framebuffer text console and pixel formats on in-memory framebuffers,
# with the generated console font (tools/fonts.mk).
UNIT_TESTS += fbcon
TEST_fbcon := kernel/core/fbcon.c kernel/core/fb_format.c $(BUILD)/gen/console_font.c
# The simple-framebuffer driver: parse on tests/trees/fb_simple.dts, and a
# probe onto host memory that becomes the stdout-path console.
UNIT_TESTS += fb_simple
TEST_fb_simple := kernel/drivers/fb_simple.c kernel/core/fbcon.c kernel/core/fb_format.c \
	$(BUILD)/gen/console_font.c kernel/core/console.c kernel/core/device.c kernel/core/dt.c \
	kernel/core/errors.c kernel/lib/printf.c tests/probe_harness.c
# fbtext's core (tools/fbimage.c): screens the console rendered read back as
# their text; PPM parsing; the PNG encoder.
UNIT_TESTS += fbtext
TEST_fbtext := tools/fbimage.c kernel/core/fbcon.c kernel/core/fb_format.c $(BUILD)/gen/console_font.c
