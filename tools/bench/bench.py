#!/usr/bin/env python3
"""make bench: Plinth against the floor, U-Boot and Linux on the
same QEMU, in one run; the loader's and the converter's cost in instructions;
the driver core's probe scaling; sizes.

Wall-clock figures are the median (min, max) of --runs boots, each with a
hard deadline and QEMU killed by its PID (tests/qemu/plinth_qemu.py). They
are noisy on a shared machine; the instruction counts (valgrind callgrind on
the host tools, -icount shift=0 in the guest) are not. Nothing here asserts
on a time: targets are reported as met / not met.

Writes BUILD/bench/: bench.md (the table), bench.json (raw figures),
*.dat + bench.gp (gnuplot input), bench.svg and bench.png (the plots), and
the transcripts under BUILD/test-artifacts/bench-*.log.
  python3 tools/bench/bench.py --build BUILD [--runs 5]
"""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from plinth_qemu import AAVMF_CODE, Qemu, Timeout, fresh_vars, machine, uefi_args  # noqa: E402
from test_linux_boot import fetch_kernel  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))
from plinth_corpus import locate  # noqa: E402

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
BUILD_TABLE = os.path.join(ROOT, "tests", "fixtures", "acpi", "build-table")
MACHINE = machine(gic=3)
PROMPT = "plinth> "
MADT_CPUS = (1, 8, 64, 512)
PROBE_NODES = (100, 300, 1000, 10000)
# Under callgrind a run costs ~10 s per G instructions: a size whose cost,
# extrapolated from the last two points, passes this is reported, not run.
CALLGRIND_BUDGET = 30e9
LINEAR_SLACK = 1.5      # per-item slopes may differ by this factor and still be "linear"


