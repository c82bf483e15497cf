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
    unrelated files are left out; a file whose content differs is refused by
    name and its machine not written; a local-only machine is unavailable with
    its reason; a repository that does not exist fails that machine with git's
    error in one line, no traceback; a second run keeps what was fetched; a
    damaged fetched copy fails locate() and is fetched again;
  * locate(): the shared folder first (a bad one is an error, not a fallback),
    else the fetched copy, else nothing, with a skip reason naming `make corpus`.
"""
import argparse
import json
import os
import shutil
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
    shared = os.path.join(tmp, "shared", "acpi-dumps")
    for name, files in (("alpha-board", alpha), ("beta-laptop", beta),
                        ("gamma-local", gamma), ("delta-gone", delta)):
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
                                    "folder": "delta/"}}}
    with open(manifest_path, "w") as f:
        json.dump(m, f)
    rc, out = corpus("--manifest", manifest_path, "manifest", shared)
    if rc:
        raise RuntimeError(out)
    return shared, up, manifest_path, {"alpha-board": alpha, "beta-laptop": beta}


def check_fetch(t, tmp, up, manifest_path, data):
    build = os.path.join(tmp, "build")
    absent = os.path.join(tmp, "no-shared", "acpi-dumps")
    opts = ["--manifest", manifest_path, "--shared", absent, "--build", build]
    rc, out = corpus(*opts, "--upstream-base", up)
    lines = {l.split(":")[1].strip(): l for l in out.splitlines() if l.count(":") >= 2}
    got = os.path.join(build, "corpus")
    t.ok(rc == 1, "fetch: exit 1 when a machine failed", out)
    t.ok("is absent: fetching" in out, "fetch: without the shared folder, `make corpus` fetches", out)
    alpha = os.path.join(got, "alpha-board")
    t.ok(os.path.isdir(alpha) and sorted(os.listdir(alpha)) == sorted(data["alpha-board"])
         and all(read(os.path.join(alpha, f)) == d for f, d in data["alpha-board"].items()),
         "fetch: alpha-board's files, found by sha256 at the pinned commit, land under their "
         "manifest names (acpidump.txt from ava_acpidump.log, BGRT1/BGRT2 from one bgrt.dat)",
         f"{out}\n{os.listdir(alpha) if os.path.isdir(alpha) else 'no folder'}")
    t.ok("fetched 5 files" in lines.get("alpha-board", "") and "dmesg" in lines.get("alpha-board", ""),
         "fetch: alpha-board reported fetched, the unrelated upstream file named as left out", out)
    beta = lines.get("beta-laptop", "")
    t.ok("FAILED" in beta and "FACP.dat" in beta and "refused facp.bin (for FACP.dat)" in out,
         "fetch: beta-laptop's changed file is refused by name (facp.bin for FACP.dat)", out)
    t.ok(not os.path.exists(os.path.join(got, "beta-laptop")),
         "fetch: a machine with a file not found is not written (all or nothing)")
    t.ok("gamma-local: unavailable: local-only: made here for the test" in out,
         "fetch: the local-only machine is reported unavailable, with its reason", out)
    delta = lines.get("delta-gone", "")
    t.ok("FAILED: git fetch" in delta and "Traceback" not in out and len(delta) < 400,
         "fetch: a repository that does not exist fails its machine, git's error in one line", out)
    t.ok("summary: 0 verified, 1 fetched, 1 unavailable (local-only), 2 failed" in out,
         "fetch: the summary counts verified/fetched/unavailable/failed", out)

    rc, where = corpus(*opts, "where")
    t.ok(rc == 0 and where.strip() == got, "where: the fetched copy, when the shared folder is absent",
         where)
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.source == "fetched" and c.root == got and c.machines == ["alpha-board"] and not c.errors,
         "locate(): the fetched copy, with the machines it holds", vars(c))

    rc, out = corpus(*opts, env={"PLINTH_CORPUS_UPSTREAM": up})
    t.ok("alpha-board: verified (5 files, fetched earlier)" in out and "beta-laptop: FAILED" in out,
         "fetch again ($PLINTH_CORPUS_UPSTREAM as the base): what was fetched is kept", out)

    dsdt = os.path.join(alpha, "DSDT.dat")
    write(dsdt, read(dsdt)[:-1] + b"\xff")
    c = pc.locate(build, absent, manifest_path)
    t.ok(c.root is None and any("alpha-board/DSDT.dat: sha256" in e for e in c.errors),
         "locate(): a damaged fetched copy is an error naming the file, not a skip", vars(c))
    rc, out = corpus(*opts, "--upstream-base", up, "--machine", "alpha-board")
    t.ok(rc == 0 and "removed the earlier copy" in out and "alpha-board: fetched 5 files" in out
         and read(dsdt) == data["alpha-board"]["DSDT.dat"],
         "fetch: a damaged fetched copy is replaced by a fresh fetch", out)


def check_locate(t, tmp, shared, manifest_path):
    build = os.path.join(tmp, "build")
    c = pc.locate(build, shared, manifest_path)
    t.ok(c.source == "shared" and c.root == shared and len(c.machines) == 4 and not c.errors,
         "locate(): the shared folder first, when it verifies, even beside a fetched copy", vars(c))
    os.remove(os.path.join(shared, "gamma-local", "APIC.dat"))
    c = pc.locate(build, shared, manifest_path)
    t.ok(c.root is None and any("gamma-local/APIC.dat: missing" in e for e in c.errors),
         "locate(): a shared folder with a file missing is an error naming it (no fallback)", vars(c))
    rc, out = corpus("--manifest", manifest_path, "--shared", shared, "--build", build)
    t.ok(rc == 1 and "gamma-local/APIC.dat: missing" in out and "fetching" not in out,
         "make corpus with a damaged shared folder: verify fails naming the file, no fetch", out)
    c = pc.locate(os.path.join(tmp, "empty-build"), os.path.join(tmp, "nowhere"), manifest_path)
    t.ok(c.root is None and not c.errors and "run `make corpus`" in c.missing_why
         and "3 public machines" in c.missing_why,
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
        check_locate(t, tmp, shared, manifest_path)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
