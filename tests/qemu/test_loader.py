#!/usr/bin/env python3
"""UEFI boots of build/qemu/plinth.img under QEMU + AAVMF (GICv2 and GICv3,
-smp 4): BOOTAA64.EFI converts the firmware's ACPI tables into a tree and
boots the kernel with it. One boot per GIC version serves all the checks:

  * the loader runs, logs `fdt: spcr` and its summary line, each line once on
    the serial console (ConOut is the PL011 under AAVMF: no double printing);
  * the kernel reaches `plinth> `; `cpus` reports 4 online; `dt /chosen`
    shows stdout-path; `log` prints the loader's handed-over fdt: lines;
  * the tree the kernel got: recompiles with dtc without warnings, passes
    dt-validate (tests/dt-validate.allow), holds /plinth with the RSDP, the
    loader-log region and /memreserve/ entries for the Image and the tree, and
    the kernel's load address lies inside /memory;
  * cross-check with QEMU's own tree for the same machine (-M virt,dumpdtb=):
    UART reg + interrupt, GIC regs, timer PPIs, CPU MPIDRs, PCIe ECAM,
    bus-range and ranges agree after normalisation (tests/qemu/fdt_tree.py);
  * `poweroff` makes QEMU exit by itself;
  * with a plinth.cfg and an initrd (own disk image): bootargs and
    linux,initrd-start/-end reach /chosen, an unknown key is warned about;
  * with plinth.cfg naming a missing kernel: the loader names the file and the
    EFI status and returns to the firmware, which carries on.

AAVMF_VARS is copied fresh for every boot. Transcripts:
BUILD/test-artifacts/loader-gicv*.log; trees: loader-gicv*-{dt.dts,dtb},
qemu-virt-gicv*.dtb.
  python3 tests/qemu/test_loader.py --build BUILD
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fdt_tree import FdtTree, facts, hexs  # noqa: E402
from plinth_qemu import (QEMU, Qemu, Tap, Timeout, artifacts_dir, build_arg,  # noqa: E402
                         fresh_vars, uefi_args, uefi_missing)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOT_TIMEOUT = 150.0     # AAVMF reaches the loader in ~6 s under TCG; 4 CPUs boot slower
SMP = 4


def run(argv, timeout=120):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def load_allowlist():
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from test_trees import load_allowlist as load, unexpected_lines
    return load(os.path.join(ROOT, "tests", "dt-validate.allow")), unexpected_lines


def loader_part(transcript):
    """The loader's own output: from its banner to its ExitBootServices line."""
    start = transcript.find("loader: Plinth BOOTAA64.EFI")
    end = transcript.find("loader: ExitBootServices", start)
    if start < 0 or end < 0:
        return ""
    return transcript[start:transcript.find("\n", end) + 1]


