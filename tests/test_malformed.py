#!/usr/bin/env python3
"""The malformed-tree corpus (tests/malformed/): trees broken on purpose, each
with the result it must have. Every case runs through the kernel's tree
consumer on the host (build/host-san/tools/dt_consume: devtree_init and probe
with the real drivers, every reg/ranges translation, interrupt resolution,
stdout-path and /cpus parsing, built with ASan+UBSan), and must
  * log each `// expect:` line of its source (a named refusal or a survival),
  * raise no sanitizer report (never an out-of-bounds read).
Blob-level damage (bad magic, truncation, old versions, offsets past the
end) is made here from a good blob, each with its expected refusal.
Malformed ACPI tables and overlays (tests/malformed/acpi_cases.py, made at
test time from the compiled fixtures) run through build/host/acpi2dts: each
logs its named `fdt:` line and still writes a tree that dtc compiles, or is
refused, saying why.
Sources marked `// qemu: prompt` or `// qemu: poweroff` are also booted under
QEMU with -dtb (hard timeout, killed by PID): the kernel must reach the shell
showing the expected lines, or turn the machine off by itself.

  python3 tests/test_malformed.py --build BUILD
"""
import argparse
import glob
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Qemu, Tap, Timeout, have_qemu, machine  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "malformed"))
import acpi_cases  # noqa: E402

SAN = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")


def directives(src):
    exp, qemu, what = [], None, []
    for line in open(src, encoding="utf-8"):
        m = re.match(r"//\s*(expect|qemu|malformed):\s*(.*\S)", line)
        if m and m.group(1) == "expect":
            exp.append(m.group(2))
        elif m and m.group(1) == "qemu":
            qemu = m.group(2)
        elif m:
            what.append(m.group(2))
    return exp, qemu


def patched(blob, **fields):
    """The blob with header fields (big-endian u32s) replaced."""
    names = ["magic", "totalsize", "off_dt_struct", "off_dt_strings", "off_mem_rsvmap",
             "version", "last_comp_version", "boot_cpuid_phys", "size_dt_strings",
             "size_dt_struct"]
    h = list(struct.unpack(">10I", blob[:40]))
    for k, v in fields.items():
        h[names.index(k)] = v
    return struct.pack(">10I", *h) + blob[40:]


def blob_cases(good):
    total = struct.unpack(">I", good[4:8])[0]
    cut = total * 3 // 4
    return [
        ("bad magic", patched(good, magic=0xd00dfeee),
         ["devices: invalid tree header: FDT_ERR_BADMAGIC"]),
        ("truncated: totalsize cuts the strings block", patched(good, totalsize=cut)[:cut],
         ["devices: invalid tree header: FDT_ERR_TRUNCATED"]),
        ("struct block offset past the end", patched(good, off_dt_struct=0xfffffff0),
         ["devices: invalid tree header: FDT_ERR_TRUNCATED"]),
        ("version 2 (names as paths)", patched(good, version=2, last_comp_version=2),
         ["devices: invalid tree (totalsize %u): FDT_ERR_BADVERSION" % total]),
        ("last compatible version 18", patched(good, last_comp_version=18),
         ["devices: invalid tree header: FDT_ERR_BADVERSION"]),
        ("structure block cut short (size_dt_struct 8)", patched(good, size_dt_struct=8),
         ["devices: invalid tree (totalsize %u): FDT_ERR_" % total]),
    ]


