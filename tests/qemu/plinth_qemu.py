"""A small library for Plinth's QEMU tests.

  from plinth_qemu import Tap, Qemu, machine
  with Qemu("boot-gicv2", build, machine(gic=2) + ["-kernel", image]) as q:
      q.wait_for("plinth> ")
      out = q.command("devices")

* QEMU runs with its first serial port on a pipe (stdin/stdout of the process);
  a reader thread keeps the whole transcript, written as it arrives to
  BUILD/test-artifacts/<name>.log.
* Every boot has a hard deadline (default 20 s): a watchdog kills QEMU by its
  PID when it expires, and wait_for() never waits past it. QEMU is also killed
  by PID when the `with` block ends and at interpreter exit.
* Tap prints TAP lines for tests/run (the host-side tests in tests/ use it
  too, with run()).
* The machine: machine() is the qemu board's -M and -cpu, read from
  BOARD_QEMU_FLAGS in boards/qemu/board.mk (what tools/run-qemu and `make
  run` use), with the GIC version, CPU or -M properties a test varies.
* UEFI boots: AAVMF_CODE/AAVMF_VARS, uefi_missing(), fresh_vars(), uefi_args().
* Screens: Monitor (the HMP monitor on a unix socket), monitored_boots() (boots
  side by side, each with a monitor) and read_screen() (a PPM read back as
  text by build/host/fbtext).
"""
import argparse
import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU = "qemu-system-aarch64"
# No default devices (the default NIC wants an option ROM Debian does not
# ship for arm), no monitor, no display: the serial port is the process's stdio.
BASE_ARGS = ["-nodefaults", "-display", "none", "-monitor", "none", "-serial", "stdio"]

_live = set()


def _kill_all():
    for pid in list(_live):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _live.discard(pid)


atexit.register(_kill_all)


class Timeout(Exception):
    pass


class Tap:
    """TAP output: ok N - what / not ok N - what / ok N - what # SKIP why.
    A failure's diag is printed as `# ` lines, at most diag_lines of them
    (None: all). Also used by the host-side tests in tests/."""

    def __init__(self, diag_lines=None):
        self.n = 0
        self.failed = 0
        self.diag_lines = diag_lines

    def ok(self, cond, what, diag=""):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {what}")
        if diag and not cond:
            self.diag("\n".join(str(diag).rstrip().splitlines()[:self.diag_lines]))
        sys.stdout.flush()
        return bool(cond)

    def skip(self, what, why):
        self.n += 1
        print(f"ok {self.n} - {what} # SKIP {why}")
        sys.stdout.flush()

    def diag(self, text):
        for line in str(text).rstrip().splitlines():
            print(f"# {line}")
        sys.stdout.flush()


def artifacts_dir(build):
    d = os.path.join(build, "test-artifacts")
    os.makedirs(d, exist_ok=True)
    return d


def have_qemu():
    return shutil.which(QEMU) is not None


def build_arg():
    """A test script's `--build BUILD` argument (default build), absolute."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    return os.path.abspath(ap.parse_args().build)


def run(argv, timeout=120, cwd=ROOT):
    """Run a command (from the top of the tree, stdin empty) to its end:
    (exit status, stdout, stderr) as text."""
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# -- the machine: the qemu board's BOARD_QEMU_FLAGS -----------------------
BOARD_MK = os.path.join(ROOT, "boards", "qemu", "board.mk")


def read_board_mk(path=BOARD_MK):
    """A board.mk's `NAME := value` lines (the only form it uses), as make
    reads them: the value without the spaces around it."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^([A-Z_][A-Z0-9_]*)\s*:=(.*)$", line.rstrip("\n"))
            if m:
                out[m.group(1)] = m.group(2).strip()
    return out


def board_qemu_flags(path=BOARD_MK):
    """BOARD_QEMU_FLAGS as words: ["-M", "virt", "-cpu", "cortex-a57"]."""
    return read_board_mk(path).get("BOARD_QEMU_FLAGS", "").split()


def machine(gic=None, cpu=None, props=(), path=BOARD_MK):
    """The board's -M and -cpu first (tests edit -M's value as args[1]),
    then its other flags: -M's value gains gic-version=<gic> and each of
    props ("virtualization=on"), cpu replaces the board's CPU.
    machine(gic=3) -> ["-M", "virt,gic-version=3", "-cpu", "cortex-a57"]."""
    words, m, c, rest = board_qemu_flags(path), None, None, []
    i = 0
    while i < len(words):
        if words[i] in ("-M", "-machine") and i + 1 < len(words):
            m = words[i + 1]
            i += 2
        elif words[i] == "-cpu" and i + 1 < len(words):
            c = words[i + 1]
            i += 2
        else:
            rest.append(words[i])
            i += 1
    if m is None or c is None:
        raise ValueError(f"{path}: BOARD_QEMU_FLAGS names no -M and -cpu: {words}")
    m = ",".join([m] + ([f"gic-version={gic}"] if gic else []) + list(props))
    return ["-M", m, "-cpu", cpu or c] + rest


