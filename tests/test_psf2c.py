#!/usr/bin/env python3
"""gen/psf2c on fonts made here byte by byte: PSF1 with and without a Unicode
table, PSF2 of width 10 with a UTF-8 table and sequences, gzip'd; the C it
writes compiles (-Wall -Wextra -Werror) and holds the right glyphs. Every bad
header or truncated part is refused with a message naming it, exit status 1
and no output file. Finally the generated build/gen/console_font.c names its
input, package and generator.

  python3 tests/test_psf2c.py --build BUILD
"""
import argparse
import contextlib
import gzip
import importlib.machinery
import importlib.util
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PSF2C = os.path.join(ROOT, "gen", "psf2c")

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap  # noqa: E402


def glyph8(i, height=16):
    """A distinct 8-pixel-wide bitmap for glyph i."""
    return bytes(((i * 7 + r * 13) & 0xff) ^ (r << 4 & 0xf0) for r in range(height))


def psf1(count=256, table=True, mode_extra=0, cut=0, height=16):
    mode = (1 if count == 512 else 0) | (2 if table else 0) | mode_extra
    data = bytearray(b"\x36\x04" + bytes([mode, height]))
    for i in range(count):
        data += glyph8(i, height)
    if table:
        for i in range(count):
            data += struct.pack("<H", i)
            if i == ord("A"):
                data += struct.pack("<HHHH", 0x391, 0xFFFE, 0x41, 0x301)  # Alpha; A + acute
            data += struct.pack("<H", 0xFFFF)
    return bytes(data[:len(data) - cut] if cut else data)


def psf2(count=128, width=10, height=20, version=0, hsize=32, flags=1, charsize=None,
         cut=0, skip_cp=None):
    pitch = (width + 7) // 8
    cs = height * pitch if charsize is None else charsize
    data = bytearray(b"\x72\xb5\x4a\x86")
    data += struct.pack("<7I", version, hsize, flags, count, cs, height, width)
    data += b"\0" * (hsize - 32) if hsize > 32 else b""
    for i in range(count):
        g = bytearray()
        for r in range(height):
            row = ((i * 5 + r * 3) & 0x3ff) << (pitch * 8 - width)   # right bits padding 0
            g += row.to_bytes(pitch, "big")
        data += bytes(g[:cs].ljust(cs, b"\0"))
    if flags & 1:
        for i in range(count):
            if i != skip_cp:
                data += chr(i).encode()
            if i == ord("a"):
                data += "α".encode() + b"\xfe" + "a\u0301".encode()
            data += b"\xff"
    return bytes(data[:len(data) - cut] if cut else data)


