"""Files replaced whole: a reader sees the old content or the new, never a part of either.

The new content goes to a temporary file beside the target (the same folder, so the same file
system) and is renamed onto it once complete. A failure removes the temporary file and leaves
the target as it was. Temporary names start with `.tmp-`: `reuse/prune.py` removes the ones a
killed build left among the cache's entries. The file is not synced to disk: what is written
this way can be made again, and a crash of the machine costs only that work.

Standard library only: the post's process imports it (`lemma.execute.figures`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO, overload

PREFIX = ".tmp-"


@overload
def atomic_file(
    path: Path, mode: Literal["wb"] = "wb", *, prefix: str = PREFIX
) -> contextlib.AbstractContextManager[BinaryIO]: ...


@overload
def atomic_file(
    path: Path, mode: Literal["w"], *, prefix: str = PREFIX
) -> contextlib.AbstractContextManager[TextIO]: ...


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "wb", *, prefix: str = PREFIX) -> Iterator[Any]:
    """A new file to write `path`'s content into ("w": UTF-8 text), put in its place when the
    block ends; an exception in the block leaves `path` untouched and no temporary file. The
    folder must exist. The file is made by `mkstemp`, so only its owner may read it."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as file:
            yield file
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise


def write_atomically(path: Path, data: bytes | str, *, prefix: str = PREFIX) -> None:
    """Replace `path` with `data` (a str as UTF-8 text), as `atomic_file` does."""
    if isinstance(data, str):
        with atomic_file(path, "w", prefix=prefix) as text:
            text.write(data)
    else:
        with atomic_file(path, prefix=prefix) as binary:
            binary.write(data)