class Quiet:
    """The Tap interface fetch_kernel() reports through, as plain log lines."""

    def ok(self, cond, what, diag=""):
        if not cond:
            log(f"not ok: {what} {diag}")
        return bool(cond)

    def skip(self, what, why):
        log(f"skipped: {what}: {why}")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def sh(argv, timeout=300, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=timeout, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


# ------------------------------------------------------------- guests ----

def null_image(path):
    """A null arm64 Image: the header's code0 branches past the header to
    PSCI SYSTEM_OFF (0x84000008) by hvc, QEMU virt's conduit without EL2.
    Hand-encoded, so no assembler is needed (Linux booting.rst header)."""
    code = struct.pack("<4I", 0x52800100,     # movz w0, #0x0008
                       0x72b08000,            # movk w0, #0x8400, lsl #16
                       0xd4000002,            # hvc #0
                       0x14000000)            # b . (not reached)
    hdr = struct.pack("<II", 0x14000010, 0)   # code0: b +64 (to the code); code1
    hdr += struct.pack("<QQQ", 0, 64 + len(code), 0xa)  # text_offset, image_size, flags (LE, 4K)
    hdr += struct.pack("<QQQ", 0, 0, 0) + b"ARM\x64" + struct.pack("<I", 0)
    with open(path, "wb") as f:
        f.write(hdr + code)
    return path


def timed(build, name, args, pattern, timeout, send_on=None):
    """Seconds from QEMU's start to `pattern` (None: to QEMU's own exit);
    None if the deadline passed. send_on: (regex, text) typed when seen
    (U-Boot's autoboot countdown); returns (seconds, that match's time, match)."""
    with Qemu(name, build, args, timeout=timeout) as q:
        try:
            t_key, m0 = None, None
            if send_on:
                m0 = q.wait_for(send_on[0])
                t_key = time.monotonic() - q.t0
                q.send(send_on[1])
            if pattern is None:
                rc = q.wait_exit()
                return (None if rc is None else time.monotonic() - q.t0), t_key, m0
            q.wait_for(pattern)
            return time.monotonic() - q.t0, t_key, m0
        except Timeout as e:
            log(f"{name}: {str(e).splitlines()[0]} (log: {q.log_path})")
            return None, None, None


def runs(n, build, name, args, pattern, timeout):
    out = []
    for i in range(n):
        out.append(timed(build, f"bench-{name}", args, pattern, timeout)[0])
    log(f"{name}: {[None if x is None else round(x, 3) for x in out]}")
    return stats(out)


def uboot_runs(n, build):
    """Time to `=>` with a key typed at the first countdown line (so the
    figure excludes the autoboot delay, which is reported on its own)."""
    args = MACHINE + ["-m", "512", "-bios", UBOOT]
    to_prompt, to_countdown, delay = [], [], None
    for i in range(n):
        t, t_key, m = timed(build, "bench-uboot", args, r"=> ", 60,
                            send_on=(r"Hit any key to stop autoboot: +(\d+)", "\r"))
        to_prompt.append(t)
        to_countdown.append(t_key)
        if m:
            delay = int(m.group(1))
    log(f"uboot: {to_prompt}")
    return stats(to_prompt), stats(to_countdown), delay


def icount_loader(build, disk):
    """The loader under -icount shift=0: the guest counter advances with
    instructions (1 ns each), so its own timing line is an instruction count."""
    args = uefi_args(3, fresh_vars(build, "bench-icount"), disk, smp=1) + ["-icount", "shift=0"]
    with Qemu("bench-icount", build, args, timeout=400) as q:
        try:
            q.wait_for(PROMPT)
            text = q.command("log loader", timeout=60)
        except Timeout as e:
            log(f"icount: {str(e).splitlines()[0]}")
            return None
    m = re.search(r"entry to ExitBootServices: (\d+) counter ticks at (\d+) Hz \((\d+) us\): "
                  r"cfg\+files (\d+) us, ACPI tables (\d+) us, conversion (\d+) us, "
                  r"loader nodes\+memory (\d+) us, ExitBootServices (\d+) us", text)
    if not m:
        log("icount: no timing line in `log loader`")
        return None
    ticks, hz, total, files, tables, conv, nodes, ebs = map(int, m.groups())
    ns = ticks * 1e9 / hz
    return {"ticks": ticks, "hz": hz, "total_insns": ns, "files_insns": files * 1000,
            "own_insns": ns - files * 1000, "tables_insns": tables * 1000,
            "convert_insns": conv * 1000, "nodes_insns": nodes * 1000, "ebs_insns": ebs * 1000}


# -------------------------------------------------------------- host ----

# The converter's own cost: acpi2fdt() and what it calls, without acpi2dts's
# file reading, board overlays and output (the loader runs the same function).
CONVERTER = ("acpi2fdt",)
QEMU_SET = "fixture qemu-virt-gicv3"


def callgrind(out_dir, tag, argv, toggles=("main",)):
    """Instructions executed inside `toggles` (not the dynamic linker)."""
    cg = os.path.join(out_dir, f"callgrind.{tag}")
    tog = [f"--toggle-collect={t}" for t in toggles]
    try:
        rc, out, err = sh(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}"] + tog + argv,
                          timeout=600)
    except subprocess.TimeoutExpired:
        return None, -1, "callgrind: timed out after 600 s"
    m = re.search(r"Collected : (\d+)", err)
    return (int(m.group(1)) if m else None), rc, out + err


