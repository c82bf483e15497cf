#!/usr/bin/env python3
"""Board fixtures (tests/fixtures/boards/, README there) through
build/host/acpi2dts --board auto (TAP).

  python3 tests/test_board_fixtures.py --build BUILD

For each fixture folder (its `board` file names the board): the ASL tables
compile with iasl; acpi2dts converts them with --board auto (or --board NAME
for a fixture whose OEM ID no board has); the blob passes dtc's checks with no
warnings and dt-validate with tests/dt-validate.allow plus
tests/dt-validate.boards.allow. For the fixtures in EXPECT, also:
  * the board is detected by OEM ID (`fdt: board NAME (matched ACPI OEM ID`);
  * /chosen/stdout-path names, through /aliases, the expected UART, with the
    expected compatible, interrupt, reg-shift, reg-io-width (absent means the
    binding's default: 0 and 1) and clock-frequency;
  * the GIC node is arm,gic-v3 with the expected distributor and
    redistributor regions (and #redistributor-regions when there are several);
  * the expected `fdt:` log lines (console chosen, console.dtso applied or not).
Compiled tables, trees and logs go to BUILD/test-artifacts/board-fixtures/<name>/.
"""
import argparse
import glob
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures", "boards")
BUILD_TABLE = os.path.join(HERE, "fixtures", "acpi", "build-table")
DTC_WARN = ["-Wunique_unit_address", "-Wunique_unit_address_if_enabled"]
ALLOW_FILES = [os.path.join(HERE, "dt-validate.allow"), os.path.join(HERE, "dt-validate.boards.allow")]

sys.path.insert(0, os.path.join(HERE, "qemu"))
sys.path.insert(0, HERE)
from plinth_qemu import Tap, run  # noqa: E402
from test_trees import load_allowlist, unexpected_lines  # noqa: E402

# What each fixture must give. uart: the console node's path and properties
# (None: must be absent). gic: [(base, size)] of reg, distributor first.
EXPECT = {
    "vmware": {
        "oem": "VMWARE",
        "uart": ("/serial@3fff03f8", {"compatible": "ns16550a", "reg": [0, 0x3fff03f8, 0, 8],
                                      "interrupts": [0, 4, 4], "reg-shift": 0, "reg-io-width": 1,
                                      "clock-frequency": 3686400}),
        "serial1": "/serial@3fff02f8",
        "gic": [(0x2c010000, 0x10000), (0x2c100000, 0x40000)],
        "log": ["fdt: console: ns16550a@3fff03f8 from DSDT \\_SB_.COM1 chosen",
                "console.dtso not applied: the tables named a console"],
    },
    "vmware-crs-method": {
        "oem": "VMWARE",
        "uart": ("/serial@3fff03f8", {"compatible": "ns16550a", "reg": [0, 0x3fff03f8, 0, 8],
                                      "interrupts": [0, 4, 4], "reg-shift": 0, "reg-io-width": 1,
                                      "clock-frequency": 3686400}),
        "serial1": "/serial@3fff02f8",
        "gic": [(0x2c010000, 0x10000), (0x2c100000, 0x40000)],
        "log": ["\\_SB_.COM1 (PNP0501): _CRS is a method (resources set at run time), not read: skipped",
                "fdt: console: no supported UART in SPCR, DBG2 or the DSDT/SSDT",
                "fdt: board vmware: console.dtso applied: the tables named no console",
                "fdt: overlay vmware/console.dtso: applied"],
    },
    "parallels": {
        "oem": "PRLS  ",
        "uart": ("/serial@2110000", {"compatible": "arm,sbsa-uart", "reg": [0, 0x2110000, 0, 0x1000],
                                     "interrupts": [0, 0, 4], "reg-shift": None, "reg-io-width": None,
                                     "clock-frequency": None}),
        "serial1": None,
        # GICC order (MPIDR 2, 0, 3, 1): each CPU's own frame, no GICR structure.
        "gic": [(0x2010000, 0x10000), (0x2540000, 0x20000), (0x2500000, 0x20000),
                (0x2560000, 0x20000), (0x2520000, 0x20000)],
        "log": ["fdt: madt: no GICR structure: 4 redistributor region(s) from 4 GICC GICR bases",
                "fdt: dbg2: entry 0: subtype 0x000e (Arm SBSA generic UART) at 0x2110000, GSIV 32 from \\_SB_.URT0._CRS",
                "fdt: console: arm,sbsa-uart@2110000 from DBG2 + DSDT \\_SB_.URT0 chosen",
                "console.dtso not applied: the tables named a console"],
    },
}


