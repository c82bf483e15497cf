#!/usr/bin/env python3
"""Interrupts, timer, SMP and the interrupt-driven console under QEMU, over a
matrix of machines. Boots run one after another, each with a hard
timeout and QEMU killed by its PID (plinth_qemu.py). In every boot:

  * the shell prompt `plinth> ` is reached (the time from starting QEMU to
    the prompt is recorded);
  * `cpus` ends with `N online`, N the -smp count, and lists every CPU online;
  * between two `irqs` calls the timer's count (INTID 27, the EL1 virtual
    timer) rises on every CPU: each CPU takes its own tick;
  * typed input is echoed, and the console UART's count in `irqs` rises with
    it: input arrives by interrupt, not by polling;
  * line editing over the serial line: Ctrl-U erases a typed line, Up
    recalls the last command;
  * `poweroff` makes QEMU exit by itself.

The EL2 boot (virtualization=on) must also say it was entered at EL2 and use
PSCI over SMC, as QEMU's tree then says. One more boot gives the project's
tree (four CPUs) only two vCPUs: the two missing CPUs fail CPU_ON, which is
reported in `cpus` and is not fatal. The boot-to-prompt times go to
BUILD/test-artifacts/irq-smp-times.txt; transcripts to
BUILD/test-artifacts/qemu-irq-*.log.

  python3 tests/qemu/test_irq_smp.py --build BUILD
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import Qemu, Tap, Timeout, artifacts_dir, have_qemu, machine  # noqa: E402

BOOT_TIMEOUT = 20.0
CMD_TIMEOUT = 10.0
TIMER_INTID = "27"        # PPI 11: the EL1 virtual timer in QEMU's tree and ours
UART_INTID = "33"         # SPI 1: the PL011 in QEMU's tree and ours
TICK_WAIT = 0.3           # 30 ticks at 100 Hz between the two `irqs`


def matrix(dtb):
    """(name, smp, QEMU machine arguments, extra expectations)."""
    m = [
        ("gicv2-smp1", 1, machine(gic=2), {}),
        ("gicv2-smp4", 4, machine(gic=2), {}),
        ("gicv3-smp4", 4, machine(gic=3), {}),
        ("gicv3-smp8", 8, machine(gic=3), {}),
        ("gicv3-el2-smp4", 4, machine(gic=3, props=["virtualization=on"]),
         {"el": 2, "conduit": "smc"}),
        ("a72-gicv2-smp4", 4, machine(cpu="cortex-a72"), {}),
        ("max-gicv3-smp4", 4, machine(gic=3, cpu="max"), {}),
        # The project's tree: GICv2, four CPUs in /cpus (QEMU adds none).
        ("dtb-smp4", 4, machine() + ["-dtb", dtb], {"dtb": True}),
    ]
    return m


def irq_row(table, intid):
    """Per-CPU counts of the `irqs` row for intid, or None."""
    for line in table.splitlines():
        parts = line.split()
        if len(parts) > 5 and parts[1] == intid:
            try:
                return [int(x) for x in parts[5:]]
            except ValueError:
                return None
    return None


class Boot:
    """One boot and its checks; a Timeout fails the check under way and
    marks the rest as not reached."""

    CHECKS = ["reaches plinth> ", "boot path as expected (EL, PSCI conduit)",
              "cpus: all CPUs online", "timer count rises on every CPU between two irqs",
              "typed input is echoed and the UART's interrupt count rises with it",
              "Ctrl-U erases a typed line, Up recalls the last command",
              "poweroff makes QEMU exit by itself"]

    def __init__(self, t, build, image, name, smp, args, expect):
        self.t, self.name, self.smp, self.expect = t, name, smp, expect
        self.args = args + ["-smp", str(smp), "-m", "512", "-kernel", image]
        self.build = build
        self.done = 0
        self.prompt_time = None

    def ok(self, cond, diag=""):
        self.t.ok(cond, f"qemu-irq-{self.name}: {self.CHECKS[self.done]}", diag)
        self.done += 1

    def run(self):
        with Qemu(f"qemu-irq-{self.name}", self.build, self.args, timeout=BOOT_TIMEOUT) as q:
            try:
                self.steps(q)
            except Timeout as e:
                self.t.ok(False, f"qemu-irq-{self.name}: {self.CHECKS[self.done]}",
                          f"{e}\nlog: {q.log_path}")
                for c in self.CHECKS[self.done + 1:]:
                    self.t.ok(False, f"qemu-irq-{self.name}: {c} (not reached)")
        return self.prompt_time

    def steps(self, q):
        q.wait_for(r"plinth> ")
        self.prompt_time = time.monotonic() - q.t0
        self.ok(True)
        self.check_boot_path(q)
        self.check_cpus(q)
        self.check_timer(q)
        self.check_input(q)
        self.check_editing(q)
        q.sendline("poweroff")
        rc = q.wait_exit(timeout=CMD_TIMEOUT)
        self.ok(rc is not None and not q.killed_by_watchdog,
                f"exit {rc}; last output:\n{q.transcript()[-800:]}")

    def check_boot_path(self, q):
        log = q.transcript()
        el = self.expect.get("el", 1)
        conduit = self.expect.get("conduit", "hvc")
        want = [f"Plinth: entered at EL{el}", f"via {conduit}",
                "input by interrupt (INTID 33)"]
        missing = [w for w in want if w not in log]
        self.ok(not missing, f"missing: {missing}\n{log[-1500:]}")

    def check_cpus(self, q):
        out = q.command("cpus", timeout=CMD_TIMEOUT)
        m = re.search(r"^(\d+) online$", out, re.M)
        online = [l for l in out.splitlines() if re.match(r"^cpu\d+\s+0x[0-9a-f]+\s+online", l)]
        self.ok(m is not None and int(m.group(1)) == self.smp and len(online) == self.smp,
                f"expected {self.smp} online:\n{out}")

    def check_timer(self, q):
        first = irq_row(q.command("irqs", timeout=CMD_TIMEOUT), TIMER_INTID)
        time.sleep(TICK_WAIT)
        table = q.command("irqs", timeout=CMD_TIMEOUT)
        second = irq_row(table, TIMER_INTID)
        good = (first is not None and second is not None and len(first) == self.smp and
                len(second) == self.smp and all(b > a for a, b in zip(first, second)))
        self.ok(good, f"INTID {TIMER_INTID}: {first} then {second}\n{table}")

    def check_input(self, q):
        before = irq_row(q.command("irqs", timeout=CMD_TIMEOUT), UART_INTID)
        word = "plinthtyped"
        out = q.command(word, timeout=CMD_TIMEOUT)
        echoed = f"plinth> {word}\n" in q.transcript()
        table = q.command("irqs", timeout=CMD_TIMEOUT)
        after = irq_row(table, UART_INTID)
        # The word, its CR and "irqs\r" all arrived since `before`.
        rose = before is not None and after is not None and after[0] > before[0]
        self.ok(echoed and rose and "unknown command" in out,
                f"echoed: {echoed}; INTID {UART_INTID} cpu0: {before} then {after}\n{out}\n{table}")

    def check_editing(self, q):
        erased = q.command("garbage\x15uptime", timeout=CMD_TIMEOUT)
        recalled = q.command("\x1b[A", timeout=CMD_TIMEOUT)
        uptime = re.compile(r"^up \d+\.\d{3} s", re.M)
        good = ("garbage" + "\b \b" * 7 + "uptime\n" in erased and uptime.search(erased)
                and "unknown command" not in erased
                and recalled.startswith("uptime\n") and uptime.search(recalled))
        self.ok(good, f"after Ctrl-U:\n{erased!r}\nafter Up:\n{recalled!r}")


def missing_cpus_boot(t, build, image, dtb):
    name = "qemu-irq-dtb-smp2-missing"
    args = machine() + ["-smp", "2", "-m", "512", "-kernel", image, "-dtb", dtb]
    what = f"{name}: CPUs the tree has but the machine lacks: CPU_ON failure reported, 2 online"
    with Qemu(name, build, args, timeout=BOOT_TIMEOUT) as q:
        try:
            q.wait_for(r"plinth> ")
            out = q.command("cpus", timeout=CMD_TIMEOUT)
            failed = re.findall(r"^  -   0x[23]\s+CPU_ON failed: INVALID_PARAMETERS$", out, re.M)
            t.ok(re.search(r"^2 online$", out, re.M) is not None and len(failed) == 2, what, out)
            q.sendline("poweroff")
            rc = q.wait_exit(timeout=CMD_TIMEOUT)
            t.ok(rc is not None and not q.killed_by_watchdog,
                 f"{name}: poweroff makes QEMU exit by itself", q.transcript()[-800:])
        except Timeout as e:
            t.ok(False, what, f"{e}\nlog: {q.log_path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", default="", help="run matrix entries whose name contains this")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    if not have_qemu():
        t.skip("QEMU interrupt/SMP matrix", "qemu-system-aarch64 not installed")
        return 0
    image = os.path.join(build, "kernel", "Image")
    dtb = os.path.join(build, "dts", "qemu-virt.dtb")
    if not t.ok(os.path.exists(image) and os.path.exists(dtb),
                f"kernel Image and tree built ({image}, {dtb})", "run `make kernel dtbs`"):
        return 1
    times = []
    for name, smp, args, expect in matrix(dtb):
        if a.only and a.only not in name:
            continue
        pt = Boot(t, build, image, name, smp, args, expect).run()
        times.append((name, smp, pt))
    if not a.only or a.only in "dtb-smp2-missing":
        missing_cpus_boot(t, build, image, dtb)
    path = os.path.join(artifacts_dir(build), "irq-smp-times.txt")
    with open(path, "w") as f:
        for name, smp, pt in times:
            line = f"{name}: smp {smp}: boot to prompt " + (f"{pt:.3f} s" if pt else "not reached")
            f.write(line + "\n")
            t.diag(line)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
