"""Which installed distributions provide a top-level module, and their versions, remembered
between builds.

A cache entry lists the distributions its post imported (with their versions), so that upgrading
numpy runs the post again. The answer is read from each distribution's metadata folder: its name
and version from the header of its METADATA, the top-level modules it provides from its
top_level.txt or else from the files its RECORD lists (as Python 3.12's
`importlib.metadata.packages_distributions()` infers them). Asking importlib.metadata itself
parsed every METADATA in full, once for each module it provides, and made a path object for every
installed file: 0.45 s of a cold build for 160 distributions, against 0.1 s. The answer changes
only when a distribution is installed, upgraded or removed: it is kept in the cache folder under
the names and times of the metadata folders, and made again when one of them differs. The file is
plain JSON (module, distribution and version strings), read as data only.
"""

from __future__ import annotations

import contextlib
import csv
import inspect
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lemma.reuse.atomic import atomic_file

if TYPE_CHECKING:
    from importlib import metadata

MAP_FILE = "distributions.json"  # under the cache folder
# 2: the interpreter's real file; folders without metadata left out. 3: the versions. 4: read
# from the metadata folders, modules inferred as Python 3.12 infers them.
_FORMAT = 4


@dataclass(frozen=True, slots=True)
class Installed:
    """The distributions installed for the running interpreter."""

    providers: Mapping[str, list[str]]  # top-level module -> the distributions that provide it
    versions: Mapping[str, str]  # distribution -> its version, as importlib.metadata finds it


def installed(cache_dir: Path) -> Installed:
    """What is installed, from the file in `cache_dir` while no distribution has changed."""
    stamp = _stamp()
    path = cache_dir / MAP_FILE
    with contextlib.suppress(OSError, ValueError, RecursionError):
        document = json.loads(path.read_bytes())
        if isinstance(document, dict) and document.get("stamp") == stamp:
            providers = _checked(document.get("map"))
            versions = _checked_versions(document.get("versions"))
            if providers is not None and versions is not None:
                return Installed(providers, versions)
    made = _read_installed()
    with contextlib.suppress(OSError):  # only saves time: never fail a build for it
        _save(path, {"stamp": stamp, "map": made.providers, "versions": made.versions})
    return made


def _read_installed() -> Installed:
    """What the metadata folders on sys.path say: a distribution found twice (in two folders of
    sys.path) by its first, as importlib.metadata finds it."""
    from importlib import metadata  # only here: its import is most of what the file saves

    providers: dict[str, list[str]] = {}
    versions: dict[str, str] = {}
    for distribution in metadata.distributions():
        name, version = _name_and_version(distribution)
        if name is None:
            continue
        for module in sorted(_top_level(distribution)):
            providers.setdefault(module, []).append(name)
        if version is not None:
            versions.setdefault(name, version)
    return Installed(providers, versions)


def _name_and_version(distribution: metadata.Distribution) -> tuple[str | None, str | None]:
    """The Name and Version fields of the distribution's METADATA (PKG-INFO for an egg): its
    header, up to the first empty line; the description below it can be long."""
    text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and not key[:1].isspace():
            fields.setdefault(key.strip().lower(), value.strip())
    return fields.get("name"), fields.get("version")


def _top_level(distribution: metadata.Distribution) -> set[str]:
    """The importable top-level names the distribution provides: those its top_level.txt
    declares, or else the first part of each file it installed (a module's own name for a file
    at the top), without those that hold a dot (its metadata folder, `..`)."""
    declared = (distribution.read_text("top_level.txt") or "").split()
    if declared:
        return set(declared)
    record = distribution.read_text("RECORD")
    if record is not None:
        paths = [row[0] for row in csv.reader(record.splitlines()) if row]
    else:  # an egg's installed-files.txt or SOURCES.txt: rare enough for the slow way
        paths = [path.as_posix() for path in distribution.files or ()]
    found = set()
    for path in paths:
        top, slash, _ = path.partition("/")
        name = top if slash else inspect.getmodulename(path) or path
        if "." not in name:
            found.add(name)
    return found


def _stamp() -> list[object]:
    """The format, the environment and its interpreter, and for each folder of sys.path that has
    any, the metadata folders in it (`*.dist-info`, `*.egg-info`) with their modification times:
    installing, upgrading or removing a distribution adds, renames or remakes one. The folders'
    own times would not do: the site's root is on sys.path, and every build changes it. A folder
    with no metadata is left out: the first one on sys.path is the script's (`lemma build` and
    `python build.py` differ there), and it provides no distribution."""
    folders: list[object] = []
    for entry in sys.path:
        found: list[object] = []
        with contextlib.suppress(OSError), os.scandir(entry or ".") as listing:
            for item in listing:
                if item.name.endswith((".dist-info", ".egg-info")):
                    found.append([item.name, item.stat(follow_symlinks=False).st_mtime_ns])
        if found:
            folders.append([entry, sorted(found, key=str)])
    # The interpreter by its real file: `lemma` starts it as python3, `python -m lemma` as python.
    interpreter = os.path.realpath(sys.executable)
    return [_FORMAT, sys.prefix, interpreter, sys.version, folders]


def _checked(data: object) -> dict[str, list[str]] | None:
    if not isinstance(data, dict):
        return None
    for module, names in data.items():
        if not isinstance(module, str) or not isinstance(names, list):
            return None
        if not all(isinstance(name, str) for name in names):
            return None
    return data


def _checked_versions(data: object) -> dict[str, str] | None:
    if not isinstance(data, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return None
    return data


def _save(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, "w", prefix=".tmp-distributions-") as file:
        json.dump(document, file, sort_keys=True)