def compile_asl(srcs, out_dir):
    """Fixture .asl (through build-table, which applies its directives) or
    real .dsl (plain iasl) to .aml in out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    amls = []
    for src in srcs:
        aml = os.path.join(out_dir, os.path.splitext(os.path.basename(src))[0] + ".aml")
        if src.endswith(".asl"):
            rc, out, err = sh([sys.executable, BUILD_TABLE, src, aml])
        else:
            base = os.path.splitext(aml)[0]
            rc, out, err = sh(["iasl", "-p", base, src])
        if rc != 0 or not os.path.exists(aml):
            log(f"{src}: does not compile: {(out + err).strip()[-300:]}")
            continue
        amls.append(aml)
    return amls


def corpus_dirs(build):
    """(machine, folder/) of the real-firmware corpus, verified against
    tests/corpus/manifest.json; none (logged) when it is absent or differs."""
    corpus = locate(build)
    for e in corpus.errors:
        log(f"corpus not used: {e}")
    if not corpus.root and not corpus.errors:
        log(f"no real tables: {corpus.missing_why}")
    return [(m, os.path.join(corpus.root, m, "")) for m in corpus.machines] if corpus.root else []


def table_sets(build, out):
    """(name, acpi2dts args) for the fixture sets and every real dump."""
    sets = []
    uses = os.path.join(ROOT, "tests", "fixtures", "acpi", "qemu-virt-gicv3", "uses")
    with open(uses) as f:
        rel = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    sets.append(("fixture qemu-virt-gicv3", [os.path.join(build, "host", "acpi", r[:-4] + ".aml")
                                             for r in rel]))
    for board in ("vmware", "parallels"):
        srcs = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "boards", board, "*.asl")))
        sets.append((f"fixture {board}", ["--board", "auto"] +
                     compile_asl(srcs, os.path.join(out, "fixtures", board))))
    for name, d in corpus_dirs(build):
        dats = sorted(glob.glob(d + "*.dat"))
        if dats:
            # a .aml beside a .dsl (vmware-fusion) is the same table compiled
            sets.append((name, ["--board", "auto"] + dats + sorted(glob.glob(d + "*.aml"))))
        elif os.path.exists(d + "acpidump.txt"):
            sets.append((name, ["--board", "auto", "-x", d + "acpidump.txt"]))
        elif glob.glob(d + "*.dsl"):
            amls = compile_asl(sorted(glob.glob(d + "*.dsl")), os.path.join(out, "acpi", name))
            sets.append((name, ["--board", "auto"] + amls))
    return sets


def convert_sets(build, out, acpi2dts):
    rows = []
    for name, args in table_sets(build, out):
        tag = re.sub(r"\W+", "-", name)
        dtb = os.path.join(out, "trees", tag + ".dtb")
        os.makedirs(os.path.dirname(dtb), exist_ok=True)
        n, rc, text = callgrind(out, tag, [acpi2dts, "-q", "-o", dtb] + args, CONVERTER)
        row = {"set": name, "insns": n, "rc": rc,
               "dtb": os.path.getsize(dtb) if rc == 0 and os.path.exists(dtb) else None}
        if name == QEMU_SET:
            # The whole run, everything counted (the dynamic linker, file
            # reading, the tree written out): no toggle.
            row["whole_insns"], _, _ = callgrind(out, tag + "-whole",
                                                 [acpi2dts, "-q", "-o", dtb] + args, ())
        rows.append(row)
        log(f"convert {name}: {n} instructions, exit {rc}")
        with open(os.path.join(out, f"convert-{tag}.log"), "w") as f:
            f.write(text)
    return rows


def acpi_table(sig, rev, body, oem_table=b"BENCHMAD"):
    hdr = struct.pack("<4sIBB6s8sI4sI", sig, 36 + len(body), rev, 0, b"PLINTH", oem_table, 1,
                      b"PYTH", 1)
    t = bytearray(hdr + body)
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def synthetic_madt(ncpu):
    """MADT rev 5 (ACPI 6.3 GICC, 80 bytes): a GICv3 distributor, one
    redistributor range sized for ncpu, ncpu enabled GICCs (MPIDR Aff1:Aff0
    = 16 CPUs per cluster, as QEMU virt lays them out)."""
    body = struct.pack("<II", 0, 0)
    body += struct.pack("<BBHIQIB3s", 0x0C, 24, 0, 0, 0x08000000, 0, 3, b"\0\0\0")
    body += struct.pack("<BBHQI", 0x0E, 16, 0, 0x080A0000, 0x20000 * ncpu)
    for i in range(ncpu):
        mpidr = (i % 16) | ((i // 16) % 256) << 8 | (i // 4096) << 16
        body += struct.pack("<BBHIIIIIQQQQIQQBBH", 0x0B, 80, 0, i, i, 1, 0, 23, 0, 0, 0, 0, 0,
                            0, mpidr, 0, 0, 0)
    return acpi_table(b"APIC", 5, body)


def madt_scaling(build, out, acpi2dts):
    common = os.path.join(build, "host", "acpi", "common")
    others = [os.path.join(common, f) for f in ("facp-hvc.aml", "gtdt-qemu.aml", "spcr-qemu.aml",
                                                "mcfg-qemu.aml", "dsdt-qemu.aml")]
    pts = []
    for n in MADT_CPUS:
        apic = os.path.join(out, "synthetic", f"apic-{n}cpu.dat")
        os.makedirs(os.path.dirname(apic), exist_ok=True)
        with open(apic, "wb") as f:
            f.write(synthetic_madt(n))
        dtb = os.path.join(out, "synthetic", f"madt-{n}cpu.dtb")
        insns, rc, text = callgrind(out, f"madt-{n}", [acpi2dts, "-q", "-o", dtb, apic] + others,
                                    CONVERTER)
        if rc != 0:
            log(f"madt {n} CPUs: acpi2dts exit {rc}: {text[-400:]}")
        pts.append((n, insns))
        log(f"madt {n} CPUs: {insns} instructions")
    return pts


def fdt_blob(root_props, children):
    """A flattened tree (DT spec 5): a root with properties and childless
    children, [(name, [(prop, bytes)])]. Written here rather than by dtc,
    whose parser runs out of stack at ten thousand siblings."""
    strings, offs = bytearray(), {}

    def name_off(n):
        if n not in offs:
            offs[n] = len(strings)
            strings.extend(n.encode() + b"\0")
        return offs[n]

    def pad(b):
        return b + b"\0" * (-len(b) % 4)

    def node(name, props, kids=()):
        out = struct.pack(">I", 1) + pad(name.encode() + b"\0")
        for k, v in props:
            out += struct.pack(">III", 3, len(v), name_off(k)) + pad(v)
        for kn, kp in kids:
            out += node(kn, kp)
        return out + struct.pack(">I", 2)

    dt = node("", root_props, children) + struct.pack(">I", 9)
    rsv = b"\0" * 16
    off_rsv, off_struct = 40, 40 + len(rsv)
    off_strings = off_struct + len(dt)
    total = off_strings + len(strings)
    hdr = struct.pack(">10I", 0xd00dfeed, total, off_struct, off_strings, off_rsv, 17, 16, 0,
                      len(strings), len(dt))
    return hdr + rsv + dt + bytes(strings)


def probe_tree(path, nodes):
    """A root with nodes-1 children matched by probe_bench's driver."""
    u32 = lambda *v: struct.pack(f">{len(v)}I", *v)  # noqa: E731
    kids = []
    for i in range(nodes - 1):
        a = 0x10000000 + i * 0x1000
        kids.append((f"dev@{a:x}", [("compatible", b"bench,dev\0"), ("reg", u32(0, a, 0, 0x1000))]))
    root = [("compatible", b"bench,root\0"), ("#address-cells", u32(2)), ("#size-cells", u32(2))]
    with open(path, "wb") as f:
        f.write(fdt_blob(root, kids))
    return True