def _load():
    loader = importlib.machinery.SourceFileLoader("psf2c", PSF2C)
    spec = importlib.util.spec_from_loader("psf2c", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


PSF2C_MOD = _load()


def run(args):
    """psf2c's main() in this process (a process per case would make this
    test slow): exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = PSF2C_MOD.main(args)
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def run_cli(args):
    p = subprocess.run([sys.executable, PSF2C] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def compiles(path):
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        return True, "no C compiler"
    p = subprocess.run([cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                        "-I", os.path.join(ROOT, "kernel", "include"), path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return p.returncode == 0, p.stdout.decode()


def glyph_rows(c_text, label):
    """The byte values of the glyph whose comment starts with label."""
    m = re.search(re.escape(f"/* {label}") + r"[^\n]*\*/\n((?:\t(?:0x[0-9a-f]{2}, ?)+[^\n]*\n)+)",
                  c_text)
    if not m:
        return None
    return bytes(int(v, 16) for v in re.findall(r"0x([0-9a-f]{2}),", m.group(1)))


def good_cases(t, tmp):
    # PSF1 with a table, gzip'd.
    src = os.path.join(tmp, "one.psf.gz")
    out = os.path.join(tmp, "one.c")
    with open(src, "wb") as f:
        f.write(gzip.compress(psf1()))
    rc, _, err = run(["--name", "Test1", src, out])
    text = open(out).read() if rc == 0 else ""
    t.ok(rc == 0 and glyph_rows(text, "U+0041 'A', glyph 65") == glyph8(65),
         "PSF1 + Unicode table, gzip'd: 'A' is glyph 65", err or text[:2000])
    t.ok("fallback U+003F" in text and ".width = 8," in text and ".count = 95," in text,
         "PSF1: no U+FFFD in the font, so the fallback is '?'; 8 wide; 95 codes", text[:600])
    ok, msg = compiles(out)
    t.ok(ok, "PSF1 output compiles with -Wall -Wextra -Werror", msg)

    # PSF1 without a table: index = code point; 512 glyphs.
    src = os.path.join(tmp, "notab.psf")
    with open(src, "wb") as f:
        f.write(psf1(count=512, table=False))
    rc, _, err = run([src, out])
    text = open(out).read() if rc == 0 else ""
    t.ok(rc == 0 and glyph_rows(text, "U+007E '~', glyph 126") == glyph8(126)
         and "no Unicode table" in text, "PSF1 without a table: glyph index = code point", err)

    # PSF2, width 10 (two bytes a row), UTF-8 table with a sequence.
    src = os.path.join(tmp, "two.psfu.gz")
    with open(src, "wb") as f:
        f.write(gzip.compress(psf2()))
    rc, _, err = run(["--symbol", "font_two", "--fallback", "0x61", src, out])
    text = open(out).read() if rc == 0 else ""
    rows = glyph_rows(text, "U+005A 'Z', glyph 90")
    t.ok(rc == 0 and ".width = 10," in text and ".pitch = 2," in text and ".height = 20," in text
         and rows is not None and len(rows) == 40 and "const struct font font_two" in text,
         "PSF2 10x20 with a UTF-8 table: two bytes per row, named symbol", err or text[:800])
    ok, msg = compiles(out)
    t.ok(ok, "PSF2 output compiles with -Wall -Wextra -Werror", msg)
    t.ok("fallback U+0061 (glyph 97)" in text, "--fallback picks the first code point the font has",
         text[:600])


def refusals(t, tmp):
    cases = [
        ("empty file", b"", "not a PC Screen Font: magic (empty file)"),
        ("bad magic", b"\x37\x04\x02\x10" + b"\0" * 5000, "not a PC Screen Font: magic 37 04 02 10"),
        ("PSF1 header truncated", b"\x36\x04\x02", "PSF1 header truncated (3 bytes, need 4)"),
        ("PSF1 unknown mode bits", psf1(mode_extra=0x08), "PSF1 mode 0x0a has unknown bits"),
        ("PSF1 charsize 0", b"\x36\x04\x00\x00", "PSF1 charsize 0 out of range"),
        ("PSF1 glyphs truncated", psf1(table=False, cut=1),
         "PSF1 glyphs truncated: 256 x 16 bytes need 4100, file has 4099"),
        ("PSF1 Unicode table truncated", psf1(cut=3), "PSF1 Unicode table truncated at glyph 255"),
        ("PSF2 header truncated", b"\x72\xb5\x4a\x86" + b"\0" * 20, "PSF2 header truncated (24 bytes"),
        ("PSF2 version 1", psf2(version=1), "PSF2 version 1 not supported (0)"),
        ("PSF2 headersize 16", psf2(hsize=16), "PSF2 headersize 16 out of range"),
        ("PSF2 unknown flags", psf2(flags=3), "PSF2 flags 0x3 have unknown bits"),
        ("PSF2 charsize mismatch", psf2(charsize=30),
         "PSF2 charsize 30 does not match 10x20 (expected 40)"),
        ("PSF2 glyphs truncated", psf2(flags=0, cut=1), "PSF2 glyphs truncated"),
        ("PSF2 Unicode table truncated", psf2(cut=1), "PSF2 Unicode table truncated at glyph 127"),
        ("a code point without a glyph", psf2(skip_cp=ord("Z")), "no glyph for U+005A"),
        ("broken gzip", gzip.compress(psf1())[:-10], "gzip:"),
    ]
    # Once as a program: the exit status and message as make sees them.
    src = os.path.join(tmp, "bad.psf")
    with open(src, "wb") as f:
        f.write(cases[1][1])
    rc, _, err = run_cli([src, os.path.join(tmp, "bad.c")])
    t.ok(rc == 1 and cases[1][2] in err, "the program exits 1 with the message on stderr",
         f"exit {rc}, stderr {err!r}")
    for what, data, msg in cases:
        src = os.path.join(tmp, "bad.psf")
        out = os.path.join(tmp, "bad.c")
        with open(src, "wb") as f:
            f.write(data)
        if os.path.exists(out):
            os.remove(out)
        rc, _, err = run([src, out])
        t.ok(rc == 1 and msg in err and err.startswith(f"psf2c: {src}: ") and not os.path.exists(out),
             f"refused: {what}", f"exit {rc}, stderr: {err!r}, wanted {msg!r}")


def generated(t, build):
    path = os.path.join(build, "gen", "console_font.c")
    if not os.path.exists(path):
        t.skip("build/gen/console_font.c names its input and generator", f"{path} not built")
        return
    head = open(path).read(1200)
    want = ["Generated by gen/psf2c", "input:", "sha256:", "Debian console-setup-linux",
            "generator: gen/psf2c"]
    missing = [w for w in want if w not in head]
    t.ok(not missing, "build/gen/console_font.c names its input, package and generator",
         f"missing {missing}:\n{head}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    t = Tap()
    with tempfile.TemporaryDirectory(prefix="psf2c-") as tmp:
        good_cases(t, tmp)
        refusals(t, tmp)
    generated(t, os.path.abspath(a.build))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
