# Host unit tests. Each tests/mk/<unit>.mk adds its test names to UNIT_TESTS and
# declares TEST_<name> := <the kernel sources it links> (besides tests/<name>_test.c
# and tests/host_env.c). One fragment per unit, so units can be added independently.
UNIT_TESTS :=
include $(wildcard tests/mk/*.mk)