def check_tree(t, name, build, dump, transcript):
    """The dumped tree: dtc, dt-validate, loader nodes, load address."""
    art = artifacts_dir(build)
    dts = os.path.join(art, f"{name}-dt.dts")
    dtb = os.path.join(art, f"{name}.dtb")
    with open(dts, "w") as f:
        f.write(dump)
    rc, out = run(["dtc", "-I", "dts", "-O", "dtb", "-o", dtb, dts])
    warnings = [l for l in out.splitlines() if l.strip()]
    t.ok(rc == 0 and not warnings, f"{name}: the kernel's tree recompiles with dtc, no warnings ({dts})",
         out or dump[-600:])
    if rc != 0:
        return None
    tree = FdtTree(open(dtb, "rb").read())

    schema = os.path.join(build, "dt-schema", "processed-schema.json")
    if shutil.which("dt-validate") and os.path.exists(schema):
        allow, unexpected = load_allowlist()
        rc, out = run(["dt-validate", "-s", schema, dtb], timeout=300)
        bad = unexpected(out, allow)
        t.ok(rc == 0 and not bad, f"{name}: the tree passes dt-validate (tests/dt-validate.allow)",
             "\n".join(bad[:20]))
    else:
        t.skip(f"{name}: the tree passes dt-validate", "dt-validate or its schema missing")

    plinth = tree.nodes.get("/plinth")
    rsdp = plinth.cells("acpi-rsdp") if plinth else None
    m = re.search(r"fdt: rsdp: 0x([0-9a-f]+) ", transcript)
    t.ok(plinth is not None and "plinth,boot-info" in plinth.strings("compatible") and rsdp
         and m and (rsdp[0] << 32 | rsdp[1]) == int(m.group(1), 16),
         f"{name}: /plinth records the RSDP the loader found",
         f"/plinth: {plinth and plinth.props}; loader: {m and m.group(0)}")

    logs = tree.find_compatible("plinth,loader-log")
    t.ok(len(logs) == 1 and tree.reg(logs[0]) and logs[0].parent.path == "/reserved-memory",
         f"{name}: /reserved-memory holds the loader-log region",
         f"nodes: {[n.path for n in logs]}")

    memory = [r for n in tree.nodes.values() if n.string("device_type") == "memory"
              for r in tree.reg(n)]
    m = re.search(r"loader: image: \S+ loaded at 0x([0-9a-f]+) \(2 MiB-aligned base 0x([0-9a-f]+), "
                  r"0x([0-9a-f]+) bytes allocated\)", transcript)
    inside = False
    if m:
        base, size = int(m.group(2), 16), int(m.group(3), 16)
        inside = any(a <= base and base + size <= a + s for a, s in memory)
        rsv = [r for r in tree.memreserve if r[0] <= base < r[0] + r[1]]
    t.ok(m is not None and inside, f"{name}: the kernel's load address lies inside /memory",
         f"image: {m and m.group(0)}; /memory: {hexs(memory)}")
    t.ok(m is not None and rsv and len(tree.memreserve) >= 2,
         f"{name}: /memreserve/ entries cover the Image and the tree",
         f"memreserve: {hexs(tree.memreserve)}")
    return tree


def gic_agree(got, want):
    """Same GIC version; QEMU's reg entries (GICD, GICC or GICR) at the same
    addresses. ACPI states no GICD/GICC sizes, so the converter's may be the
    architectural minimum (GICD 4 KiB, GICC 8 KiB): a size must be non-zero
    and no larger than QEMU's. Entries past QEMU's (GICH/GICV, which QEMU's
    MADT lists but its tree omits without virtualization) are allowed."""
    if not got or not want or got[0] != want[0] or len(got[1]) < len(want[1]):
        return False
    return all(ga == wa and 0 < gs <= ws for (ga, gs), (wa, ws) in zip(got[1], want[1]))


def cross_check(t, name, build, gic, args, tree):
    """QEMU's own tree for the same machine, compared fact by fact."""
    art = artifacts_dir(build)
    qdtb = os.path.join(art, f"qemu-virt-gicv{gic}.dtb")
    a = list(args)
    a[1] = a[1] + f",dumpdtb={qdtb}"
    rc, out = run([QEMU, "-nodefaults", "-display", "none"] + a, timeout=60)
    if not t.ok(rc == 0 and os.path.exists(qdtb), f"{name}: QEMU dumps its own tree ({qdtb})", out):
        return
    want = facts(FdtTree(open(qdtb, "rb").read()))
    got = facts(tree) if tree else {}
    for key, what in (("uart", "UART reg and interrupt"), ("gic", "GIC version and register addresses"),
                      ("timer", "timer PPIs"), ("cpus", "CPU MPIDRs"),
                      ("pcie", "PCIe ECAM, bus-range and ranges")):
        same = gic_agree(got.get(key), want[key]) if key == "gic" else got.get(key) == want[key]
        t.ok(tree is not None and same,
             f"{name}: {what} agree with QEMU's tree",
             f"loader: {hexs(got.get(key))}\nqemu:   {hexs(want[key])}")


