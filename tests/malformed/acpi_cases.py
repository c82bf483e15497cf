"""Malformed ACPI tables and overlays for tests/test_malformed.py, made at
test time from the compiled ASL fixtures (build/host/acpi/, by make) or from
bytes; no binary is committed. Each case: (name, {file: bytes}, extra
acpi2dts arguments, expected log lines, "tree" or "refused").
  "tree":    acpi2dts exits 0 and its DTS compiles with dtc;
  "refused": it exits non-zero, saying why, and writes no tree."""
import os
import struct
import subprocess

COMMON = ["apic-gicv3-4cpu", "facp-hvc", "gtdt-qemu", "spcr-qemu", "dsdt-qemu", "mcfg-qemu"]

# A device whose _CRS is a method that builds the buffer at run time.
CRS_METHOD_ASL = """DefinitionBlock ("", "DSDT", 2, "PLINTH", "FIXTURE", 1)
{
    Scope (\\_SB)
    {
        Device (COM0)
        {
            Name (_HID, "ARMH0011")
            Name (_UID, Zero)
            Method (_CRS, 0, Serialized)
            {
                Local0 = ResourceTemplate () {
                    Memory32Fixed (ReadWrite, 0x09000000, 0x00001000, )
                }
                Return (ConcatenateResTemplate (Local0, ResourceTemplate () {
                    Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive, ,, ) { 33 }
                }))
            }
        }
    }
}
"""


def fix_sum(t):
    t = bytearray(t)
    t[9] = 0
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def set_len(t, n):
    return t[:4] + struct.pack("<I", n) + t[8:]


def madt_subtables(t):
    off, out = 44, []
    while off + 2 <= len(t):
        out.append((off, t[off], t[off + 1]))
        if t[off + 1] < 2:
            break
        off += t[off + 1]
    return out


def madt_edit(t, fn):
    """The MADT with fn(bytearray, subtables) applied, length and sum fixed."""
    b = bytearray(t)
    fn(b, madt_subtables(t))
    return fix_sum(set_len(bytes(b), len(b)))


def cases(acpi):
    def tab(name):
        return open(os.path.join(acpi, "common", name + ".aml"), "rb").read()

    base = {n: tab(n) for n in COMMON}
    apic, spcr, mcfg = base["apic-gicv3-4cpu"], base["spcr-qemu"], base["mcfg-qemu"]

    def with_(**repl):
        d = dict(base)
        for k, v in repl.items():
            k = k.replace("_", "-")
            if v is None:
                del d[k]
            else:
                d[k] = v
        return d

    def gicc(b, subs, i):
        return [s for s in subs if s[1] == 0x0B][i][0]

    def gicd(b, subs):
        return [s for s in subs if s[1] == 0x0C][0][0]

    def dup_mpidr(b, subs):
        b[gicc(b, subs, 1) + 68:gicc(b, subs, 1) + 76] = b[gicc(b, subs, 0) + 68:gicc(b, subs, 0) + 76]

    def zero_len(b, subs):
        b[gicc(b, subs, 1) + 1] = 0

    def overlap(b, subs):
        b[gicc(b, subs, 0) + 1] = 120  # runs into the next GICC

    def gicver(v):
        def f(b, subs):
            b[gicd(b, subs) + 20] = v
        return f

    def spcr_set(off, val):
        b = bytearray(spcr)
        b[off] = val
        return fix_sum(bytes(b))

    spcr_io = bytearray(spcr)
    spcr_io[36] = 0x00  # 16550
    spcr_io[40] = 0x01  # system I/O
    spcr_io[41] = 8
    spcr_io[44:52] = struct.pack("<Q", 0x3f8)
    return [
        ("truncated MADT (file cut mid-table)", with_(apic_gicv3_4cpu=apic[:100]),
         [], ["table APIC at offset 0: length 424 past the end of the file (100 bytes)"], "refused"),
        ("MADT checksum error", with_(apic_gicv3_4cpu=apic[:9] + bytes([apic[9] ^ 0x55]) + apic[10:]),
         [], ["fdt: acpi: APIC (", "): checksum 0x41 wrong (bytes sum to 0x2d): used anyway"], "tree"),
        ("MADT length past the end of the file", with_(apic_gicv3_4cpu=set_len(apic, len(apic) + 64)),
         [], ["table APIC at offset 0: length 488 past the end of the file (424 bytes)"], "refused"),
        ("SPCR length smaller than the header", with_(spcr_qemu=fix_sum(set_len(spcr, 20))),
         [], ["table SPCR at offset 0: length 20 is shorter than the 36-byte table header"], "refused"),
        ("MADT zero-length subtable", with_(apic_gicv3_4cpu=madt_edit(apic, zero_len)),
         [], ["fdt: madt: subtable type 0x0b at 0x94 has length 0", "fdt: madt: cpus: 1 (MPIDR 0x0)",
              "0 redistributor region(s)\n"], "tree"),
        ("MADT overlapping subtables", with_(apic_gicv3_4cpu=madt_edit(apic, overlap)),
         [], ["fdt: madt: subtable type 0x00 at 0xbc has length 0 (table ends at 0x1a8): walk ends there"], "tree"),
        ("MADT duplicate MPIDRs", with_(apic_gicv3_4cpu=madt_edit(apic, dup_mpidr)),
         [], ["fdt: madt: cpus: 3 (MPIDR 0x0 0x2 0x3)", "fdt: madt: 1 GICC entries repeat an MPIDR: no second node"], "tree"),
        ("MADT GIC version 0", with_(apic_gicv3_4cpu=madt_edit(apic, gicver(0))),
         [], ["fdt: madt: GICD version 0: inferred GICv3 from 1 GICR structure(s)"], "tree"),
        ("MADT unknown GIC version 9", with_(apic_gicv3_4cpu=madt_edit(apic, gicver(9))),
         [], ["fdt: madt: GICD version 9: inferred GICv3 from 1 GICR structure(s)"], "tree"),
        ("SPCR baud 0", with_(spcr_qemu=spcr_set(58, 0)), [], ["baud code 0: firmware baud kept", 'stdout-path = "serial0" (no baud stated'], "tree"),
        ("SPCR unknown interface type 0x77", with_(spcr_qemu=spcr_set(36, 0x77)),
         [], ["fdt: spcr: interface type 0x77 (unknown) not supported: skipped"], "tree"),
        ("SPCR I/O-port GAS without a known I/O window",
         with_(spcr_qemu=fix_sum(bytes(spcr_io)), mcfg_qemu=None, dsdt_qemu=None),
         [], ["fdt: spcr: I/O port 0x3f8 and no PCI I/O window known on segment 0: skipped"], "tree"),
        ("MCFG with no entries", with_(mcfg_qemu=fix_sum(set_len(mcfg[:44], 44))),
         [], ["fdt: mcfg: revision 1, no entries (empty table): no PCIe host bridge node"], "tree"),
    ]