def fixture_tables(fdir):
    """The folder's own .asl files, then those its `uses` file lists (paths
    relative to tests/fixtures/boards/). Detection reads the FADT's OEM ID
    (loader/acpi_tables.c), whatever the tables' order."""
    tables = sorted(glob.glob(os.path.join(fdir, "*.asl")))
    uses = os.path.join(fdir, "uses")
    if os.path.exists(uses):
        with open(uses) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    tables.append(os.path.normpath(os.path.join(FIXTURES, line)))
    return tables


def read_word(path):
    with open(path) as f:
        return f.read().strip()


def fdtget(dtb, node, prop, kind=None):
    argv = ["fdtget"] + (["-t", kind] if kind else []) + [dtb, node, prop]
    rc, out, _ = run(argv)
    if rc != 0:
        return None
    out = out.strip()
    return [int(x, 0) for x in out.split()] if kind else out


def check_uart(t, name, dtb, path, props):
    for prop, want in props.items():
        if prop == "compatible":
            got = fdtget(dtb, path, prop)
            got = got.split()[0] if got else got
        else:
            got = fdtget(dtb, path, prop, "u")
            if got is not None and prop != "reg" and prop != "interrupts":
                got = got[0]
        if prop == "reg-shift" and want == 0:
            good = got in (None, 0)
        elif prop == "reg-io-width" and want == 1:
            good = got in (None, 1)
        else:
            good = got == want
        shown = hex(want) if isinstance(want, int) and want > 9 else want
        t.ok(good, f"{name}: console {path} {prop} = {shown}" + (" (or absent: the default)" if
             (prop, want) in (("reg-shift", 0), ("reg-io-width", 1)) else ""), f"got {got!r}")


def check_gic(t, name, dtb, regions):
    gic = fdtget(dtb, "/__symbols__", "gic")
    t.ok(gic is not None and fdtget(dtb, gic, "compatible") == "arm,gic-v3",
         f"{name}: gic is arm,gic-v3", f"gic={gic!r}")
    if gic is None:
        return
    reg = fdtget(dtb, gic, "reg", "u") or []
    got = [((reg[i] << 32) | reg[i + 1], (reg[i + 2] << 32) | reg[i + 3]) for i in range(0, len(reg) - 3, 4)]
    t.ok(got == regions, f"{name}: gic reg = GICD + {len(regions) - 1} redistributor region(s) "
         + " ".join(f"{b:#x}+{s:#x}" for b, s in regions[1:]), f"got {[(hex(b), hex(s)) for b, s in got]}")
    nr = fdtget(dtb, gic, "#redistributor-regions", "u")
    want = None if len(regions) == 2 else [len(regions) - 1]
    t.ok(nr == want or (want is None and nr == [1]),
         f"{name}: #redistributor-regions {'absent' if want is None else want[0]}", f"got {nr!r}")
    t.ok(fdtget(dtb, gic, "#interrupt-cells", "u") == [3] and fdtget(dtb, gic, "interrupt-controller") == "",
         f"{name}: gic is an interrupt controller with 3 cells")