def probe_scaling(build, out):
    harness = os.path.join(out, "probe_bench")
    pts = []
    for n in PROBE_NODES:
        dtb = os.path.join(out, "synthetic", f"probe-{n}.dtb")
        os.makedirs(os.path.dirname(dtb), exist_ok=True)
        insns = None
        known = [(k, v) for k, v in pts if v]
        if len(known) >= 2:
            (n0, v0), (n1, v1) = known[-2:]
            order = max(1.0, __import__("math").log(v1 / v0) / __import__("math").log(n1 / n0))
            guess = v1 * (n / n1) ** order
            if guess > CALLGRIND_BUDGET:
                log(f"probe {n} nodes: not run, extrapolated {guess / 1e9:.0f} G instructions "
                    f"(growth order {order:.2f})")
                pts.append((n, None))
                continue
        if probe_tree(dtb, n):
            insns, rc, text = callgrind(out, f"probe-{n}", [harness, dtb],
                                        toggles=("devtree_init", "devtree_probe_all"))
            log(f"probe {n} nodes: {insns} instructions ({text.strip().splitlines()[0] if text else ''})")
        pts.append((n, insns))
    return pts


def linear(pts):
    """Per-item slopes between consecutive measured points agree within
    LINEAR_SLACK; a size too costly to measure (see probe_scaling) is not linear."""
    if any(v is None for _, v in pts):
        known = [p for p in pts if p[1] is not None]
        return (False if len(known) >= 2 else None), linear(known)[1] if len(known) >= 2 else []
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(pts, pts[1:])]
    return (min(slopes) > 0 and max(slopes) / min(slopes) <= LINEAR_SLACK), slopes


# ------------------------------------------------------------ report ----

def fmt_s(s):
    return "n/a" if s is None else f"{s['median']:.3f} s ({s['min']:.3f}–{s['max']:.3f})"


def fmt_n(n):
    return "n/a" if n is None else f"{n:,.0f}"


def met(cond):
    return "n/a" if cond is None else ("**met**" if cond else "**not met**")


