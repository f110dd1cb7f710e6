"""The files under a folder as a build sees them: in name order, no link followed into.

Hidden entries, caches of tools (`__pycache__`, `node_modules`, `.pyc`) and virtual environments
are not the blog's, unless `include_hidden` (an output folder is compared whole). Plain strings,
not Path objects: a 2,000-post site has 15,000 files to look at.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path

_SKIPPED_NAMES = {"__pycache__", "node_modules"}


def walk_files(
    folder: str, skip: Collection[str] = (), include_hidden: bool = False
) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path relative to `folder`, with "/", full path, stat) of every file, in order; the full
    paths in `skip` are left out, folders with everything under them."""
    yield from _walk(folder, "", skip, include_hidden)


def _walk(
    folder: str, prefix: str, skip: Collection[str], include_hidden: bool
) -> Iterator[tuple[str, str, os.stat_result]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not include_hidden and (name.startswith(".") or name in _SKIPPED_NAMES):
            continue
        if entry.path in skip or name.endswith(".pyc"):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if not include_hidden and Path(entry.path, "pyvenv.cfg").exists():
                    continue
                yield from _walk(entry.path, f"{prefix}{name}/", skip, include_hidden)
            elif entry.is_file():
                yield prefix + name, entry.path, entry.stat()
        except OSError:
            continue
