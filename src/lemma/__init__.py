"""Lemma: a static blog generator for executable math posts."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__version__ = "0.1.0"


def python_path_with_lemma() -> str:
    """PYTHONPATH for an interpreter Lemma starts: the folder holding this Lemma first, then the
    caller's own, so that it imports this Lemma even when another one is installed."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    return os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)


@cache
def theme_dir() -> Path:
    """The packaged theme; in a source checkout, the top-level templates/ it is built from."""
    packaged = Path(__file__).resolve().parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"
