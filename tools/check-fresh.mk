# make check-fresh: the README's two commands, first time, in a minimal
# bookworm root (tools/check-fresh says how; its transcripts land in
# $(BUILD)/check-fresh/). Needs root; .ci/run runs it after make test.
.PHONY: check-fresh
check-fresh: | $(STAMP)
	$(PYTHON) tools/check-fresh --build $(BUILD)
