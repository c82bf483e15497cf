# For tests/test_static.py: the compilers, flags and source lists the build
# uses, so the static checks compile exactly what the build compiles.
#   make -s static-flags
.PHONY: static-flags
# The UEFI application's files (EFI_HOST_SRCS, tests/tests.mk) need
# gnu-efi's headers: they are listed apart, with the flags they add.
STATIC_HOST_SRCS = $(filter-out $(EFI_HOST_SRCS),$(sort $(foreach t,$(UNIT_TESTS),$(call test_srcs,$(t))) \
	$(wildcard tools/*.c) $(FUZZ_devtree) $(FUZZ_shell) $(FUZZ_dt_print) $(FUZZ_acpi2fdt) \
	$(ACPI2DTS_SRCS)))
static-flags:
	@echo 'KCC=$(KCC)'
	@echo 'KCFLAGS=$(KCFLAGS)'
	@echo 'KASFLAGS=$(KASFLAGS)'
	@echo 'KSRCS=$(KSRCS)'
	@echo 'HOSTCC=$(HOSTCC)'
	@echo 'HCFLAGS=$(HCFLAGS)'
	@echo 'HOST_SRCS=$(STATIC_HOST_SRCS)'
	@echo 'HOST_EFI_SRCS=$(EFI_HOST_SRCS)'
	@echo 'HOST_EFI_CFLAGS=$(EFI_HOST_CFLAGS)'