# -- UEFI boots: AAVMF (Debian's qemu-efi-aarch64) ------------------------
AAVMF_CODE = "/usr/share/AAVMF/AAVMF_CODE.fd"
AAVMF_VARS = "/usr/share/AAVMF/AAVMF_VARS.fd"


def uefi_missing():
    """Why UEFI boots cannot run here (a SKIP reason), or None."""
    if not have_qemu():
        return "qemu-system-aarch64 not installed (qemu-system-arm)"
    if not (os.path.exists(AAVMF_CODE) and os.path.exists(AAVMF_VARS)):
        return f"{AAVMF_CODE} missing (qemu-efi-aarch64)"
    return None


def fresh_vars(build, name):
    """A fresh copy of AAVMF_VARS for one boot (BUILD/test-artifacts/<name>-AAVMF_VARS.fd)."""
    path = os.path.join(artifacts_dir(build), f"{name}-AAVMF_VARS.fd")
    shutil.copyfile(AAVMF_VARS, path)
    return path


def pflash_args(vars_fd):
    """AAVMF's code (read-only) and variables as the two pflash devices."""
    return ["-drive", f"if=pflash,format=raw,readonly=on,file={AAVMF_CODE}",
            "-drive", f"if=pflash,format=raw,file={vars_fd}"]


def uefi_args(gic, vars_fd, disk, smp=4, mem=512):
    """The machine with GICv<gic>, AAVMF, and disk as a virtio disk."""
    return (machine(gic=gic) + ["-smp", str(smp), "-m", str(mem)] + pflash_args(vars_fd) +
            ["-drive", f"format=raw,file={disk},if=virtio"])


