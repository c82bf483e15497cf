#!/usr/bin/env python3
"""build/host/acpi2dts as a command (TAP).

  python3 tests/test_acpi2dts.py --build BUILD

Stricter than the loader: a missing file, a file that is not a table, a bad
signature or a length past the end of the file is an error naming the
file, the table and the offset (exit 1, no tree); a checksum mismatch is a
warning. The acpidump text format is parsed (RSDP header, CRLF lines, a
missing line is an error). -o writes a blob, -q silences the fdt: lines,
--board: tests/test_boards.py. Garbage never crashes it. Inputs are made from the ASL
fixtures (build/host/acpi/, compiled by make) under
BUILD/test-artifacts/acpi2dts/.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap, run  # noqa: E402


def fix(data):
    b = bytearray(data)
    b[4:8] = len(b).to_bytes(4, "little")
    b[9] = 0
    b[9] = (-sum(b)) & 0xFF
    return bytes(b)


def dump_text(tables, crlf=False, drop_line=None):
    """The acpidump text format: 'SIG @ 0xADDR', then 16 bytes a line."""
    out = []
    for sig, data in tables:
        out.append(f"{sig} @ 0x0000000000000000")
        for off in range(0, len(data), 16):
            chunk = data[off:off + 16]
            if drop_line is not None and off == drop_line:
                continue
            hexs = " ".join(f"{b:02X}" for b in chunk)
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            out.append(f"    {off:04X}: {hexs:<47}  {text}")
        out.append("")
    nl = "\r\n" if crlf else "\n"
    return nl.join(out) + nl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap(diag_lines=40)
    tool = os.path.join(build, "host", "acpi2dts")
    fx = os.path.join(build, "host", "acpi")
    out = os.path.join(build, "test-artifacts", "acpi2dts")
    os.makedirs(out, exist_ok=True)
    if not os.path.exists(tool) or not os.path.isdir(fx):
        t.ok(False, "build/host/acpi2dts and build/host/acpi exist", "run make")
        return 1

    def table(name):
        with open(os.path.join(fx, name + ".aml"), "rb") as f:
            return f.read()

    def write(name, data):
        path = os.path.join(out, name)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    apic = write("APIC.dat", table("common/apic-gicv3-4cpu"))
    spcr_bytes = table("common/spcr-qemu")
    spcr = write("SPCR.dat", spcr_bytes)

    rc, dts, err = run([tool, apic, spcr])
    t.ok(rc == 0 and "uart0: serial@9000000 {" in dts and dts.startswith("// acpi2dts:"),
         "two tables: DTS with labels on stdout, exit 0", err)
    t.ok("fdt: spcr: revision 2: interface 0x03" in err and "fdt: acpi: tree:" in err,
         "the fdt: lines and the summary go to stderr", err)
    rc, dts, err = run([tool, "-q", apic, spcr])
    t.ok(rc == 0 and "fdt:" not in err, "-q silences the fdt: lines", err)
    dtb = os.path.join(out, "tree.dtb")
    rc, _, err = run([tool, "-q", "-o", dtb, apic, spcr])
    with open(dtb, "rb") as f:
        head = f.read(4)
    t.ok(rc == 0 and head == b"\xd0\x0d\xfe\xed", "-o writes a blob", err)

    missing = os.path.join(out, "NOPE.dat")
    rc, dts, err = run([tool, apic, missing])
    t.ok(rc == 1 and "NOPE.dat: cannot open" in err and not dts, "a missing file: exit 1, named", err)

    text = write("notes.txt", b"hello\n")
    rc, dts, err = run([tool, apic, text])
    t.ok(rc == 1 and "notes.txt: table ? at offset 0: 6 bytes, not an ACPI table" in err and not dts,
         "a file that is not a table: exit 1, file/table/offset named", err)

    bad = bytearray(spcr_bytes)
    bad[0:4] = b"\x01PCR"
    bad_sig = write("BADSIG.dat", bytes(bad))
    rc, dts, err = run([tool, apic, bad_sig])
    t.ok(rc == 1 and "BADSIG.dat: table ? at offset 0: bytes 01 50 43 52 are not an ACPI signature" in err,
         "a bad signature: exit 1, named", err)

    long_ = write("LONG.dat", spcr_bytes[:60])
    rc, dts, err = run([tool, apic, long_])
    t.ok(rc == 1 and "LONG.dat: table SPCR at offset 0: length 80 past the end of the file (60 bytes)" in err
         and not dts, "a length past the file: exit 1, file/table/offset named", err)

    sumbad = bytearray(spcr_bytes)
    sumbad[9] ^= 0x55
    csum = write("CSUM.dat", bytes(sumbad))
    rc, dts, err = run([tool, apic, csum])
    t.ok(rc == 0 and "acpi2dts: warning: " in err and "checksum" in err and "serial@9000000" in dts,
         "a checksum mismatch: a warning, the table is used", err)

    rsdp = bytearray(b"RSD PTR " + bytes(28))
    rsdp[15] = 2
    rsdp[20] = 36
    rsdp[8] = (-sum(rsdp[:20])) & 0xFF
    rsdp[32] = (-sum(rsdp)) & 0xFF
    rsdp_path = write("RSDP.dat", bytes(rsdp))
    xsdt = write("XSDT.dat", fix(b"XSDT" + bytes(32)))
    rc, dts, err = run([tool, rsdp_path, xsdt, apic, spcr])
    t.ok(rc == 0 and "not converted: RSDP XSDT" in err, "RSDP and XSDT files are accepted", err)

    tables = [("APIC", table("common/apic-gicv3-4cpu")), ("SPCR", spcr_bytes),
              ("RSD PTR", bytes(rsdp[:36]))]
    dump = write("acpidump.txt", dump_text(tables, crlf=True))
    rc, dts_x, err = run([tool, "-q", "-x", dump])
    rc2, dts_b, _ = run([tool, "-q", apic, spcr])
    strip = lambda s: s.split("\n", 1)[1]
    t.ok(rc == 0 and strip(dts_x) == strip(dts_b),
         "-x acpidump.txt (CRLF lines, an RSDP) gives the tree the binary tables give", err)
    gap = write("gap.txt", dump_text(tables[:2], drop_line=0x20))
    rc, dts, err = run([tool, "-x", gap])
    t.ok(rc == 1 and "gap.txt: table APIC at line 1: line 4 has offset 0x30, expected 0x20" in err,
         "-x: a missing dump line is an error naming file, table and line", err)
    rc, _, err = run([tool, "-x", text])
    t.ok(rc == 1 and "no table found" in err, "-x on a file without tables: exit 1", err)

    rc, _, err = run([tool, "--board", "auto", apic])
    t.ok(rc == 0 and "fdt: board" in err,
         "--board auto detects (or logs no match); tests/test_boards.py tests the boards", err)
    rc, _, err = run([tool])
    t.ok(rc == 2 and "usage:" in err, "no arguments: usage, exit 2", err)
    rc, _, err = run([tool, "--frobnicate"])
    t.ok(rc == 2 and "unknown option --frobnicate" in err, "an unknown option: exit 2", err)

    # Never a crash: random bytes as tables and as dumps.
    rng = random.Random(5)
    crashes = []
    for i in range(60):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        if i % 3 == 0 and len(data) >= 36:
            data = fix(rng.choice([b"APIC", b"SPCR", b"DBG2", b"MCFG", b"GTDT", b"DSDT"]) + data[4:])
        path = write(f"fuzz{i}.dat", data)
        rc, _, err = run([tool, "-q", path])
        if rc not in (0, 1):
            crashes.append((path, rc, err[-300:]))
        text = "".join(rng.choice("0123456789ABCDEF :@x\nSPCRAPIC") for _ in range(400))
        path = write(f"fuzz{i}.txt", text)
        rc, _, err = run([tool, "-q", "-x", path])
        if rc not in (0, 1):
            crashes.append((path, rc, err[-300:]))
    t.ok(not crashes, "120 garbage inputs: exit 0 or 1, never a crash", crashes)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
