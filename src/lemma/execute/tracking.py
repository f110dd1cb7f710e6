"""Child side: the record of what a post's snippets depended on in the file system (files read,
folders listed, paths tested, SQLite databases opened, inside the site or outside it), and of what
they used that Lemma cannot track (programs, the network), which makes the run uncacheable."""

from __future__ import annotations

import contextlib
import os
import site
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

from lemma.file_state import StateKind, current_state
from lemma.model import FileRecord

_PathArg = str | bytes | os.PathLike[str] | os.PathLike[bytes]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Pseudo file systems: their "files" change on every read and are never a post's data.
_SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
_PROGRAM_EVENTS = {"subprocess.Popen": 0, "os.system": 0, "os.posix_spawn": 0, "os.exec": 0}


def inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Tracker:
    """An audit hook (and a wrapper of os.stat): what the post's snippets depended on.

    A path is recorded relative to the root when it is inside it (so that a moved site keeps its
    cache), absolute otherwise. Not recorded: Lemma's output and cache, installed packages, the
    temporary folders, /proc and friends, and files the post wrote itself before reading them.
    Processes a snippet forks (multiprocessing) have their own copy of this record, which is
    lost: files read only in a pool's workers are not tracked.
    """

    EVENTS = frozenset(
        ("open", "os.listdir", "os.scandir", "sqlite3.connect", "socket.connect", *_PROGRAM_EVENTS)
    )

    def __init__(self, root: str, scratch: str, unrecorded: Sequence[str]) -> None:
        self.root = os.path.realpath(root)
        self.scratch = os.path.realpath(scratch)  # mirrors the real folders (populate_scratch)
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
        with contextlib.suppress(AttributeError):
            prefixes.add(site.getusersitepackages())
        # Inside the root only Lemma's folders and a virtualenv are skipped; outside it also the
        # temporary folders (a snippet's tempfile.mkdtemp() is new on every run).
        in_root = [*unrecorded, *prefixes]
        self.unrecorded_in_root = tuple(os.path.realpath(p) for p in in_root if p)
        outside = [*in_root, tempfile.gettempdir(), *_SYSTEM_FOLDERS, self.scratch]
        self.unrecorded_outside = tuple(
            dict.fromkeys(
                x for p in outside if p for x in (os.path.abspath(p), os.path.realpath(p))
            )
        )
        self.records: dict[tuple[str, StateKind], None] = {}  # in the order first seen
        self.written: set[str] = set()
        self.untracked = ""  # the first reason the running snippet cannot be cached
        self.is_trusted: Callable[[], bool] = lambda: False
        self._busy = False

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if self._busy or self.is_trusted():
            return
        self._busy = True
        try:
            self._on_event(event, args)
        finally:
            self._busy = False

    def _on_event(self, event: str, args: tuple[object, ...]) -> None:
        if event == "open":
            path, flags = args[0], args[2]
            if not isinstance(path, str | bytes | os.PathLike):
                return  # a file descriptor: opened earlier
            if isinstance(flags, int) and flags & _WRITE_FLAGS:
                self.written.add(os.path.realpath(os.fsdecode(path)))
            else:
                self.record(path, "content")
        elif event in ("os.listdir", "os.scandir"):
            path = args[0] if args else None
            if path is None:
                path = "."
            if isinstance(path, str | bytes | os.PathLike) and not _from_import_system():
                self.record(path, "listing")
        elif event == "sqlite3.connect":
            database = args[0] if args else None
            if isinstance(database, str | bytes | os.PathLike):
                name = sqlite_path(os.fsdecode(database))
                if name is not None:
                    self.record(name, "content")
                    self.record(name + "-wal", "content")  # a WAL database's recent changes
        elif event in _PROGRAM_EVENTS and not self.untracked:
            program = args[0] if args else None
            if isinstance(program, list | tuple) and program:
                program = program[0]
            if isinstance(program, str | bytes | os.PathLike):
                shown = os.path.basename(os.fsdecode(program).split(" ", 1)[0])
                self.untracked = f"it ran the program '{shown}', whose reads Lemma cannot see"
        elif event == "socket.connect" and not self.untracked:
            address = args[1] if len(args) > 1 else None
            if isinstance(address, tuple) and address:  # the network, not a local socket
                self.untracked = f"it connected to {address[0]}, which Lemma cannot track"

    def take_untracked(self) -> str:
        """The reason the snippet that just ran cannot be cached ("" if it can), forgotten."""
        reason, self.untracked = self.untracked, ""
        return reason

    def record(self, path: _PathArg, kind: StateKind) -> None:
        key = self._key(os.fsdecode(path), kind)
        if key is not None:
            self.records.setdefault((key, kind), None)

    def _key(self, path: str, kind: StateKind) -> str | None:
        """How `path` is recorded: relative to the root, absolute outside it; None to skip it."""
        absolute = os.path.abspath(path)
        if (
            not inside(absolute, self.root)
            and not inside(absolute, self.scratch)
            and any(inside(absolute, folder) for folder in self.unrecorded_outside)
        ):
            return None  # a cheap first test: most library file work is in site-packages
        real = os.path.realpath(absolute)
        if kind != "listing" and real in self.written:
            return None  # the post's own output, read back
        if inside(real, self.scratch):  # the mirror of a real folder: record the real one
            real = real[len(self.scratch) :] or os.sep
        if "__pycache__" in real.split(os.sep):
            return None
        if inside(real, self.root):
            if real == self.root and kind == "content":
                return None
            if any(inside(real, folder) for folder in self.unrecorded_in_root):
                return None
            return os.path.relpath(real, self.root).replace(os.sep, "/")
        if any(inside(real, folder) for folder in self.unrecorded_outside):
            return None
        return real

    def wrap_stat(self) -> None:
        """Record existence tests: os.path.exists, isfile, isdir, Path.exists and getsize all
        call os.stat (the import system uses its own, which is not wrapped; os.lstat is left
        alone: os.path.realpath calls it on every folder above a path)."""
        original = os.stat

        def tested(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            try:
                return original(path, *args, **kwargs)
            finally:
                if not self._busy and not self.is_trusted():
                    self._busy = True
                    try:
                        if isinstance(path, str | bytes | os.PathLike):
                            self.record(path, "existence")
                    finally:
                        self._busy = False

        os.stat = tested

    def add_modules(self, before: Sequence[str]) -> list[str]:
        """Record modules under the root imported since `before`; their relative paths."""
        known = set(before)
        paths: list[str] = []
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if name in known or not isinstance(file, str):
                continue
            real = os.path.realpath(file)
            if inside(real, self.root):
                key = self._key(real, "content")
                if key is not None:
                    self.records.setdefault((key, "content"), None)
                    paths.append(key)
        return paths

    def file_records(self) -> tuple[FileRecord, ...]:
        """Every recorded path with its state now (computed by Lemma, not recorded itself)."""
        self._busy = True
        try:
            records = {}
            for path, kind in sorted(self.records):
                full = path if os.path.isabs(path) else os.path.join(self.root, path)
                if kind == "content" and os.path.isdir(full):
                    continue  # a folder opened to be listed: its listing is recorded
                records[path, kind] = FileRecord(path, current_state(full, kind), kind)
            # A file's bytes say more than its existence: one record is enough.
            kept = []
            for (path, kind), record in records.items():
                content = records.get((path, "content"))
                if kind == "existence" and content is not None and content.state:
                    continue
                kept.append(record)
            return tuple(kept)
        finally:
            self._busy = False


def sqlite_path(name: str) -> str | None:
    """The file behind a database name given to sqlite3.connect, or None (":memory:")."""
    if name.startswith("file:"):  # a URI: file:path?mode=ro
        name = name[len("file:") :].partition("?")[0].removeprefix("//localhost")
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    return name


def _from_import_system() -> bool:
    """Whether the current audit event comes from importlib (it lists sys.path folders, the
    post's own among them, to find modules: not a dependency on their contents)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False
