#!/usr/bin/env python3
"""ACPI fixture scenarios through build/host/acpi2dts (TAP).

  python3 tests/test_acpi_fixtures.py --build BUILD

Each folder tests/fixtures/acpi/<scenario>/ holds ASL tables (compiled here
with iasl by tests/fixtures/acpi/build-table), an optional `uses` list of
shared tables from tests/fixtures/acpi/common/, `expected.dts` and an
optional `expected.log`. For each scenario:
  * acpi2dts converts the tables (exit 0);
  * its DTS output compiles with dtc printing no warnings (default checks plus
    -Wunique_unit_address), and so does its blob (-o);
  * the blob equals expected.dts after dtc normalisation (both compiled, then
    decompiled with nodes and properties sorted: `dtc -I dtb -O dts -s`);
  * every line of expected.log appears in the converter's `fdt:` log.
Compiled tables and trees go to BUILD/test-artifacts/acpi-fixtures/<scenario>/.
"""
import argparse
import difflib
import glob
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures", "acpi")
DTC_WARN = ["-Wunique_unit_address"]

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap, run  # noqa: E402


def scenario_tables(sdir):
    """The scenario's own .asl files plus those its `uses` file lists."""
    tables = sorted(glob.glob(os.path.join(sdir, "*.asl")))
    uses = os.path.join(sdir, "uses")
    if os.path.exists(uses):
        with open(uses) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    tables.append(os.path.join(FIXTURES, line))
    return tables


def compile_tables(tables, out_dir):
    """[(aml path)], or (None, error text)."""
    amls = []
    for src in tables:
        rel = os.path.relpath(src, FIXTURES).replace(os.sep, "_")
        aml = os.path.join(out_dir, os.path.splitext(rel)[0] + ".aml")
        rc, out, err = run([sys.executable, os.path.join(FIXTURES, "build-table"), src, aml])
        if rc != 0:
            return None, f"{src}:\n{out}{err}"
        amls.append(aml)
    return amls, ""


def normalise(dtb):
    rc, out, err = run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-s", dtb])
    return out if rc == 0 else None


def check_scenario(t, name, sdir, acpi2dts, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    tables = scenario_tables(sdir)
    amls, err = compile_tables(tables, out_dir)
    t.ok(amls is not None, f"{name}: {len(tables)} ASL tables compile with iasl", err)
    if amls is None:
        return
    dtb = os.path.join(out_dir, "tree.dtb")
    rc, out, log = run([acpi2dts, "-o", dtb] + amls)
    with open(os.path.join(out_dir, "fdt.log"), "w") as f:
        f.write(log)
    t.ok(rc == 0 and os.path.exists(dtb), f"{name}: acpi2dts converts it", f"exit {rc}\n{log}")
    if rc != 0:
        return
    rc, dts, log2 = run([acpi2dts, "-q"] + amls)
    with open(os.path.join(out_dir, "tree.dts"), "w") as f:
        f.write(dts)
    rc2, _, werr = run(["dtc", "-I", "dts", "-O", "dtb", "-o", os.devnull] + DTC_WARN +
                       [os.path.join(out_dir, "tree.dts")])
    t.ok(rc == 0 and rc2 == 0 and not werr.strip(),
         f"{name}: the DTS acpi2dts prints compiles with dtc, no warnings", f"{log2}{werr}")
    rc, _, werr = run(["dtc", "-I", "dtb", "-O", "dtb", "-o", os.devnull] + DTC_WARN + [dtb])
    t.ok(rc == 0 and not werr.strip(), f"{name}: the blob passes dtc's checks, no warnings", werr)

    exp_dtb = os.path.join(out_dir, "expected.dtb")
    rc, _, werr = run(["dtc", "-@", "-I", "dts", "-O", "dtb", "-o", exp_dtb] + DTC_WARN +
                      [os.path.join(sdir, "expected.dts")])
    t.ok(rc == 0 and not werr.strip(), f"{name}: expected.dts compiles, no warnings", werr)
    if rc == 0:
        got, want = normalise(dtb), normalise(exp_dtb)
        diff = "".join(difflib.unified_diff((want or "").splitlines(True), (got or "").splitlines(True),
                                            "expected", "converted"))
        t.ok(got is not None and got == want, f"{name}: tree equals expected.dts after dtc normalisation",
             diff)

    exp_log = os.path.join(sdir, "expected.log")
    if os.path.exists(exp_log):
        with open(exp_log) as f:
            want = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        missing = [l for l in want if l not in log]
        t.ok(not missing, f"{name}: the fdt: log has the {len(want)} lines of expected.log",
             "missing:\n" + "\n".join(missing) + "\n--- log:\n" + log)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap(diag_lines=80)
    acpi2dts = os.path.join(build, "host", "acpi2dts")
    for tool, pkg in (("iasl", "acpica-tools"), ("dtc", "device-tree-compiler")):
        if not shutil.which(tool):
            t.skip("ACPI fixture scenarios", f"{tool} not installed ({pkg})")
            return 0
    if not os.path.exists(acpi2dts):
        t.ok(False, "build/host/acpi2dts exists", f"{acpi2dts} missing: run make")
        return 1
    scenarios = sorted(d for d in glob.glob(os.path.join(FIXTURES, "*"))
                       if os.path.isdir(d) and os.path.exists(os.path.join(d, "expected.dts")))
    t.ok(len(scenarios) >= 10, f"tests/fixtures/acpi has scenarios ({len(scenarios)})")
    for sdir in scenarios:
        name = os.path.basename(sdir)
        check_scenario(t, name, sdir, acpi2dts,
                       os.path.join(build, "test-artifacts", "acpi-fixtures", name))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
