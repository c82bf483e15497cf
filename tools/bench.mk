# make bench — boot speed, loader cost, converter scaling and sizes, side by
# side with U-Boot and Linux on the same QEMU (tools/bench/README.md).
# Not part of `make test`, and nothing in it asserts on a time: it prints a
# Markdown table and writes it, the raw figures and the plots to build/bench/.
#   make bench [BENCH_RUNS=5]
# tools/bench/bench.py is the driver; tools/bench/probe_bench.c is the host
# harness for the driver core's probe (linked like tests/device_test.c).
BENCH_DIR  := $(BUILD)/bench
BENCH_RUNS ?= 5
BENCH_PROBE_SRCS := tools/bench/probe_bench.c tests/host_env.c $(TEST_device) $(LIB_SRCS)

.PHONY: bench bench-tools
$(BENCH_DIR)/probe_bench: $(patsubst %.c,$(BUILD)/host/obj/%.o,$(BENCH_PROBE_SRCS))
	@mkdir -p $(@D)
	$(HOSTCC) -o $@ $^ -lfdt

# gnuplot (and valgrind, u-boot-qemu) come from Debian the first time: they
# are bench-only, so tools/setup's package list for `make test` stays as is.
bench-tools:
	@for p in gnuplot:gnuplot-nox valgrind:valgrind iasl:acpica-tools; do \
		command -v $${p%%:*} >/dev/null || { echo "bench: installing $${p#*:}"; \
			apt-get install -y $${p#*:} >/dev/null || exit 1; }; done
	@[ -f /usr/lib/u-boot/qemu_arm64/u-boot.bin ] || apt-get install -y u-boot-qemu >/dev/null

bench: all $(BUILD)/host/acpi2dts acpi-fixtures $(BENCH_DIR)/probe_bench bench-tools
	$(PYTHON) tools/bench/bench.py --build $(BUILD) --runs $(BENCH_RUNS)
