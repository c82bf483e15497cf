"""Where the real-firmware ACPI corpus is, and whether it is the one pinned.

The corpus (tables of real arm64 machines) is test data the project does not
commit: tests/corpus/manifest.json pins every file's size and sha256 and, per
machine, the upstream repository, commit and folder it comes from (or why it
has none). Every reader of the corpus asks locate():

  from plinth_corpus import locate
  c = locate(build)
  if c.errors:      the corpus found does not match the manifest: FAIL
  elif not c.root:  there is none: SKIP with c.missing_why
  else:             read c.root/<machine>/ for machine in c.machines

The corpus is ../shared/acpi-dumps/ beside the clone when that folder exists
(every machine of the manifest must be there, each file unchanged), else
BUILD/corpus/ when `make corpus` (tools/corpus) fetched machines there (each
machine folder present must be complete and unchanged, except for the files
its .absent-upstream lists: not found upstream, so absent by design; see
read_absent). The check is cheap (sizes and sha256 of about 7 MB), so every
call makes it.
"""
import hashlib
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MANIFEST = os.path.join(HERE, "manifest.json")
# $PLINTH_CORPUS_SHARED names another place for it (or none: a path that
# does not exist, to try the fetched copy while the shared folder is there).
SHARED = os.path.normpath(os.environ.get("PLINTH_CORPUS_SHARED")
                          or os.path.join(ROOT, "..", "shared", "acpi-dumps"))
# Files of the shared folder that are not a machine's tables.
SHARED_DOCS = ("README.md",)
# In a fetched machine folder: the manifest names tools/corpus did not find
# upstream by sha256, one per line ('#' starts a comment line).
ABSENT = ".absent-upstream"


def fetched_dir(build):
    """Where `make corpus` puts the machines it fetched."""
    return os.path.join(os.path.abspath(build), "corpus")


def load_manifest(path=MANIFEST):
    with open(path) as f:
        m = json.load(f)
    if m.get("format") != 1:
        raise ValueError(f"{path}: unknown format {m.get('format')!r}")
    return m


def public_machines(manifest):
    return sorted(k for k, v in manifest["machines"].items() if "upstream" in v)


def check_manifest(m):
    """Problems with a manifest's shape (each machine: exactly one of
    upstream / local_only; a full commit id; a folder ending in /)."""
    bad = []
    for name, e in sorted(m["machines"].items()):
        if ("upstream" in e) == ("local_only" in e):
            bad.append(f"{name}: needs exactly one of upstream, local_only")
        up = e.get("upstream")
        if up is not None:
            if not re.fullmatch(r"[\w.-]+/[\w.-]+", up.get("repo", "")):
                bad.append(f"{name}: upstream repo {up.get('repo')!r} is not OWNER/REPO")
            if not re.fullmatch(r"[0-9a-f]{40}", up.get("commit", "")):
                bad.append(f"{name}: upstream commit {up.get('commit')!r} is not 40 hex digits")
            if not up.get("folder", "").endswith("/"):
                bad.append(f"{name}: upstream folder {up.get('folder')!r} does not end in /")
        for fname, f in e.get("files", {}).items():
            if not (isinstance(f.get("size"), int) and re.fullmatch(r"[0-9a-f]{64}", f.get("sha256", ""))):
                bad.append(f"{name}/{fname}: needs an integer size and a sha256")
        if not e.get("files"):
            bad.append(f"{name}: no files")
    return bad


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def list_files(mdir):
    """Every regular file under mdir, as paths relative to it ('/'-separated)."""
    out = []
    for top, dirs, files in os.walk(mdir):
        dirs.sort()
        for name in sorted(files):
            out.append(os.path.relpath(os.path.join(top, name), mdir).replace(os.sep, "/"))
    return out


def read_absent(mdir):
    """The names a fetched machine folder's .absent-upstream lists (in its
    order), or [] when it has none."""
    try:
        with open(os.path.join(mdir, ABSENT)) as f:
            lines = [l.strip() for l in f]
    except FileNotFoundError:
        return []
    return [l for l in lines if l and not l.startswith("#")]


def table_of(fname):
    """The table signature a corpus file name stands for (SSDT1.dat: SSDT),
    or None (acpidump.txt)."""
    stem, ext = os.path.splitext(os.path.basename(fname))
    return stem[:4].upper() if ext in (".dat", ".aml", ".dsl") and len(stem) >= 4 else None


