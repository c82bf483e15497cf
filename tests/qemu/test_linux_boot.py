#!/usr/bin/env python3
"""A stock Linux kernel booted through the loader: the strictest consumer of
the tree there is.

Debian's arm64 kernel (the package linux-image-arm64:arm64 depends on) is
fetched here with `apt-get download` into BUILD/linux/ (kept there for later
runs; `make run` never fetches it), its Image goes onto an ESP made by
tools/mkimage with a plinth.cfg carrying `earlycon` in bootargs, and AAVMF
boots it through BOOTAA64.EFI. The test passes when Linux reports its console
enabled on the UART the tree names: `earlycon` (which Linux sets up from
/chosen/stdout-path) and the ttyAMA/ttyS console sit at the same MMIO address,
and `printk: console [...] enabled` follows for that port.

Transcript: BUILD/test-artifacts/linux-boot.log.
  python3 tests/qemu/test_linux_boot.py --build BUILD
"""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import (Qemu, Tap, Timeout, artifacts_dir, build_arg, fresh_vars,  # noqa: E402
                         uefi_args, uefi_missing)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
META = "linux-image-arm64:arm64"
BOOTARGS = "earlycon"
TIMEOUT = 240.0


def sh(argv, cwd=None, timeout=600):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def fetch_kernel(t, build):
    """The Image from the package the meta-package depends on; None (with a
    SKIP) when the package index cannot say which one."""
    rc, out = sh(["apt-cache", "depends", META])
    m = re.search(r"Depends: (linux-image-[^\s:]+)(?::arm64)?", out)
    if rc != 0 or not m:
        t.skip("Linux boots through the loader",
               f"apt-cache knows no {META} (dpkg --add-architecture arm64 and apt-get update; "
               f"tools/setup does both): {out.strip()[-200:]}")
        return None
    pkg = m.group(1)
    d = os.path.join(build, "linux")
    os.makedirs(d, exist_ok=True)
    debs = glob.glob(os.path.join(d, f"{pkg}_*_arm64.deb"))
    if not debs:
        rc, out = sh(["apt-get", "download", f"{pkg}:arm64"], cwd=d)
        debs = glob.glob(os.path.join(d, f"{pkg}_*_arm64.deb"))
        if rc != 0 or not debs:
            t.skip("Linux boots through the loader", f"apt-get download {pkg}:arm64 failed: "
                   f"{out.strip()[-300:]}")
            return None
    deb = sorted(debs)[-1]
    image = os.path.join(d, "Image-" + os.path.basename(deb)[:-len(".deb")])
    if not os.path.exists(image):
        x = os.path.join(d, "x")
        shutil.rmtree(x, ignore_errors=True)
        os.makedirs(x)
        rc, out = sh(["sh", "-c", f"dpkg-deb --fsys-tarfile '{deb}' | tar -x -C '{x}' ./boot"])
        found = glob.glob(os.path.join(x, "boot", "vmlinuz-*"))
        if not t.ok(rc == 0 and found, f"{os.path.basename(deb)} holds /boot/vmlinuz-*", out):
            return None
        os.replace(found[0], image)
        shutil.rmtree(x, ignore_errors=True)
    t.ok(True, f"Debian kernel {pkg} fetched ({image}, {os.path.getsize(image)} bytes)")
    return image


def main():
    build = build_arg()
    t = Tap()
    why = uefi_missing()
    if why:
        t.skip("Linux boots through the loader", why)
        return 0
    loader = os.path.join(build, "loader", "BOOTAA64.EFI")
    if not t.ok(os.path.exists(loader), f"loader built ({loader})", "run `make loader`"):
        return 1
    image = fetch_kernel(t, build)
    if image is None:
        return 0
    with open(image, "rb") as f:
        hdr = f.read(64)
    if not t.ok(hdr[56:60] == b"ARM\x64", "the package's vmlinuz is an arm64 Image (magic ARM\\x64)",
                f"bytes 56..59: {hdr[56:60]!r}"):
        return 1

    art = artifacts_dir(build)
    cfg = os.path.join(art, "linux-plinth.cfg")
    with open(cfg, "w") as f:
        f.write(f"# written by tests/qemu/test_linux_boot.py\nbootargs={BOOTARGS}\n")
    disk = os.path.join(art, "linux.img")
    rc, out = sh([os.path.join(ROOT, "tools", "mkimage"), "-o", disk, "--loader", loader,
                  "--kernel", image, "--cfg", cfg])
    if not t.ok(rc == 0, f"ESP with the Linux Image and plinth.cfg ({disk})", out):
        return 1

    name = "linux-boot"
    args = uefi_args(3, fresh_vars(build, name), disk, smp=2, mem=1024)
    with Qemu(name, build, args, timeout=TIMEOUT) as q:
        try:
            q.wait_for(r"fdt: done: ", timeout=90)
            # To the end of the line: the serial output arrives in pieces, and
            # a match on "0x0" of "0x0000000009000000" is too early.
            m = q.wait_for(r"earlycon: \S+ at MMIO(?:32)? (0x[0-9a-f]+)[^\n]*\n", timeout=60)
            early = int(m.group(1), 16)
            t.ok(True, f"{name}: Linux runs earlycon from the tree's stdout-path at {hex(early)}")
            m = q.wait_for(r"(\S+): (tty\w+) at MMIO(?:32)? (0x[0-9a-f]+)[^\n]*\n", timeout=100)
            port, addr = m.group(2), int(m.group(3), 16)
            line = q.wait_for(rf"printk: console \[{port}\] enabled", timeout=60).group(0)
            t.ok(addr == early, f"{name}: Linux reports its console enabled on the tree's UART "
                 f"({m.group(0).strip()}; {line})", f"earlycon {hex(early)} vs {port} {hex(addr)}")
            t.diag(f"{name}: {m.group(0).strip()}")
            t.diag(f"{name}: {line}")
        except Timeout as e:
            text = q.transcript()
            oops = re.findall(r"^.*(?:Internal error|Unable to handle|Kernel panic|BUG:).*$", text, re.M)
            t.ok(False, f"{name}: Linux reports its console enabled on the tree's UART",
                 "\n".join(oops[:5]) + f"\n{e}\nlog: {q.log_path}")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
