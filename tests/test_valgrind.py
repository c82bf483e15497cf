#!/usr/bin/env python3
"""valgrind on the host tools: build/host/acpi2dts (the converter on the
host) over every ACPI fixture scenario (tests/fixtures/acpi/<scenario>/: its
own tables plus those its `uses` file lists, as compiled by `make` into
build/host/acpi/), and with --dumps also over every machine of the real-table
corpus (<machine>/*.dat, read in place where tests/corpus/plinth_corpus.py
finds it verified: ../shared/acpi-dumps/ or BUILD/corpus/ from `make corpus`;
acpidump.txt dumps with -x; a minute more, so not in `make test`: the ACPI
fuzzers replay those tables under ASan instead). Each run must show no memory error and no definite or possible leak
(valgrind --leak-check=full --error-exitcode). acpi2dts's own exit status is
not judged here (some inputs are refused on purpose; tests/test_acpi*.py
check the results). Skipped, with the reason, while acpi2dts is not built.

  python3 tests/test_valgrind.py --build BUILD [--dumps]
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))
from plinth_corpus import locate  # noqa: E402
VG_ERR = 99
VALGRIND = ["valgrind", "-q", "--leak-check=full", "--errors-for-leak-kinds=definite,possible",
            f"--error-exitcode={VG_ERR}"]


def scenario_inputs(build):
    fx = os.path.join(ROOT, "tests", "fixtures", "acpi")
    out = []
    for sdir in sorted(glob.glob(os.path.join(fx, "*"))):
        name = os.path.basename(sdir)
        if not os.path.isdir(sdir) or name == "common":
            continue
        asl = sorted(glob.glob(os.path.join(sdir, "*.asl")))
        uses = os.path.join(sdir, "uses")
        if os.path.exists(uses):
            asl += [os.path.join(fx, l.strip()) for l in open(uses)
                    if l.strip() and not l.startswith("#")]
        aml = [os.path.join(build, "host", "acpi", os.path.relpath(a, fx))[:-4] + ".aml"
               for a in asl]
        out.append((f"fixture {name}", aml))
    return out


def dump_inputs(corpus):
    out = []
    for mdir in [os.path.join(corpus.root, m) for m in corpus.machines]:
        dat = sorted(glob.glob(os.path.join(mdir, "*.dat")))
        txt = os.path.join(mdir, "acpidump.txt")
        if dat:
            out.append((f"dump {os.path.basename(mdir)} (*.dat)", dat))
        elif os.path.exists(txt):
            out.append((f"dump {os.path.basename(mdir)} (acpidump.txt)", ["-x", txt]))
    return out


def run(tool, args):
    try:
        p = subprocess.run(VALGRIND + [tool, "-q", "-o", os.devnull] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--dumps", action="store_true")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    tool = os.path.join(build, "host", "acpi2dts")
    if not os.path.exists(tool):
        print("ok 1 - valgrind on acpi2dts # SKIP build/host/acpi2dts is not built "
              "(the converter has not landed)")
        return 0
    if not shutil.which("valgrind"):
        print("not ok 1 - valgrind installed (tools/setup installs it)")
        return 1
    cases = scenario_inputs(build)
    first = 1
    if a.dumps:
        corpus = locate(build)
        if corpus.errors:
            print("not ok 1 - the real-firmware corpus matches tests/corpus/manifest.json")
            print("\n".join("# " + e for e in corpus.errors[:40]))
            return 1
        if corpus.root:
            cases += dump_inputs(corpus)
        else:
            print(f"ok 1 - valgrind acpi2dts: the real-firmware corpus # SKIP {corpus.missing_why}")
            first = 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: run(tool, c[1]), cases))
    failed = 0
    for n, ((what, args), (rc, err)) in enumerate(zip(cases, results), first):
        missing = [f for f in args if f != "-x" and not os.path.exists(f)]
        ok = not missing and rc != VG_ERR and rc != "timeout" and "==" not in err
        print(f"{'ok' if ok else 'not ok'} {n} - valgrind acpi2dts: {what}: "
              f"{len([f for f in args if f != '-x'])} file(s), no memory error or leak")
        if not ok:
            failed += 1
            print("\n".join("# " + l for l in (err or f"missing: {missing}").splitlines()[:40]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