def pe_sections(efi):
    """(name, virtual size, raw size) of each section of a PE file, and the
    size of its headers."""
    with open(efi, "rb") as f:
        d = f.read()
    pe = struct.unpack_from("<I", d, 0x3C)[0]
    nsect, opt_size = struct.unpack_from("<H", d, pe + 6)[0], struct.unpack_from("<H", d, pe + 20)[0]
    headers = struct.unpack_from("<I", d, pe + 24 + 60)[0]		# SizeOfHeaders
    out = []
    for i in range(nsect):
        sh = pe + 24 + opt_size + 40 * i
        name = d[sh:sh + 8].rstrip(b"\0").decode()
        vsize, _, raw = struct.unpack_from("<III", d, sh + 8)
        out.append((name, vsize, raw))
    return headers, out


def efi_parts(map_path, efi):
    """What BOOTAA64.EFI is made of: {part: [code, constants]} for .text by
    where each kept section came from (BOOTAA64.map; strings counted before
    the link merges duplicates, so a little high), then the PE headers and
    each other section as the file holds them, and the file alignment's
    padding."""
    if not os.path.exists(map_path):
        return None
    with open(map_path) as f:
        text = f.read()
    text = text[text.find("Linker script and memory map"):]
    # -flto generates the code of every file of ours at the link, in
    # ltrans units: the map no longer says which file it came from.
    groups = (("libfdt", r"libfdt\.a"), ("gnu-efi _relocate", r"libgnuefi"),
              ("Plinth's own (link-time optimised)", r"ltrans|loader/|lib/|gen/"))
    parts = {g: [0, 0] for g, _ in groups}
    sec = None
    for line in text.splitlines():
        m = re.match(r"^ (\.\S+)\s*$", line)
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"^ (\.\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)", line)
        if not m:
            continue
        name, size, src = m.group(1) or sec, int(m.group(2), 16), m.group(3)
        sec = None
        kind = 1 if name and name.startswith(".rodata") else 0 if name and name.startswith(".text") else None
        if kind is None:
            continue
        for g, pat in groups:
            if re.search(pat, src):
                parts[g][kind] += size
                break
    headers, sections = pe_sections(efi)
    parts["PE headers"] = [0, headers]
    pad = 0
    for name, vsize, raw in sections:
        if name != ".text":
            parts[f"PE {name}"] = [0, vsize]
        pad += max(0, raw - vsize)
    parts["file alignment (512)"] = [0, pad]
    return parts


