# make corpus — the real-firmware ACPI corpus the tests read (tools/corpus,
# tests/corpus/manifest.json, tests/fixtures/corpus/README.md).
#   make corpus   with ../shared/acpi-dumps beside the clone: verify it against
#                 the manifest (a missing or changed file fails, naming it);
#                 without it: fetch each public machine's folder from its
#                 upstream repository at the pinned commit into
#                 $(BUILD)/corpus/ (git; CORPUS_UPSTREAM=URL_OR_DIR replaces
#                 https://github.com as the base of OWNER/REPO).
# Needs git and python3 only, so it does not wait for tools/setup.
CORPUS_UPSTREAM ?=

.PHONY: corpus
corpus:
	$(PYTHON) tools/corpus --build $(BUILD) $(if $(CORPUS_UPSTREAM),--upstream-base $(CORPUS_UPSTREAM))
