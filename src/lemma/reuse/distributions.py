"""Which installed distributions provide a top-level module, and their versions, remembered
between builds.

A cache entry lists the distributions its post imported (with their versions), so that upgrading
numpy runs the post again. `importlib.metadata.packages_distributions()` answers by reading the
metadata of every installed distribution: 0.3 s, a sixth of a rebuild after one code edit. Asking
importlib.metadata for the versions costs a prose edit about 40 ms more: the module's own import
(it brings the email package) and a search of sys.path per distribution. Both answers change only
when a distribution is installed, upgraded or removed: they are kept in the cache folder under
the names and times of the metadata folders, and made again when one of them differs. The file is
plain JSON (module, distribution and version strings), read as data only.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lemma.reuse.atomic import atomic_file

if TYPE_CHECKING:
    from importlib import metadata

MAP_FILE = "distributions.json"  # under the cache folder
# 2: the interpreter's real file; folders without metadata left out. 3: the versions.
_FORMAT = 3


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
    from importlib import metadata  # only here: its import is most of what the file saves

    made = Installed(metadata.packages_distributions(), _versions(metadata.distributions()))
    with contextlib.suppress(OSError):  # only saves time: never fail a build for it
        _save(path, {"stamp": stamp, "map": made.providers, "versions": made.versions})
    return made


def _versions(distributions: Iterable[metadata.Distribution]) -> dict[str, str]:
    """Each distribution's version by its name; the first found on sys.path, as
    `importlib.metadata.version` finds it."""
    found: dict[str, str] = {}
    for distribution in distributions:
        fields = distribution.metadata
        name, version = fields["Name"], fields["Version"]
        if isinstance(name, str) and isinstance(version, str):
            found.setdefault(name, version)
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
