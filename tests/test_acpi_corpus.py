#!/usr/bin/env python3
"""The real-firmware corpus through build/host/acpi2dts (TAP).

  python3 tests/test_acpi_corpus.py --build BUILD

The corpus is where tests/corpus/plinth_corpus.py finds it verified against
tests/corpus/manifest.json: ../shared/acpi-dumps/, else BUILD/corpus/ (`make
corpus`); one that does not match the manifest fails, none at all skips.
Every machine folder is converted in place: binary tables (.dat, .aml) as
they are, `.dsl` files without a binary twin compiled with iasl into
BUILD/test-artifacts/acpi-corpus/<machine>/ first, and a lone acpidump.txt
with `-x` (a set with both is converted both ways, which must agree). Each
tree must compile with dtc printing no warnings, and match the facts of
tests/fixtures/corpus/<machine>.expect (hand-written from the corpus
README, see tests/fixtures/corpus/README.md), each fact only where the set
holds its table; a `quirk:` group's facts (the tree and the exact `fdt:` log
line) are reported under the quirk's name. A partial fetched machine (files
not found upstream, listed in its .absent-upstream) is tested too: a fact that
needs one of its absent tables is skipped saying so, as is the comparison with
its acpidump.txt. The data is never copied into the project.
"""
import argparse
import difflib
import glob
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXPECT = os.path.join(HERE, "fixtures", "corpus")
DTC_WARN = ["-Wunique_unit_address"]
UART_COMPATIBLES = ("ns16550a", "arm,pl011", "arm,sbsa-uart")
# The register model an expectation names -> the compatibles that implement
# it (a PL011 without a known clock is written as its SBSA subset).
MODELS = {"16550": ("ns16550a",), "pl011": ("arm,pl011", "arm,sbsa-uart"),
          "sbsa": ("arm,sbsa-uart",)}

sys.path.insert(0, os.path.join(HERE, "qemu"))
sys.path.insert(0, os.path.join(HERE, "corpus"))
from plinth_qemu import Tap, run as run_cmd  # noqa: E402
from plinth_corpus import ABSENT, locate, table_of  # noqa: E402

# Which table a fact comes from.
NEEDS = {
    "console": ("SPCR", "DBG2", "DSDT", "SSDT"), "uart": ("SPCR", "DBG2", "DSDT", "SSDT"),
    "uarts": ("SPCR", "DBG2", "DSDT", "SSDT"),
    "gic": ("APIC",), "gicr": ("APIC",), "gicr-covers": ("APIC",), "its": ("APIC",),
    "its-count": ("APIC",), "v2m": ("APIC",), "cpus": ("APIC",), "mpidr": ("APIC",),
    "mpidr-includes": ("APIC",), "timer": ("GTDT",), "pcie": ("MCFG",),
    "pcie-segment": ("MCFG",), "psci": ("FACP",),
    # model, log, same-without and same-with-first need no particular table
}


def run(argv):
    return run_cmd(argv, timeout=300)   # longer than the default 120 s


# ------------------------------------------------------------ the blob ----

