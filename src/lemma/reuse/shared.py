"""The shared execution cache: entries and figures in storage named by a URL, through fsspec.

`cache_url` in site.toml (`s3://bucket/blog`, `file:///mnt/shared/lemma`, a plain folder, any
URL fsspec knows) names a second tier behind the local cache folder. A local miss asks the
shared store; an entry found there is copied into the local cache and checked like any local
entry (its manifest: files read, versions, figures), so a corrupt, partial or foreign entry is
a miss. Figures are named by the hash of their bytes and checked against it. A run's entry and
figures are sent to the shared store once they are complete locally: a folder gets a temporary
file renamed into place, an object store a single PUT, so a reader sees a whole entry or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from lemma.errors import ConfigError
from lemma.model import SourceLocation
from lemma.reuse.atomic import write_atomically
from lemma.reuse.cache import CacheStore
from lemma.reuse.figures import is_figure_name

# An absent entry: a plain miss.
_ABSENT = (FileNotFoundError,)


class SharedStore:
    """Entries as `entries/<key>.json` and figures as `figures/<name>` under the URL."""

    def __init__(self, url: str, options: Mapping[str, Any]) -> None:
        try:
            import fsspec
        except ImportError:
            raise ConfigError(
                f"cache_url {url!r} needs fsspec, which is not installed",
                SourceLocation("site.toml"),
                hint="pip install 'lemma-blog[s3]'",
            ) from None
        try:
            self.fs, self.base = fsspec.core.url_to_fs(url, **dict(options))
        except (ImportError, ValueError, TypeError) as exc:
            raise ConfigError(
                f"cache_url {url!r} cannot be opened: {exc}",
                SourceLocation("site.toml"),
                hint="for s3:// URLs: pip install 'lemma-blog[s3]'",
            ) from None
        self.url = url
        self.base = self.base.rstrip("/")
        protocols = self.fs.protocol
        names = (protocols,) if isinstance(protocols, str) else tuple(protocols)
        self._is_folder = bool({"file", "local"} & set(names))
        self.unreachable: str | None = None  # why the store stopped being asked, if it did

    def pull(self, key: str, local: CacheStore) -> bool:
        """Copy the entry under `key` and its figures into the local cache; False when absent."""
        data = self._get(f"entries/{key}.json")
        if data is None:
            return False
        try:
            figures = json.loads(data)["manifest"]["figures"]
        except (ValueError, KeyError, TypeError):
            return False  # garbage or partial: a miss, and the local cache stays clean
        if not isinstance(figures, list):
            return False
        for name in figures:
            if not isinstance(name, str) or not is_figure_name(name):
                return False
            if local.figures.holds(name):
                continue
            figure = self._get(f"figures/{name}")
            if figure is None or hashlib.sha256(figure).hexdigest() != name.split(".")[0]:
                return False
            _write_figure(local, name, figure)
        with contextlib.suppress(OSError):
            local.write_entry(key, data)
            return True
        return False

    def check_writable(self) -> str | None:
        """Why the store cannot take a file, or None: a shard checks before it runs anything."""
        probe = f"probes/{uuid.uuid4().hex}"
        self._put(probe, b"lemma")
        if self.unreachable is None and self._get(probe) != b"lemma":
            self.unreachable = "a file written there could not be read back"
        with contextlib.suppress(Exception):
            self.fs.rm_file(self._path(probe))
        return self.unreachable

    def push(self, key: str, local: CacheStore, figures: Sequence[str]) -> None:
        """Send a complete local entry and its figures; figures first, so that an entry seen
        by another machine always finds its figures."""
        data = local.entry_bytes(key)
        if data is None:
            return
        for name in figures:
            figure = local.figures.read(name)
            if figure is not None and not self._exists(f"figures/{name}"):
                self._put(f"figures/{name}", figure)
        self._put(f"entries/{key}.json", data)

    def _path(self, relative: str) -> str:
        return f"{self.base}/{relative}" if self.base else relative

    def _get(self, relative: str) -> bytes | None:
        if self.unreachable:
            return None
        try:
            data = self.fs.cat_file(self._path(relative))
        except _ABSENT:
            return None
        except Exception as exc:  # each fsspec backend raises its own kinds
            self._give_up(exc)
            return None
        return bytes(data)

    def _exists(self, relative: str) -> bool:
        if self.unreachable:
            return False
        try:
            return bool(self.fs.exists(self._path(relative)))
        except Exception as exc:
            self._give_up(exc)
            return False

    def _put(self, relative: str, data: bytes) -> None:
        if self.unreachable:
            return
        path = self._path(relative)
        try:
            if not self._is_folder:
                self.fs.pipe_file(path, data)  # one PUT: the object appears whole or not at all
                return
            parent = path.rsplit("/", 1)[0]
            self.fs.makedirs(parent, exist_ok=True)
            temp = f"{parent}/.tmp-{uuid.uuid4().hex}"
            try:
                self.fs.pipe_file(temp, data)
                self.fs.mv(temp, path)  # a rename within the folder: atomic
            finally:
                with contextlib.suppress(OSError):
                    if self.fs.exists(temp):
                        self.fs.rm_file(temp)
        except Exception as exc:
            self._give_up(exc)

    def _give_up(self, exc: BaseException) -> None:
        """A store that fails (unreachable, no permission) is not asked again in this build:
        posts run as without it, rather than each waiting for the same failure."""
        self.unreachable = f"{type(exc).__name__}: {exc}"


def _write_figure(local: CacheStore, name: str, data: bytes) -> None:
    folder = local.figures.folder
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / name, data)
