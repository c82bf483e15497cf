# Sanitized host unit tests: every build/host/tests/<name>_test is built a
# second time, with AddressSanitizer and UndefinedBehaviorSanitizer, into
# build/host-san/tests/<name>_test (objects under build/host-san/obj/).
# tests/run runs both sets; a sanitizer report fails the suite, as any crash
# would (-fno-sanitize-recover=all: the first report ends the program).
# Included by the Makefile (include $(wildcard ... tools/*.mk)), after
# UNIT_TESTS and TEST_<name> are known.
#
#   make host-san      build them (`make test` does)

HSANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_SAN_TESTS := $(patsubst %,$(BUILD)/host-san/tests/%_test,$(UNIT_TESTS))

$(BUILD)/host-san/obj/%.o: %.c | $(STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HCFLAGS) $(HSANFLAGS) -MMD -MP -c $< -o $@

define unit_test_san_rule
$(BUILD)/host-san/tests/$(1)_test: $(patsubst %.c,$(BUILD)/host-san/obj/%.o,$(call test_srcs,$(1)))
	@mkdir -p $$(@D)
	$(HOSTCC) $(HSANFLAGS) -o $$@ $$^ $(HLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_san_rule,$(t))))

.PHONY: host-san
host-san: $(HOST_SAN_TESTS)
test: host-san

-include $(shell find $(BUILD)/host-san/obj -name '*.d' 2>/dev/null)
