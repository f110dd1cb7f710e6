"""`lemma build`'s memos between runs: one file of JSON lines in the cache folder, safe to delete.

The file holds every memo a build opened, by name, in the codec's data format (`codec`): reading
it can never run code. It is thrown away whole when its stamp differs: Lemma's own code, the
templates, site.toml or the Python version changed. A missing, damaged or crafted file is a miss,
never an error.

The first line is `{"format": 3, "stamp": ...}`; then one line per entry: the JSON array
`[memo name, key]`, a tab, and the entry's value as JSON (JSON text holds neither a raw tab nor a
raw newline). The build keeps the file open and only where each entry's value lies in it: an
entry is read and decoded when the build asks for it, and one the build used unchanged is copied
back as the bytes it was. One JSON document, parsed and written whole, cost a prose edit 37 ms at
100 posts (a 4.9 MB file) and 0.75 s at 2,000 (95 MB); keeping the entries' bytes in memory
instead of their places cost 100 MB at 2,000 posts.

A memo opened with `spill` (rendered bodies, highlighted code) holds none of its new values: each is
encoded as it is kept, appended to a nameless temporary file in the cache folder, and read back
from there when asked for again or when the memo file is saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lemma.reuse.atomic import atomic_file
from lemma.reuse.codec import MemoCodec, Unencodable
from lemma.reuse.memo import Memo

MEMO_FILE = "build-memo.json"
MEMO_FORMAT = 3  # 1 was a pickle: never read again; 2 one JSON document


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


@dataclass(frozen=True, slots=True)
class _Span:
    """Where an entry's value lies in the memo file."""

    offset: int
    length: int
    spilled: bool = False  # in the file of values this build spilled, not the memo file read


class MemoFile:
    """The memos of one build, read from `path` and written back when the build succeeded."""

    def __init__(self, path: Path, stamp: str, codec: MemoCodec) -> None:
        # The stamp of the code and templates when the build started: saving the one of the end
        # would stamp a memo of old values as current if Lemma changed mid-build.
        self.path = path
        self.stamp = stamp
        self.codec = codec
        self._file, self._stored = _open(path, stamp)
        self._spill_file: BinaryIO | None = None
        self._opened: dict[str, Memo[Any]] = {}

    def memo(self, name: str, hint: object, spill: bool = False) -> Memo[Any]:
        """The memo called `name`, with the entries the previous build left in it; `hint` is the
        type of its values (an entry of another type is a miss). With `spill`, the values it is
        given are written out as they come, not held."""

        def decode(span: object) -> Any:
            assert isinstance(span, _Span)
            try:
                value = json.loads(self._bytes(span))
            except RecursionError:  # crafted: nested deeper than Python parses
                raise ValueError("memo entry nested too deep") from None
            return self.codec.decode_as(value, hint)

        memo: Memo[Any] = Memo(self._stored.pop(name, {}), decode, self._spill if spill else None)
        self._opened[name] = memo
        return memo

    def save(self) -> None:
        """Write the memos atomically, only when this build changed them."""
        if not any(memo.changed for memo in self._opened.values()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path, prefix=".tmp-memo-") as file:
            # One entry at a time: at 2,000 posts the whole file as one string (and its bytes)
            # held 160 MB more at the end of the build.
            file.write(_dumps({"format": MEMO_FORMAT, "stamp": self.stamp}) + b"\n")
            for name, memo in self._opened.items():
                for key, value, stored in memo.entries():
                    try:
                        data = self._copied(stored)
                        if data is None and value is not None:
                            data = _dumps(self.codec.encode(value))
                    except Unencodable:
                        continue  # rebuilt next time (a body that copies media, say)
                    if data is None:
                        continue  # spilled, and its file could not be read back
                    file.write(_dumps([name, key]) + b"\t" + data + b"\n")
            # Before the new file takes the name: Windows renames nothing over an open file.
            self.close()

    def close(self) -> None:
        """Close the files read: no entry is read from them any more (the spilled values' file,
        nameless, goes with it)."""
        for file in (self._file, self._spill_file):
            if file is not None:
                file.close()

    def _spill(self, value: object) -> _Span | None:
        """Write `value` to the file of spilled values; where it lies (None: hold it)."""
        if self._spill_file is not None and self._spill_file.closed:
            return None  # saved or closed: what is kept now is held
        try:
            data = _dumps(self.codec.encode(value))
        except Unencodable:
            return None
        try:
            if self._spill_file is None:
                folder = self.path.parent
                folder.mkdir(parents=True, exist_ok=True)
                # Open until the memo file is saved or closed (`close`): no `with` can hold it.
                self._spill_file = tempfile.TemporaryFile(prefix=".tmp-spill-", dir=folder)  # noqa: SIM115
            offset = self._spill_file.seek(0, 2)
            self._spill_file.write(data)
        except OSError:  # the cache folder cannot take it: the value stays in memory
            return None
        return _Span(offset, len(data), spilled=True)

    def _bytes(self, span: _Span) -> bytes:
        """The value's JSON from the file read or spilled; ValueError when it cannot be read."""
        file = self._spill_file if span.spilled else self._file
        if file is None or file.closed:
            raise ValueError("no memo file")
        try:
            file.seek(span.offset)
            data = file.read(span.length)
        except OSError as exc:
            raise ValueError(f"memo file unreadable: {exc}") from None
        if len(data) != span.length:
            raise ValueError("memo file cut short")
        return data

    def _copied(self, stored: object) -> bytes | None:
        """The bytes of an entry used unchanged, as read; None for one to encode."""
        if not isinstance(stored, _Span):
            return None
        with contextlib.suppress(ValueError):
            return self._bytes(stored)
        return None


def _dumps(value: object) -> bytes:
    # ensure_ascii: a tab or a newline in a string is written as an escape, never raw.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _open(path: Path, stamp: str) -> tuple[BinaryIO | None, dict[str, dict[str, _Span]]]:
    """The memo file, open, and where each memo's entries lie in it; (None, {}) when there is
    none of this stamp."""
    try:
        file = path.open("rb")
    except OSError:  # missing: start afresh
        return None, {}
    try:
        data = file.read()
        spans = _spans(data, stamp)
    except (OSError, ValueError, RecursionError):  # damaged, not JSON, an older format
        spans = None
    if spans is None:
        file.close()
        return None, {}
    return file, spans


def _spans(data: bytes, stamp: str) -> dict[str, dict[str, _Span]] | None:
    header_end = data.find(b"\n")
    document = json.loads(data[: header_end if header_end >= 0 else len(data)])
    if not isinstance(document, dict) or document.get("format") != MEMO_FORMAT:
        return None
    if document.get("stamp") != stamp or header_end < 0:
        return None
    spans: dict[str, dict[str, _Span]] = {}
    start = header_end + 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        tab = data.find(b"\t", start, end)
        with contextlib.suppress(ValueError, TypeError, RecursionError):
            name, key = json.loads(data[start:tab]) if tab >= 0 else (None, None)
            if isinstance(name, str) and isinstance(key, str):  # else a damaged line: remade
                spans.setdefault(name, {})[key] = _Span(tab + 1, end - tab - 1)
        start = end + 1
    return spans
