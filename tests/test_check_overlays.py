#!/usr/bin/env python3
"""`make check-overlays` inside `make test`: runs tools/check-overlays (board
overlays and boards/examples overlays applied with fdtoverlay to every board
fixture tree, each result through dtc and dt-validate) and passes its TAP on.

  python3 tests/test_check_overlays.py --build BUILD
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    return subprocess.run([sys.executable, os.path.join(ROOT, "tools", "check-overlays"),
                           "--build", a.build], cwd=ROOT, stdin=subprocess.DEVNULL).returncode


if __name__ == "__main__":
    sys.exit(main())
