#!/usr/bin/env python3
"""User overlays from the ESP under QEMU + AAVMF, one boot.

A disk like plinth.img with four overlays in \\plinth\\overlays\\ (tools/mkimage
--overlay), applied by BOOTAA64.EFI in name order after the board's:

  10-virtio-slots.dtbo       adds QEMU's first two virtio-mmio slots
                             (tests/overlays/esp-10-virtio-slots.dtso)
  20-disable-slot.dtbo       disables the second by the label the first gave
  30-broken.dtbo             a missing label: named error, tree kept
  40-pci-serial-console.dtbo tests/overlays/pci-serial-console.dtso with its
                             serial1 alias moved to the converted tree's host
                             bridge path: QEMU's pci-serial at 00:02.0
                             (-device pci-serial,addr=2.0) becomes the console

Checks: the loader log (ConOut, the PL011, into a file) gives the SMBIOS
type-1 strings and the board (`fdt: board qemu (matched ...)`), each overlay's outcome and the broken
one's file, fragment and label; the shell reaches `plinth> ` on the 16550
(EDK2's BAR assignment kept: /chosen/linux,pci-probe-only), where `devices`
shows the added slot and the disabled one, `log loader` shows the loader's lines
and `pci` lists the 16550 bound as the console.

Transcripts: BUILD/test-artifacts/overlays-esp.log (the 16550 side) and
overlays-esp-pl011.txt (firmware + loader).
  python3 tests/qemu/test_overlays.py --build BUILD
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import (Qemu, Tap, Timeout, artifacts_dir, build_arg, fresh_vars,  # noqa: E402
                         uefi_args, uefi_missing)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OVERLAYS = os.path.join(ROOT, "tests", "overlays")
BOOT_TIMEOUT = 60.0
CMD_TIMEOUT = 10.0
# The converted tree's host bridge (loader/acpi_mcfg.c names it by the ECAM
# base QEMU's MCFG gives: 0x4010000000).
PCIE = "/pcie@4010000000"
DTC_FLAGS = ["-@", "-Wno-unit_address_vs_reg", "-Wno-avoid_default_addr_size", "-I", "dts",
             "-O", "dtb"]
NAME = "overlays-esp"


def dtc(src_text, out):
    p = subprocess.run(["dtc"] + DTC_FLAGS + ["-o", out, "-"], input=src_text.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode == 0 and not p.stderr.strip(), p.stderr.decode(errors="replace")


def make_overlays(t, art):
    """The four .dtbo files, named as they go onto the ESP."""
    odir = os.path.join(art, f"{NAME}-overlays")
    shutil.rmtree(odir, ignore_errors=True)
    os.makedirs(odir)
    srcs = {}
    for n in ("10-virtio-slots", "20-disable-slot", "30-broken"):
        with open(os.path.join(OVERLAYS, f"esp-{n}.dtso")) as f:
            srcs[n] = f.read()
    with open(os.path.join(OVERLAYS, "pci-serial-console.dtso")) as f:
        pci = f.read()
    moved = pci.replace('"/pcie@10000000/serial@2,0"', f'"{PCIE}/serial@2,0"')
    srcs["40-pci-serial-console"] = moved
    bad = [] if moved != pci else ["pci-serial-console.dtso: no /pcie@10000000 alias to move"]
    out = []
    for n, text in srcs.items():
        path = os.path.join(odir, f"{n}.dtbo")
        ok, err = dtc(text, path)
        if not ok:
            bad.append(f"{n}: {err}")
        out.append(path)
    t.ok(not bad, "the ESP overlays compile with dtc -@ without warnings", "\n".join(bad))
    return out if not bad else None


def make_disk(t, build, art, overlays):
    disk = os.path.join(art, f"{NAME}.img")
    argv = [os.path.join(ROOT, "tools", "mkimage"), "-o", disk,
            "--loader", os.path.join(build, "loader", "BOOTAA64.EFI"),
            "--kernel", os.path.join(build, "kernel", "Image")]
    for o in overlays:
        argv += ["--overlay", o]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode(errors="replace")
    t.ok(p.returncode == 0 and "4 overlay(s)" in out,
         "tools/mkimage --overlay puts the overlays in \\plinth\\overlays\\", out)
    return disk if p.returncode == 0 else None


def boot(t, build, art, disk):
    pl011 = os.path.join(art, f"{NAME}-pl011.txt")
    what = [
        "loader log: SMBIOS3 strings read, board qemu matched, overlays in name order",
        "loader log: the broken overlay's file, fragment and missing label named",
        "the shell reaches plinth> on the 16550 (console moved by a user overlay)",
        "devices: the added virtio-mmio slot present, the second disabled by label",
        "log loader: the kernel's copy of the loader log holds the board and overlay lines",
        "pci: the 16550 at 00:02.0 bound as the console, EDK2's assignment kept",
    ]
    args = (uefi_args(3, fresh_vars(build, NAME), disk, smp=1) +
            ["-chardev", "stdio,id=ps", "-device", "pci-serial,chardev=ps,addr=2.0"])
    q = Qemu(NAME, build, args, timeout=BOOT_TIMEOUT)
    # The harness's serial side is the process's stdio: here the 16550's.
    i = q.args.index("-serial")
    q.args[i + 1] = f"file:{pl011}"
    done = 0
    want_log = [
        r"fdt: smbios: 3\.\d+ \(64-bit entry point\): manufacturer \"QEMU\"",
        r"fdt: board qemu \(matched ACPI OEM ID \"BOCHS *\"\)",
        r"fdt: overlay 10-virtio-slots\.dtbo: applied",
        r"fdt: overlay 20-disable-slot\.dtbo: applied",
        r"fdt: overlay 40-pci-serial-console\.dtbo: applied",
    ]
    broken = r"fdt: overlay 30-broken\.dtbo: missing label 'no_such_uart' \(node /fragment@0\)"
    with q:
        try:
            q.wait_for(r"plinth> ")
            with open(pl011, errors="replace") as f:
                fw = f.read()
            order = [m.start() if m else -1 for m in (re.search(w, fw) for w in want_log)]
            t.ok(-1 not in order and order == sorted(order), what[0],
                 "\n".join(l for l in fw.splitlines() if "fdt: board" in l or "overlay" in l))
            t.ok(re.search(broken, fw) is not None and fw.count("30-broken.dtbo") >= 1, what[1],
                 "\n".join(l for l in fw.splitlines() if "30-broken" in l))
            t.ok(True, what[2])
            done = 3
            dev = q.command("devices", timeout=CMD_TIMEOUT)
            t.ok(re.search(r"^/virtio_mmio@a000000: no driver", dev, re.M) and
                 re.search(r"^/virtio_mmio@a000200: disabled", dev, re.M), what[3], dev[-2500:])
            log = q.command("log loader", timeout=CMD_TIMEOUT)
            t.ok(all(re.search(w, log) for w in want_log + [broken]), what[4], log[-3000:])
            pci = q.command("pci", timeout=CMD_TIMEOUT)
            t.ok(re.search(r"^00:02\.0 ", pci, re.M) and "driver ns16550 [console]" in pci and
                 "probe-only" in pci, what[5], pci)
            done = 6
        except Timeout as e:
            for w in what[done:]:
                t.ok(False, w, f"{e}\n{q.transcript()[-1500:]}")


def main():
    build = build_arg()
    t = Tap()
    why = uefi_missing()
    if why:
        t.skip("ESP overlays", why)
        return 0
    if not shutil.which("dtc"):
        t.skip("ESP overlays", "dtc not installed (device-tree-compiler)")
        return 0
    need = [os.path.join(build, "loader", "BOOTAA64.EFI"), os.path.join(build, "kernel", "Image")]
    if not t.ok(all(map(os.path.exists, need)), "loader and kernel built", "run `make`"):
        return 1
    art = artifacts_dir(build)
    overlays = make_overlays(t, art)
    disk = overlays and make_disk(t, build, art, overlays)
    if disk:
        boot(t, build, art, disk)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
