"""The figure store: the one place that says where a Figure output's bytes are, and reads them.

Snippets' figures are files in the cache's `figures/` folder, named by the hash of their bytes
(the child process writes them: `lemma.execute.figures`). Render copies them into the site,
notebooks embed them; both ask this store. A name comes from a cache entry, which is a file
anyone could have edited: only a plain file name inside the folder is ever looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIGURES_DIR = "figures"  # under the cache folder


FIGURE_NAME = re.compile(r"[0-9a-f]{64}\.(svg|png)")  # the sha256 of the bytes, and the format


def is_figure_name(file_name: str) -> bool:
    """A name the store gives: no folder, no `..`, nothing a path could escape the store with."""
    return FIGURE_NAME.fullmatch(file_name) is not None


@dataclass(frozen=True, slots=True)
class FigureStore:
    folder: Path  # absolute or relative to the working folder, like the cache folder

    @classmethod
    def in_cache(cls, cache_dir: Path) -> FigureStore:
        return cls(cache_dir / FIGURES_DIR)

    def path(self, file_name: str) -> Path:
        """Where the figure's bytes are; ValueError for a name that is not one of the store's."""
        if not is_figure_name(file_name):
            raise ValueError(f"not a figure name: {file_name!r}")
        return self.folder / file_name

    def read(self, file_name: str) -> bytes | None:
        """The figure's bytes; None when the name is not the store's or the file is gone."""
        if not is_figure_name(file_name):
            return None
        try:
            return (self.folder / file_name).read_bytes()
        except OSError:
            return None

    def holds(self, file_name: str) -> bool:
        """Whether the store has this figure (a cache entry's figures must all be there)."""
        return is_figure_name(file_name) and (self.folder / file_name).is_file()