def table(r):
    rows = [("Measure", "Figure", "Target", "Met")]
    floor = r["floor"]
    rows.append(("Floor: null guest, PSCI SYSTEM_OFF at its first instruction (-kernel)",
                 fmt_s(floor), "", ""))
    for smp in (1, 8):
        s = r[f"plinth_smp{smp}"]
        ratio = s["median"] / floor["median"] if s and floor else None
        tgt = "≤ 1.5× floor" if smp == 1 else ""
        ok = (ratio <= 1.5) if (smp == 1 and ratio is not None) else None
        rows.append((f"Plinth -kernel to `plinth> `, smp {smp}",
                     fmt_s(s) + ("" if ratio is None else f", {ratio:.2f}× floor"), tgt,
                     met(ok) if smp == 1 else ""))
    rows.append((f"U-Boot qemu_arm64 to `=>` (key at the countdown; autoboot delay "
                 f"{r['uboot_delay']} s not included)", fmt_s(r["uboot"]), "", ""))
    rows.append(("U-Boot: to its autoboot countdown line", fmt_s(r["uboot_countdown"]), "", ""))
    rows.append(("Linux (Debian Image) -kernel to its first console line", fmt_s(r["linux_first"]), "", ""))
    rows.append(("Linux -kernel to `VFS: Unable to mount root fs`", fmt_s(r["linux_vfs"]), "", ""))
    rows.append(("UEFI: AAVMF → Plinth loader → `plinth> `", fmt_s(r["uefi_plinth"]), "", ""))
    rows.append(("UEFI: AAVMF → Linux EFI stub, first console line", fmt_s(r["uefi_linux"]), "", ""))
    ic = r["icount"]
    if ic:
        rows.append(("Loader's own work, entry → ExitBootServices minus file reads (guest insns, "
                     "-icount shift=0)", fmt_n(ic["own_insns"]), "≤ 2.5 M", met(ic["own_insns"] <= 2.5e6)))
        rows.append(("  of which: ACPI tables / conversion / loader nodes+memory / ExitBootServices",
                     " / ".join(fmt_n(ic[k]) for k in ("tables_insns", "convert_insns", "nodes_insns",
                                                        "ebs_insns")), "", ""))
    else:
        rows.append(("Loader's own work (guest insns)", "n/a", "≤ 2.5 M", "n/a"))
    for c in r["convert"]:
        q = c["set"] == QEMU_SET
        rows.append((f"Converter (acpi2fdt): {c['set']} (host insns)" + ("" if c["rc"] == 0 else f", exit {c['rc']}"),
                     fmt_n(c["insns"]), "≤ 0.5 M" if q else "", met(c["insns"] <= 0.5e6) if q and c["insns"] else ""))
        if q:
            w = c.get("whole_insns")
            rows.append((f"acpi2dts -q -o out.dtb, the whole run: {c['set']} (host insns, callgrind, no toggle)",
                         fmt_n(w), "≤ 0.75 M", met(w <= 0.75e6) if w else "n/a"))
    ok, slopes = linear(r["madt"])
    rows.append(("Converter (acpi2fdt): synthetic MADT " + ", ".join(f"{n}" for n, _ in r["madt"]) + " CPUs (insns)",
                 ", ".join(fmt_n(v) for _, v in r["madt"]) + "; per CPU " +
                 ", ".join(f"{s:,.0f}" for s in slopes), "linear", met(ok)))
    ok, slopes = linear(r["probe"])
    rows.append(("Driver-core probe, " + ", ".join(f"{n}" for n, _ in r["probe"]) + " nodes (insns)",
                 ", ".join(fmt_n(v) if v else "not run (cost)" for _, v in r["probe"]) + "; per node " +
                 ", ".join(f"{s:,.0f}" for s in slopes), "linear", met(ok)))
    sz = r["sizes"]
    rows.append(("Size: Plinth Image", f"{sz['image']:,} B", "< 256 KiB", met(sz["image"] < 256 * 1024)))
    rows.append(("Size: BOOTAA64.EFI", f"{sz['efi']:,} B", "≤ 128 KiB", met(sz["efi"] <= 128 * 1024)))
    parts = sz.get("efi_parts")
    if parts:
        rows.append(("  of which (bytes; code / constants)",
                     "; ".join(f"{k} {v[0]:,} / {v[1]:,}" for k, v in parts.items()), "", ""))
    trees = [c for c in r["convert"] if c["dtb"]]
    if trees:
        rows.append(("Size: converted trees (dtb)", f"{min(c['dtb'] for c in trees):,}–"
                     f"{max(c['dtb'] for c in trees):,} B ({len(trees)} sets)", "", ""))
    rows.append(("Size: U-Boot u-boot.bin", f"{sz['uboot']:,} B" if sz["uboot"] else "n/a", "", ""))
    rows.append(("Size: Linux Image (Debian)", f"{sz['linux']:,} B" if sz["linux"] else "n/a", "", ""))
    out = [f"| {' | '.join(rows[0])} |", "|" + "---|" * len(rows[0])]
    out += [f"| {' | '.join(x)} |" for x in rows[1:]]
    return "\n".join(out) + "\n"


def plot(out, r):
    for name, pts in (("madt", r["madt"]), ("probe", r["probe"])):
        with open(os.path.join(out, f"{name}.dat"), "w") as f:
            f.writelines(f"{n} {v}\n" for n, v in pts if v is not None)
    boots = [("floor", r["floor"]), ("plinth-smp1", r["plinth_smp1"]), ("plinth-smp8", r["plinth_smp8"]),
             ("u-boot", r["uboot"]), ("linux-1st-line", r["linux_first"]), ("linux-vfs", r["linux_vfs"]),
             ("uefi-plinth", r["uefi_plinth"]), ("uefi-linux", r["uefi_linux"])]
    with open(os.path.join(out, "boot.dat"), "w") as f:
        for i, (n, s) in enumerate(boots):
            if s:
                f.write(f"{i} {n} {s['median']} {s['min']} {s['max']}\n")
    gp = os.path.join(out, "bench.gp")
    rc, _, err = sh(["gnuplot", "-e", "set terminal"])
    png = "pngcairo" if "pngcairo" in err else "png"
    body = f"""# written by tools/bench/bench.py from {out}/*.dat
set termoption noenhanced
set multiplot layout 1,3
set logscale xy
set grid
set key top left
set title "converter (acpi2fdt): synthetic MADT"
set xlabel "CPUs"; set ylabel "host instructions (callgrind)"
plot "{out}/madt.dat" using 1:2 with linespoints title "acpi2fdt"
set title "driver-core probe"
set xlabel "nodes"
plot "{out}/probe.dat" using 1:2 with linespoints title "devtree_init + probe_all"
unset logscale x
set title "boot to prompt / line (median, min-max)"
set xlabel ""; set ylabel "seconds (wall clock, noisy)"
set xtics rotate by -45 font ",8"
set style fill solid 0.5
set boxwidth 0.6
plot "{out}/boot.dat" using 1:3:xtic(2) with boxes notitle, "" using 1:3:4:5 with yerrorbars notitle
unset multiplot
"""
    with open(gp, "w") as f:
        f.write(body)
    for term, ext in (("svg size 1500,500", "svg"), (f"{png} size 1500,500", "png")):
        rc, _, err = sh(["gnuplot", "-e", f"set terminal {term}; set output '{out}/bench.{ext}'", gp])
        if rc != 0:
            log(f"gnuplot {ext}: {err.strip()[-300:]}")


