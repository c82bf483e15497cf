#!/usr/bin/env python3
"""Static checks, as TAP:
  1-2. the kernel sources compiled with gcc (aarch64-linux-gnu-gcc, the build's
       KCFLAGS) and with clang --target=aarch64-linux-gnu (same flags, clang's
       own freestanding headers), both -Wall -Wextra -Werror, syntax only;
  3.   the kernel's assembly sources assembled by clang's integrated assembler;
  4-5. the host units (every unit test and the kernel and loader sources they
       link, tools/*.c, the fuzz harnesses) with gcc and clang, HCFLAGS; the
       UEFI application's efi_*.c and their fake firmware with gnu-efi's
       headers besides (HOST_EFI_CFLAGS);
  6.   cppcheck (warning, portability) over kernel/, loader/, tests/ and
       tools/*.c: no finding. Suppressions are inline, each with the reason
       on the line above it (`cppcheck-suppress <id>`).
The flags and file lists come from the Makefile (`make -s static-flags`,
tools/static.mk), so the checks see what the build compiles.

  python3 tests/test_static.py --build BUILD
"""
import argparse
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 300


def make_vars(build):
    out = subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={build}", "static-flags"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=120).stdout
    v = {}
    for line in out.splitlines():
        k, sep, val = line.partition("=")
        if sep and k.isupper():
            v[k] = val
    return v


def run(argv):
    try:
        p = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=TIMEOUT)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except FileNotFoundError as e:
        return 127, str(e)
    except subprocess.TimeoutExpired:
        return "timeout", ""


def without_isystem_of(flags, path_part):
    """Drop `-isystem DIR` pairs whose DIR contains path_part."""
    out, skip = [], False
    for i, f in enumerate(flags):
        if skip:
            skip = False
            continue
        if f == "-isystem" and i + 1 < len(flags) and path_part in flags[i + 1]:
            skip = True
            continue
        out.append(f)
    return out


def checks(v):
    kflags = shlex.split(v["KCFLAGS"])
    ksrcs = v["KSRCS"].split()
    kc = [s for s in ksrcs if s.endswith(".c")]
    ks = [s for s in ksrcs if s.endswith(".S")]
    hflags = shlex.split(v["HCFLAGS"])
    hsrcs = [s for s in v["HOST_SRCS"].split() if os.path.exists(os.path.join(ROOT, s))]
    esrcs = [s for s in v.get("HOST_EFI_SRCS", "").split() if os.path.exists(os.path.join(ROOT, s))]
    eflags = hflags + shlex.split(v.get("HOST_EFI_CFLAGS", ""))

    def host(cc):
        """cc over the host units, then over the EFI ones with their flags."""
        cmds = [[cc] + hflags + ["-fsyntax-only"] + hsrcs]
        if esrcs:
            cmds.append([cc] + eflags + ["-fsyntax-only"] + esrcs)
        return ["sh", "-c", " && ".join(shlex.join(c) for c in cmds)]
    clang_inc = subprocess.run(["clang", "-print-resource-dir"], stdout=subprocess.PIPE,
                               text=True).stdout.strip() + "/include" \
        if shutil.which("clang") else ""
    ckflags = ["--target=aarch64-linux-gnu"] + \
        without_isystem_of(kflags, "gcc-cross") + ["-isystem", clang_inc]
    cpp = ["cppcheck", "--std=c11", "--enable=warning,portability", "--inline-suppr",
           "--error-exitcode=1", "-q", "-j2", "--platform=unix64", "-DPLINTH_HOST",
           "-D__GNUC__", "-Ikernel/include", "--include=/usr/include/libfdt.h",
           "kernel", "loader", "tests"] + \
        sorted(os.path.relpath(os.path.join(ROOT, "tools", f), ROOT)
               for f in os.listdir(os.path.join(ROOT, "tools")) if f.endswith(".c"))
    return [
        (f"kernel: {len(kc)} C sources, gcc -Wall -Wextra -Werror",
         [v["KCC"]] + kflags + ["-fsyntax-only"] + kc),
        (f"kernel: {len(kc)} C sources, clang --target=aarch64-linux-gnu -Wall -Wextra -Werror",
         ["clang"] + ckflags + ["-fsyntax-only"] + kc),
        (f"kernel: {len(ks)} assembly sources, clang's assembler",
         ["sh", "-c", " ".join(
             f"clang --target=aarch64-linux-gnu {v['KASFLAGS']} -Wall -Werror -c {s} "
             "-o /dev/null || exit 1;" for s in ks)]),
        (f"host: {len(hsrcs) + len(esrcs)} sources, gcc -Wall -Wextra -Werror",
         host(v["HOSTCC"])),
        (f"host: {len(hsrcs) + len(esrcs)} sources, clang -Wall -Wextra -Werror",
         host("clang")),
        ("cppcheck: kernel/, loader/, tests/, tools/*.c (inline suppressions only)", cpp),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    v = make_vars(os.path.abspath(a.build))
    if not {"KCFLAGS", "KSRCS", "HCFLAGS", "HOST_SRCS"} <= v.keys():
        print("not ok 1 - make static-flags gives the build's flags and sources")
        return 1
    todo = checks(v)
    # The longest first (clang over the host sources), so two workers end
    # together; results are printed in the list's order.
    order = sorted(range(len(todo)), key=lambda i: i != 4)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futs = {i: pool.submit(run, todo[i][1]) for i in order}
        results = [futs[i].result() for i in range(len(todo))]
    failed = 0
    for n, ((what, argv), (rc, out)) in enumerate(zip(todo, results), 1):
        ok = rc == 0 and not (argv[0] == "cppcheck" and out.strip())
        print(f"{'ok' if ok else 'not ok'} {n} - {what}")
        if not ok:
            failed += 1
            print("\n".join("# " + l for l in out.splitlines()[:60]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
