"""The state of what a post depended on in the file system: a file's bytes, a folder's listing,
whether a path exists. Computed in the post's process after a run and again on a cache lookup."""

from __future__ import annotations

import hashlib
import os
import stat
from typing import Literal

StateKind = Literal["content", "listing", "existence"]
STATE_KINDS: tuple[StateKind, ...] = ("content", "listing", "existence")


def current_state(path: str, kind: StateKind) -> str:
    """ "" when nothing is there; else a digest that changes when what `kind` looks at changes.

    content: the sha256 of a regular file's bytes (only regular files are opened: a cache entry
    naming a FIFO or a device must not block or stream forever). listing: the sha256 of a
    folder's sorted entry names. existence: "file", "folder" or "other".
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return ""
    if kind == "existence":
        if stat.S_ISREG(info.st_mode):
            return "file"
        return "folder" if stat.S_ISDIR(info.st_mode) else "other"
    if kind == "listing":
        if not stat.S_ISDIR(info.st_mode):
            return ""
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return ""
        return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()
    if not stat.S_ISREG(info.st_mode):
        return ""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""