def check_fixture(t, name, fdir, acpi2dts, out_dir, schema, allow):
    os.makedirs(out_dir, exist_ok=True)
    board = read_word(os.path.join(fdir, "board"))
    tables = fixture_tables(fdir)
    amls = []
    for src in tables:
        aml = os.path.join(out_dir, os.path.splitext(os.path.basename(src))[0] + ".aml")
        rc, out, err = run([sys.executable, BUILD_TABLE, src, aml])
        if not t.ok(rc == 0, f"{name}: {os.path.relpath(src, ROOT)} compiles with iasl", out + err):
            return
        amls.append(aml)
    exp = EXPECT.get(name)
    how = "auto" if exp else board
    dtb = os.path.join(out_dir, "tree.dtb")
    rc, _, log = run([acpi2dts, "--board", how, "-o", dtb] + amls)
    with open(os.path.join(out_dir, "fdt.log"), "w") as f:
        f.write(log)
    if not t.ok(rc == 0 and os.path.exists(dtb), f"{name}: acpi2dts --board {how} converts it", f"exit {rc}\n{log}"):
        return
    rc, dts, err = run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-s", dtb])
    with open(os.path.join(out_dir, "tree.dts"), "w") as f:
        f.write(dts)
    rc, _, werr = run(["dtc", "-I", "dtb", "-O", "dtb", "-o", os.devnull] + DTC_WARN + [dtb])
    t.ok(rc == 0 and not werr.strip(), f"{name}: the tree passes dtc's checks, no warnings", werr)

    if exp:
        line = f'fdt: board {board} (matched ACPI OEM ID "{exp["oem"]}")'
        t.ok(line in log, f"{name}: board {board} detected by OEM ID \"{exp['oem']}\"", log)
        sp = fdtget(dtb, "/chosen", "stdout-path")
        t.ok(sp is not None, f"{name}: /chosen/stdout-path is set", log)
        alias = (sp or "").split(":")[0]
        target = alias if alias.startswith("/") else fdtget(dtb, "/aliases", alias)
        path, props = exp["uart"]
        t.ok(target == path, f"{name}: stdout-path \"{sp}\" is the UART {path}", f"resolves to {target!r}")
        t.ok(fdtget(dtb, "/__symbols__", "uart0") == path, f"{name}: uart0 is {path}")
        check_uart(t, name, dtb, path, props)
        s1 = fdtget(dtb, "/aliases", "serial1")
        t.ok(s1 == exp["serial1"], f"{name}: serial1 is {exp['serial1'] or 'absent'}", f"got {s1!r}")
        check_gic(t, name, dtb, exp["gic"])
        missing = [l for l in exp["log"] if l not in log]
        t.ok(not missing, f"{name}: the fdt: log has the {len(exp['log'])} expected lines",
             "missing:\n" + "\n".join(missing) + "\n--- log:\n" + log)
    else:
        t.ok(f"fdt: board {board} (forced by board={board}" in log, f"{name}: board {board} forced", log)

    if schema:
        rc, out, err = run(["dt-validate", "-s", schema, dtb])
        bad = unexpected_lines(out + err, allow)
        t.ok(rc == 0 and not bad, f"{name}: passes dt-validate (allowlist: tests/dt-validate*.allow)",
             "\n".join(bad) or f"exit {rc}\n{out}{err}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap(diag_lines=60)
    acpi2dts = os.path.join(build, "host", "acpi2dts")
    for tool, pkg in (("iasl", "acpica-tools"), ("dtc", "device-tree-compiler"), ("fdtget", "device-tree-compiler")):
        if not shutil.which(tool):
            t.skip("board fixtures", f"{tool} not installed ({pkg})")
            return 0
    if not t.ok(os.access(acpi2dts, os.X_OK), "build/host/acpi2dts exists", f"{acpi2dts} missing: run make"):
        return 1
    schema, allow = None, []
    if shutil.which("dt-validate"):
        schema = os.path.join(build, "dt-schema", "processed-schema.json")
        if not t.ok(os.path.exists(schema), "dt-validate schema present", f"{schema} missing: run tools/setup"):
            schema = None
        try:
            for path in ALLOW_FILES:
                allow += load_allowlist(path)
            t.ok(True, "tests/dt-validate.allow and dt-validate.boards.allow parse, every entry has a reason")
        except (OSError, ValueError) as e:
            t.ok(False, "tests/dt-validate.allow and dt-validate.boards.allow parse", str(e))
    else:
        t.skip("dt-validate", "dt-validate not installed (dt-schema)")
    fixtures = sorted(d for d in glob.glob(os.path.join(FIXTURES, "*"))
                      if os.path.exists(os.path.join(d, "board")))
    names = [os.path.basename(d) for d in fixtures]
    t.ok(all(n in names for n in EXPECT), f"tests/fixtures/boards has {', '.join(EXPECT)}", f"found {names}")
    for fdir in fixtures:
        name = os.path.basename(fdir)
        check_fixture(t, name, fdir, acpi2dts, os.path.join(build, "test-artifacts", "board-fixtures", name),
                      schema, allow)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
