"""Pages written to disk as they are made, so that a build does not hold them all in memory.

A notebook embeds its figures: at 2,000 posts the notebooks alone were 207 MB of bytes held from
the moment they were made until the site was written, and the post pages 67 MB more. A build
hands render a spool instead: each new notebook and post page goes to a file in
`.lemma-cache/spool/` at once and comes back as a `KeptPage`, which the write step links into the
new site like an unchanged page of the previous one. The folder is emptied when a build starts
(one left by a killed build included: builds hold the build lock) and removed when it ends;
`lemma serve` keeps its pages in memory and uses none.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lemma.model import KeptPage
from lemma.reuse.memo import content_digest

SPOOL_DIR = "spool"  # under the cache folder


class Spool:
    def __init__(self, cache_dir: Path) -> None:
        folder = cache_dir / SPOOL_DIR
        if folder.is_symlink() or folder.is_file():
            folder.unlink()  # a link in its place is removed, never followed
        else:
            shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder.resolve()
        self._count = 0

    def keep(self, output_path: str, content: bytes) -> KeptPage:
        """Write `content` to a file of its own; the page that stands for it."""
        self._count += 1
        path = self.folder / f"{self._count}{Path(output_path).suffix}"
        try:
            file = path.open("xb")
        except FileNotFoundError:  # the cache folder was deleted during the build: make it again
            self.folder.mkdir(parents=True, exist_ok=True)  # (pages spooled before are said
            file = path.open("xb")  # to have gone when the site is written: build again)
        with file:
            file.write(content)
            info = os.fstat(file.fileno())
        stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
        return KeptPage(output_path, content_digest(content), stamp, str(path))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
