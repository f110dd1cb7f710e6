"""The execution cache: keys from what changes a post's results; an on-disk store safe to delete.

An entry is one JSON file, `entries/<key>.json`, holding an opaque payload (the post's run, as
`lemma.execute` encodes it) and a manifest of what the run depended on besides its key: the files
it read and local modules it imported (with their hashes), the distributions it imported (with
their versions) and the figure files it produced. A lookup re-checks the manifest, so editing
`data.csv` re-executes the post that reads it. Nothing in a key or an entry is an absolute path:
the cache stays valid when the site's folder moves.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from lemma.file_state import STATE_KINDS, StateKind, current_state
from lemma.model import FileRecord, Snippet
from lemma.reuse.atomic import write_atomically
from lemma.reuse.distributions import Installed, installed
from lemma.reuse.figures import FigureStore

CACHE_FORMAT = 1  # bump when the entry layout or the meaning of a payload changes


def cache_key(source_path: str, snippets: Sequence[Snippet]) -> str:
    """The key of a post's run: its snippets' code and execution options in order, and the executor.

    Prose and front matter are not part of it, nor are the code of fences that do not run: editing
    them never re-executes. The post's relative path is, because outputs name it (tracebacks).
    """
    described = [describe_snippet(snippet) for snippet in snippets]
    document = {
        "format": CACHE_FORMAT,
        "python": [sys.implementation.name, *sys.version_info[:3]],
        "executor": executor_digest(),
        "source_path": source_path,
        "snippets": described,
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, default=repr)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def describe_snippet(snippet: Snippet) -> dict[str, Any]:
    """What of a snippet changes its results: its code and execution options (JSON-ready)."""
    options = snippet.options
    entry: dict[str, Any] = {
        "index": snippet.index,
        "language": snippet.language,
        "executable": snippet.executable,
    }
    if snippet.executable:
        entry.update(
            code=snippet.code,
            expects_error=options.expects_error,
            expected_error=options.expected_error,
            timeout_s=options.timeout_s,
            fig_format=options.fig_format,
            svg_limit_kb=options.svg_limit_kb,
            fig_cap=options.fig_cap,
            fig_caps=list(options.fig_caps),
            fig_alt=options.fig_alt,
            cache_keep=options.cache_keep,
            sweeps=[[s.name, list(s.values), s.default_index] for s in options.sweeps],
        )
    return entry


@functools.cache
def executor_digest() -> str:
    """Hash of the code that runs snippets: a new Lemma that captures differently re-executes."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    sources = [*(package / "execute").glob("*.py"), package / "model.py", package / "file_state.py"]
    for path in sorted(sources):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a run depended on besides its key; checked again on every lookup."""

    files: tuple[FileRecord, ...] = ()
    distributions: tuple[tuple[str, str], ...] = ()  # (name, version)
    figures: tuple[str, ...] = ()  # file names in the figure store


class CacheStore:
    """Entries under `cache_dir/entries`; figures in the cache's figure store."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        self.cache_dir = cache_dir
        self.root = root
        self.entries_dir = cache_dir / "entries"
        self.figures = FigureStore.in_cache(cache_dir)
        self._installed: Installed | None = None  # per store, that is per build

    def load(self, key: str) -> dict[str, Any] | None:
        """The payload stored under `key`, when the entry is intact and its manifest still holds."""
        try:
            entry = json.loads(self._entry_path(key).read_bytes())
        except (OSError, ValueError):
            return None  # absent, truncated or garbage: a miss
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
            return None
        if entry.get("key") != key or not isinstance(entry.get("payload"), dict):
            return None
        manifest = entry.get("manifest")
        if not isinstance(manifest, dict) or not self._manifest_holds(manifest):
            return None
        payload: dict[str, Any] = entry["payload"]
        mark_used(self._entry_path(key))
        return payload

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under `key` (unchecked: `load` may still find it stale)."""
        return self._entry_path(key).is_file()

    def save(
        self, key: str, payload: Mapping[str, Any], manifest: Manifest, source_path: str = ""
    ) -> None:
        """Write an entry atomically; a failure to write only costs a re-execution later."""
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "source_path": source_path,  # which post's run: reuse/prune.py drops older ones
            "manifest": {
                "files": [[r.path, r.state, r.kind] for r in manifest.files],
                "distributions": [list(d) for d in manifest.distributions],
                "figures": list(manifest.figures),
            },
            "payload": payload,
        }
        data = json.dumps(entry, ensure_ascii=True, sort_keys=True).encode("ascii")
        with contextlib.suppress(OSError):
            self.write_entry(key, data)

    def entry_bytes(self, key: str) -> bytes | None:
        """The stored entry as it is on disk (for a shared store to copy), or None."""
        try:
            return self._entry_path(key).read_bytes()
        except OSError:
            return None

    def write_entry(self, key: str, data: bytes) -> None:
        """Put an entry's bytes in place atomically: a reader sees the old entry or the new one.

        Bytes from elsewhere (a shared store) are checked by `load` like any entry."""
        self.entries_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(self._entry_path(key), data)
        mark_used(self._entry_path(key))

    def distributions_for(self, modules: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """The installed distributions (name, version) that provide the given top-level modules."""
        found = self._distributions()
        names = {dist for module in modules for dist in found.providers.get(module, ())}
        return tuple(
            (name, found.versions[name]) for name in sorted(names) if name in found.versions
        )

    def _distributions(self) -> Installed:
        if self._installed is None:
            self._installed = installed(self.cache_dir)
        return self._installed

    def _entry_path(self, key: str) -> Path:
        return self.entries_dir / f"{key}.json"

    def _manifest_holds(self, manifest: Mapping[str, Any]) -> bool:
        files, distributions, figures = (
            manifest.get("files"),
            manifest.get("distributions"),
            manifest.get("figures"),
        )
        if not all(isinstance(part, list) for part in (files, distributions, figures)):
            return False
        assert isinstance(files, list) and isinstance(distributions, list)
        assert isinstance(figures, list)
        for item in files:
            if not (
                isinstance(item, list) and len(item) == 3 and all(isinstance(s, str) for s in item)
            ):
                return False
            path, state, kind = item
            if kind not in STATE_KINDS:
                return False
            # A path outside the root is absolute (the post read it there: checking its state
            # reveals nothing); a relative one never climbs out of the root.
            if not PurePosixPath(path).is_absolute():
                if ".." in PurePosixPath(path).parts:
                    return False
                path = str(self.root / path)
            if current_state(path, cast(StateKind, kind)) != state:
                return False
        versions = self._distributions().versions if distributions else {}
        for item in distributions:
            if not _is_pair(item) or versions.get(item[0]) != item[1]:
                return False
        for name in figures:
            if not isinstance(name, str) or not self.figures.holds(name):
                return False
        return True


def mark_used(entry_path: Path) -> None:
    """An entry's modification time is when a build last used it (reuse/prune.py reads it); set
    from the same clock the build's start is read from, to the nanosecond."""
    with contextlib.suppress(OSError):
        now = time.time_ns()
        os.utime(entry_path, ns=(now, now))


def _is_pair(item: object) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item)
