"""A small library for Plinth's QEMU tests.

  from plinth_qemu import Tap, Qemu
  with Qemu("boot-gicv2", build, ["-M", "virt,gic-version=2", "-kernel", image]) as q:
      q.wait_for("plinth> ")
      out = q.command("devices")

* QEMU runs with its first serial port on a pipe (stdin/stdout of the process);
  a reader thread keeps the whole transcript, written as it arrives to
  BUILD/test-artifacts/<name>.log.
* Every boot has a hard deadline (default 20 s): a watchdog kills QEMU by its
  PID when it expires, and wait_for() never waits past it. QEMU is also killed
  by PID when the `with` block ends and at interpreter exit.
* Tap prints TAP lines for tests/run.
"""
import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

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
    """TAP output: ok N - what / not ok N - what / ok N - what # SKIP why."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=""):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {what}")
        if diag and not cond:
            self.diag(diag)
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
            with self.lock:
                self.buf += text
            self.log.write(text)
            self.log.flush()

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
            with self.lock:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
            exited = self.proc.poll() is not None
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
            time.sleep(0.02)

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