class Qemu:
    def __init__(self, name, build, args, timeout=20.0):
        self.name = name
        self.args = [QEMU] + BASE_ARGS + list(args)
        self.timeout = timeout
        self.log_path = os.path.join(artifacts_dir(build), f"{name}.log")
        self.proc = None
        self.buf = ""
        self.pos = 0            # wait_for() searches from here
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)   # new output, or the end of it
        self.deadline = None
        self.t0 = None
        self.killed_by_watchdog = False

    # -- lifecycle -------------------------------------------------------
    def start(self):
        self.log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self.log.write("# " + " ".join(self.args) + "\n")
        self.log.flush()
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        _live.add(self.proc.pid)
        self.t0 = time.monotonic()      # for boot-time measurements
        self.deadline = self.t0 + self.timeout
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.watchdog = threading.Timer(self.timeout, self._expire)
        self.watchdog.daemon = True
        self.watchdog.start()
        return self

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            text = data.decode("utf-8", "replace")
            with self.arrived:
                self.buf += text
                self.arrived.notify_all()
            self.log.write(text)
            self.log.flush()
        with self.arrived:
            self.arrived.notify_all()

    def _expire(self):
        if self.proc and self.proc.poll() is None:
            self.killed_by_watchdog = True
            self.kill()

    def kill(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        _live.discard(self.proc.pid)

    def close(self):
        self.watchdog.cancel()
        self.kill()
        self.reader.join(timeout=2)
        self.log.write(f"\n# end: exit {self.proc.returncode}"
                       f"{' (killed at the hard timeout)' if self.killed_by_watchdog else ''}\n")
        self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # -- serial ----------------------------------------------------------
    def transcript(self):
        with self.lock:
            return self.buf.replace("\r\n", "\n").replace("\r", "")

    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def wait_for(self, pattern, timeout=None):
        """Wait until pattern (a regex string) appears after the cursor; the
        cursor moves past it. Returns the match; raises Timeout (with the tail
        of the transcript) when the time or the boot's hard deadline runs out,
        or QEMU exits first."""
        rx = re.compile(pattern)
        limit = time.monotonic() + (self.remaining() if timeout is None
                                    else min(timeout, self.remaining()))
        while True:
            with self.arrived:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                exited = self.proc.poll() is not None
                if not exited and time.monotonic() < limit:
                    # woken by the reader as output arrives, so a boot time
                    # is taken when the bytes come, not at a polling tick;
                    # the cap is for noticing QEMU's exit
                    self.arrived.wait(min(0.05, max(0.0, limit - time.monotonic())))
                    continue
            if exited:
                # one last look: the reader may still hold the final bytes
                self.reader.join(timeout=1)
                with self.lock:
                    m = rx.search(self.buf, self.pos)
                    if m:
                        self.pos = m.end()
                        return m
            if exited or time.monotonic() >= limit:
                why = (f"QEMU exited ({self.proc.returncode})" if exited else "timeout")
                raise Timeout(f"{why} waiting for {pattern!r}; last output:\n"
                              + self.transcript()[-1500:])

    def send(self, text):
        """Type text (no newline added)."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def sendline(self, line):
        self.send(line + "\r")

    def command(self, line, prompt="plinth> ", timeout=None):
        """Run one shell command and return its output (between the echoed
        command line and the next prompt), with CR LF as LF."""
        with self.lock:
            start = len(self.buf)
        self.pos = start
        self.sendline(line)
        m = self.wait_for(re.escape(prompt), timeout)
        with self.lock:
            text = self.buf[start:m.start()]
        text = text.replace("\r\n", "\n").replace("\r", "")
        first, _, rest = text.partition("\n")   # the echoed command line
        return rest if line in first else text

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit by itself; returns its exit code or None."""
        t = self.remaining() if timeout is None else min(timeout, self.remaining())
        try:
            return self.proc.wait(timeout=t)
        except subprocess.TimeoutExpired:
            return None


# -- screens ------------------------------------------------------------
class Monitor:
    """The HMP monitor on a unix socket: one command at a time."""

    def __init__(self, path, deadline):
        self.sock = None
        while time.monotonic() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                self.sock = s
                break
            except OSError:
                s.close()
                time.sleep(0.05)
        if not self.sock:
            raise Timeout(f"monitor socket {path} never accepted a connection")
        self.sock.settimeout(max(1.0, deadline - time.monotonic()))
        self._until_prompt()

    def _until_prompt(self):
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Timeout("monitor closed")
            data += chunk
        return data

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self._until_prompt()

    def close(self):
        self.sock.close()


def monitored_boots(t, build, plan, timeout, *check_args):
    """Boot each (name, QEMU arguments, check) of plan side by side (each
    boot is mostly waiting), each with its monitor on a unix socket; once a
    boot reaches `plinth> `, check(t, q, mon, *check_args) runs. A timeout or
    a monitor error is one failure for that boot."""
    sockdir = tempfile.mkdtemp(prefix="plinth-mon-")
    boots = []
    try:
        for name, args, check in plan:
            sock = os.path.join(sockdir, f"{name}.sock")
            q = Qemu(name, build, list(args) + ["-monitor", f"unix:{sock},server,nowait"],
                     timeout=timeout)
            boots.append((q.start(), sock, check))
        for q, sock, check in boots:
            try:
                q.wait_for(r"plinth> ")
                mon = Monitor(sock, q.deadline)
                try:
                    check(t, q, mon, *check_args)
                finally:
                    mon.close()
            except (Timeout, OSError) as e:
                t.ok(False, f"{q.name}: boot and checks",
                     f"{e}\n{q.transcript()[-1500:]}\nlog: {q.log_path}")
    finally:
        for q, _, _ in boots:
            q.close()
        shutil.rmtree(sockdir, ignore_errors=True)


def read_screen(t, name, build, fbtext, grab, what):
    """grab(ppm, tmpdir) writes the screen as a PPM at ppm (None: no screen,
    already reported); build/host/fbtext reads it back into
    BUILD/test-artifacts/<name>-screen.txt and .png: one result, `<name>:
    fbtext reads the <what> (<png>)`. Returns (text, fbtext's summary, what
    grab returned) or None."""
    tmp = tempfile.mkdtemp(prefix="plinth-screen-")
    ppm = os.path.join(tmp, "screen.ppm")
    art = artifacts_dir(build)
    png, txt = os.path.join(art, f"{name}-screen.png"), os.path.join(art, f"{name}-screen.txt")
    try:
        grabbed = grab(ppm, tmp)
        if grabbed is None:
            return None
        p = subprocess.run([fbtext, "-o", txt, "--png", png, ppm], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        summary = p.stderr.decode("utf-8", "replace").strip()
        if not t.ok(p.returncode == 0, f"{name}: fbtext reads the {what} ({png})", summary):
            return None
        with open(txt, encoding="utf-8") as f:
            return f.read(), summary, grabbed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
