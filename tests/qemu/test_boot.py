#!/usr/bin/env python3
"""QEMU boots of the kernel Image, run one after another, each with a hard
timeout and QEMU killed by its PID (plinth_qemu.py):

  * QEMU's own tree (no -dtb), gic-version=2 and 3, and build/dts/qemu-virt.dtb:
    reach `plinth> `; `devices` shows the console UART bound; `dt /chosen`
    shows stdout-path; the full `dt` dump recompiles with dtc; `poweroff`
    makes QEMU exit by itself. One boot serves all these checks.
  * no tree at all (x0 = 0): QEMU exits by itself within the timeout;
  * through U-Boot (`booti` with U-Boot's own tree): reaches `plinth> `.

Serial transcripts: BUILD/test-artifacts/qemu-*.log; the `dt` dumps:
BUILD/test-artifacts/qemu-*-dt.dts.
  python3 tests/qemu/test_boot.py --build BUILD
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import Qemu, Tap, Timeout, artifacts_dir, have_qemu, machine  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
MEM_SMP = ["-m", "512", "-smp", "1"]
# Where QEMU's -kernel would put an arm64 Image: RAM base + text_offset 2 MiB
# is what the no-tree boot mimics; U-Boot's booti takes it at 0x40400000.
KERNEL_ADDR = "0x40200000"
UBOOT_LOAD = "0x40400000"
BOOT_TIMEOUT = 20.0


def console_line(devices_out):
    """The `devices` line for the console: marked [console], else the PL011."""
    lines = devices_out.splitlines()
    for l in lines:
        if "[console]" in l:
            return l
    for l in lines:
        if re.match(r"^/(pl011|serial)@9000000:", l):
            return l
    return None


def check_dump(t, q, name, build):
    """Full `dt` dump: recompiles with dtc (errors fail; warnings reported)."""
    dump = q.command("dt", timeout=10)
    path = os.path.join(artifacts_dir(build), f"{name}-dt.dts")
    with open(path, "w") as f:
        f.write(dump)
    if not shutil.which("dtc"):
        t.skip(f"{name}: full dt dump recompiles with dtc", "dtc not installed")
        return
    p = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", os.devnull, path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    out = p.stdout.decode("utf-8", "replace")
    t.ok(p.returncode == 0 and dump.startswith("/dts-v1/;"),
         f"{name}: full dt dump recompiles with dtc ({path})", out or dump[-800:])
    warnings = [l for l in out.splitlines() if "Warning" in l]
    t.ok(p.returncode == 0 and not warnings,
         f"{name}: the dump recompiles without dtc warnings (phandles printed as references)",
         "\n".join(warnings[:10]))


def shell_boot(t, build, name, args):
    """One boot, several checks."""
    checks = ["reaches plinth> ", "help lists the commands, an unknown one is refused",
              "devices shows the console UART bound",
              "dt /chosen shows stdout-path", "full dt dump recompiles with dtc",
              "poweroff makes QEMU exit by itself"]
    done = 0
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            t.ok(True, f"{name}: {checks[0]}")
            done = 1
            helptext = q.command("help", timeout=10) + q.command("frobnicate", timeout=10)
            missing = [c for c in ("devices", "dt [path]", "help", "mem", "poweroff", "reboot")
                       if f"  {c} " not in helptext]
            t.ok(not missing and "frobnicate: unknown command" in helptext,
                 f"{name}: {checks[1]}", f"missing: {missing}\n{helptext}")
            done = 2
            dev = q.command("devices", timeout=10)
            line = console_line(dev)
            t.ok(line is not None and "bound to driver" in line,
                 f"{name}: {checks[2]}", f"console line: {line!r}\n{dev[-1500:]}")
            done = 3
            chosen = q.command("dt /chosen", timeout=10)
            t.ok(re.search(r"\bstdout-path = \"[^\"]+\";", chosen) is not None,
                 f"{name}: {checks[3]}", chosen[-1000:])
            done = 4
            check_dump(t, q, name, build)
            done = 5
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=10)
            t.ok(rc is not None and not q.killed_by_watchdog,
                 f"{name}: {checks[5]}", f"exit {rc}; last output:\n{q.transcript()[-800:]}")
            done = 6
        except Timeout as e:
            t.ok(False, f"{name}: {checks[done]}", f"{e}\nlog: {q.log_path}")
            for c in checks[done + 1:]:
                t.ok(False, f"{name}: {c} (not reached)")


def no_tree_boot(t, build, image):
    name = "qemu-no-tree"
    args = machine() + MEM_SMP + [
        "-device", f"loader,file={image},addr={KERNEL_ADDR}",
        "-device", f"loader,addr={KERNEL_ADDR},cpu-num=0"]
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        rc = q.wait_exit()
        t.ok(rc is not None and not q.killed_by_watchdog,
             f"{name}: boot with no tree (x0 = 0) ends with QEMU exiting by itself",
             f"exit {rc}, killed at the timeout: {q.killed_by_watchdog}; log: {q.log_path}\n"
             + q.transcript()[-800:])


def uboot_boot(t, build, image):
    name = "qemu-uboot"
    what = f"{name}: U-Boot booti {UBOOT_LOAD} with U-Boot's own tree reaches plinth> "
    if not os.path.exists(UBOOT):
        t.skip(what, f"{UBOOT} missing (Debian u-boot-qemu)")
        return
    args = machine() + MEM_SMP + [
        "-bios", UBOOT,
        "-device", f"loader,file={image},addr={UBOOT_LOAD},force-raw=on"]
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"Hit any key to stop autoboot")
            q.send("\r")
            q.wait_for(r"=> ")
            q.sendline(f"booti {UBOOT_LOAD} - ${{fdtcontroladdr}}")
            q.wait_for(r"plinth> ")
            t.ok(True, what)
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=10)
            t.ok(rc is not None and not q.killed_by_watchdog,
                 f"{name}: poweroff makes QEMU exit by itself", q.transcript()[-800:])
        except Timeout as e:
            t.ok(False, what, f"{e}\nlog: {q.log_path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    if not have_qemu():
        t.skip("QEMU boots", "qemu-system-aarch64 not installed (qemu-system-arm)")
        return 0
    image = os.path.join(build, "kernel", "Image")
    if not t.ok(os.path.exists(image), f"kernel Image built ({image})", "run `make kernel`"):
        return 1
    dtb = os.path.join(build, "dts", "qemu-virt.dtb")
    direct = ["-kernel", image]
    shell_boot(t, build, "qemu-gicv2", machine(gic=2) + MEM_SMP + direct)
    shell_boot(t, build, "qemu-gicv3", machine(gic=3) + MEM_SMP + direct)
    if t.ok(os.path.exists(dtb), f"tree built ({dtb})", "run `make dtbs`"):
        shell_boot(t, build, "qemu-dtb", machine() + MEM_SMP + direct + ["-dtb", dtb])
    no_tree_boot(t, build, image)
    uboot_boot(t, build, image)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