def verify_machine(mdir, entry, name, allow_absent=False):
    """(errors, extras) for one machine folder against its manifest entry.
    Each message names the file as <machine>/<file>. allow_absent (a fetched
    copy): the names its .absent-upstream lists are absent by design, not
    missing; a listed file that is present anyway, or a listed name the
    manifest does not have, is an error."""
    errors, extras = [], []
    if not os.path.isdir(mdir):
        return [f"{name}/: missing (the whole machine folder)"], []
    present = set(list_files(mdir))
    absent = set()
    if allow_absent and ABSENT in present:
        present.discard(ABSENT)
        for fname in read_absent(mdir):
            if fname not in entry["files"]:
                errors.append(f"{name}/{ABSENT}: lists {fname}, which is not a file of the manifest")
            elif fname in present:
                errors.append(f"{name}/{fname}: present, but {ABSENT} lists it as not found upstream")
            else:
                absent.add(fname)
        if absent == set(entry["files"]):
            errors.append(f"{name}/{ABSENT}: lists every file of the machine")
    for fname, want in sorted(entry["files"].items()):
        path = os.path.join(mdir, fname)
        if fname in absent:
            continue
        if fname not in present:
            errors.append(f"{name}/{fname}: missing")
            continue
        size = os.path.getsize(path)
        if size != want["size"]:
            errors.append(f"{name}/{fname}: {size} bytes, the manifest says {want['size']}")
            continue
        digest = sha256_file(path)
        if digest != want["sha256"]:
            errors.append(f"{name}/{fname}: sha256 {digest[:16]}... differs from the "
                          f"manifest's {want['sha256'][:16]}... (same size)")
    for fname in sorted(present - set(entry["files"])):
        extras.append(f"{name}/{fname}")
    return errors, extras


def verify_dir(root, manifest, machines=None, require_all=True):
    """Check root/<machine>/ for each machine (all of the manifest's when
    machines is None). require_all: a machine folder that is absent is an
    error and every file must be there (the shared folder); otherwise (a
    fetched copy: the public machines, or fewer if some fetch failed) an
    absent machine folder is only left out, and a machine may be partial:
    the files its .absent-upstream lists are left out too.
    Returns (verified machines, errors, extras)."""
    known = manifest["machines"]
    wanted = sorted(known) if machines is None else sorted(machines)
    ok, errors, extras = [], [], []
    for name in wanted:
        if name not in known:
            errors.append(f"{name}: no such machine in the manifest")
            continue
        mdir = os.path.join(root, name)
        if not os.path.isdir(mdir) and not require_all:
            continue
        e, x = verify_machine(mdir, known[name], name, allow_absent=not require_all)
        errors += e
        extras += x
        if not e:
            ok.append(name)
    if machines is None and os.path.isdir(root):
        for entry in sorted(os.listdir(root)):
            if entry in known or entry.startswith(".") or entry in SHARED_DOCS:
                continue
            kind = "folder" if os.path.isdir(os.path.join(root, entry)) else "file"
            extras.append(f"{entry} ({kind}, not a machine of the manifest)")
    return ok, errors, extras


class Corpus:
    """root: the folder to read (None: none usable); source: 'shared',
    'fetched' or None; machines: the verified machine folders under root;
    absent: {machine: [manifest names not found upstream]} for the partial
    machines of a fetched copy; errors: why the corpus found does not match
    the manifest (a test fails on them); extras: files present but not
    pinned (reported only)."""

    def __init__(self, root=None, source=None, machines=(), errors=(), extras=(), manifest=None,
                 absent=None):
        self.root, self.source = root, source
        self.machines = list(machines)
        self.absent = dict(absent or {})
        self.errors, self.extras = list(errors), list(extras)
        n = len(public_machines(manifest)) if manifest else "the public"
        self.missing_why = (f"corpus not found: run `make corpus` (fetches the {n} public "
                            "machines) or place shared/acpi-dumps beside the clone")

    def describe(self):
        where = os.path.relpath(self.root, ROOT) if self.root else "-"
        text = f"{len(self.machines)} machines in {where} ({self.source}) match tests/corpus/manifest.json"
        if self.absent:
            text += (f" ({len(self.absent)} partial, files not found upstream left out: "
                     + "; ".join(f"{m}: {', '.join(n)}" for m, n in sorted(self.absent.items())) + ")")
        return text


def locate(build="build", shared=SHARED, manifest_path=MANIFEST):
    manifest = load_manifest(manifest_path)
    if os.path.isdir(shared):
        ok, errors, extras = verify_dir(shared, manifest)
        if errors:
            return Corpus(None, "shared", ok, [f"{shared}: {e}" for e in errors], extras, manifest)
        return Corpus(shared, "shared", ok, [], extras, manifest)
    fetched = fetched_dir(build)
    if os.path.isdir(fetched):
        ok, errors, extras = verify_dir(fetched, manifest, require_all=False)
        if errors:
            return Corpus(None, "fetched", ok, [f"{fetched}: {e}" for e in errors], extras, manifest)
        if ok:
            absent = {m: read_absent(os.path.join(fetched, m)) for m in ok}
            return Corpus(fetched, "fetched", ok, [], extras, manifest,
                          {m: n for m, n in absent.items() if n})
    return Corpus(manifest=manifest)
