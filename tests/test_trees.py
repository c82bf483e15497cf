#!/usr/bin/env python3
"""Every tree the project builds compiles with dtc printing no warnings, and
the full trees (dts/*.dts) keep the tree contract (docs/design.md) and pass
dt-validate against the processed Linux 6.1 bindings.

  python3 tests/test_trees.py --build BUILD

dts/*.dts is compiled exactly as `make dtbs` does (-@ plus the extra warnings);
tests/trees/*.dts as the Makefile's test-tree rule does, with the same extra
warnings. Compiled trees go to BUILD/test-artifacts/trees/. Debian's dt-validate
exits 0 even on errors, so any output line not in tests/dt-validate.allow fails.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DTC_WARN = ["-Wunique_unit_address", "-Wunique_unit_address_if_enabled"]
CONTRACT_LABELS = ["uart0", "gic", "timer", "psci", "pcie0", "cpus", "memory"]

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap  # noqa: E402


def run(argv, cwd=ROOT):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def load_allowlist(path):
    """[(substring, reason)]; an entry without a reason is an error."""
    entries, pending = [], None
    with open(path) as f:
        for num, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("allow:"):
                if pending is not None:
                    raise ValueError(f"{path}:{num}: previous allow: entry has no because: line")
                pending = line[len("allow:"):].strip()
            elif line.startswith("because:"):
                reason = line[len("because:"):].strip()
                if pending is None or not reason:
                    raise ValueError(f"{path}:{num}: because: without an allow: entry, or empty")
                entries.append((pending, reason))
                pending = None
            else:
                raise ValueError(f"{path}:{num}: expected allow: or because:, got {line!r}")
    if pending is not None:
        raise ValueError(f"{path}: last allow: entry has no because: line")
    return entries


def unexpected_lines(output, allow):
    bad, prev_allowed = [], False
    for line in output.splitlines():
        if not line.strip():
            continue
        if line.strip().startswith("From schema:"):
            if not prev_allowed:
                bad.append(line)
            continue
        prev_allowed = any(sub in line for sub, _ in allow)
        if not prev_allowed:
            bad.append(line)
    return bad


def fdtget(dtb, *args):
    rc, out = run(["fdtget", dtb] + list(args))
    return out.strip() if rc == 0 else None


def check_contract(t, name, dtb):
    missing = [l for l in CONTRACT_LABELS if fdtget(dtb, "/__symbols__", l) is None]
    t.ok(not missing, f"{name}: labels {' '.join(CONTRACT_LABELS)} in __symbols__",
         f"missing: {' '.join(missing)}")
    t.ok(fdtget(dtb, "/", "#address-cells") == "2" and fdtget(dtb, "/", "#size-cells") == "2",
         f"{name}: root #address-cells/#size-cells = 2/2")
    serial0 = fdtget(dtb, "/aliases", "serial0")
    uart0 = fdtget(dtb, "/__symbols__", "uart0")
    t.ok(serial0 is not None and serial0 == uart0, f"{name}: /aliases/serial0 is the uart0 node",
         f"serial0={serial0!r} uart0={uart0!r}")
    sp = fdtget(dtb, "/chosen", "stdout-path")
    t.ok(sp is not None and sp.split(":")[0] in ("serial0", uart0),
         f"{name}: /chosen/stdout-path names the console", f"stdout-path={sp!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    out_dir = os.path.join(build, "test-artifacts", "trees")
    os.makedirs(out_dir, exist_ok=True)
    t = Tap()

    if not shutil.which("dtc"):
        t.skip("trees compile", "dtc not installed (device-tree-compiler)")
        return 0

    full = sorted(glob.glob(os.path.join(ROOT, "dts", "*.dts")))
    tests = sorted(glob.glob(os.path.join(ROOT, "tests", "trees", "*.dts")))
    t.ok(len(full) > 0, "dts/ holds at least one full tree")
    compiled = []
    for src in full + tests:
        rel = os.path.relpath(src, ROOT)
        name = os.path.splitext(os.path.basename(src))[0]
        kind = "dts" if src in full else "test"
        dtb = os.path.join(out_dir, f"{kind}-{name}.dtb")
        argv = ["dtc", "-@"] + DTC_WARN + ["-I", "dts", "-O", "dtb", "-o", dtb, src]
        if kind == "dts":
            argv[-1:-1] = ["-i", os.path.join(ROOT, "dts")]
        rc, out = run(argv)
        t.ok(rc == 0 and not out.strip(), f"{rel} compiles with dtc, no warnings", out)
        if rc == 0 and kind == "dts":
            compiled.append((rel, dtb))

    for rel, dtb in compiled:
        check_contract(t, rel, dtb)

    schema = os.path.join(build, "dt-schema", "processed-schema.json")
    if not shutil.which("dt-validate"):
        t.skip("dt-validate", "dt-validate not installed (dt-schema)")
        return 0
    if not os.path.exists(schema):
        t.ok(False, "dt-validate schema present", f"{schema} missing: run tools/setup {build}")
        return 1
    try:
        allow = load_allowlist(os.path.join(HERE, "dt-validate.allow"))
        t.ok(True, "tests/dt-validate.allow parses, every entry has a reason")
    except (OSError, ValueError) as e:
        t.ok(False, "tests/dt-validate.allow parses, every entry has a reason", str(e))
        allow = []
    # The check must be able to fail: a PL011 under a non-generic node name
    # and without its required clocks is reported by the processed bindings.
    bad_src = os.path.join(out_dir, "known-bad.dts")
    bad_dtb = os.path.join(out_dir, "known-bad.dtb")
    with open(bad_src, "w") as f:
        f.write('/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n'
                '\tcompatible = "linux,dummy-virt";\n\tmodel = "bad";\n'
                '\tpl011@9000000 {\n\t\tcompatible = "arm,pl011", "arm,primecell";\n'
                '\t\treg = <0 0x9000000 0 0x1000>;\n\t};\n};\n')
    rc, out = run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", bad_dtb, bad_src])
    rc, out = run(["dt-validate", "-s", schema, bad_dtb])
    t.ok("pl011@9000000" in out, "dt-validate reports errors on a known-bad tree (the check is live)",
         out or "no output: the schema may not have loaded the pl011 binding")
    for rel, dtb in compiled:
        rc, out = run(["dt-validate", "-s", schema, dtb])
        bad = unexpected_lines(out, allow)
        t.ok(rc == 0 and not bad, f"{rel} passes dt-validate (allowlist: tests/dt-validate.allow)",
             "\n".join(bad) or f"exit {rc}\n{out}")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
