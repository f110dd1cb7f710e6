"""Files of the new site that are byte for byte in the previous one: linked, not written again.

Creating a file costs far more than linking one on most file systems (a new inode and its
journal entry against a new name), and after a prose edit nearly every page and every figure
is unchanged. The previous site is only read: its files keep their bytes whatever happens to
the new one, and once the new site is in place, the old folder's names are removed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lemma.model import KeptPage


class PreviousSite:
    """The output folder as the last build left it, or nothing to link from."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def link_page(self, output_path: str, content: bytes, target: Path) -> bool:
        """Link `target` to the previous site's file when it holds exactly `content`."""
        old = self._regular(output_path, len(content))
        if old is None:
            return False
        try:
            with old.open("rb") as file:
                if file.read(len(content) + 1) != content:
                    return False
            os.link(old, target, follow_symlinks=False)
        except OSError:
            return False
        return True

    def link_asset(self, output_path: str, source: Path, target: Path) -> bool:
        """Link `target` to the previous site's file when it holds exactly what `source` does."""
        try:
            size = source.stat().st_size
        except OSError:
            return False
        old = self._regular(output_path, size)
        if old is None:
            return False
        try:
            if not _same_bytes(old, source):
                return False
            os.link(old, target, follow_symlinks=False)
        except OSError:
            return False
        return True

    def _regular(self, output_path: str, size: int) -> Path | None:
        """The previous file at `output_path` if it is a regular file of `size` bytes."""
        if self.folder is None:
            return None
        old = self.folder / output_path  # output_path was checked by the caller
        try:
            info = old.lstat()  # a link planted in the old site is never followed
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return None
        return old


def link_kept(page: KeptPage, target: Path) -> bool:
    """Link `target` to the file that holds a kept page's bytes, if it is still the file that was
    checked (same inode, size and modification time): the bytes are never read again."""
    try:
        info = os.lstat(page.source)  # a link planted in its place is never followed
        if not stat.S_ISREG(info.st_mode):
            return False
        if (info.st_ino, info.st_size, info.st_mtime_ns) != page.stamp:
            return False
        os.link(page.source, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _same_bytes(a: Path, b: Path, chunk: int = 1 << 20) -> bool:
    with a.open("rb") as first, b.open("rb") as second:
        while True:
            left, right = first.read(chunk), second.read(chunk)
            if left != right:
                return False
            if not left:
                return True
