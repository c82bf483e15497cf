#!/usr/bin/env python3
"""The loader's recipe, boot() in loader/efi/efi_main.c, read as text (TAP).

  python3 tests/test_loader_recipe.py --build BUILD

* its numbered steps, 1. to N., are all there and in order: the recipe
  is meant to be read top to bottom (STYLE.md, the loader's assembly); and
  the README and loader/README.md, which say how many there are, say N;
* every tree step has a name of its own, the loader's (STEP in boot()) and
  the pipeline's (pipeline_step in loader/pipeline/pipeline.c) together: a
  failure prints `fdt: <name>: <error>: the tree cannot be completed`, and
  two steps once shared the name "chosen", so the line could not tell
  which had failed. (tests/pipeline_test.c checks the line itself.)
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

sys.path.insert(0, os.path.join(HERE, "qemu"))
from plinth_qemu import Tap  # noqa: E402


def read(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return f.read()


def function_body(src, name):
    """The text of `name(`'s body: from its opening brace to the matching
    closing one at the start of a line."""
    m = re.search(r"^\S[^\n;]*\b" + name + r"\([^)]*\)\n\{\n(.*?)^\}", src, re.S | re.M)
    return m.group(1) if m else None


def main():
    t = Tap()
    main_c = read("loader/efi/efi_main.c")
    body = function_body(main_c, "boot")
    if not t.ok(body is not None, "boot() found in loader/efi/efi_main.c"):
        return 1
    steps = [int(n) for n in re.findall(r"/\* (\d+)\. ", body)]
    n = len(steps)
    t.ok(n >= 5 and steps == list(range(1, n + 1)), f"boot(): the numbered steps 1. to {n}., in order",
         f"found {steps}")
    words = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven",
             12: "twelve"}
    for doc in ("README.md", "loader/README.md"):
        said = re.findall(r"\b(\w+)\s+numbered\s+steps", read(doc))
        t.ok(said and all(w == words.get(n) for w in said),
             f"{doc} says boot() has {words.get(n, n)} numbered steps", f"it says {said}")

    names = re.findall(r'\bSTEP\(\s*b\s*,\s*\w+\s*,\s*"([^"]+)"\s*\)', body)
    names += re.findall(r'\bpipeline_rewrite\(\s*&b->pipe\s*,\s*"([^"]+)"', main_c)
    names += re.findall(r'\bpipeline_step\(\s*p\s*,\s*"([^"]+)"', read("loader/pipeline/pipeline.c"))
    dups = sorted({n for n in names if names.count(n) > 1})
    t.ok(len(names) >= 5 and not dups,
         f"the {len(names)} tree steps have distinct names (a failure line names one)",
         f"names {names}; shared: {dups}")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
