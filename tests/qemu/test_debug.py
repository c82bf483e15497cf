#!/usr/bin/env python3
"""`make debug` (tools/debug): QEMU stopped with -s -S and gdb-multiarch
attached with Image.elf's symbols at the load address. In batch mode, gdb
breaks on kmain by name, continues, and must stop there: the symbols line
up with the running Image. QEMU is killed by tools/debug (by PID) when gdb
exits; the whole run has a hard timeout.

  python3 tests/qemu/test_debug.py --build BUILD
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import Tap, artifacts_dir, have_qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GDB_SCRIPT = """break kmain
continue
info symbol $pc
bt 1
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    if not have_qemu() or not shutil.which("gdb-multiarch"):
        t.skip("tools/debug: gdb stops at kmain", "no qemu-system-aarch64 or gdb-multiarch")
        return 0
    script = os.path.join(artifacts_dir(build), "debug-test.gdb")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT)
    p = subprocess.Popen([os.path.join(ROOT, "tools", "debug"), "--build", build,
                          "--batch", script], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        out = p.communicate(timeout=30)[0].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)   # the script's own session: itself, QEMU and gdb
        out = (p.communicate()[0] or b"").decode("utf-8", "replace") + "\n(timeout)"
    with open(os.path.join(artifacts_dir(build), "debug-test.log"), "w") as f:
        f.write(out)
    t.ok("hit Breakpoint 1, kmain" in out and "kmain in section .text" in out,
         "tools/debug: gdb breaks on kmain by name in the running Image (symbols at the "
         "load address)", out[-1500:])
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