def uefi_boot(t, build, gic, disk):
    name = f"loader-gicv{gic}"
    args = uefi_args(gic, fresh_vars(build, name), disk, smp=SMP)
    steps = ["the loader starts from the ESP", "the loader logs fdt: spcr and its summary",
             "the kernel reaches plinth> "]
    done = 0
    tree = None
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"loader: Plinth BOOTAA64\.EFI", timeout=90)
            t.ok(True, f"{name}: {steps[0]}")
            done = 1
            m = q.wait_for(r"fdt: done: (\d+) nodes, (\d+) bytes[^\n]*\n", timeout=60)
            t.ok("fdt: spcr" in q.transcript(), f"{name}: {steps[1]}",
                 loader_part(q.transcript())[-1500:])
            t.diag(f"{name}: tree: {m.group(1)} nodes, {m.group(2)} bytes")
            done = 2
            q.wait_for(r"plinth> ", timeout=90)
            t.ok(True, f"{name}: {steps[2]}")
            done = 3
        except Timeout as e:
            t.ok(False, f"{name}: {steps[done]}", f"{e}\nlog: {q.log_path}")
            for s in steps[done + 1:]:
                t.ok(False, f"{name}: {s} (not reached)")
            return
        before_shell = q.transcript()
        part = loader_part(before_shell)
        lines = [l for l in part.splitlines() if l.startswith(("fdt: ", "loader: "))]
        twice = [l for l in set(lines) if before_shell.count(l + "\n") > 1]
        t.ok(lines and not twice, f"{name}: each loader line appears once on the serial console",
             "\n".join(twice[:10]))
        try:
            cpus = q.command("cpus", timeout=20)
            t.ok(re.search(rf"\b{SMP} online\b", cpus) is not None,
                 f"{name}: cpus reports {SMP} online", cpus[-800:])
            chosen = q.command("dt /chosen", timeout=20)
            t.ok(re.search(r"\bstdout-path = \"[^\"]+\";", chosen) is not None,
                 f"{name}: dt /chosen shows stdout-path", chosen[-800:])
            log = q.command("log loader", timeout=30)
            t.ok("--- loader log" in log and "fdt: spcr" in log and "fdt: done:" in log
                 and "loader: ExitBootServices: done" in log,
                 f"{name}: log prints the loader's fdt: lines (and its post-ExitBootServices ones)",
                 log[-1500:])
            m = re.search(r"loader: entry to ExitBootServices: (\d+) counter ticks at (\d+) Hz "
                          r"\((\d+) us\)", log)
            if m:
                t.diag(f"{name}: loader entry -> ExitBootServices: {m.group(1)} ticks at "
                       f"{m.group(2)} Hz = {m.group(3)} us")
            dump = q.command("dt", timeout=60)
            tree = check_tree(t, name, build, dump, before_shell)
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=20)
            t.ok(rc is not None and not q.killed_by_watchdog, f"{name}: poweroff makes QEMU exit",
                 q.transcript()[-600:])
        except Timeout as e:
            t.ok(False, f"{name}: shell commands answered", f"{e}\nlog: {q.log_path}")
    cross_check(t, name, build, gic, args, tree)


