#!/usr/bin/env python3
"""The firmware's GOP as the kernel's framebuffer (loader/efi_gop.c): UEFI
boots of build/qemu/plinth.img under QEMU + AAVMF, side by side:

  * gop-ramfb (-device ramfb: AAVMF offers an 800x600 GOP): the loader logs
    `fdt: gop: fb0 = 800x600 ...`; after `plinth> `, `uptime` runs and a
    `screendump` over the QEMU monitor (unix socket) is read back by
    build/host/fbtext: the boot banner, the command's output and `plinth> `
    are on the screen. Screenshot: BUILD/test-artifacts/gop-ramfb-screen.png.
  * gop-ramfb-off: the same with a user overlay \\plinth\\overlays\\
    10-fb0-off.dtbo (`&fb0 { status = "disabled"; }`) on the ESP: `devices`
    says the framebuffer is disabled. Skipped while the loader applies no
    user overlays (no `fdt: overlay` line in its log).
  * gop-cfg: plinth.cfg `gop=1024x768` on the ESP: the loader sets that
    mode and fb0 is 1024x768.
  * gop-none (no display device): the loader logs no framebuffer, no
    framebuffer node, the boot reaches `plinth> ` as before.
  * gop-blt (-device virtio-gpu-pci: a PixelBltOnly GOP): a log line, no
    node, the boot reaches `plinth> `.

  python3 tests/qemu/test_gop.py --build BUILD
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import (Tap, artifacts_dir, build_arg, fresh_vars, machine,  # noqa: E402
                         monitored_boots, pflash_args, read_screen, uefi_missing)
from test_loader import check_tree  # noqa: E402

BOOT_TIMEOUT = 150.0
FB_OFF = '/dts-v1/;\n/plugin/;\n&fb0 {\n\tstatus = "disabled";\n};\n'


def uefi(build, name, disk):
    return (machine() + ["-smp", "2", "-m", "512"] +
            pflash_args(fresh_vars(build, name)) +
            ["-drive", f"format=raw,file={disk},if=virtio,snapshot=on"])


def overlay_disk(t, build, disk):
    """plinth.img plus \\plinth\\overlays\\10-fb0-off.dtbo."""
    art = os.path.join(artifacts_dir(build), "gop")
    os.makedirs(art, exist_ok=True)
    dtso, dtbo = os.path.join(art, "10-fb0-off.dtso"), os.path.join(art, "10-fb0-off.dtbo")
    out = os.path.join(art, "plinth-fb0-off.img")
    with open(dtso, "w") as f:
        f.write(FB_OFF)
    shutil.copyfile(disk, out)
    esp = f"{out}@@{2048 * 512}"
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for argv in (["dtc", "-@", "-I", "dts", "-O", "dtb", "-o", dtbo, dtso],
                 ["mmd", "-D", "s", "-i", esp, "::/plinth/overlays"],
                 ["mcopy", "-o", "-i", esp, dtbo, "::/plinth/overlays/10-fb0-off.dtbo"]):
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                           timeout=60)
        if p.returncode != 0:
            t.ok(False, "gop-ramfb-off: disk with the fb0-off overlay", p.stdout.decode())
            return None
    return out


def cfg_disk(t, build, disk):
    """plinth.img plus a plinth.cfg asking for gop=1024x768."""
    art = os.path.join(artifacts_dir(build), "gop")
    os.makedirs(art, exist_ok=True)
    cfg, out = os.path.join(art, "plinth.cfg"), os.path.join(art, "plinth-gop1024.img")
    with open(cfg, "w") as f:
        f.write("# the GOP mode the loader sets\ngop=1024x768\n")
    shutil.copyfile(disk, out)
    p = subprocess.run(["mcopy", "-o", "-i", f"{out}@@{2048 * 512}", cfg, "::/plinth/plinth.cfg"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60,
                       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return out if t.ok(p.returncode == 0, "gop-cfg: disk with gop=1024x768",
                       p.stdout.decode()) else None


def check_cfg(t, q, mon, build, fbtext):
    log = q.transcript()
    t.ok(re.search(r"fdt: gop: cfg gop=1024x768: mode \d+ set", log)
         and re.search(r"fdt: gop: fb0 = 1024x768 x8r8g8b8 @0x[0-9a-f]+, stride 4096", log),
         f"{q.name}: plinth.cfg gop=1024x768 sets that mode and fb0 describes it", log[-2500:])
    up = q.command("uptime", timeout=20).strip()
    text = screen(t, q, mon, build, fbtext)
    if text is not None:
        t.ok(up and up in text, f"{q.name}: the 1024x768 screen shows the shell", text[-600:])


def screen(t, q, mon, build, fbtext):
    """The monitor's screendump read back by fbtext: the text, or None."""
    got = read_screen(t, q.name, build, fbtext,
                      lambda ppm, _: mon.cmd(f'screendump "{ppm}"'), "screendump")
    return got[0] if got else None


def node_lines(text):
    return re.findall(r"/chosen/framebuffer@[0-9a-f]+", text)