# -------------------------------------------------------------- main ----

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    n = max(5, a.runs)
    build = os.path.abspath(a.build)
    out = os.path.join(build, "bench")
    os.makedirs(out, exist_ok=True)
    image = os.path.join(build, "kernel", "Image")
    efi = os.path.join(build, "loader", "BOOTAA64.EFI")
    acpi2dts = os.path.join(build, "host", "acpi2dts")
    mkimage = os.path.join(ROOT, "tools", "mkimage")
    linux = fetch_kernel(Quiet(), build)
    r = {"runs": n}

    # Host figures first: they are exact, and quick.
    r["convert"] = convert_sets(build, out, acpi2dts)
    r["madt"] = madt_scaling(build, out, acpi2dts)
    r["probe"] = probe_scaling(build, out)

    null = null_image(os.path.join(out, "null.Image"))
    r["floor"] = runs(n, build, "floor", MACHINE + ["-m", "512", "-kernel", null], None, 20)
    for smp in (1, 8):
        r[f"plinth_smp{smp}"] = runs(n, build, f"plinth-smp{smp}", MACHINE +
                                     ["-smp", str(smp), "-m", "512", "-kernel", image], PROMPT, 30)
    r["uboot"], r["uboot_countdown"], r["uboot_delay"] = uboot_runs(n, build)
    largs = MACHINE + ["-m", "1024", "-kernel", linux or "/nonexistent",
                       "-append", "earlycon console=ttyAMA0"]
    r["linux_first"] = runs(n, build, "linux-first-line", largs, r"\S[^\n]*\n", 60) if linux else None
    r["linux_vfs"] = runs(n, build, "linux-vfs", largs, r"VFS: Unable to mount root fs", 240) \
        if linux else None

    disk = os.path.join(out, "plinth-uefi.img")
    rc, o, e = sh([mkimage, "-o", disk, "--loader", efi, "--kernel", image])
    r["uefi_plinth"] = runs(n, build, "uefi-plinth", uefi_args(3, fresh_vars(build, "bench-uefi"), disk,
                                                              smp=1), PROMPT, 150) if rc == 0 else None
    r["uefi_linux"] = None
    if linux:
        stub = os.path.join(out, "linux-stub.img")
        rc, o, e = sh([mkimage, "-o", stub, "--loader", linux, "--kernel", image])
        if rc == 0:
            r["uefi_linux"] = runs(n, build, "uefi-linux-stub",
                                   uefi_args(3, fresh_vars(build, "bench-stub"), stub, smp=1),
                                   r"EFI stub: [^\n]*\n", 150)
    r["icount"] = icount_loader(build, disk) if os.path.exists(disk) else None
    r["sizes"] = {"image": os.path.getsize(image), "efi": os.path.getsize(efi),
                  "efi_parts": efi_parts(os.path.join(build, "loader", "BOOTAA64.map"), efi),
                  "uboot": os.path.getsize(UBOOT) if os.path.exists(UBOOT) else None,
                  "linux": os.path.getsize(linux) if linux else None}

    md = table(r)
    note = (f"\nMedians of {n} runs (min–max) on {os.cpu_count()} host CPUs under TCG; wall-clock "
            "figures are noisy (other work shares the machine), instruction counts are exact.\n")
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write(md + note)
    with open(os.path.join(out, "bench.json"), "w") as f:
        json.dump(r, f, indent=1)
    plot(out, r)
    print(md + note)
    log(f"wrote {out}/bench.md, bench.json, bench.svg, bench.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
