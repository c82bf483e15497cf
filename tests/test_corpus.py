#!/usr/bin/env python3
"""make corpus (tools/corpus) and the corpus locator the tests share
(tests/corpus/plinth_corpus.py), on data made here (TAP):

  * the committed manifest is well formed: 20 machines, 17 with an upstream
    repository and full commit, 3 local-only with a reason; with
    ../shared/acpi-dumps present, `tools/corpus manifest` re-makes exactly it;
  * verify: a copy of a machine folder with one byte changed, one file grown,
    one removed and one added gives an error naming each changed or missing
    file (exit 1) and reports the added one;
  * fetch, against git repositories made in a temp dir under the upstreams'
    names (niyas-sait/acpi, aarch64-laptops/build) and a manifest of its own:
    files under upstream names are found by sha256 at the pinned commit (not
    the branch tip) and land under their manifest names, duplicates included,
    unrelated files are left out; tables found only inside an upstream
    acpidump text dump (a folder holding just the dump, or Ampere's shape: a
    few .dat, .dsl files and the dump) are extracted with acpixtract and
    matched by sha256; a machine with some files not found (one refused by
    name) lands partial with .absent-upstream listing them, verifies, is kept
    as "verified (partial ...)" by a second run, and a damaged or
    contradicting copy of it fails locate() naming the file; a machine with
    no file found fails and is not written; without acpixtract the dump-only
    machine fails and the Ampere-shaped one is partial, fetched whole by the
    next run with acpixtract; a local-only machine is unavailable with its
    reason; a repository that does not exist fails that machine with git's
    error in one line, no traceback; exit 0 when nothing failed (partial is
    not a failure); a second run keeps what was fetched; a damaged fetched
    copy fails locate() and is fetched again;
  * locate(): the shared folder first (a bad one is an error, not a fallback,
    and .absent-upstream excuses nothing there), else the fetched copy, else
    nothing, with a skip reason naming `make corpus`.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOOL = os.path.join(ROOT, "tools", "corpus")
sys.path.insert(0, os.path.join(HERE, "qemu"))
sys.path.insert(0, os.path.join(HERE, "corpus"))
from plinth_qemu import Tap  # noqa: E402
import plinth_corpus as pc  # noqa: E402

LOCAL_ONLY = {"vmware-fusion-arm64", "qemu-virt-gicv2", "qemu-virt-gicv3"}
GIT_ENV = {"GIT_AUTHOR_NAME": "corpus test", "GIT_AUTHOR_EMAIL": "test@plinth.invalid",
           "GIT_COMMITTER_NAME": "corpus test", "GIT_COMMITTER_EMAIL": "test@plinth.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def corpus(*args, env=None):
    p = subprocess.run([sys.executable, TOOL] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                       env=dict(os.environ, **(env or {})), timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def git(cwd, *args):
    p = subprocess.run(["git", "-c", "init.defaultBranch=main"] + list(args), cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=dict(os.environ, **GIT_ENV), timeout=60)
    if p.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {p.stdout.decode()}")
    return p.stdout.decode().strip()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def table(sig, body):
    """Bytes shaped like an ACPI table (the tool never parses them)."""
    return sig.encode() + bytes(32) + body


def acpi_table(sig, body):
    """A well-formed ACPI table: header length and checksum right."""
    head = sig.encode() + struct.pack("<IBB6s8sI4sI", 36 + len(body), 2, 0, b"PLINTH",
                                      b"CORPUSTS", 1, b"PLTS", 1)
    data = bytearray(head + body)
    data[9] = -sum(data) & 0xFF
    return bytes(data)


def dump_tables():
    """Three real tables (qemu-virt-gicv3's APIC, GTDT, SPCR) when the shared
    folder is there, else well-formed ones made here; and which."""
    real = os.path.join(pc.SHARED, "qemu-virt-gicv3")
    if all(os.path.exists(os.path.join(real, f"{s}.dat")) for s in ("APIC", "GTDT", "SPCR")):
        return {s: read(os.path.join(real, f"{s}.dat")) for s in ("APIC", "GTDT", "SPCR")}, \
            "qemu-virt-gicv3's APIC/GTDT/SPCR"
    return {s: acpi_table(s, f"{s} table made by the test ".encode() * 4)
            for s in ("APIC", "GTDT", "SPCR")}, "tables made here"


def acpidump_text(tables):
    """Tables in acpidump's text format, as the corpus's dumps are (CRLF):
    'SIG @ 0xADDRESS', rows of 'OFFS: 16 hex bytes  ascii', a blank line."""
    out = []
    for sig, data in tables:
        out.append(f"{sig} @ 0x0000000000000000")
        for off in range(0, len(data), 16):
            chunk = data[off:off + 16]
            hexes = " ".join(f"{b:02X}" for b in chunk)
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            out.append(f"    {off:04X}: {hexes:<47}  {text}")
        out.append("")
    return ("\r\n".join(out) + "\r\n").encode()


# ------------------------------------------------------ the committed one ----

def check_committed(t, tmp):
    m = pc.load_manifest()
    machines = m["machines"]
    t.ok(not pc.check_manifest(m), "tests/corpus/manifest.json is well formed",
         "\n".join(pc.check_manifest(m)))
    public = set(pc.public_machines(m))
    t.ok(len(machines) == 20 and len(public) == 17 and set(machines) - public == LOCAL_ONLY,
         "the manifest holds 20 machines: 17 with an upstream, 3 local-only "
         "(vmware-fusion-arm64, qemu-virt-gicv2, qemu-virt-gicv3)",
         f"{len(machines)} machines; local-only: {sorted(set(machines) - public)}")
    t.ok(all(machines[n]["local_only"].strip() for n in LOCAL_ONLY),
         "each local-only machine says why it has no upstream")
    if not os.path.isdir(pc.SHARED):
        t.skip("tools/corpus manifest re-makes the committed manifest", f"{pc.SHARED} absent")
        return
    copy = os.path.join(tmp, "remade.json")
    shutil.copyfile(pc.MANIFEST, copy)
    rc, out = corpus("--manifest", copy, "manifest")
    t.ok(rc == 0 and read(copy) == read(pc.MANIFEST),
         "tools/corpus manifest re-makes the committed manifest from ../shared/acpi-dumps", out)


# --------------------------------------------------------------- verify ----

def check_verify(t, tmp, shared, manifest_path, machine, label):
    """A copy of one machine folder, damaged four ways."""
    bad = os.path.join(tmp, f"verify-{label}")
    shutil.copytree(os.path.join(shared, machine), os.path.join(bad, machine))
    names = sorted(pc.load_manifest(manifest_path)["machines"][machine]["files"])
    flip, grow, gone = names[0], names[1], names[2]
    data = bytearray(read(os.path.join(bad, machine, flip)))
    data[len(data) // 2] ^= 0x01
    write(os.path.join(bad, machine, flip), bytes(data))
    write(os.path.join(bad, machine, grow), read(os.path.join(bad, machine, grow)) + b"\0")
    os.remove(os.path.join(bad, machine, gone))
    write(os.path.join(bad, machine, "NOTES.txt"), b"not a table\n")
    rc, out = corpus("--manifest", manifest_path, "--machine", machine, "verify", bad)
    errors = [l for l in out.splitlines() if l.startswith("corpus: error:")]
    t.ok(rc == 1, f"verify ({label}): a damaged copy of {machine}/ fails (exit 1)", out)
    t.ok(any(f"{machine}/{flip}: sha256" in l for l in errors),
         f"verify ({label}): the file with a byte changed is named ({flip})", out)
    t.ok(any(f"{machine}/{grow}:" in l and "bytes" in l for l in errors),
         f"verify ({label}): the file that grew is named with its size ({grow})", out)
    t.ok(any(f"{machine}/{gone}: missing" in l for l in errors),
         f"verify ({label}): the removed file is named ({gone})", out)
    t.ok(len(errors) == 3 and f"extra: {machine}/NOTES.txt" in out,
         f"verify ({label}): nothing else is an error; the added file is reported as extra", out)


# ---------------------------------------------------------------- fetch ----

def make_world(tmp):
    """Upstream repositories, a shared folder made from the same data, and
    a manifest of the test's own (the commit ids are known only here)."""
    alpha = {"APIC.dat": table("APIC", b"alpha madt"), "DSDT.dat": table("DSDT", b"alpha aml" * 50),
             "acpidump.txt": b"DSDT @ 0x0000000000000000\n  0000: 44 53 44 54\n",
             "BGRT1.dat": table("BGRT", b"logo"), "BGRT2.dat": table("BGRT", b"logo")}
    beta = {"APIC.dat": table("APIC", b"beta madt"), "FACP.dat": table("FACP", b"beta fadt"),
            "DSDT.dat": table("DSDT", b"beta aml")}
    gamma = {"APIC.dat": table("APIC", b"gamma, made here")}
    delta = {"SPCR.dat": table("SPCR", b"delta")}
    # Tables that upstream has only inside an acpidump text dump: epsilon's
    # folder holds just the dump; eta's is shaped like Ampere's (one .dat,
    # a .dsl and the dump, which is in the corpus as acpidump.txt too).
    tabs, _ = dump_tables()
    dump = acpidump_text(sorted(tabs.items()))
    epsilon = {f"{s}.dat": d for s, d in tabs.items()}
    eta = dict(epsilon, **{"acpidump.txt": dump})
    zeta = {"APIC.dat": table("APIC", b"zeta madt"), "DSDT.dat": table("DSDT", b"zeta aml")}
    shared = os.path.join(tmp, "shared", "acpi-dumps")
    for name, files in (("alpha-board", alpha), ("beta-laptop", beta),
                        ("gamma-local", gamma), ("delta-gone", delta), ("epsilon-dump", epsilon),
                        ("eta-ampere", eta), ("zeta-none", zeta)):
        for f, data in files.items():
            write(os.path.join(shared, name, f), data)

    up = os.path.join(tmp, "upstream")
    ns = os.path.join(up, "niyas-sait", "acpi")
    al = os.path.join(up, "aarch64-laptops", "build")
    # Upstream spellings: lower case, a log for the acpidump, one BGRT for
    # both of ours, an unrelated file, a sub-folder; beta's FACP differs.
    write(os.path.join(ns, "alpha_1", "apic.dat"), alpha["APIC.dat"])
    write(os.path.join(ns, "alpha_1", "dsdt.dat"), alpha["DSDT.dat"])
    write(os.path.join(ns, "alpha_1", "ava_acpidump.log"), alpha["acpidump.txt"])
    write(os.path.join(ns, "alpha_1", "extra", "bgrt.dat"), alpha["BGRT1.dat"])
    write(os.path.join(ns, "alpha_1", "dmesg"), b"[    0.000000] Booting Linux\n")
    write(os.path.join(ns, "other_board", "apic.dat"), table("APIC", b"someone else"))
    write(os.path.join(al, "misc", "beta", "acpi", "apic.bin"), beta["APIC.dat"])
    write(os.path.join(al, "misc", "beta", "acpi", "facp.bin"), table("FACP", b"beta fadt, v2"))
    write(os.path.join(al, "misc", "beta", "acpi", "dsdt.bin"), beta["DSDT.dat"])
    write(os.path.join(ns, "eps_dump", "acpidump.out"), dump)
    write(os.path.join(ns, "eta_1", "apic.dat"), eta["APIC.dat"])
    write(os.path.join(ns, "eta_1", "apic.dsl"), b"/* disassembly of apic.dat */\n")
    write(os.path.join(ns, "eta_1", "ava_acpidump.log"), dump)
    # zeta: every file differs from the manifest's (nothing to keep).
    write(os.path.join(al, "misc", "zeta", "acpi", "apic.bin"), table("APIC", b"zeta madt, v2"))
    write(os.path.join(al, "misc", "zeta", "acpi", "dsdt.bin"), table("DSDT", b"zeta aml, v2"))
    commits = {}
    for repo in (ns, al):
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "tables")
        commits[repo] = git(repo, "rev-parse", "HEAD")
        # A later commit changes everything: the pinned commit must be used.
        for top, _, files in os.walk(repo):
            if ".git" not in top:
                for f in files:
                    write(os.path.join(top, f), b"changed after the pinned commit\n")
        git(repo, "commit", "-q", "-a", "-m", "later")

    manifest_path = os.path.join(tmp, "manifest.json")
    with open(pc.MANIFEST) as f:
        m = json.load(f)
    m["machines"] = {
        "alpha-board": {"upstream": {"repo": "niyas-sait/acpi", "commit": commits[ns],
                                     "folder": "alpha_1/"}},
        "beta-laptop": {"upstream": {"repo": "aarch64-laptops/build", "commit": commits[al],
                                     "folder": "misc/beta/acpi/"}},
        "gamma-local": {"local_only": "made here for the test, no upstream"},
        "delta-gone": {"upstream": {"repo": "nobody/missing", "commit": "0" * 40,
                                    "folder": "delta/"}},
        "epsilon-dump": {"upstream": {"repo": "niyas-sait/acpi", "commit": commits[ns],
                                      "folder": "eps_dump/"}},
        "eta-ampere": {"upstream": {"repo": "niyas-sait/acpi", "commit": commits[ns],
                                    "folder": "eta_1/"}},
        "zeta-none": {"upstream": {"repo": "aarch64-laptops/build", "commit": commits[al],
                                   "folder": "misc/zeta/acpi/"}}}
    with open(manifest_path, "w") as f:
        json.dump(m, f)
    rc, out = corpus("--manifest", manifest_path, "manifest", shared)
    if rc:
        raise RuntimeError(out)
    return shared, up, manifest_path, {"alpha-board": alpha, "beta-laptop": beta,
                                       "epsilon-dump": epsilon, "eta-ampere": eta}


