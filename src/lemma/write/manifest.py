"""What the output folder holds: the list of files Lemma wrote, files it did not, and leftovers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MARKER = ".lemma-site"  # marks a folder Lemma built, so that it never replaces anything else
_HEADER = "This folder was built by Lemma and is replaced by each build. Files it wrote:\n"
# Folders that are never a site's content: a deploy checkout inside the output folder is the
# classic way to lose a repository's history to a rebuild.
_VCS = (".git", ".hg", ".svn")


def write_manifest(staging: Path) -> None:
    """Write the marker with every file of the complete staging folder (search index included)."""
    paths = sorted(_files(staging))
    (staging / MARKER).write_text(_HEADER + "".join(f"{p}\n" for p in paths), encoding="utf-8")


def foreign_files(output_dir: Path) -> list[str]:
    """Files and VCS folders in a Lemma-built output folder that Lemma did not write.

    A marker from before the manifest (no list) vouches for everything but VCS folders.
    """
    listed = _listed(output_dir)
    found = sorted(f"{name}/" for name in _VCS if (output_dir / name).exists())
    if listed is None:
        return found
    written = set(listed)
    return found + [p for p in sorted(_files(output_dir, skip=_VCS)) if p not in written]


def written_folders(output_dir: Path) -> list[str]:
    """The folders of the files the manifest of `output_dir` lists, each after those above it
    ("posts", "posts/a", ...); none without a manifest."""
    folders: dict[str, None] = {}
    for path in _listed(output_dir) or []:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:depth]))
    return list(folders)


def _listed(output_dir: Path) -> list[str] | None:
    """The files the manifest of `output_dir` lists; None without a manifest (no marker, or
    one from before the manifest)."""
    try:
        lines = (output_dir / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 1 or lines[0] + "\n" != _HEADER:
        return None
    return lines[1:]


def remove_leftovers(output_dir: Path) -> None:
    """Remove staging and old copies of the output folder that an interrupted or killed build
    left beside it (`._site.new-*`, `._site.old-*`); the caller holds the site's build lock."""
    prefixes = (f".{output_dir.name}.new-", f".{output_dir.name}.old-")
    try:
        entries = list(output_dir.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _files(folder: Path, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for current, dirs, files in os.walk(folder):
        relative = Path(current).relative_to(folder)
        if relative == Path():
            dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = (relative / name).as_posix()
            if path != MARKER:
                found.append(path)
        # A link to a folder is listed as the file it looks like, never followed.
        found += [(relative / d).as_posix() for d in dirs if (Path(current) / d).is_symlink()]
    return found
