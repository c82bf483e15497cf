#!/usr/bin/env python3
"""QEMU's machine flags come from one place, BOARD_QEMU_FLAGS in
boards/qemu/board.mk (TAP; no QEMU is started):

  python3 tests/test_qemu_flags.py --build BUILD

* `make run`, `make run-kernel` and `make debug` pass the board's value as
  --machine (read back from `make -n`), and make reads the same words the
  Python tests parse (plinth_qemu.board_qemu_flags);
* tools/run-qemu and tools/debug (--dry-run), run by hand, use that line
  of board.mk: the machine words of their QEMU command line are exactly
  plinth_qemu.machine(), with --gic N as machine(gic=N), and a --machine
  given replaces them;
* a board whose BOARD_QEMU_FLAGS is empty (vmware) is refused by name.
"""
import os
import re
import shlex
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap, board_qemu_flags, build_arg, machine, run  # noqa: E402


def make_machine(build, target, board="qemu"):
    """The --machine value `make -n TARGET` hands to the tool, or None."""
    rc, out, err = run(["make", "-n", f"BUILD={build}", f"BOARD={board}", target])
    m = re.search(r'^\s*tools/(?:run-qemu|debug) .*--machine "([^"]*)"', out, re.M)
    return m.group(1) if m else None


def tool_machine(argv):
    """(exit status, the words before -smp of the command line the tool
    printed with --dry-run, its stderr)."""
    rc, _, err = run(argv + ["--dry-run"])
    m = re.search(r"qemu-system-aarch64 (.*?)(?: \(Ctrl-A X quits\))?$", err, re.M)
    words = shlex.split(m.group(1)) if m else []
    return rc, words[:words.index("-smp")] if "-smp" in words else words, err


def main():
    build = build_arg()
    t = Tap()
    flags = board_qemu_flags()
    t.ok(flags[:1] == ["-M"] and "-cpu" in flags,
         f"boards/qemu/board.mk: BOARD_QEMU_FLAGS = {' '.join(flags)}", flags)
    for target in ("run", "run-kernel", "debug"):
        got = make_machine(build, target)
        t.ok(got is not None and got.split() == flags,
             f"make {target} passes the board's BOARD_QEMU_FLAGS as --machine", got)
    t.ok(make_machine(build, "run", board="vmware") == "",
         "make run BOARD=vmware passes vmware's (empty) flags")

    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "kernel"))
        for f in ("Image", "Image.elf"):
            open(os.path.join(tmp, "kernel", f), "w").close()
        run_qemu = [os.path.join(ROOT, "tools", "run-qemu"), "--build", tmp]
        debug = [os.path.join(ROOT, "tools", "debug"), "--build", tmp]
        for name, argv in (("run-qemu", run_qemu), ("debug", debug)):
            rc, words, err = tool_machine(argv)
            t.ok(rc == 0 and words == machine(),
                 f"tools/{name} by hand: the machine of boards/qemu/board.mk, as machine() "
                 f"parses it ({' '.join(machine())})", f"{words}\n{err}")
            rc, words, err = tool_machine(argv + ["--gic", "3"])
            t.ok(rc == 0 and words == machine(gic=3), f"tools/{name} --gic 3 is machine(gic=3)",
                 f"{words}\n{err}")
            rc, words, err = tool_machine(argv + ["--machine", "-M virt -cpu max", "--gic", "2"])
            t.ok(rc == 0 and words == ["-M", "virt,gic-version=2", "-cpu", "max"],
                 f"tools/{name} --machine replaces the board's flags", f"{words}\n{err}")
            rc, words, err = tool_machine(argv + ["--machine", ""])
            t.ok(rc == 2 and "BOARD_QEMU_FLAGS is empty" in err,
                 f"tools/{name} --machine '' (a board not run under QEMU): refused, said why", err)
        disk = os.path.join(tmp, "plinth.img")
        open(disk, "w").close()
        rc, words, err = tool_machine(run_qemu + ["--uefi", disk])
        if rc == 1 and "AAVMF_CODE.fd missing" in err:
            t.skip("tools/run-qemu --uefi: the same machine", "AAVMF not installed")
        else:
            t.ok(rc == 0 and words == machine(), "tools/run-qemu --uefi: the same machine",
                 f"{words}\n{err}")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