def crs_method_case(gen, acpi):
    """The DSDT whose _CRS is a method, compiled with iasl into gen/."""
    asl = os.path.join(gen, "crs-method.asl")
    with open(asl, "w") as f:
        f.write(CRS_METHOD_ASL)
    p = subprocess.run(["iasl", "-p", os.path.join(gen, "crs-method"), asl],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    aml = os.path.join(gen, "crs-method.aml")
    if p.returncode != 0 or not os.path.exists(aml):
        return None
    d = {n: open(os.path.join(acpi, "common", n + ".aml"), "rb").read()
         for n in COMMON if n not in ("dsdt-qemu", "spcr-qemu", "mcfg-qemu")}
    d["dsdt-crs-method"] = open(aml, "rb").read()
    return ("DSDT with _CRS built by a method", d, [], ["fdt: dsdt: \\_SB_.COM0 (ARMH0011): _CRS is a method (resources set at run time), not read"], "tree")


# Overlays onto the tree of the common tables: (name, overlay DTS or raw
# bytes, expected log lines). Each is refused with a named line and the
# converted tree is still written (acpi2dts exits 0, the DTS compiles).
OVERLAY_MISSING_LABEL = """/dts-v1/;
/plugin/;
&uart9 { status = "okay"; };
"""
OVERLAY_BAD_TARGET = """/dts-v1/;
/plugin/;
/ { fragment@0 { target-path = "/no/such/node"; __overlay__ { x = <1>; }; }; };
"""
OVERLAY_LOCAL_FIXUP = """/dts-v1/;
/plugin/;
/ { fragment@0 { target-path = "/"; __overlay__ { clk: clk { phandle = <1>; }; u { clocks = <1>; }; }; };
    __local_fixups__ { fragment@0 { __overlay__ { u { clocks = <0x40>; }; }; }; }; };
"""


def overlay_backwards_property():
    """A blob whose one property states length 0xfffffff4 (-12): libfdt
    1.6.1 steps back to that same property and fdt_check_full never returns
    (found by the overlay fuzzer in its own base check; the loader checked
    overlays the same way)."""
    name = b"compatible\0"
    dt = (struct.pack(">I", 1) + b"\0" * 4 +              # BEGIN_NODE ""
          struct.pack(">III", 3, 0xfffffff4, 0) +        # PROP len -12, "compatible"
          struct.pack(">II", 2, 9))                      # END_NODE, END
    rsv = b"\0" * 16
    off_struct = 40 + len(rsv)
    total = off_struct + len(dt) + len(name)
    hdr = struct.pack(">10I", 0xd00dfeed, total, off_struct, off_struct + len(dt), 40, 17, 16, 0,
                      len(name), len(dt))
    return hdr + rsv + dt + name


def overlay_cases():
    return [
        ("overlay with a missing label", OVERLAY_MISSING_LABEL,
         ["fdt: overlay bad.dtbo: missing label 'uart9' (node /fragment@0)"]),
        ("overlay whose target-path is not in the tree", OVERLAY_BAD_TARGET,
         ["fdt: overlay bad.dtbo: target-path '/no/such/node' is not in the tree (node /fragment@0)"]),
        ("overlay with a bad local fixup (offset past its property)", OVERLAY_LOCAL_FIXUP,
         ["fdt: overlay bad.dtbo: bad __local_fixups__: offset 64 past property 'clocks' (4 bytes)"]),
        ("overlay with the wrong magic", b"\xd0\x0d\xfe\xee" + b"\0" * 60,
         ["fdt: overlay bad.dtbo: not a valid device tree blob (64 bytes: FDT_ERR_BADMAGIC)"]),
        ("overlay shorter than a header", b"\xd0\x0d\xfe\xed",
         ["fdt: overlay bad.dtbo: not a valid device tree blob (4 bytes: shorter than a header)"]),
        ("overlay whose property length steps backwards (libfdt's check would never return)",
         overlay_backwards_property(),
         ["fdt: overlay bad.dtbo: not a valid device tree blob (95 bytes: FDT_ERR_BADSTRUCTURE)"]),
    ]