def lines_of(out):
    """{machine: its report line and the indented lines under it}."""
    got, last = {}, None
    for line in out.splitlines():
        if line.startswith("    ") and last:
            got[last] += "\n" + line
        elif line.count(":") >= 2:
            last = line.split(":")[1].strip()
            got[last] = line
    return got


def same_files(folder, files):
    return (os.path.isdir(folder) and sorted(os.listdir(folder)) == sorted(files)
            and all(read(os.path.join(folder, f)) == d for f, d in files.items()))


def absent_listed(folder):
    path = os.path.join(folder, pc.ABSENT)
    return pc.read_absent(folder) if os.path.exists(path) else None


def check_fetch(t, tmp, up, manifest_path, data):
    build = os.path.join(tmp, "build")
    absent = os.path.join(tmp, "no-shared", "acpi-dumps")
    opts = ["--manifest", manifest_path, "--shared", absent, "--build", build]
    entries = pc.load_manifest(manifest_path)["machines"]
    rc, out = corpus(*opts, "--upstream-base", up)
    lines = lines_of(out)
    got = os.path.join(build, "corpus")
    t.ok(rc == 1, "fetch: exit 1 when a machine failed", out)
    t.ok("is absent: fetching" in out, "fetch: without the shared folder, `make corpus` fetches", out)
    alpha = os.path.join(got, "alpha-board")
    t.ok(same_files(alpha, data["alpha-board"]),
         "fetch: alpha-board's files, found by sha256 at the pinned commit, land under their "
         "manifest names (acpidump.txt from ava_acpidump.log, BGRT1/BGRT2 from one bgrt.dat)",
         f"{out}\n{os.listdir(alpha) if os.path.isdir(alpha) else 'no folder'}")
    t.ok("fetched 5 files" in lines.get("alpha-board", "") and "dmesg" in lines.get("alpha-board", "")
         and "extracted" not in lines.get("alpha-board", ""),
         "fetch: alpha-board reported fetched, the unrelated upstream file named as left out, "
         "nothing extracted (no file was missing)", out)

    # (a) tables found only inside an upstream acpidump text dump
    _, what = dump_tables()
    eps = os.path.join(got, "epsilon-dump")
    t.ok(same_files(eps, data["epsilon-dump"])
         and "epsilon-dump: fetched 3 files from niyas-sait/acpi@" in lines.get("epsilon-dump", "")
         and "eps_dump/ (3 extracted from acpidump.out with acpixtract)" in lines.get("epsilon-dump", ""),
         f"fetch: a folder holding only an acpidump text dump ({what}): its tables extracted with "
         "acpixtract, found by sha256, reported as extracted", out)
    eta = os.path.join(got, "eta-ampere")
    eta_line = lines.get("eta-ampere", "")
    t.ok(same_files(eta, data["eta-ampere"])
         and "fetched 4 files" in eta_line and "(2 extracted from ava_acpidump.log with acpixtract; "
         "1 other upstream file not in the corpus: apic.dsl)" in eta_line,
         "fetch: Ampere's shape (apic.dat, apic.dsl, the dump): apic.dat copied, the dump kept as "
         "acpidump.txt, GTDT/SPCR extracted from it; the .dsl left out", out)

    # (b) a partial machine
    beta = os.path.join(got, "beta-laptop")
    beta_line = lines.get("beta-laptop", "")
    t.ok("beta-laptop: partial: 2 of 3 files from aarch64-laptops/build@" in beta_line
         and "; not found upstream by sha256: FACP.dat" in beta_line
         and "refused facp.bin (for FACP.dat)" in beta_line and "FAILED" not in beta_line,
         "fetch: beta-laptop is partial, FACP.dat not found, facp.bin refused by name", out)
    t.ok(same_files(beta, dict({k: v for k, v in data["beta-laptop"].items() if k != "FACP.dat"},
                               **{pc.ABSENT: read(os.path.join(beta, pc.ABSENT))}))
         and absent_listed(beta) == ["FACP.dat"],
         f"fetch: the partial machine lands what matched, {pc.ABSENT} lists FACP.dat",
         f"{out}\n{os.listdir(beta) if os.path.isdir(beta) else 'no folder'}")
    errors, extras = pc.verify_machine(beta, entries["beta-laptop"], "beta-laptop", allow_absent=True)
    t.ok(not errors and not extras, f"verify: the partial copy verifies ({pc.ABSENT} not an extra)",
         errors + extras)

    # (c) nothing found
    zeta = lines.get("zeta-none", "")
    t.ok("zeta-none: FAILED: 2 of 2 files not found in aarch64-laptops/build@" in zeta
         and "by sha256: APIC.dat, DSDT.dat" in zeta and "refused apic.bin (for APIC.dat)" in zeta
         and not os.path.exists(os.path.join(got, "zeta-none")),
         "fetch: a machine with no file found fails, naming them and the near misses; "
         "nothing written", out)
    t.ok("gamma-local: unavailable: local-only: made here for the test" in out,
         "fetch: the local-only machine is reported unavailable, with its reason", out)
    delta = lines.get("delta-gone", "")
    t.ok("FAILED: git fetch" in delta and "Traceback" not in out and len(delta) < 400,
         "fetch: a repository that does not exist fails its machine, git's error in one line", out)
    t.ok("summary: 0 verified, 3 fetched, 1 partial (beta-laptop: files not found upstream, "
         f"see <machine>/{pc.ABSENT}), 1 unavailable (local-only), 2 failed" in out,
         "fetch: the summary counts verified/fetched/partial/unavailable/failed", out)

    rc, where = corpus(*opts, "where")
    t.ok(rc == 0 and where.strip() == got, "where: the fetched copy, when the shared folder is absent",
         where)
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.source == "fetched" and c.root == got and not c.errors
         and c.machines == ["alpha-board", "beta-laptop", "epsilon-dump", "eta-ampere"]
         and c.absent == {"beta-laptop": ["FACP.dat"]} and "beta-laptop: FACP.dat" in c.describe(),
         "locate(): the fetched copy, with the machines it holds, the partial one's absent files "
         "named", vars(c))

    rc, out = corpus(*opts, env={"PLINTH_CORPUS_UPSTREAM": up})
    t.ok("alpha-board: verified (5 files, fetched earlier)" in out
         and "eta-ampere: verified (4 files, fetched earlier)" in out
         and "beta-laptop: verified (partial: 2 of 3 files, fetched earlier; not found upstream "
         "by sha256: FACP.dat)" in out and "zeta-none: FAILED" in out
         and "summary: 3 verified, 0 fetched, 1 partial" in out,
         "fetch again ($PLINTH_CORPUS_UPSTREAM as the base): what was fetched is kept, the "
         "partial machine re-verified as partial", out)
    rc, out = corpus(*opts, "--upstream-base", up, "--machine", "beta-laptop",
                     "--machine", "gamma-local")
    t.ok(rc == 0 and "0 failed" in out, "fetch: exit 0 when nothing failed (partial and "
         "unavailable are not failures)", out)

    # the partial copy damaged, or contradicting its .absent-upstream
    dsdt = os.path.join(beta, "DSDT.dat")
    write(dsdt, read(dsdt)[:-1] + b"\xff")
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.root is None and any("beta-laptop/DSDT.dat: sha256" in e for e in c.errors),
         "locate(): a damaged partial copy is an error naming the file", vars(c))
    rc, out = corpus(*opts, "--upstream-base", up, "--machine", "beta-laptop")
    t.ok(rc == 0 and "beta-laptop: removed the earlier copy" in out
         and "beta-laptop: partial: 2 of 3 files" in out
         and read(dsdt) == data["beta-laptop"]["DSDT.dat"],
         "fetch: the damaged partial copy is fetched again (partial again)", out)
    facp = os.path.join(beta, "FACP.dat")
    write(facp, data["beta-laptop"]["FACP.dat"])
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.root is None and any(f"beta-laptop/FACP.dat: present, but {pc.ABSENT} lists it" in e
                                for e in c.errors),
         f"locate(): a file {pc.ABSENT} lists but present anyway is an error naming it", vars(c))
    os.remove(facp)
    with open(os.path.join(beta, pc.ABSENT), "a") as f:
        f.write("NOTES.dat\n")
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.root is None and any(f"beta-laptop/{pc.ABSENT}: lists NOTES.dat" in e for e in c.errors),
         f"locate(): {pc.ABSENT} naming a file the manifest lacks is an error", vars(c))

    # the fetched (complete) copy damaged
    dsdt = os.path.join(alpha, "DSDT.dat")
    write(dsdt, read(dsdt)[:-1] + b"\xff")
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.root is None and any("alpha-board/DSDT.dat: sha256" in e for e in c.errors),
         "locate(): a damaged fetched copy is an error naming the file, not a skip", vars(c))
    rc, out = corpus(*opts, "--upstream-base", up, "--machine", "alpha-board")
    t.ok(rc == 0 and "removed the earlier copy" in out and "alpha-board: fetched 5 files" in out
         and read(dsdt) == data["alpha-board"]["DSDT.dat"],
         "fetch: a damaged fetched copy is replaced by a fresh fetch", out)


