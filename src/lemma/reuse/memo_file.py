"""`lemma build`'s memos between runs: one JSON file in the cache folder, safe to delete.

The file holds every memo a build opened, by name, in the codec's data format (`codec`): reading
it can never run code. It is thrown away whole when its stamp differs: Lemma's own code, the
templates, site.toml or the Python version changed. A missing, damaged or crafted file is a miss,
never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from lemma.reuse.atomic import atomic_file
from lemma.reuse.codec import MemoCodec, Unencodable
from lemma.reuse.memo import Memo

MEMO_FILE = "build-memo.json"
MEMO_FORMAT = 2  # 1 was a pickle: never read again


def fingerprint(config_repr: str, folders: Sequence[Path], config_file: Path) -> str:
    """Everything that invalidates every memo: Lemma's code, templates, site.toml, Python."""
    parts: list[str] = [sys.version, str(MEMO_FORMAT), config_repr]
    package = Path(__file__).resolve().parents[1]
    for folder in [package, *folders]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".pyc" or not path.is_file():
                continue
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    with contextlib.suppress(OSError):
        parts.append(config_file.read_text())
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class MemoFile:
    """The memos of one build, read from `path` and written back when the build succeeded."""

    def __init__(self, path: Path, stamp: str, codec: MemoCodec) -> None:
        # The stamp of the code and templates when the build started: saving the one of the end
        # would stamp a memo of old values as current if Lemma changed mid-build.
        self.path = path
        self.stamp = stamp
        self.codec = codec
        self._stored: dict[str, dict[str, Any]] = _read(path, stamp)
        self._opened: dict[str, Memo[Any]] = {}

    def memo(self, name: str, hint: object) -> Memo[Any]:
        """The memo called `name`, with the entries the previous build left in it; `hint` is the
        type of its values (an entry of another type is a miss)."""

        def decode(data: object) -> Any:
            return self.codec.decode_as(data, hint)

        memo: Memo[Any] = Memo(self._stored.pop(name, {}), decode)
        self._opened[name] = memo
        return memo

    def save(self) -> None:
        """Write the memos atomically, only when this build changed them."""
        if not any(memo.changed for memo in self._opened.values()):
            return
        memos: dict[str, dict[str, object]] = {}
        for name, memo in self._opened.items():
            entries = memos[name] = {}
            for key, value, stored in memo.entries():
                try:
                    entries[key] = stored if stored is not None else self.codec.encode(value)
                except Unencodable:
                    continue  # rebuilt next time (a body that copies media, say)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path, prefix=".tmp-memo-") as file:
            _write_document(file, self.stamp, memos)


def _write_document(file: BinaryIO, stamp: str, memos: dict[str, dict[str, object]]) -> None:
    """The memo document as JSON, one entry at a time: at 2,000 posts the whole document as one
    string (and its bytes) held 160 MB more at the end of the build."""

    def dumps(value: object) -> bytes:
        return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")

    file.write(b'{"format":' + dumps(MEMO_FORMAT) + b',"stamp":' + dumps(stamp) + b',"memos":{')
    for index, (name, entries) in enumerate(memos.items()):
        file.write((b"," if index else b"") + dumps(name) + b":{")
        for position, (key, value) in enumerate(entries.items()):
            file.write((b"," if position else b"") + dumps(key) + b":" + dumps(value))
        file.write(b"}")
    file.write(b"}}")


def _read(path: Path, stamp: str) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # missing, damaged, not JSON: start afresh
        return {}
    if not isinstance(document, dict) or document.get("format") != MEMO_FORMAT:
        return {}
    memos = document.get("memos")
    if document.get("stamp") != stamp or not isinstance(memos, dict):
        return {}
    return {
        name: entries
        for name, entries in memos.items()
        if isinstance(name, str) and isinstance(entries, dict)
    }