def make_disk(t, build, name, cfg_text=None, kernel=None, initrd_bytes=0):
    """A disk like plinth.img with a plinth.cfg and an initrd of our own."""
    art = artifacts_dir(build)
    argv = [os.path.join(ROOT, "tools", "mkimage"), "-o", os.path.join(art, f"{name}.img"),
            "--loader", os.path.join(build, "loader", "BOOTAA64.EFI"),
            "--kernel", kernel or os.path.join(build, "kernel", "Image")]
    if cfg_text is not None:
        cfg = os.path.join(art, f"{name}-plinth.cfg")
        with open(cfg, "w") as f:
            f.write(cfg_text)
        argv += ["--cfg", cfg]
    if initrd_bytes:
        initrd = os.path.join(art, f"{name}-initrd")
        with open(initrd, "wb") as f:
            f.write(bytes(range(256)) * (initrd_bytes // 256))
        argv += ["--initrd", initrd]
    rc, out = run(argv)
    t.ok(rc == 0, f"{name}: disk image made", out)
    return argv[2] if rc == 0 else None


def cfg_boot(t, build):
    """plinth.cfg end to end: bootargs and an initrd reach /chosen, an
    unknown key is warned about with its line number."""
    name = "loader-cfg"
    size = 64 * 1024
    disk = make_disk(t, build, name, "# test\nbootargs=plinth test args\ninitrd=initrd\n"
                     "colour=blue\n", initrd_bytes=size)
    if not disk:
        return
    with Qemu(name, build, uefi_args(3, fresh_vars(build, name), disk, smp=1),
              timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ", timeout=120)
            text = q.transcript()
            t.ok("loader: cfg: line 4: unknown key 'colour', ignored" in text,
                 f"{name}: an unknown plinth.cfg key is warned about with its line", loader_part(text))
            m = re.search(r"loader: initrd: \\plinth\\initrd, (\d+) bytes at 0x([0-9a-f]+)", text)
            chosen = q.command("dt /chosen", timeout=20)
            cells = re.search(r"linux,initrd-start = <0x0 (0x[0-9a-f]+)>;.*"
                              r"linux,initrd-end = <0x0 (0x[0-9a-f]+)>;", chosen.replace("\n", " "))
            if not cells:   # properties may come in either order
                e = re.search(r"linux,initrd-end = <0x0 (0x[0-9a-f]+)>;", chosen)
                st = re.search(r"linux,initrd-start = <0x0 (0x[0-9a-f]+)>;", chosen)
                cells = (st.group(1), e.group(1)) if st and e else None
            else:
                cells = cells.groups()
            ok = (m and cells and int(m.group(1)) == size and int(cells[0], 16) == int(m.group(2), 16)
                  and int(cells[1], 16) - int(cells[0], 16) == size)
            t.ok(ok, f"{name}: the initrd is loaded and /chosen linux,initrd-start/-end span it",
                 f"{m and m.group(0)}\n{chosen}")
            t.ok('bootargs = "plinth test args";' in chosen, f"{name}: bootargs from plinth.cfg in /chosen",
                 chosen)
        except Timeout as e:
            t.ok(False, f"{name}: boots to plinth> with a plinth.cfg and an initrd", f"{e}\nlog: {q.log_path}")


def failure_boot(t, build):
    """No kernel where plinth.cfg points: the loader names the file and the
    EFI status, and returns to the firmware instead of jumping."""
    name = "loader-no-kernel"
    disk = make_disk(t, build, name, "kernel=\\plinth\\missing\n")
    if not disk:
        return
    with Qemu(name, build, uefi_args(3, fresh_vars(build, name), disk, smp=1),
              timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"loader: image: cannot open \\plinth\\missing: EFI_NOT_FOUND", timeout=90)
            q.wait_for(r"loader: boot failed \(EFI_NOT_FOUND\); returning to the firmware", timeout=20)
            t.ok(True, f"{name}: a missing kernel is named with its EFI status, and the loader "
                 "returns to the firmware")
            # The firmware's boot manager goes on: it tries the next option.
            q.wait_for(r"BdsDxe|Shell>|UEFI Interactive Shell|Boot\d{4}", timeout=60)
            t.ok("fdt: done" not in q.transcript(), f"{name}: the firmware carries on; nothing was jumped to")
        except Timeout as e:
            t.ok(False, f"{name}: a missing kernel is reported and the loader returns to the firmware",
                 f"{e}\nlog: {q.log_path}")


def main():
    build = build_arg()
    t = Tap()
    why = uefi_missing()
    if why:
        t.skip("UEFI boots", why)
        return 0
    disk = os.path.join(build, "qemu", "plinth.img")
    if not t.ok(os.path.exists(disk), f"disk image built ({disk})", "run `make BOARD=qemu`"):
        return 1
    for gic in (2, 3):
        uefi_boot(t, build, gic, disk)
    cfg_boot(t, build)
    failure_boot(t, build)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
