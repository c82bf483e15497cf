# `make debug`: QEMU stopped at the first instruction with gdb-multiarch
# attached and the kernel's symbols at its load address (tools/debug; README:
# Debugging). DEBUG_ARGS passes options, e.g. DEBUG_ARGS="--gic 3 --smp 4".
.PHONY: debug
debug: kernel
	tools/debug --build $(BUILD) --machine "$(BOARD_QEMU_FLAGS)" $(DEBUG_ARGS)
