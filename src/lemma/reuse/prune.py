"""Pruning the execution cache after a build: entries no build uses any more, and a size bound.

Every edit of a post's code makes a new entry; without pruning, the old ones and their figures
stay forever (15 edits gave 8.5 MB of cache for a 1.3 MB site). After a build that wrote the
site, an entry of a post that this build ran or took from the cache under another key is
dropped at once (it is the run of an older version). Entries of posts the build did not ask for
(drafts, which `lemma check` runs; posts removed for now) stay, while the cache is under its
size bound (`cache_limit_mb` in site.toml, 500 MB by default): beyond it, the least recently
used entries go first. A figure goes when no remaining entry and no run of this build uses it.
An entry's modification time is its last use (see `cache.mark_used`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lemma.model import Figure, PostRun
from lemma.reuse.figures import FigureStore, is_figure_name


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    used_ns: int  # when a build last used it
    size: int
    source_path: str
    figures: frozenset[str]


def prune_cache(
    cache_dir: Path,
    build_started_ns: int,
    runs: Mapping[str, PostRun],
    limit_mb: int,
) -> None:
    """Drop what no build needs any more; never fails (it only saves disk space)."""
    entries_dir = cache_dir / "entries"
    store = FigureStore.in_cache(cache_dir)
    entries = _read_entries(entries_dir, build_started_ns)
    kept: list[_Entry] = []
    for entry in entries:
        used = entry.used_ns >= build_started_ns
        if not used and entry.source_path in runs:  # an older version of a post of this build
            _remove(entry.path)
        else:
            kept.append(entry)
    in_use = set(_figure_names(runs.values()))
    figure_sizes = _figure_sizes(store.folder)

    def total(entries: Iterable[_Entry]) -> int:
        entries = list(entries)
        figures = in_use.union(*(e.figures for e in entries))
        return sum(e.size for e in entries) + sum(figure_sizes.get(f, 0) for f in figures)

    limit = limit_mb * 1024 * 1024
    if total(kept) > limit:
        # Least recently used first; never what this build used.
        for entry in sorted(kept, key=lambda e: e.used_ns):
            if entry.used_ns >= build_started_ns or total(kept) <= limit:
                break
            _remove(entry.path)
            kept.remove(entry)
    referenced = in_use.union(*(e.figures for e in kept))
    for name in figure_sizes:
        if name not in referenced:
            _remove(store.folder / name)


def prune_folder(folder: Path, in_use: Iterable[str]) -> None:
    """Remove the files of `folder` that no path of `in_use` names: made from the posts (a
    notebook's attachments), they are made again when a build needs them."""
    kept = {Path(path) for path in in_use}
    try:
        paths = list(folder.iterdir())
    except OSError:
        return
    for path in paths:
        if path not in kept:
            _remove(path)


def _read_entries(entries_dir: Path, build_started_ns: int) -> list[_Entry]:
    entries = []
    try:
        paths = list(entries_dir.iterdir())
    except OSError:
        return []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        if path.name.startswith(".tmp-"):  # left by a killed build
            if info.st_mtime_ns < build_started_ns:
                _remove(path)
            continue
        try:
            entry = json.loads(path.read_bytes())
            manifest = entry["manifest"]
            figures = frozenset(f for f in manifest["figures"] if is_figure_name(f))
            source_path = entry.get("source_path", "")
        except (OSError, ValueError, KeyError, TypeError):
            _remove(path)  # unreadable: a miss for every build, forever
            continue
        source = source_path if isinstance(source_path, str) else ""
        entries.append(_Entry(path, info.st_mtime_ns, info.st_size, source, figures))
    return entries


def _figure_sizes(folder: Path) -> dict[str, int]:
    sizes = {}
    with contextlib.suppress(OSError), os.scandir(folder) as found:
        for item in found:
            if is_figure_name(item.name):
                with contextlib.suppress(OSError):
                    sizes[item.name] = item.stat().st_size
    return sizes


def _figure_names(runs: Iterable[PostRun]) -> Iterable[str]:
    for run in runs:
        for result in run.results:
            for outputs in (result.outputs, *(outputs for _, outputs in result.variants)):
                yield from (o.file_name for o in outputs if isinstance(o, Figure))


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
