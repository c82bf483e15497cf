"""A small flattened device tree reader for the QEMU tests (no python3-libfdt
needed), and the normalisation the loader's cross-check uses.

  t = FdtTree(open("x.dtb", "rb").read())
  t.nodes["/chosen"].props["stdout-path"]     -> bytes
  t.find_compatible("arm,pl011")              -> [Node, ...]
  facts(t)                                    -> dict of normalised facts

Normalisation (so that a tree converted from ACPI and QEMU's own tree can be
compared): nodes are found by compatible and reg, never by name; interrupts
become (type, number, trigger) with the GICv2 PPI CPU mask (bits 15:8)
dropped; `ranges` become sorted entries (space, child address, parent
address, size) with only the PCI space code kept from the flags cell.
"""
import struct

FDT_MAGIC = 0xD00DFEED
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class Node:
    def __init__(self, path, parent):
        self.path = path
        self.parent = parent
        self.props = {}
        self.children = []

    def cells(self, name):
        v = self.props.get(name)
        if v is None:
            return None
        return list(struct.unpack(f">{len(v) // 4}I", v[: len(v) // 4 * 4]))

    def string(self, name):
        v = self.props.get(name)
        return None if v is None else v.rstrip(b"\0").decode("ascii", "replace")

    def strings(self, name):
        v = self.props.get(name)
        return [] if v is None else [s.decode("ascii", "replace") for s in v.split(b"\0")[:-1]]


class FdtTree:
    def __init__(self, blob):
        (magic, total, off_struct, off_strings, off_rsv, version, _lcv, _boot,
         size_strings, size_struct) = struct.unpack_from(">10I", blob, 0)
        if magic != FDT_MAGIC:
            raise ValueError(f"not a device tree (magic 0x{magic:08x})")
        if total > len(blob):
            raise ValueError(f"totalsize {total} past the {len(blob)} bytes given")
        self.memreserve = []
        off = off_rsv
        while True:
            a, s = struct.unpack_from(">QQ", blob, off)
            off += 16
            if a == 0 and s == 0:
                break
            self.memreserve.append((a, s))
        strings = blob[off_strings:off_strings + size_strings]
        self.nodes = {}
        self.by_phandle = {}
        stack = []
        off = off_struct
        end = off_struct + size_struct
        while off < end:
            (tag,) = struct.unpack_from(">I", blob, off)
            off += 4
            if tag == BEGIN_NODE:
                nul = blob.index(b"\0", off)
                name = blob[off:nul].decode("ascii", "replace")
                off = (nul + 4) & ~3
                parent = stack[-1] if stack else None
                if parent is None:
                    path = "/"
                else:
                    path = (parent.path.rstrip("/") + "/" + name)
                n = Node(path, parent)
                if parent:
                    parent.children.append(n)
                self.nodes[path] = n
                stack.append(n)
            elif tag == END_NODE:
                stack.pop()
            elif tag == PROP:
                ln, nameoff = struct.unpack_from(">II", blob, off)
                off += 8
                name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
                stack[-1].props[name] = blob[off:off + ln]
                off = (off + ln + 3) & ~3
                if name in ("phandle", "linux,phandle") and ln == 4:
                    self.by_phandle[struct.unpack(">I", stack[-1].props[name])[0]] = stack[-1]
            elif tag == NOP:
                continue
            elif tag == END:
                break
            else:
                raise ValueError(f"bad tag {tag} at {off - 4}")
        self.root = self.nodes["/"]

    def find_compatible(self, compat):
        return [n for n in self.nodes.values() if compat in n.strings("compatible")]

    def addr_cells(self, node):
        c = node.cells("#address-cells")
        return c[0] if c else 2

    def size_cells(self, node):
        c = node.cells("#size-cells")
        return c[0] if c else 1

    def reg(self, node):
        """[(address, size)] in the parent's cell sizes (no translation:
        every node compared here sits on the root or a simple bus with
        identity ranges)."""
        p = node.parent
        na, ns = self.addr_cells(p), self.size_cells(p)
        c = node.cells("reg") or []
        out = []
        step = na + ns
        for i in range(0, len(c) - step + 1, step):
            a = join(c[i:i + na])
            s = join(c[i + na:i + step])
            out.append((a, s))
        return out

    def interrupt_parent(self, node):
        n = node
        while n is not None:
            ip = n.cells("interrupt-parent")
            if ip:
                return self.by_phandle.get(ip[0])
            n = n.parent
        return None

    def interrupts(self, node):
        """[(type, number, trigger)] from `interrupts` (3-cell GIC specifiers)."""
        c = node.cells("interrupts") or []
        ctrl = self.interrupt_parent(node)
        ncells = (ctrl.cells("#interrupt-cells") or [3])[0] if ctrl else 3
        out = []
        for i in range(0, len(c) - ncells + 1, ncells):
            spec = c[i:i + ncells]
            if ncells >= 3:
                out.append((spec[0], spec[1], spec[2] & 0xFF))  # drop the GICv2 CPU mask
            else:
                out.append(tuple(spec))
        return out

    def ranges(self, node):
        """Sorted [(space, child address, parent address, size)]."""
        c = node.cells("ranges") or []
        cna = self.addr_cells(node)
        pna = self.addr_cells(node.parent)
        cns = self.size_cells(node)
        step = cna + pna + cns
        out = []
        for i in range(0, len(c) - step + 1, step):
            child = c[i:i + cna]
            space = (child[0] >> 24) & 3 if cna == 3 else 0
            caddr = join(child[1:]) if cna == 3 else join(child)
            out.append((space, caddr, join(c[i + cna:i + cna + pna]),
                        join(c[i + cna + pna:i + step])))
        return sorted(out)


def join(cells):
    v = 0
    for x in cells:
        v = (v << 32) | x
    return v


def hexs(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {hexs(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(hexs(x) for x in v) + "]"
    return hex(v) if isinstance(v, int) else str(v)


GIC_COMPATS = ["arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400"]


def facts(t):
    """The facts the cross-check compares; a missing fact is None."""
    f = {}
    sp = (t.nodes.get("/chosen") and t.nodes["/chosen"].string("stdout-path")) or ""
    path = sp.split(":")[0]
    if path and not path.startswith("/"):
        aliases = t.nodes.get("/aliases")
        path = aliases.string(path) if aliases and aliases.string(path) else path
    uart = t.nodes.get(path)
    f["uart"] = (t.reg(uart)[:1], t.interrupts(uart)) if uart else None
    gics = [n for c in GIC_COMPATS for n in t.find_compatible(c)]
    if gics:
        v3 = "arm,gic-v3" in gics[0].strings("compatible")
        f["gic"] = ("GICv3" if v3 else "GICv2", t.reg(gics[0]))
    else:
        f["gic"] = None
    timers = t.find_compatible("arm,armv8-timer")
    f["timer"] = t.interrupts(timers[0]) if timers else None
    cpus = t.nodes.get("/cpus")
    if cpus:
        f["cpus"] = sorted(join(c.cells("reg") or []) for c in cpus.children
                           if c.string("device_type") == "cpu")
    else:
        f["cpus"] = None
    pcie = []
    for n in t.find_compatible("pci-host-ecam-generic"):
        pcie.append({"reg": t.reg(n), "bus-range": n.cells("bus-range"),
                     "ranges": t.ranges(n)})
    f["pcie"] = sorted(pcie, key=lambda p: p["reg"]) or None
    return f