def parse_dtb(blob):
    """{path: {property: bytes}} of a flattened device tree (DT spec ch. 5)."""
    magic, total, off_struct, off_strings = struct.unpack_from(">IIII", blob, 0)
    if magic != 0xD00DFEED:
        raise ValueError("not a DTB")
    nodes, stack, pos = {}, [], off_struct
    while True:
        tok = struct.unpack_from(">I", blob, pos)[0]
        pos += 4
        if tok == 1:
            end = blob.index(b"\0", pos)
            name = blob[pos:end].decode()
            pos = (end + 4) & ~3
            path = "/" if not stack else (stack[-1].rstrip("/") + "/" + name)
            stack.append(path)
            nodes[path] = {}
        elif tok == 2:
            stack.pop()
        elif tok == 3:
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            name = blob[off_strings + nameoff:blob.index(b"\0", off_strings + nameoff)].decode()
            nodes[stack[-1]][name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif tok == 4:
            continue
        elif tok == 9:
            return nodes
        else:
            raise ValueError(f"bad token {tok}")


def cells(v):
    return list(struct.unpack(f">{len(v) // 4}I", v)) if v else []


def strings(v):
    return v.rstrip(b"\0").decode().split("\0") if v else []


def pairs64(v):
    c = cells(v)
    return [((c[i] << 32) | c[i + 1], (c[i + 2] << 32) | c[i + 3]) for i in range(0, len(c) - 3, 4)]


def gsiv_of(spec):
    kind, num = spec[0], spec[1]
    return {0: 32 + num, 1: 16 + num, 2: 4096 + num, 3: 1056 + num}.get(kind)


class Tree:
    def __init__(self, blob):
        self.n = parse_dtb(blob)

    def compatible(self, path):
        return strings(self.n[path].get("compatible"))

    def by_compatible(self, *compat):
        return [p for p in self.n if set(self.compatible(p)) & set(compat)]

    def uart(self, path):
        props = self.n[path]
        info = {"compatible": self.compatible(path)[0], "address": pairs64(props["reg"])[0][0]}
        if "interrupts" in props:
            info["gsiv"] = gsiv_of(cells(props["interrupts"]))
        if "clock-frequency" in props:
            info["clock"] = cells(props["clock-frequency"])[0]
        return info

    def console(self):
        sp = strings(self.n.get("/chosen", {}).get("stdout-path"))
        if not sp:
            return None, None
        name, _, opts = sp[0].partition(":")
        path = strings(self.n.get("/aliases", {}).get(name))[0] if not name.startswith("/") else name
        digits = ""
        for ch in opts:
            if not ch.isdigit():
                break
            digits += ch
        baud = int(digits) if digits else None
        return path, baud

    def gic(self):
        g = self.by_compatible("arm,gic-v3", "arm,cortex-a15-gic")
        return g[0] if g else None

    def redistributors(self, gic):
        regs = pairs64(self.n[gic]["reg"])
        count = cells(self.n[gic].get("#redistributor-regions", b"\0\0\0\1"))[0]
        return regs[1:1 + count]

    def children(self, parent, compat):
        return [p for p in self.by_compatible(compat) if p.rsplit("/", 1)[0] == parent]

    def cpus(self):
        out = []
        for p in self.n:
            if p.startswith("/cpus/cpu@"):
                c = cells(self.n[p]["reg"])
                out.append(c[0] if len(c) == 1 else (c[0] << 32) | c[1])
        return out


# ------------------------------------------------------------- the facts ----

def num(s):
    return int(s, 0)


def check_fact(key, args, t):
    """(ok, what, diag)."""
    what = f"{key}: {' '.join(args)}"
    if key == "console":
        path, baud = t.console()
        if args == ["none"]:
            return path is None, what, f"stdout-path names {path}"
        if path is None:
            return False, what, "no stdout-path"
        u = t.uart(path)
        want = {"address": num(args[1])}
        rest = args[2:]
        for i in range(0, len(rest), 2):
            want[rest[i]] = num(rest[i + 1])
        got = dict(u, baud=baud)
        bad = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
        if u["compatible"] not in MODELS[args[0]]:
            bad["model"] = (args[0], u["compatible"])
        return not bad, what, f"want/got: {bad}"
    if key == "uart":
        want_m, want_a = MODELS[args[0]], num(args[1])
        found = [t.uart(p) for p in t.by_compatible(*UART_COMPATIBLES)]
        match = [u for u in found if u["compatible"] in want_m and u["address"] == want_a]
        if not match:
            return False, what, f"UARTs: {found}"
        if len(args) > 2:
            return match[0].get("gsiv") == num(args[3]), what, f"got {match[0]}"
        return True, what, ""
    if key == "uarts":
        n = len(t.by_compatible(*UART_COMPATIBLES))
        return n == num(args[0]), what, f"{n} UART nodes"
    gic = t.gic()
    if key == "gic":
        if not gic:
            return False, what, "no GIC node"
        v3 = "arm,gic-v3" in t.compatible(gic)
        regs = pairs64(t.n[gic]["reg"])
        ok = (args[0] == "v3") == v3 and regs[0][0] == num(args[2])
        if len(args) > 4:
            ok = ok and any(r[0] == num(args[4]) for r in regs)
        return ok, what, f"{gic}: {t.compatible(gic)} reg {[hex(r[0]) for r in regs]}"
    if key in ("gicr", "gicr-covers"):
        if not gic:
            return False, what, "no GIC node"
        regions = t.redistributors(gic)
        shown = [(hex(b), hex(s)) for b, s in regions]
        if key == "gicr":
            return (num(args[0]), num(args[1])) in regions, what, f"regions {shown}"
        miss = [a for a in args if not any(b <= num(a) < b + s for b, s in regions)]
        return not miss, what, f"outside {shown}: {miss}"
    if key == "v2m" and len(args) == 4 and args[1] == "spis":
        frames = {pairs64(t.n[p]["reg"])[0][0]: p for p in (t.children(gic, "arm,gic-v2m-frame") if gic else [])}
        if num(args[0]) not in frames:
            return False, what, f"no v2m frame at {args[0]}; have {[hex(a) for a in frames]}"
        props = t.n[frames[num(args[0])]]
        got = [cells(props.get("arm,msi-base-spi")), cells(props.get("arm,msi-num-spis"))]
        return got == [[num(args[2])], [num(args[3])]], what, f"arm,msi-base-spi/num-spis {got}"
    if key in ("its", "its-count", "v2m"):
        compat = "arm,gic-v2m-frame" if key == "v2m" else "arm,gic-v3-its"
        found = [pairs64(t.n[p]["reg"])[0][0] for p in (t.children(gic, compat) if gic else [])]
        if key == "its-count":
            return len(found) == num(args[0]), what, f"{len(found)} ITS: {[hex(a) for a in found]}"
        miss = [a for a in args if num(a) not in found]
        return not miss, what, f"missing {miss}; have {[hex(a) for a in found]}"
    if key in ("cpus", "mpidr", "mpidr-includes"):
        got = t.cpus()
        if key == "cpus":
            return len(got) == num(args[0]), what, f"{len(got)} CPUs"
        if key == "mpidr":
            return got == [num(a) for a in args], what, f"MPIDRs {[hex(m) for m in got]}"
        miss = [a for a in args if num(a) not in got]
        return not miss, what, f"missing {miss}; have {[hex(m) for m in got]}"
    if key == "timer":
        if "/timer" not in t.n:
            return False, what, "no /timer"
        spec = cells(t.n["/timer"]["interrupts"])
        got = [gsiv_of(spec[i:i + 3]) for i in range(0, len(spec), 3)]
        if args == ["present"]:
            return len(got) == 4, what, f"GSIVs {got}"
        return got == [num(a) for a in args], what, f"GSIVs {got}"
    if key in ("pcie", "pcie-segment"):
        hosts = {}
        for p in t.by_compatible("pci-host-ecam-generic"):
            props = t.n[p]
            seg = cells(props["linux,pci-domain"])[0]
            hosts[seg] = (cells(props["bus-range"]), pairs64(props["reg"])[0][0])
        if key == "pcie":
            return len(hosts) == num(args[0]), what, f"segments {sorted(hosts)}"
        seg, buses, base = num(args[0]), args[1], num(args[2])
        if seg not in hosts:
            return False, what, f"no segment {seg}; have {sorted(hosts)}"
        (start, end), reg = hosts[seg]
        ok = reg == base + (start << 20)
        if buses != "-":
            ok = ok and [start, end] == [num(x) for x in buses.split("-")]
        return ok, what, f"bus-range {start}-{end}, reg {hex(reg)}"
    if key == "psci":
        node = t.n.get("/psci")
        if node is None:
            return False, what, "no /psci"
        method = strings(node.get("method"))[0]
        return args[0] == "yes" or method == args[0], what, f"method {method}"
    return False, what, f"unknown key {key}"


# ------------------------------------------------- the conversion's facts ----

CONVERSION_KEYS = ("model", "log", "same-without", "same-with-first")


class Conversion:
    """One conversion of a set, for the facts that are not the tree's alone."""

    def __init__(self, acpi2dts, label, argv, log, normal, out_dir):
        self.acpi2dts, self.label, self.argv = acpi2dts, label, argv
        self.log, self.normal, self.out_dir = log, normal, out_dir


def check_conversion(key, text, t, conv):
    """(ok, what, diag); ok None: does not apply to this conversion (SKIP)."""
    what = f"{key}: {text}"
    if key == "model":
        got = strings(t.n["/"].get("model"))
        return got == [text], what, f"model {got}"
    if key == "log":
        lines = conv.log.splitlines()
        near = [ln for ln in lines if ln.startswith("fdt: " + text.split(":", 1)[0] + ":")]
        return "fdt: " + text in lines, what, "\n".join(["no such line; lines of that step:"] + near)
    if key in ("same-without", "same-with-first"):
        # same-without: the set with every table of that signature left out
        # gives the same tree (they were skipped without a trace in it);
        # same-with-first: so does the set with those tables given first
        # (nothing depends on the order the tables come in).
        if conv.argv[0] == "-x":
            return None, what, "an acpidump.txt is converted whole"
        sig = [f for f in conv.argv if table_signature(f) == text]
        rest = [f for f in conv.argv if table_signature(f) != text]
        if not sig:
            return False, what, f"no {text} table in the set"
        argv = rest if key == "same-without" else sig + rest
        dtb = os.path.join(conv.out_dir, conv.label.replace(".", "_") + f"-{key}-{text}.dtb")
        rc, _, err = run([conv.acpi2dts, "-o", dtb] + argv)
        if rc != 0:
            return False, what, f"{key} {text}: exit {rc}\n{err}"
        rc, norm, _ = run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-s", dtb])
        if norm == conv.normal:
            return True, what, ""
        diff = difflib.unified_diff(conv.normal.splitlines(), norm.splitlines(), "as given", key, lineterm="")
        return False, what, "\n".join(diff)
    return False, what, f"unknown key {key}"


# ------------------------------------------------------- the expectations ----

def read_expect(path):
    """[(quirk or None, key, args, text)] and the format problems found. A
    `quirk: NAME` line opens a group: the indented fact lines under it are
    the quirk's, and the group must state a tree fact and a `log:` line."""
    facts, problems, groups, quirk = [], [], {}, None
    with open(path) as f:
        for line in f:
            body = line.split("#", 1)[0].rstrip()
            if not body.strip():
                continue
            key, _, rest = body.strip().partition(":")
            key, text = key.strip(), rest.strip()
            if key == "quirk":
                quirk = text
                groups.setdefault(quirk, set())
                continue
            if not body[0].isspace():
                quirk = None
            if quirk:
                groups[quirk].add("log" if key == "log" else "tree")
            facts.append((quirk, key, text.split(), text))
    for name, kinds in groups.items():
        if kinds != {"log", "tree"}:
            problems.append(f"quirk {name}: states a tree fact and an exact log line "
                            f"(has {', '.join(sorted(kinds)) or 'nothing'})")
    return facts, problems


# ------------------------------------------------------------- the sets ----

def table_signature(path):
    with open(path, "rb") as f:
        head = f.read(8)
    return "RSDP" if head.startswith(b"RSD PTR ") else head[:4].decode("ascii", "replace")


def gather(t, machine, mdir, out_dir):
    """The acpi2dts inputs for a machine: [(label, argv, signatures)]."""
    binaries = sorted(glob.glob(os.path.join(mdir, "*.dat")) + glob.glob(os.path.join(mdir, "*.aml")))
    stems = {os.path.splitext(os.path.basename(b))[0] for b in binaries}
    compiled = []
    for dsl in sorted(glob.glob(os.path.join(mdir, "*.dsl"))):
        stem = os.path.splitext(os.path.basename(dsl))[0]
        if stem in stems:
            continue
        rc, out, err = run(["iasl", "-p", os.path.join(out_dir, stem), dsl])
        aml = os.path.join(out_dir, stem + ".aml")
        t.ok(rc == 0 and os.path.exists(aml), f"{machine}: iasl compiles {os.path.basename(dsl)}", out + err)
        if os.path.exists(aml):
            compiled.append(aml)
    inputs = []
    files = binaries + compiled
    if files:
        inputs.append(("tables", files, {table_signature(f) for f in files}))
    dump = os.path.join(mdir, "acpidump.txt")
    if os.path.exists(dump):
        sigs = set()
        with open(dump, errors="replace") as f:
            for line in f:
                if " @ 0x" in line:
                    sigs.add(line.split("@")[0].strip())
        inputs.append(("acpidump.txt", ["-x", dump], sigs))
    return inputs


def check_machine(t, machine, mdir, acpi2dts, build, absent=()):
    """absent: the machine's files not found upstream (a partial fetched
    copy): facts that need one of their tables are skipped on the binary
    tables, which lack them."""
    gone = {table_of(f): f for f in absent if table_of(f)}
    if absent:
        skipped = ""
        if gone:
            skipped = (f"; facts that need {'/'.join(sorted(gone))} are skipped on its binary "
                       "tables" + (" (without the APIC, every fact: interrupts name its GIC)"
                                   if "APIC" in gone else ""))
        t.diag(f"{machine}: partial fetched copy: {', '.join(absent)} not found upstream by "
               f"sha256 ({ABSENT}){skipped}")

    def gone_why(sigs):
        return (f"{', '.join(gone[s] for s in sorted(sigs))} not found upstream by sha256 "
                f"(partial fetched copy, {ABSENT})")
    out_dir = os.path.join(build, "test-artifacts", "acpi-corpus", machine)
    os.makedirs(out_dir, exist_ok=True)
    expect = os.path.join(EXPECT, machine + ".expect")
    t.ok(os.path.exists(expect), f"{machine}: tests/fixtures/corpus/{machine}.expect exists")
    facts = []
    if os.path.exists(expect):
        facts, problems = read_expect(expect)
        for problem in problems:
            t.ok(False, f"{machine}: {problem}")
    normal = {}
    for label, argv, sigs in gather(t, machine, mdir, out_dir):
        name = f"{machine} ({label})"
        dtb = os.path.join(out_dir, label.replace(".", "_") + ".dtb")
        rc, _, log = run([acpi2dts, "-o", dtb] + argv)
        with open(os.path.join(out_dir, label.replace(".", "_") + ".log"), "w") as f:
            f.write(log)
        t.ok(rc == 0, f"{name}: acpi2dts converts it", f"exit {rc}\n{log}")
        if rc != 0:
            continue
        rc, dts, err = run([acpi2dts, "-q"] + argv)
        dts_path = os.path.join(out_dir, label.replace(".", "_") + ".dts")
        with open(dts_path, "w") as f:
            f.write(dts)
        rc2, _, werr = run(["dtc", "-I", "dts", "-O", "dtb", "-o", os.devnull] + DTC_WARN + [dts_path])
        rc3, _, werr3 = run(["dtc", "-I", "dtb", "-O", "dtb", "-o", os.devnull] + DTC_WARN + [dtb])
        t.ok(rc == 0 and rc2 == 0 and rc3 == 0 and not (werr + werr3).strip(),
             f"{name}: the tree compiles with dtc, no warnings", err + werr + werr3)
        rc, norm, _ = run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-s", dtb])
        normal[label] = norm
        with open(dtb, "rb") as f:
            tree = Tree(f.read())
        conv = Conversion(acpi2dts, label, argv, log, norm, out_dir)
        for quirk, key, args, text in facts:
            prefix = f"{name}: quirk {quirk}: " if quirk else f"{name}: "
            need = NEEDS.get(key, ())
            # Every interrupt in the tree names the GIC the APIC describes.
            lost = set(gone) & (set(need) | {"APIC"})
            if label == "tables" and lost:
                t.skip(f"{prefix}{key}: {text}", gone_why(lost))
                continue
            if need and not sigs & set(need):
                t.skip(f"{prefix}{key}: {text}", f"no {'/'.join(need)} in the set")
                continue
            try:
                if key in CONVERSION_KEYS:
                    ok, what, diag = check_conversion(key, text, tree, conv)
                else:
                    ok, what, diag = check_fact(key, args, tree)
            except (KeyError, IndexError, ValueError) as e:
                ok, what, diag = False, f"{key}: {text}", f"{type(e).__name__}: {e}"
            if ok is None:
                t.skip(f"{prefix}{what}", diag)
            else:
                t.ok(ok, f"{prefix}{what}", diag)
    if len(normal) == 2 and gone:
        t.skip(f"{machine}: the binary tables and acpidump.txt give the same tree", gone_why(gone))
    elif len(normal) == 2:
        a, b = normal.values()
        t.ok(a == b, f"{machine}: the binary tables and acpidump.txt give the same tree")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap(diag_lines=60)
    corpus = locate(build)
    if corpus.errors:
        t.ok(False, "the real-firmware ACPI corpus matches tests/corpus/manifest.json",
             "\n".join(corpus.errors))
        return 1
    if not corpus.root:
        t.skip("real-firmware ACPI corpus", corpus.missing_why)
        return 0
    t.ok(True, corpus.describe())
    for extra in corpus.extras:
        t.diag(f"not in tests/corpus/manifest.json: {extra}")
    for tool, pkg in (("iasl", "acpica-tools"), ("dtc", "device-tree-compiler")):
        if not shutil.which(tool):
            t.skip("real-firmware ACPI corpus", f"{tool} not installed ({pkg})")
            return 0
    acpi2dts = os.path.join(build, "host", "acpi2dts")
    if not os.path.exists(acpi2dts):
        t.ok(False, "build/host/acpi2dts exists", f"{acpi2dts} missing: run make")
        return 1
    machines = corpus.machines
    t.ok(len(machines) >= 12, f"the corpus holds {len(machines)} machines")
    for m in machines:
        check_machine(t, m, os.path.join(corpus.root, m), acpi2dts, build, corpus.absent.get(m, ()))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
