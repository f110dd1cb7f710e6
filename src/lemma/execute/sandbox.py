"""Child side: the scratch working folder, the write guard, and the record of files a post read."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import site
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from lemma.model import FileRecord

# Audited events that change the file system, and the positions of the paths they change.
_WRITE_EVENTS: dict[str, tuple[int, ...]] = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.link": (1,),
    "os.symlink": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
}
_PathArg = str | bytes | os.PathLike[str] | os.PathLike[bytes]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_SKIPPED_ENTRIES = frozenset({".git", ".lemma-cache", "__pycache__"})

# The largest file a post's process (or a program it runs) may write, its captured output
# included; the page shows at most a million characters of output anyway.
FILE_LIMIT_MB = 256


def populate_scratch(scratch: str, post_dir: str, post_name: str, skip: Sequence[str]) -> str:
    """Mirror the post's folder and every folder above it inside `scratch`; return the mirror of
    the post's folder, the working folder of the post's process.

    Each mirrored folder holds symbolic links to the real entries, so that any relative path
    reads what it would read from the post's folder (`../data/x.csv` beside the posts folder, or
    further up), while a new file written by a relative path lands in the scratch folder. Writes
    through a link into the site are refused by the Guard. The other posts' .md files are left
    out of the post's folder: linking (and later deleting) every sibling post for every post made
    a cold build quadratic in the number of posts (190 ms a post at 2,000 posts).
    """
    skip_real = {os.path.realpath(path) for path in skip}
    real_post_dir = Path(os.path.realpath(post_dir))
    folders = [*reversed(real_post_dir.parents), real_post_dir]
    for folder, inner in zip(folders, [*folders[1:], None], strict=True):
        mirror = Path(scratch + str(folder))  # `folder` is absolute: scratch/<its full path>
        mirror.mkdir(parents=True, exist_ok=True)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # a folder above the site that may not be listed: nothing to link there
        for entry in entries:
            if inner is not None and entry.name == inner.name:
                continue  # mirrored itself, one level down
            if os.path.realpath(entry.path) in skip_real:
                continue
            if inner is None:  # the post's own folder
                if entry.name in _SKIPPED_ENTRIES:
                    continue
                if entry.name.endswith(".md") and entry.name != post_name:
                    continue
            with contextlib.suppress(OSError):
                (mirror / entry.name).symlink_to(entry.path)
    return scratch + str(real_post_dir)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Guard:
    """An audit hook: refuses writes inside the site and records the files snippets read.

    Snippets are trusted code, like a build script; this protects against accidents (a relative
    path written from the post's folder, `plt.savefig("fig.png")`), not against malice.
    """

    def __init__(self, root: str, output_dir: str, cache_dir: str) -> None:
        self.root = os.path.realpath(root)
        self.protected = (self.root, os.path.realpath(output_dir))
        # Reads of these are not the post's inputs: the site's output, Lemma's cache, installed
        # packages (a virtualenv may live inside the root).
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
        with contextlib.suppress(AttributeError):
            prefixes.add(site.getusersitepackages())
        self.unrecorded = tuple(
            os.path.realpath(p) for p in (output_dir, cache_dir, *prefixes) if p
        )
        self.reads: dict[str, None] = {}  # relative paths, in the order first read
        self._trusted = 0
        self._busy = False

    @contextlib.contextmanager
    def trusted(self) -> Iterator[None]:
        """Lemma's own file work in the child (figures, hashing) is neither guarded nor recorded."""
        self._trusted += 1
        try:
            yield
        finally:
            self._trusted -= 1

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if self._trusted or self._busy:
            return
        if event == "open":
            path, flags = args[0], args[2]
            if not isinstance(path, str | bytes | os.PathLike):
                return  # a file descriptor: opened earlier, checked then
            self._busy = True
            try:
                if isinstance(flags, int) and flags & _WRITE_FLAGS:
                    self._check_write(path, event)
                else:
                    self._record_read(path)
            finally:
                self._busy = False
            return
        positions = _WRITE_EVENTS.get(event)
        if positions is None:
            return
        self._busy = True
        try:
            for position in positions:
                path = args[position] if position < len(args) else None
                if isinstance(path, str | bytes | os.PathLike):
                    self._check_write(path, event)
        finally:
            self._busy = False

    def _check_write(self, path: _PathArg, event: str) -> None:
        real = os.path.realpath(os.fsdecode(path))
        for folder in self.protected:
            if _inside(real, folder):
                shown = os.path.relpath(real, self.root) if _inside(real, self.root) else real
                raise PermissionError(
                    f"snippets cannot change files in the site folder ({event} {shown}); "
                    "write to a new file in the current folder instead, it is a scratch "
                    "folder that is removed after the build"
                )

    def _record_read(self, path: _PathArg) -> None:
        real = os.path.realpath(os.fsdecode(path))
        if not _inside(real, self.root) or real == self.root:
            return
        if any(_inside(real, folder) for folder in self.unrecorded):
            return
        if "__pycache__" in Path(real).parts:
            return
        self.reads.setdefault(os.path.relpath(real, self.root).replace(os.sep, "/"), None)

    def local_module_paths(self, before: Sequence[str]) -> list[str]:
        """Relative paths of modules under the root imported since `before` was taken."""
        known = set(before)
        paths: list[str] = []
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if name in known or not isinstance(file, str):
                continue
            real = os.path.realpath(file)
            if _inside(real, self.root) and not any(_inside(real, f) for f in self.unrecorded):
                paths.append(os.path.relpath(real, self.root).replace(os.sep, "/"))
        return paths

    def file_records(self, paths: Sequence[str]) -> tuple[FileRecord, ...]:
        """The hash of each file now; "" for a file that does not exist (it was looked for)."""
        records = []
        with self.trusted():
            for path in sorted(set(paths)):
                full = Path(self.root, path)
                if full.is_dir():
                    continue
                try:
                    with full.open("rb") as file:
                        digest = hashlib.file_digest(file, "sha256").hexdigest()
                except OSError:
                    digest = ""
                records.append(FileRecord(path, digest))
        return tuple(records)


def imported_top_level_names(local_paths: Sequence[str]) -> list[str]:
    """Top-level names of imported third-party modules, to look their distributions up later."""
    stdlib = sys.stdlib_module_names
    local = {p.rsplit("/", 1)[-1].removesuffix(".py") for p in local_paths}
    names = {name.partition(".")[0] for name in sys.modules}
    return sorted(
        n
        for n in names
        if n not in stdlib
        and n not in local
        and not n.startswith("_")
        and n not in ("__main__", "lemma")
    )


MAX_PROCESSES = 128  # processes one post may start in all, its forks' own included


class ProcessBudget:
    """An audit hook: a post starts at most `limit` processes, so that a fork bomb stays small.

    RLIMIT_NPROC would do this, but it does not bind root (CI, containers). The budget is a pipe
    holding one byte per process, shared by every fork of the post's process: each process start
    takes a byte, and when none is left the start fails with EAGAIN, as under a process limit.
    """

    _EVENTS = frozenset(
        (
            "os.fork",
            "os.forkpty",
            "os.posix_spawn",
            "os.posix_spawnp",
            "os.system",
            "subprocess.Popen",
        )
    )

    def __init__(self, limit: int = MAX_PROCESSES) -> None:
        self.limit = limit
        read, write = os.pipe()  # not inherited by exec'd programs; shared by forks
        os.write(write, b"p" * limit)
        os.close(write)
        os.set_blocking(read, False)
        self._tokens = read

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if event not in self._EVENTS:
            return
        try:
            taken = os.read(self._tokens, 1)
        except BlockingIOError:
            taken = b""
        if not taken:
            raise BlockingIOError(
                errno.EAGAIN,
                f"the post tried to start more than {self.limit} processes (a fork bomb?); "
                "a post's processes are limited so that it cannot take the machine down",
            )
