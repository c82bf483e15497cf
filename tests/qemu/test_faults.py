#!/usr/bin/env python3
"""CPU exceptions under QEMU (kernel/arch/arm64/exceptions.c, stacks.c,
kernel/shell/cmd_fault.c), each boot with a hard timeout, QEMU killed by PID:

  * one boot (GICv3, 2 CPUs): `fault data`, `fault undef` and `fault stack`
    each print the decoded exception class, FAR (when the class sets it),
    ELR with its symbol, every register and a frame-pointer backtrace with
    symbol names, then return to the shell; the stack overflow is caught by
    the kernel stack's guard page and named as such; afterwards the shell,
    the second CPU and the timer still work;
  * one boot (GICv2): `fault data halt` reports the fault and halts the CPU:
    no prompt comes back, and QEMU is still running (halted, not reset);
  * one boot (GICv3, 2 CPUs): `fault estack` is refused without `halt`;
    `fault estack halt` overflows the exception stack (SP_EL1): the fault at
    its guard page is taken on that broken stack, so the vector moves to the
    emergency stack, which reports it (named as an exception while handling
    one, on the exception stack's guard page) and halts the CPU.

Transcripts: BUILD/test-artifacts/qemu-fault-*.log.
  python3 tests/qemu/test_faults.py --build BUILD
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import Qemu, Tap, Timeout, have_qemu, machine  # noqa: E402

BOOT_TIMEOUT = 20.0
REGS = [f"x{i}" for i in range(31)]


def has_regs(out):
    return all(re.search(rf"\b{r}\s+0x[0-9a-f]{{16}}", out) for r in REGS)


def backtrace(out):
    """The symbol names of the backtrace lines, in order."""
    return re.findall(r"^\s+(?:pc|lr|ret)\s+0x[0-9a-f]{16} (\w+)\+0x", out, re.M)


def check_report(t, name, out, ec, func, far=None):
    t.ok(re.search(rf"\*\*\* Synchronous exception on cpu0 from EL1 with SP_EL0 "
                   rf"\(kernel stack\): EC {ec} ", out),
         f"{name}: exception class EC {ec} decoded", out[-1500:])
    if far:
        t.ok(re.search(rf"FAR {far}\b", out), f"{name}: FAR {far} printed", out[-1500:])
    t.ok(re.search(rf"ELR 0x[0-9a-f]{{16}} {func}\+0x[0-9a-f]+ \(Image.elf 0x[0-9a-f]+\)",
                   out), f"{name}: ELR with its symbol ({func})", out[-1500:])
    t.ok(has_regs(out), f"{name}: x0..x30 printed", out[-1500:])
    return backtrace(out)


def kernel_args(build, gic, smp):
    return machine(gic=gic) + ["-m", "512", "-smp", str(smp),
            "-kernel", os.path.join(build, "kernel", "Image")]


def stays_halted(t, q, what):
    """After `halted: cpu0`, a command gets no prompt and QEMU keeps running."""
    q.sendline("help")
    time.sleep(1.0)
    tail = q.transcript().split("halted: cpu0", 1)[1]
    t.ok("plinth> " not in tail and q.proc.poll() is None,
         f"{what}: the CPU stays halted (no prompt, QEMU still running)", tail)


def recover_boot(t, build):
    name = "qemu-fault-recover"
    args = kernel_args(build, 3, 2)
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            boot = q.transcript()
            t.ok(re.search(r"stacks: 2 CPU\(s\): kernel, exception and emergency stacks, "
                           r"each above a guard page", boot),
                 "boot: every CPU's stacks have guard pages", boot[-800:])
            t.ok("no guard page" not in boot, "boot: no guard page was refused", boot[-800:])

            out = q.command("fault data", timeout=8)
            bt = check_report(t, "fault data", out, "0x25", "fault_data",
                              far="0xffff0000dead0000")
            t.ok("translation fault, level 0, read" in out,
                 "fault data: fault status decoded (translation fault, level 0, read)",
                 out[-800:])
            t.ok(bt[:2] == ["fault_data", "arch_try"] and
                 all(f in bt for f in ("cmd_fault", "shell_exec", "shell_run", "kmain")),
                 "fault data: backtrace fault_data <- arch_try <- cmd_fault <- shell_exec "
                 "<- shell_run <- kmain", " <- ".join(bt))
            t.ok("fault: data: reported; back in the shell" in out,
                 "fault data: the shell comes back", out[-400:])

            out = q.command("fault undef", timeout=8)
            bt = check_report(t, "fault undef", out, "0x00", "fault_undef")
            t.ok("undefined instruction" in out and "(no FAR for this class)" in out,
                 "fault undef: named, and no stale FAR shown", out[-1500:])
            t.ok("cmd_fault" in bt and "kmain" in bt, "fault undef: backtrace reaches kmain",
                 " <- ".join(bt))
            t.ok("fault: undef: reported; back in the shell" in out,
                 "fault undef: the shell comes back", out[-400:])

            out = q.command("fault stack", timeout=8)
            bt = check_report(t, "fault stack", out, "0x25", "deeper")
            t.ok("*** stack overflow: FAR is the guard page below cpu0's kernel stack" in out,
                 "fault stack: the overflow hits the kernel stack's guard page and is named",
                 out[-1500:])
            t.ok(re.search(r"SP 0x[0-9a-f]+ is in the guard page below cpu0's kernel stack",
                           out), "fault stack: SP shown inside the guard page", out[-1500:])
            t.ok(len(bt) > 10 and set(bt) == {"deeper"} and "... (more frames)" in out,
                 "fault stack: backtrace of the recursion, cut at its limit", " <- ".join(bt))
            t.ok("fault: stack: reported; back in the shell" in out,
                 "fault stack: the shell comes back", out[-400:])

            cpus = q.command("cpus", timeout=8)
            t.ok("2 online" in cpus, "after the faults: both CPUs still online", cpus)
            up1 = q.command("uptime", timeout=8)
            time.sleep(0.3)
            up2 = q.command("uptime", timeout=8)
            t.ok(up1 != up2, "after the faults: the timer still ticks", up1 + up2)
            usage = q.command("fault", timeout=8)
            t.ok("usage: fault data|undef|stack [halt] | fault estack halt" in usage and
                 "failed: PLINTH_EINVAL" in usage, "fault without a kind: usage", usage)
        except Timeout as e:
            t.ok(False, f"{name}: boot and fault commands", str(e))


def halt_boot(t, build):
    name = "qemu-fault-halt"
    args = kernel_args(build, 2, 1)
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            q.sendline("fault data halt")
            q.wait_for(r"halted: cpu0", timeout=8)
            out = q.transcript()
            t.ok("EC 0x25 data abort" in out and "fault_data+0x" in out,
                 "fault data halt: reported", out[-1500:])
            t.ok("resumes after the faulting call" not in out,
                 "fault data halt: no way back is taken", out[-800:])
            stays_halted(t, q, "fault data halt")
        except Timeout as e:
            t.ok(False, f"{name}: fault data halt", str(e))


def emergency_boot(t, build):
    name = "qemu-fault-estack"
    args = kernel_args(build, 3, 2)
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            out = q.command("fault estack", timeout=8)
            t.ok("say `fault estack halt`" in out and "failed: PLINTH_EINVAL" in out,
                 "fault estack without halt: refused (nothing comes back from it)", out)
            q.sendline("fault estack halt")
            q.wait_for(r"halted: cpu0 \(on its emergency stack\)", timeout=8)
            out = q.transcript().split("fault estack halt", 1)[-1]
            t.ok("*** Exception while handling an exception on cpu0 from EL1 with SP_EL1 "
                 "(exception stack): EC 0x25 data abort" in out,
                 "fault estack halt: reported from the emergency stack as a nested exception",
                 out[-2500:])
            t.ok("*** stack overflow: FAR is the guard page below cpu0's exception stack" in out
                 and re.search(r"SP 0x[0-9a-f]+ is in the guard page below cpu0's exception "
                               r"stack", out),
                 "fault estack halt: the exception stack's guard page is named", out[-2500:])
            bt = backtrace(out)
            t.ok(has_regs(out) and len(bt) > 10 and set(bt) == {"deeper"},
                 "fault estack halt: registers and the recursion's backtrace", " <- ".join(bt))
            stays_halted(t, q, "fault estack halt")
        except Timeout as e:
            t.ok(False, f"{name}: fault estack", str(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    image = os.path.join(build, "kernel", "Image")
    if not have_qemu() or not os.path.exists(image):
        t.skip("CPU exceptions under QEMU", "no qemu-system-aarch64 or no kernel Image")
        return 0
    recover_boot(t, build)
    halt_boot(t, build)
    emergency_boot(t, build)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
