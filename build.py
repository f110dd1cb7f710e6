#!/usr/bin/env python3
"""`python build.py [ARGS]` is exactly `lemma build [ARGS]`."""

import sys
from pathlib import Path

# Run from a checkout without installing: prefer the source tree next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from lemma.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
