#!/usr/bin/env python3
"""PCIe under QEMU: ECAM enumeration and resource assignment after a
direct -kernel boot, and a 16550 behind a PCI I/O BAR as the console.

One machine throughout: a PCIe root port at 00:01.0 with virtio-net behind it
(bus 1), QEMU's pci-serial (1b36:0002, class 07 00 02) at 00:02.0.

  * QEMU's own tree (GICv3, so MSI goes to an ITS): `pci` lists the three
    functions with every BAR assigned inside QEMU's windows (the 16550's I/O
    BAR through the I/O window at 0x3eff0000), the bridge's buses and
    windows, the INTx and the MSI controller; the 16550 binds to the ns16550
    driver by class and the kernel writes on it: its chardev file receives
    the log and a line the shell printed;
  * tests/trees/qemu-virt-pciserial.dts (dts/qemu-virt.dts plus a node
    `serial@2,0` under the host bridge, alias serial1, stdout-path
    "serial1:115200n8"): the shell reaches `plinth> ` on the 16550 (the
    process's stdio; the PL011 goes to a file) and runs commands there, with
    input by interrupt through the host bridge's interrupt-map;
  * probe-only with a real firmware's assignment: U-Boot's `pci enum`, then
    /chosen/linux,pci-probe-only set and `booti`: every BAR and window is kept
    (the NIC's prefetchable BAR sits in the root port's memory window there),
    the 16550 binds at U-Boot's port;
  * build/dts/qemu-virt.dtb with tests/overlays/pci-serial-console.dtso
    applied by fdtoverlay (a node without interrupts: polled input), as the
    loader will apply a user overlay from the ESP.

The AAVMF boot is tests/qemu/test_overlays.py: EDK2 has assigned the BARs
and the loader sets /chosen/linux,pci-probe-only, so the kernel keeps that
assignment (unit-tested in tests/pci_test.c, test_probe_only) and only turns
decoding on for the 16550 (EDK2 leaves it off: no UEFI driver uses it). The
same overlay goes to \\plinth\\overlays\\ on the ESP with its serial1 alias
moved to the converted tree's host bridge path (/pcie@4010000000).

Transcripts: BUILD/test-artifacts/qemu-pci-*.log (the 16550 side), the PL011
side and the chardev file next to them.
  python3 tests/qemu/test_pci.py --build BUILD
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plinth_qemu import Qemu, Tap, Timeout, artifacts_dir, have_qemu, machine  # noqa: E402

BOOT_TIMEOUT = 20.0
CMD_TIMEOUT = 10.0
MEM_SMP = ["-m", "512", "-smp", "2"]
# The root port and the NIC behind it; the 16550 is added per boot (its
# chardev differs). romfile= : Debian ships no arm option ROM for virtio-net.
DEVICES = ["-device", "pcie-root-port,id=rp0,chassis=1,addr=1.0",
           "-device", "virtio-net-pci,bus=rp0,romfile="]


def serial_dev(chardev):
    return ["-device", f"pci-serial,chardev={chardev},addr=2.0"]


def func_block(pci_out, bdf):
    """The `pci` lines of one function: its line and the indented ones after."""
    lines = pci_out.splitlines()
    for i, l in enumerate(lines):
        if l.startswith(bdf + " "):
            block = [l]
            for m in lines[i + 1:]:
                if not m.startswith("        "):
                    break
                block.append(m)
            return "\n".join(block)
    return ""


class Checks:
    """Named checks of one boot; a Timeout fails the current one and marks
    the rest not reached."""

    def __init__(self, t, name, names):
        self.t, self.name, self.names, self.done = t, name, names, 0

    def ok(self, cond, diag=""):
        self.t.ok(cond, f"{self.name}: {self.names[self.done]}", diag)
        self.done += 1

    def timeout(self, e, q):
        self.t.ok(False, f"{self.name}: {self.names[self.done]}", f"{e}\nlog: {q.log_path}")
        for c in self.names[self.done + 1:]:
            self.t.ok(False, f"{self.name}: {c} (not reached)")


def check_pci_listing(c, out):
    bridge = func_block(out, "00:01.0")
    net = func_block(out, "01:00.0")
    uart = func_block(out, "00:02.0")
    good = (re.search(r"1b36:000c class 060400 PCI bridge, bus 01-01", bridge) and
            re.search(r"window mem 0x[0-9a-f]+-0x[0-9a-f]+", bridge) and
            re.search(r"1af4:1041 class 020000", net) and
            re.search(r"BAR1 mem 0x1[0-9a-f]{7}-", net) and
            re.search(r"BAR4 mem64 pref 0x80[0-9a-f]{8}-", net) and
            re.search(r"1b36:0002 class 070002 serial \(16550\)", uart) and
            re.search(r"BAR0 io 0x3eff[0-9a-f]{4}-0x3eff[0-9a-f]{4} \(port 0x[0-9a-f]+\)", uart) and
            "unassigned" not in out)
    c.ok(good, out)
    return uart


def own_tree_boot(t, build, image):
    name = "qemu-pci-own-tree"
    chardev = os.path.join(artifacts_dir(build), f"{name}-pci-serial.txt")
    if os.path.exists(chardev):
        os.unlink(chardev)
    c = Checks(t, name, [
        "reaches plinth> ",
        "pci lists bridge, NIC and 16550 with every BAR assigned in QEMU's windows",
        "the 16550 is bound to ns16550 by class, INTA routed, MSI controller reported (ITS)",
        "the kernel writes on the pci-serial port (read back from its chardev file)",
        "poweroff makes QEMU exit by itself"])
    args = (machine(gic=3) + MEM_SMP + ["-kernel", image] + DEVICES +
            ["-chardev", f"file,id=ps,path={chardev}"] + serial_dev("ps"))
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            c.ok(True)
            out = q.command("pci", timeout=CMD_TIMEOUT)
            uart = check_pci_listing(c, out)
            c.ok(re.search(r"INTA -> INTID \d+\s+driver ns16550 \[console mirror\]", uart) and
                 "(GICv3 ITS)" in out and
                 "ns16550: 0000:00:02.0: pciclass,070002 at 0x3eff" in q.transcript(),
                 out + "\n" + q.transcript()[-1500:])
            token = f"pcitoken{os.getpid()}"
            q.command(token, timeout=CMD_TIMEOUT)
            time.sleep(0.3)     # the file chardev is written as the UART sends
            with open(chardev, errors="replace") as f:
                seen = f.read().replace("\r", "")
            c.ok("console: 0000:00:02.0 (ns16550)" in seen and
                 f"{token}: unknown command" in seen,
                 f"{chardev}:\n{seen[-1500:]}")
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=CMD_TIMEOUT)
            c.ok(rc is not None and not q.killed_by_watchdog, f"exit {rc}")
        except Timeout as e:
            c.timeout(e, q)


def tree_boot(t, build, image, dtb, name, polled):
    """The 16550 on the process's stdio (the harness's serial side), the
    PL011 into a file."""
    pl011 = os.path.join(artifacts_dir(build), f"{name}-pl011.txt")
    c = Checks(t, name, [
        "reaches plinth> on the 16550 (stdout-path serial1 = the PCI function's node)",
        "the 16550 is the console: " + ("input polled (the node has no interrupts)" if polled
                                        else "input by interrupt through interrupt-map"),
        "devices and pci there show the node bound to ns16550 as [console]",
        "typed commands run on the 16550" + ("" if polled else " and its interrupt count rises"),
        "poweroff from the 16550 makes QEMU exit by itself"])
    args = (machine() + MEM_SMP + ["-kernel", image, "-dtb", dtb] + DEVICES +
            ["-chardev", "stdio,id=ps"] + serial_dev("ps"))
    q = Qemu(name, build, args, timeout=BOOT_TIMEOUT)
    # The harness puts the first serial port on stdio; here that is the
    # 16550's: the PL011 writes into a file instead.
    i = q.args.index("-serial")
    q.args[i + 1] = f"file:{pl011}"
    with q:
        try:
            q.wait_for(r"plinth> ")
            c.ok(True)
            log = q.transcript()
            want = ["console: /pcie@10000000/serial@2,0 (ns16550)",
                    "ns16550: serial@2,0: pciclass,070002 at 0x3eff",
                    "115200 8n1, divisor 1",
                    "input polled (no interrupt)" if polled else "input by interrupt (INTID 37)"]
            missing = [w for w in want if w not in log]
            c.ok(not missing, f"missing: {missing}\n{log[-2000:]}")
            dev = q.command("devices", timeout=CMD_TIMEOUT)
            pci = q.command("pci", timeout=CMD_TIMEOUT)
            uart = func_block(pci, "00:02.0")
            c.ok(re.search(r"^/pcie@10000000/serial@2,0: bound to driver ns16550 "
                           r"\(pciclass,070002\) \[console\]$", dev, re.M) and
                 "driver ns16550 [console]" in uart and
                 "node /pcie@10000000/serial@2,0" in uart,
                 dev[-1500:] + "\n" + pci)
            if polled:
                out = q.command("uptime", timeout=CMD_TIMEOUT)
                c.ok(re.search(r"\d", out) is not None, out)
            else:
                rows = [l for l in q.command("irqs", timeout=CMD_TIMEOUT).splitlines()
                        if re.match(r"^\S+\s+37\s", l)]
                counts = [int(x) for x in rows[0].split()[5:]] if rows else []
                c.ok(rows and "serial@2,0" in rows[0] and sum(counts) > 0,
                     "\n".join(rows) or "no INTID 37 row in irqs")
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=CMD_TIMEOUT)
            c.ok(rc is not None and not q.killed_by_watchdog, f"exit {rc}")
        except Timeout as e:
            c.timeout(e, q)


UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
UBOOT_LOAD = "0x40400000"


def uboot_probe_only_boot(t, build, image):
    """Firmware's assignment kept: U-Boot enumerates (`pci enum` assigns every
    BAR and bridge window), sets /chosen/linux,pci-probe-only in its tree, as
    the loader will, and boots the kernel with `booti`."""
    name = "qemu-pci-uboot-probe-only"
    chardev = os.path.join(artifacts_dir(build), f"{name}-pci-serial.txt")
    c = Checks(t, name, [
        "U-Boot assigns the BARs and sets linux,pci-probe-only",
        "the kernel reaches plinth> in probe-only mode",
        "pci shows every BAR as firmware's, none moved (the 16550 at U-Boot's port)",
        "the 16550 binds and the kernel writes on it"])
    if not os.path.exists(UBOOT):
        for n in c.names:
            t.skip(f"{name}: {n}", f"{UBOOT} missing (Debian u-boot-qemu)")
        return
    if os.path.exists(chardev):
        os.unlink(chardev)
    args = (machine() + MEM_SMP + ["-bios", UBOOT, "-device",
            f"loader,file={image},addr={UBOOT_LOAD},force-raw=on"] + DEVICES +
            ["-chardev", f"file,id=ps,path={chardev}"] + serial_dev("ps"))
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"Hit any key to stop autoboot")
            q.send("\r")
            q.wait_for(r"=> ")
            out = ""
            for cmd in ("pci enum", "pci bar 0.2.0", "fdt addr ${fdtcontroladdr}", "fdt resize 1024",
                        "fdt set /chosen linux,pci-probe-only <1>", "fdt print /chosen"):
                out += q.command(cmd, prompt="=> ", timeout=CMD_TIMEOUT)
            m = re.search(r"^\s*0\s+0x0*([0-9a-f]+)\s+0x[0-9a-f]+\s+32\s+I/O", out, re.M)
            c.ok(m is not None and "linux,pci-probe-only = <0x00000001>" in out, out)
            port = int(m.group(1), 16) if m else -1
            q.sendline(f"booti {UBOOT_LOAD} - ${{fdtcontroladdr}}")
            q.wait_for(r"plinth> ")
            c.ok("probe-only: keeping firmware's assignment" in q.transcript(), q.transcript()[-2000:])
            pci = q.command("pci", timeout=CMD_TIMEOUT)
            bars = re.findall(r"^ {8}(?:BAR\d|window) .*$", pci, re.M)   # the functions' own
            uart = func_block(pci, "00:02.0")
            c.ok(bars and all(b.endswith("firmware's") for b in bars) and
                 "reassigned" not in q.transcript() and f"(port 0x{port:x})" in uart, pci)
            q.command(f"pcitoken{os.getpid()}", timeout=CMD_TIMEOUT)
            time.sleep(0.3)
            with open(chardev, errors="replace") as f:
                seen = f.read().replace("\r", "")
            c.ok("driver ns16550" in uart and f"pcitoken{os.getpid()}: unknown command" in seen,
                 uart + f"\n{chardev}:\n" + seen[-800:])
            q.sendline("poweroff")
            q.wait_exit(timeout=CMD_TIMEOUT)
        except Timeout as e:
            c.timeout(e, q)


def overlay_tree(t, build):
    """build/dts/qemu-virt.dtb + tests/overlays/pci-serial-console.dtso (a node
    without interrupts: a polled console), as the loader will apply a user
    overlay; the path of the result, or None."""
    what = "tests/overlays/pci-serial-console.dtso compiles without warnings and applies"
    if not (shutil.which("dtc") and shutil.which("fdtoverlay")):
        t.skip(what, "dtc/fdtoverlay not installed (device-tree-compiler)")
        return None
    base = os.path.join(build, "dts", "qemu-virt.dtb")
    dtbo = os.path.join(artifacts_dir(build), "pci-serial-console.dtbo")
    out = os.path.join(artifacts_dir(build), "qemu-virt-pci-overlay.dtb")
    log = ""
    for argv in (["dtc", "-@", "-I", "dts", "-O", "dtb", "-o", dtbo, os.path.join(ROOT, "tests",
                  "overlays", "pci-serial-console.dtso")],
                 ["fdtoverlay", "-i", base, "-o", out, dtbo]):
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        log += p.stdout.decode("utf-8", "replace")
        if p.returncode != 0:
            break
    ok = p.returncode == 0 and not log.strip()
    t.ok(ok, what, log or f"exit {p.returncode}")
    return out if ok else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    if not have_qemu():
        t.skip("QEMU PCI boots", "qemu-system-aarch64 not installed (qemu-system-arm)")
        return 0
    image = os.path.join(build, "kernel", "Image")
    dtb = os.path.join(build, "host", "trees", "qemu-virt-pciserial.dtb")
    if not t.ok(os.path.exists(image) and os.path.exists(dtb),
                f"kernel Image and the pci-serial tree built ({image}, {dtb})", "run `make`"):
        return 1
    own_tree_boot(t, build, image)
    tree_boot(t, build, image, dtb, "qemu-pci-tree", polled=False)
    uboot_probe_only_boot(t, build, image)
    overlaid = overlay_tree(t, build)
    if overlaid:
        tree_boot(t, build, image, overlaid, "qemu-pci-overlay", polled=True)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