def check_ramfb(t, q, mon, build, fbtext):
    log = q.transcript()
    m = re.search(r"fdt: gop: fb0 = 800x600 (x8r8g8b8|x8b8g8r8) @0x([0-9a-f]+)", log)
    t.ok(m, f"{q.name}: the loader logs `fdt: gop: fb0 = 800x600 <format> @<addr>`", log[-2500:])
    t.ok(re.search(r"console: /chosen/framebuffer@[0-9a-f]+ \(simple-framebuffer\), mirror", log),
         f"{q.name}: the kernel mirrors its console on it", log[-1500:])
    up = q.command("uptime", timeout=20).strip()
    text = screen(t, q, mon, build, fbtext)
    if text is None:
        return
    lines = [l for l in text.splitlines() if l.strip()]
    t.ok("Plinth: entered at EL" in text, f"{q.name}: the boot banner is on the screen",
         text[-1500:])
    t.ok(up and up in text, f"{q.name}: uptime's output ({up!r}) is on the screen", text[-800:])
    t.ok(lines and lines[-1] == "plinth>" and "plinth> uptime" in text,
         f"{q.name}: the screen ends with the command and a fresh `plinth> `", text[-800:])
    # The tree as the kernel got it: dtc without warnings, dt-validate, and
    # the node as the binding wants it.
    tree = check_tree(t, q.name, build, q.command("dt", timeout=60), log)
    if tree is None or not m:
        return
    path = f"/chosen/framebuffer@{m.group(2)}"
    fb, chosen, aliases = (tree.nodes.get(p) for p in (path, "/chosen", "/aliases"))
    t.ok(fb is not None and "simple-framebuffer" in fb.strings("compatible")
         and fb.string("status") == "okay" and fb.string("format") == m.group(1)
         and fb.cells("width") == [800] and fb.cells("height") == [600]
         and fb.cells("stride") == [3200] and chosen.cells("#address-cells") == [2]
         and aliases is not None and aliases.string("fb0") == path,
         f"{q.name}: {path}: simple-framebuffer 800x600, stride 3200, okay, alias fb0",
         str(fb and fb.props))
    # ramfb's memory is firmware-reserved RAM: the memory map's no-map entry
    # covers it (elsewhere the loader adds /reserved-memory/framebuffer@).
    base = int(m.group(2), 16)
    cover = [n.path for n in tree.nodes.values()
             if n.parent is not None and n.parent.path == "/reserved-memory"
             and "no-map" in n.props
             and any(a <= base and base + 3200 * 600 <= a + sz for a, sz in tree.reg(n))]
    t.ok(cover, f"{q.name}: a no-map /reserved-memory child covers the framebuffer",
         str([n for n in tree.nodes if n.startswith("/reserved-memory")]))


def check_off(t, q, mon, build, fbtext):
    log = q.transcript()
    if "fdt: overlay" not in log:
        t.skip(f"{q.name}: fb0 disabled by a user overlay",
               "the loader applies no user overlays yet (no `fdt: overlay` line in its log)")
        return
    t.ok("fdt: overlay 10-fb0-off.dtbo: applied" in log, f"{q.name}: the overlay applies",
         log[-2000:])
    dev = q.command("devices", timeout=20)
    t.ok(re.search(r"/chosen/framebuffer@[0-9a-f]+: disabled", dev) and
         "1 console(s) active" in dev,
         f"{q.name}: devices says the framebuffer is disabled, one console", dev[-800:])
    text = screen(t, q, mon, build, fbtext)
    if text is not None:
        t.ok("plinth>" not in text and "Plinth:" not in text,
             f"{q.name}: the screen shows no Plinth output", text[-800:])


def check_none(t, q, mon, build, fbtext):
    log = q.transcript()
    t.ok("fdt: gop: none" in log and not node_lines(log),
         f"{q.name}: no GOP: logged, no framebuffer node", log[-2500:])
    dev = q.command("devices", timeout=20)
    t.ok("framebuffer" not in dev and "1 console(s) active" in dev,
         f"{q.name}: the boot is unchanged (one console, no framebuffer)", dev[-800:])


def check_blt(t, q, mon, build, fbtext):
    log = q.transcript()
    t.ok(re.search(r"fdt: gop: \d+x\d+ is Blt only \(no linear framebuffer\): no framebuffer node",
                   log) and not node_lines(log),
         f"{q.name}: PixelBltOnly GOP: logged, no node", log[-2500:])
    dev = q.command("devices", timeout=20)
    t.ok("framebuffer" not in dev and "1 console(s) active" in dev,
         f"{q.name}: the boot is unchanged (one console, no framebuffer)", dev[-800:])


def main():
    build = build_arg()
    t = Tap()
    why = uefi_missing()
    if why:
        t.skip("GOP boots", why)
        return 0
    disk = os.path.join(build, "qemu", "plinth.img")
    fbtext = os.path.join(build, "host", "fbtext")
    if not (t.ok(os.path.exists(disk), f"disk image built ({disk})", "run `make BOARD=qemu`")
            and t.ok(os.path.exists(fbtext), f"fbtext built ({fbtext})", "run `make host`")):
        return 1
    off_disk = overlay_disk(t, build, disk)
    plan = [("gop-ramfb", disk, ["-device", "ramfb"], check_ramfb),
            ("gop-none", disk, [], check_none),
            ("gop-blt", disk, ["-device", "virtio-gpu-pci"], check_blt)]
    if off_disk:
        plan.append(("gop-ramfb-off", off_disk, ["-device", "ramfb"], check_off))
    gop_cfg = cfg_disk(t, build, disk)
    if gop_cfg:
        plan.append(("gop-cfg", gop_cfg, ["-device", "ramfb"], check_cfg))
    monitored_boots(t, build, [(name, uefi(build, name, d) + extra, check)
                               for name, d, extra, check in plan], BOOT_TIMEOUT, build, fbtext)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