def host_cases(t, build, tool):
    srcs = sorted(glob.glob(os.path.join(HERE, "malformed", "*.dts")))
    cases = []
    for s in srcs:
        name = os.path.basename(s)[:-4]
        dtb = os.path.join(build, "host", "malformed", name + ".dtb")
        exp, _ = directives(s)
        cases.append((f"{name}.dts", dtb, exp))
    good = os.path.join(build, "host", "malformed", "address-cells-5.dtb")
    gen = os.path.join(build, "test-artifacts", "malformed")
    os.makedirs(gen, exist_ok=True)
    if os.path.exists(good):
        for i, (what, data, exp) in enumerate(blob_cases(open(good, "rb").read())):
            path = os.path.join(gen, f"blob-{i}.dtb")
            with open(path, "wb") as f:
                f.write(data)
            cases.append((what, path, exp))
    missing = [c for c in cases if not os.path.exists(c[1])]
    for c in missing:
        t.ok(False, f"{c[0]}: blob built", c[1])
    cases = [c for c in cases if os.path.exists(c[1])]
    p = subprocess.run([tool] + [c[1] for c in cases], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode("utf-8", "replace")
    t.ok(p.returncode == 0 and not SAN.search(out),
         f"dt_consume over {len(cases)} cases: exit 0, no sanitizer report",
         out[-3000:])
    logs = {}
    for part in re.split(r"^== ", out, flags=re.M)[1:]:
        head, _, body = part.partition("\n")
        logs[head.split(" (")[0]] = body
    for what, path, exp in cases:
        log = logs.get(path, "")
        t.ok(exp and all(e in log for e in exp), f"{what}: " + "; ".join(exp),
             log or "(no output)")


def qemu_cases(t, build):
    image = os.path.join(build, "kernel", "Image")
    for s in sorted(glob.glob(os.path.join(HERE, "malformed", "*.dts"))):
        exp, mode = directives(s)
        if not mode:
            continue
        name = os.path.basename(s)[:-4]
        dtb = os.path.join(build, "host", "malformed", name + ".dtb")
        args = machine() + ["-m", "512", "-smp", "1", "-kernel", image, "-dtb", dtb]
        with Qemu(f"qemu-malformed-{name}", build, args, timeout=20.0) as q:
            try:
                if mode == "prompt":
                    q.wait_for(r"plinth> ")
                    log = q.transcript()
                    t.ok(all(e in log for e in exp),
                         f"QEMU -dtb {name}.dts: reaches the shell, logging "
                         + "; ".join(exp), log[-2500:])
                    helptext = q.command("help", timeout=8)
                    t.ok("poweroff" in helptext,
                         f"QEMU -dtb {name}.dts: the console takes input (help)", helptext)
                else:
                    rc = q.wait_exit()
                    t.ok(rc is not None and "plinth> " not in q.transcript(),
                         f"QEMU -dtb {name}.dts: no console, the machine turns itself off "
                         f"(QEMU exit {rc})", q.transcript()[-1500:])
            except Timeout as e:
                t.ok(False, f"QEMU -dtb {name}.dts ({mode})", str(e))


def acpi2dts(tool, argv):
    try:
        p = subprocess.run([tool] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=60)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", b"", "timeout"


def dtc_compiles(dts):
    p = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.devnull, "-"],
                       input=dts, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode == 0


def check_result(t, what, kind, exp, rc, out, err):
    if kind == "tree":
        good = rc == 0 and bool(out) and dtc_compiles(out)
        how = "a tree that dtc compiles"
    else:
        good = rc not in (0, "timeout") and "no tree written" in err and not out
        how = "refused, no tree"
    t.ok(good and all(e in err for e in exp) and not SAN.search(err),
         f"{what}: {how}; " + "; ".join(e.strip() for e in exp), err[-2500:])


def acpi_tool_cases(t, build):
    tool = os.path.join(build, "host", "acpi2dts")
    acpi = os.path.join(build, "host", "acpi")
    if not os.path.exists(tool) or not os.path.isdir(os.path.join(acpi, "common")):
        t.ok(False, f"{tool} and the ACPI fixtures built (make host)")
        return
    gen = os.path.join(build, "test-artifacts", "malformed-acpi")
    os.makedirs(gen, exist_ok=True)
    cases = acpi_cases.cases(acpi)
    crs = acpi_cases.crs_method_case(gen, acpi)
    if crs:
        cases.append(crs)
    else:
        t.ok(False, "DSDT with _CRS built by a method: compiled with iasl")
    for i, (what, files, args, exp, kind) in enumerate(cases):
        d = os.path.join(gen, f"case-{i}")
        os.makedirs(d, exist_ok=True)
        for old in glob.glob(os.path.join(d, "*.aml")):
            os.remove(old)
        paths = []
        for name, data in sorted(files.items()):
            paths.append(os.path.join(d, name + ".aml"))
            with open(paths[-1], "wb") as f:
                f.write(data)
        rc, out, err = acpi2dts(tool, args + paths)
        check_result(t, what, kind, exp, rc, out, err)
    base = [os.path.join(acpi, "common", n + ".aml") for n in acpi_cases.COMMON]
    for i, (what, src, exp) in enumerate(acpi_cases.overlay_cases()):
        dtbo = os.path.join(gen, f"overlay-{i}", "bad.dtbo")
        os.makedirs(os.path.dirname(dtbo), exist_ok=True)
        if isinstance(src, str):
            p = subprocess.run(["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", dtbo, "-"],
                               input=src.encode(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            if p.returncode != 0:
                t.ok(False, f"{what}: overlay compiled by dtc", p.stdout.decode())
                continue
        else:
            with open(dtbo, "wb") as f:
                f.write(src)
        rc, out, err = acpi2dts(tool, base + ["--overlay", dtbo])
        check_result(t, what, "tree", exp, rc, out, err)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    tool = os.path.join(build, "host-san", "tools", "dt_consume")
    if not os.path.exists(tool):
        t.ok(False, f"{tool} built (make test builds it)")
        return 1
    host_cases(t, build, tool)
    acpi_tool_cases(t, build)
    if have_qemu() and os.path.exists(os.path.join(build, "kernel", "Image")):
        qemu_cases(t, build)
    else:
        t.skip("malformed trees under QEMU", "no qemu-system-aarch64 or no kernel Image")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
