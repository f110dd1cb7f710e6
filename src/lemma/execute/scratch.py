"""Posts' scratch folders: one folder per build, cleaned up in the background, leftovers removed.

Each post's process works in a scratch folder of its own (its working directory, its captured
output). They live in one folder per build under the system's temporary folder, which the build
holds a lock on while it runs. Cleaning up after a post (killing the processes it left behind,
`reaper.py`, and emptying its folder) happens on a background thread, so the next post starts at
once instead of waiting for it. An emptied folder keeps its mirror of the folders above the post
(`MIRROR`, made by sandbox.populate_scratch) and is handed to a later post, which brings the
mirror up to date instead of making it again. `lemma serve` keeps one Scratch for its session
(`scratch_for_session`), so folders are handed on from one rebuild to the next: a code edit's
rebuild would otherwise make a new mirror each time (0.5 s under a /tmp of 800 entries).

A build killed outright cannot clean up: its folder's lock is released with the process, and the
next build that runs posts removes every unlocked build folder it finds.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

PREFIX = "lemma-build-"
LOCK_NAME = "in-use"
# A build folder without its lock file is one being made, unless it is older than this.
UNLOCKED_AGE_S = 600.0
# The folder, in each post's folder, that mirrors the folders above the post.
MIRROR = "work"


class Scratch:
    """The scratch folder of a build (or of `lemma serve`'s session) and its cleanup thread; a
    context manager that waits for every cleanup queued, then removes the folder."""

    def __init__(self) -> None:
        self._tasks: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()
        self._emptied: queue.SimpleQueue[str] = queue.SimpleQueue()  # ready to hand on
        self._thread = threading.Thread(target=self._work, name="lemma-cleanup", daemon=True)
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        self._lock = _new_lock(self.folder / LOCK_NAME)
        self._thread.start()
        self.later(remove_leftovers)

    def post_folder(self) -> str:
        """A folder for one post's process, holding nothing but its `MIRROR` folder: a new one,
        or one an earlier post used, emptied, whose mirror the post brings up to date."""
        try:
            return self._emptied.get_nowait()
        except queue.Empty:
            folder = tempfile.mkdtemp(prefix="post-", dir=self.folder)
            (Path(folder) / MIRROR).mkdir()
            return folder

    def later(self, task: Callable[[], object]) -> None:
        """Run `task` on the cleanup thread, after the tasks queued before it."""
        self._tasks.put(task)

    def hand_on_later(self, folder: str) -> None:
        """Empty a post's folder, its mirror aside, on the cleanup thread, then hand it to a later
        post; queue this once the post's processes are gone."""
        self.later(lambda: self._hand_on(folder))

    def _hand_on(self, folder: str) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not (entry.name == MIRROR and entry.is_dir(follow_symlinks=False)):
                        remove_entry(entry)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)  # not emptied: not handed on
            return
        self._emptied.put(folder)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._tasks.put(None)
        self._thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()  # after the folder is gone: no other build may take it meanwhile

    def settle(self) -> None:
        """Wait until every cleanup queued so far is done."""
        done = threading.Event()
        self.later(done.set)
        done.wait()

    def _work(self) -> None:
        while (task := self._tasks.get()) is not None:
            with contextlib.suppress(Exception):  # cleanup only: a failure must not stop the rest
                task()


_session: Scratch | None = None


@contextlib.contextmanager
def scratch_for_session() -> Iterator[Scratch]:
    """Within it, every run of posts in this process shares one Scratch: `lemma serve`'s
    rebuilds hand post folders on from one to the next. Removed when the session ends."""
    global _session
    with Scratch() as scratch:
        _session = scratch
        try:
            yield scratch
        finally:
            _session = None


@contextlib.contextmanager
def scratch_for_run() -> Iterator[Scratch]:
    """The Scratch for one run of posts: the session's, or one of its own. Either way every
    cleanup the run queued is done when it ends."""
    if _session is not None:
        try:
            yield _session
        finally:
            _session.settle()
        return
    with Scratch() as scratch:
        yield scratch


def remove_entry(entry: os.DirEntry[str]) -> None:
    """Remove a file, a link or a whole folder (never what a link points to); OSError when it
    cannot be done."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        Path(entry.path).unlink()


def remove_leftovers(parent: Path | None = None) -> list[str]:
    """Remove the build folders of builds that are no longer running; their names."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for folder in parent.iterdir():
            if folder.name.startswith(PREFIX) and _abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
    return removed


def _abandoned(folder: Path) -> bool:
    try:
        held = _try_lock(folder / LOCK_NAME)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            return time.time() - folder.stat().st_mtime > UNLOCKED_AGE_S
        return False
    except OSError:
        return False  # another user's, or not a folder Lemma can lock: leave it
    if held is None:
        return False  # a running build holds it
    held.close()
    return True


def _new_lock(path: Path) -> IO[bytes] | None:
    """A lock file at `path`, held by this process until it closes it; None without file locks
    (Windows: no folder is then ever taken for a leftover through its lock).

    The file is made under another name and locked before it takes its own: another build's
    `remove_leftovers` must never find it unlocked, take the lock first and remove a folder
    whose build has just started (two builds starting at once did)."""
    try:
        import fcntl
    except ImportError:
        return None
    made = path.with_name(path.name + ".new")
    handle = os.fdopen(os.open(made, os.O_RDWR | os.O_CREAT, 0o600), "rb+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # a name no other build opens
        made.replace(path)
    except OSError:
        handle.close()
        raise
    return handle


def _try_lock(path: Path) -> IO[bytes] | None:
    """The lock file at `path` opened and locked, or None when another process holds it."""
    try:
        import fcntl
    except ImportError:
        raise OSError("no file locks here") from None
    handle = os.fdopen(os.open(path, os.O_RDWR), "rb+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    except OSError:
        handle.close()
        raise
    return handle