def check_no_acpixtract(t, tmp, up, manifest_path, data):
    """make corpus before tools/setup: no acpixtract on PATH."""
    git_bin = shutil.which("git")
    bin_dir = os.path.join(tmp, "bin-without-acpixtract")
    os.makedirs(bin_dir)
    os.symlink(git_bin, os.path.join(bin_dir, "git"))
    build = os.path.join(tmp, "build-no-acpixtract")
    opts = ["--manifest", manifest_path, "--shared", os.path.join(tmp, "no-shared"),
            "--build", build, "--upstream-base", up, "--machine", "eta-ampere"]
    rc, out = corpus(*opts, "--machine", "epsilon-dump", env={"PATH": bin_dir})
    lines = lines_of(out)
    eta = os.path.join(build, "corpus", "eta-ampere")
    t.ok(rc == 1 and "epsilon-dump: FAILED: 3 of 3 files not found" in lines.get("epsilon-dump", "")
         and "acpixtract is not installed" in lines.get("epsilon-dump", ""),
         "fetch without acpixtract: the dump-only machine fails, saying acpixtract is missing", out)
    t.ok("eta-ampere: partial: 2 of 4 files" in lines.get("eta-ampere", "")
         and "not found upstream by sha256: GTDT.dat, SPCR.dat" in lines.get("eta-ampere", "")
         and "tables not extracted from ava_acpidump.log" in lines.get("eta-ampere", "")
         and absent_listed(eta) == ["GTDT.dat", "SPCR.dat"],
         "fetch without acpixtract: the Ampere-shaped machine is partial, saying why", out)
    rc, out = corpus(*opts)
    t.ok(rc == 0 and "eta-ampere: removed the earlier partial copy: acpixtract is installed now" in out
         and "eta-ampere: fetched 4 files" in out and same_files(eta, data["eta-ampere"]),
         "fetch again with acpixtract: the partial machine is fetched whole", out)


