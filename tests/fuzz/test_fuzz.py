#!/usr/bin/env python3
"""The fuzzers, deterministically, for `make test` (tests/fuzz/README.md):
for each build/fuzz/bin/fuzz_<target>,
  1. replay: every input of the committed corpus tests/fuzz/corpus/<target>/
     (seeds and regressions) and of the built seeds (compiled test trees for
     the tree targets, compiled ASL fixtures for the ACPI ones) runs once;
  2. a fixed-seed run: -seed=1 -runs=N from the committed corpus, into a
     scratch corpus under build/test-artifacts/fuzz/ (emptied first).
Either fails on any crash, leak, UB or timeout report. Total well under two
minutes; `make fuzz FUZZ_SECONDS=N` is the open-ended run.

  python3 tests/fuzz/test_fuzz.py --build BUILD
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))
from plinth_corpus import locate  # noqa: E402
# Mutations per target in the fixed-seed run, sized for about 3 s each.
RUNS = {"devtree": 4000, "shell": 30000, "dt_print": 15000, "acpi2fdt": 600,
        "acpi_spcr": 1000, "acpi_dbg2": 1000, "acpi_dsdt": 600,
        "overlay": 30000}
MAX_LEN = {"acpi2fdt": 65536, "acpi_dsdt": 65536}
REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
           "ERROR: libFuzzer", "==ERROR", "SUMMARY: ")
TIMEOUT = 120


def seeds(build, target):
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "fuzz", "corpus", target, "*")))
    if target in ("devtree", "dt_print"):
        files += sorted(glob.glob(os.path.join(build, "host", "trees", "*.dtb")))
        files += sorted(glob.glob(os.path.join(build, "dts", "*.dtb")))
        files += sorted(glob.glob(os.path.join(build, "host", "malformed", "*.dtb")))
    elif target.startswith("acpi"):
        files += sorted(glob.glob(os.path.join(build, "host", "acpi", "*", "*.aml")))
    return files


def run(argv, env):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, env=env, timeout=TIMEOUT, cwd=ROOT)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("utf-8", "replace")


def clean(rc, out):
    return rc == 0 and not any(r in out for r in REPORTS)


def stat(out, key):
    for line in out.splitlines():
        if line.startswith(f"stat::{key}:"):
            return line.split(":")[-1].strip()
    return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    # The ACPI targets' background tables: the verified corpus, or none ("").
    corpus = locate(build)
    for e in corpus.errors[:10]:
        print(f"# corpus not used as background: {e}")
    env = dict(os.environ, PLINTH_ACPI_DUMPS=corpus.root or "")
    n = failed = 0
    bins = sorted(glob.glob(os.path.join(build, "fuzz", "bin", "fuzz_*")))
    if not bins:
        print("not ok 1 - fuzz targets built (make fuzz-build)")
        return 1
    scratch_root = os.path.join(build, "test-artifacts", "fuzz")
    for exe in bins:
        target = os.path.basename(exe)[len("fuzz_"):]
        inputs = seeds(build, target)
        n += 1
        if inputs:
            rc, out = run([exe, "-runs=1"] + inputs, env)
            ok = clean(rc, out)
            print(f"{'ok' if ok else 'not ok'} {n} - {target}: replay of {len(inputs)} "
                  "committed and built seed inputs")
        else:
            ok, out = False, "no inputs"
            print(f"not ok {n} - {target}: no committed corpus in tests/fuzz/corpus/{target}/")
        if not ok:
            failed += 1
            print("\n".join("# " + l for l in out.splitlines()[-40:]))
        n += 1
        scratch = os.path.join(scratch_root, target)
        shutil.rmtree(scratch, ignore_errors=True)
        for old in glob.glob(scratch + "-*"):
            os.remove(old)
        os.makedirs(scratch)
        corpus = os.path.join(ROOT, "tests", "fuzz", "corpus", target)
        argv = [exe, "-seed=1", f"-runs={RUNS.get(target, 3000)}", "-print_final_stats=1",
                f"-max_len={MAX_LEN.get(target, 8192)}", "-timeout=20", "-rss_limit_mb=2048",
                f"-artifact_prefix={scratch}-", scratch]
        if os.path.isdir(corpus):
            argv.append(corpus)
        rc, out = run(argv, env)
        ok = clean(rc, out)
        print(f"{'ok' if ok else 'not ok'} {n} - {target}: fixed-seed run (-seed=1, "
              f"{stat(out, 'number_of_executed_units')} executions, "
              f"{stat(out, 'new_units_added')} new inputs)")
        if not ok:
            failed += 1
            print("\n".join("# " + l for l in out.splitlines()[-40:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
