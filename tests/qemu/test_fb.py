#!/usr/bin/env python3
"""The framebuffer console in QEMU, direct boots (-kernel, -dtb) of
tests/trees/qemu_fb.dts: dts/qemu-virt.dts plus a simple-framebuffer node
(fb0, 800x600 x8r8g8b8) on the last 2 MiB of RAM, reserved no-map. A direct
boot has no firmware to set up a display, so the "screen" is that RAM, read
with the QEMU monitor's pmemsave (monitor on a unix socket), converted to a
PPM and read back as text by build/host/fbtext, which also writes a PNG.
Three boots, run side by side:

  * qemu-fb: the screen mirrors the serial console: `devices` marks the
    framebuffer [console mirror]; after `uptime`, the screen shows the boot
    banner, the command's output and `plinth> `, every cell recognised.
  * qemu-fb-off: an overlay sets fb0's status = "disabled": `devices` says so,
    one console is active, and the framebuffer memory stays untouched;
    `fbbench 40` runs (its framebuffers are RAM from page_alloc).
  * qemu-fb-stdout: an overlay points stdout-path at fb0: the framebuffer is
    the primary console (output only), the UART a mirror the shell reads from.

Artifacts in BUILD/test-artifacts/: qemu-fb*.log (serial), qemu-fb*-screen.png
and .txt (the screen and its text), the overlays and trees under fb/.
  python3 tests/qemu/test_fb.py --build BUILD
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import (Tap, artifacts_dir, build_arg, have_qemu, machine,  # noqa: E402
                         monitored_boots, read_screen)

MACHINE = machine() + ["-m", "512", "-smp", "1"]
FB_ADDR, FB_W, FB_H, FB_STRIDE = 0x5FE00000, 800, 600, 3200   # tests/trees/qemu_fb.dts
FB_NODE = "/chosen/framebuffer@5fe00000"
BOOT_TIMEOUT = 25.0

OVERLAYS = {
    # User overlays as a person would write them: by label and by path.
    "off": '/dts-v1/;\n/plugin/;\n&fb0 {\n\tstatus = "disabled";\n};\n',
    "stdout": '/dts-v1/;\n/plugin/;\n&{/chosen} {\n\tstdout-path = "fb0";\n};\n',
}


def make_trees(t, build):
    """The base tree (built by make) and the two overlaid ones."""
    base = os.path.join(build, "host", "trees", "qemu_fb.dtb")
    if not t.ok(os.path.exists(base), f"test tree built ({base})", "run `make host`"):
        return None
    if not (shutil.which("dtc") and shutil.which("fdtoverlay")):
        t.skip("overlays for fb0", "dtc/fdtoverlay missing (device-tree-compiler)")
        return {"on": base}
    out = os.path.join(artifacts_dir(build), "fb")
    os.makedirs(out, exist_ok=True)
    trees = {"on": base}
    for name, src in OVERLAYS.items():
        dtso, dtbo = os.path.join(out, f"fb0-{name}.dtso"), os.path.join(out, f"fb0-{name}.dtbo")
        dtb = os.path.join(out, f"qemu_fb-{name}.dtb")
        with open(dtso, "w") as f:
            f.write(src)
        p = subprocess.run(["dtc", "-@", "-I", "dts", "-O", "dtb", "-o", dtbo, dtso],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        if p.returncode == 0:
            p = subprocess.run(["fdtoverlay", "-i", base, "-o", dtb, dtbo],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        if t.ok(p.returncode == 0, f"overlay {name} ({dtso}) applies to the test tree",
                p.stdout.decode("utf-8", "replace")):
            trees[name] = dtb
    return trees


def screen(t, q, mon, build, fbtext):
    """pmemsave the framebuffer, convert it to PPM, run fbtext (text + PNG).
    Returns (text, fbtext's summary, raw bytes) or None."""
    def grab(ppm, tmp):
        raw_path = os.path.join(tmp, "fb.raw")
        mon.cmd(f'pmemsave 0x{FB_ADDR:x} {FB_STRIDE * FB_H} "{raw_path}"')
        with open(raw_path, "rb") as f:
            raw = f.read()
        if len(raw) != FB_STRIDE * FB_H:
            t.ok(False, f"{q.name}: pmemsave wrote {len(raw)} bytes, want {FB_STRIDE * FB_H}")
            return None
        rgb = bytearray(FB_W * FB_H * 3)         # x8r8g8b8: bytes b, g, r, x
        rgb[0::3] = raw[2::4]
        rgb[1::3] = raw[1::4]
        rgb[2::3] = raw[0::4]
        with open(ppm, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (FB_W, FB_H) + rgb)
        return raw

    return read_screen(t, q.name, build, fbtext, grab, "screen")


def devices_line(devices, node):
    for line in devices.splitlines():
        if line.startswith(node + ":"):
            return line
    return ""


def check_on(t, q, mon, build, fbtext):
    name = q.name
    t.ok(re.search(rf"console: {re.escape(FB_NODE)} \(simple-framebuffer\), mirror", q.transcript()),
         f"{name}: the framebuffer registers as a mirror console", q.transcript()[-1500:])
    # A short command first: the banner is still on the screen (37 rows).
    up = q.command("uptime", timeout=10).strip()
    got = screen(t, q, mon, build, fbtext)
    if got:
        text, summary, _ = got
        lines = [l for l in text.splitlines() if l.strip()]
        t.ok("Plinth: entered at EL" in text, f"{name}: the boot banner is on the screen",
             text[-1500:])
        t.ok(up and up in text, f"{name}: the output of uptime ({up!r}) is on the screen",
             text[-800:])
        t.ok(lines and lines[-1] == "plinth>" and "plinth> uptime" in text,
             f"{name}: the screen ends with the command line and a fresh `plinth> `", text[-800:])
        t.ok(summary.endswith(" 0 unrecognised"), f"{name}: every cell of the screen is recognised",
             summary)
    dev = q.command("devices", timeout=10)
    fb, uart = devices_line(dev, FB_NODE), devices_line(dev, "/serial@9000000")
    t.ok(fb.endswith("[console mirror]") and uart.endswith("[console]")
         and "2 console(s) active" in dev,
         f"{name}: devices marks the UART [console] and the framebuffer [console mirror]",
         f"{fb}\n{uart}\n{dev[-600:]}")


def check_off(t, q, mon, build, fbtext):
    name = q.name
    dev = q.command("devices", timeout=10)
    t.ok(devices_line(dev, FB_NODE) == f"{FB_NODE}: disabled" and "1 console(s) active" in dev,
         f"{name}: devices says the framebuffer is disabled, one console active",
         devices_line(dev, FB_NODE) + "\n" + dev[-300:])
    got = screen(t, q, mon, build, fbtext)
    if got:
        text, _, raw = got
        t.ok(text == "" and raw.count(0) == len(raw),
             f"{name}: the screen shows no Plinth output (its memory untouched)", text[:500])
    # fbbench works without any screen: its framebuffers are RAM.
    out = q.command("fbbench 40", timeout=15)
    runs = re.findall(r"fbbench: (\d+)x(\d+) \((\d+)x(\d+) cells\): 40 lines in \d+ ticks", out)
    t.ok(runs == [("800", "600", "100", "37"), ("2048", "1536", "256", "96")],
         f"{name}: fbbench 40 times both sizes", out)


def check_stdout(t, q, mon, build, fbtext):
    name = q.name
    log = q.transcript()
    t.ok(f"console: {FB_NODE} (simple-framebuffer)\n" in log
         and "console: /serial@9000000 (pl011), mirror, input (the primary has none)" in log,
         f"{name}: stdout-path = fb0 makes the framebuffer primary, the UART a mirror with input",
         log[-1500:])
    dev = q.command("devices", timeout=10)
    fb, uart = devices_line(dev, FB_NODE), devices_line(dev, "/serial@9000000")
    t.ok(fb.endswith("[console, output only]") and uart.endswith("[console mirror, input]"),
         f"{name}: devices shows the primary framebuffer and the input UART", f"{fb}\n{uart}")
    got = screen(t, q, mon, build, fbtext)
    if got:
        text, _, _ = got
        lines = [l for l in text.splitlines() if l.strip()]
        t.ok("2 console(s) active" in text and lines and lines[-1] == "plinth>",
             f"{name}: the shell, typed on the serial port, shows on the screen", text[-600:])


def main():
    build = build_arg()
    t = Tap()
    if not have_qemu():
        t.skip("framebuffer console boots", "qemu-system-aarch64 not installed")
        return 0
    image = os.path.join(build, "kernel", "Image")
    fbtext = os.path.join(build, "host", "fbtext")
    if not (t.ok(os.path.exists(image), f"kernel Image built ({image})", "run `make kernel`")
            and t.ok(os.path.exists(fbtext), f"fbtext built ({fbtext})", "run `make host`")):
        return 1
    trees = make_trees(t, build)
    if not trees:
        return 1
    plan = [(name, MACHINE + ["-kernel", image, "-dtb", trees[tree]], check)
            for name, tree, check in [("qemu-fb", "on", check_on), ("qemu-fb-off", "off", check_off),
                                      ("qemu-fb-stdout", "stdout", check_stdout)]
            if tree in trees]
    monitored_boots(t, build, plan, BOOT_TIMEOUT, build, fbtext)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