def check_locate(t, tmp, shared, manifest_path):
    build = os.path.join(tmp, "build")
    c = pc.locate(build, shared, manifest_path)
    t.ok(c.source == "shared" and c.root == shared and len(c.machines) == 7 and not c.errors,
         "locate(): the shared folder first, when it verifies, even beside a fetched copy", vars(c))
    os.remove(os.path.join(shared, "gamma-local", "APIC.dat"))
    c = pc.locate(build, shared, manifest_path)
    t.ok(c.root is None and any("gamma-local/APIC.dat: missing" in e for e in c.errors),
         "locate(): a shared folder with a file missing is an error naming it (no fallback)", vars(c))
    write(os.path.join(shared, "gamma-local", pc.ABSENT), b"APIC.dat\n")
    c = pc.locate(build, shared, manifest_path)
    t.ok(c.root is None and any("gamma-local/APIC.dat: missing" in e for e in c.errors),
         f"locate(): {pc.ABSENT} excuses nothing in the shared folder (it must be complete)", vars(c))
    rc, out = corpus("--manifest", manifest_path, "--shared", shared, "--build", build)
    t.ok(rc == 1 and "gamma-local/APIC.dat: missing" in out and "fetching" not in out,
         "make corpus with a damaged shared folder: verify fails naming the file, no fetch", out)
    c = pc.locate(os.path.join(tmp, "empty-build"), os.path.join(tmp, "nowhere"), manifest_path)
    t.ok(c.root is None and not c.errors and "run `make corpus`" in c.missing_why
         and "6 public machines" in c.missing_why,
         "locate(): no corpus at all is not an error; the skip reason says how to get one",
         c.missing_why)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.parse_args()
    t = Tap(diag_lines=40)
    if not shutil.which("git"):
        t.ok(False, "git installed (tools/setup installs it)")
        return 1
    with tempfile.TemporaryDirectory(prefix="plinth-corpus-") as tmp:
        check_committed(t, tmp)
        if os.path.isdir(pc.SHARED):
            check_verify(t, tmp, pc.SHARED, pc.MANIFEST, "qemu-sbsa-ref", "real tables")
        else:
            t.skip("verify a damaged copy of a real machine folder", f"{pc.SHARED} absent")
        shared, up, manifest_path, data = make_world(tmp)
        check_verify(t, tmp, shared, manifest_path, "alpha-board", "test tables")
        check_fetch(t, tmp, up, manifest_path, data)
        if shutil.which("acpixtract"):
            check_no_acpixtract(t, tmp, up, manifest_path, data)
        check_locate(t, tmp, shared, manifest_path)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
