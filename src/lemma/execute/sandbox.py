"""Child side: the scratch working folder, the write guard and the process budget."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from lemma.execute.scratch import remove_entry
from lemma.execute.tracking import inside, sqlite_path
from lemma.model import POST_SUFFIXES

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
    a cold build quadratic in the number of posts (190 ms a post at 2,000 posts). Links that point
    to nothing are left out of every mirrored folder: a write by such a name lands in scratch.

    `scratch` may hold the mirror an earlier post left (scratch.py hands folders on): what is
    already right is kept, the rest is removed or made; OSError when something left there cannot
    be removed. Making a link costs far more than reading one (about 150 us against 5 us here),
    and the folders above a blog hold dozens to hundreds of entries: a post whose mirror is
    handed on does not make them again. The mirror is walked from the top and a link is never
    followed into, so nothing outside `scratch` is ever removed.
    """
    if Path(scratch).is_symlink():
        raise OSError(errno.ENOTDIR, "the scratch folder is a link", scratch)
    skip_real = {os.path.realpath(path) for path in skip}
    real_post_dir = Path(os.path.realpath(post_dir))
    folders = [*reversed(real_post_dir.parents), real_post_dir]
    for folder, inner in zip(folders, [*folders[1:], None], strict=True):
        mirror = Path(scratch + str(folder))  # `folder` is absolute: scratch/<its full path>
        mirror.mkdir(parents=True, exist_ok=True)
        wanted = _mirrored_entries(folder, inner, post_name, skip_real)
        with os.scandir(mirror) as present:
            for entry in present:
                if inner is not None and entry.name == inner.name:
                    if entry.is_dir(follow_symlinks=False):
                        continue  # the next folder down: brought up to date in the next round
                elif entry.is_symlink() and wanted.get(entry.name) == _link_target(entry):
                    del wanted[entry.name]  # already there
                    continue
                # What an earlier post left: a file it wrote, or a stale link. OSError when
                # that cannot be done (a folder it made unwritable): no post sees another's files.
                remove_entry(entry)
        for name, target in wanted.items():
            with contextlib.suppress(OSError):
                (mirror / name).symlink_to(target)
    return scratch + str(real_post_dir)


def _mirrored_entries(
    folder: Path, inner: Path | None, post_name: str, skip_real: set[str]
) -> dict[str, str]:
    """The links a mirror of `folder` holds: each entry's name and the path it links to."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return {}  # a folder above the site that may not be listed: nothing to link there
    wanted = {}
    for entry in entries:
        if inner is not None and entry.name == inner.name:
            continue  # mirrored itself, one level down
        # `folder` is a real path: only a link needs resolving (a realpath per entry cost
        # 0.17 s a post with the site under a /tmp of 600 entries).
        real = entry.path
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if not os.path.lexists(real):
                # A link to nothing (an editor's lock, pytest's `<name>current`): there is
                # nothing to read through it, and a write through it would make its target
                # outside the scratch folder. Left out, a write by that name lands in scratch.
                continue
        if real in skip_real:
            continue
        if inner is None:  # the post's own folder
            if entry.name in _SKIPPED_ENTRIES:
                continue
            if entry.name.endswith(POST_SUFFIXES) and entry.name != post_name:
                continue
        wanted[entry.name] = entry.path
    return wanted


def _link_target(entry: os.DirEntry[str]) -> str | None:
    try:
        return str(Path(entry.path).readlink())
    except OSError:
        return None


class Guard:
    """An audit hook: refuses writes inside the site and the output folder.

    Snippets are trusted code, like a build script; this protects against accidents (a relative
    path written from the post's folder, `plt.savefig("fig.png")`), not against malice.
    """

    EVENTS = frozenset(("open", "sqlite3.connect", "sqlite3.connect/handle", *_WRITE_EVENTS))

    def __init__(self, root: str, output_dir: str) -> None:
        self.root = os.path.realpath(root)
        self.protected = (self.root, os.path.realpath(output_dir))
        self._trusted = 0
        self._busy = False
        self._database: str | None = None  # between sqlite3.connect and fence_database
        self.fenced_databases: list[str] = []  # SQLite files in the site, opened read-only

    def is_trusted(self) -> bool:
        return self._trusted > 0

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
            finally:
                self._busy = False
            return
        if event.startswith("sqlite3.connect"):
            self._busy = True
            try:
                self._sqlite(event, args)
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
            if inside(real, folder):
                raise PermissionError(
                    f"snippets cannot change files in the site folder ({event} "
                    f"{self._shown(real)}); "
                    "write to a new file in the current folder instead, it is a scratch "
                    "folder that is removed after the build"
                )

    def _sqlite(self, event: str, args: tuple[object, ...]) -> None:
        """SQLite writes files in C, past the `open` event: a database in the site is fenced
        once connected."""
        if event == "sqlite3.connect":
            self._database = None  # fenced by `fence_database` once the connection exists
            database = args[0] if args else None
            if not isinstance(database, str | bytes | os.PathLike):
                return
            name = sqlite_path(os.fsdecode(database))
            if name is None:
                return
            real = os.path.realpath(name)
            if not Path(real).exists():
                self._check_write(real, "sqlite3.connect")  # connecting would create it
            if any(inside(real, folder) for folder in self.protected):
                self._database = real
            return

    def fence_database(self, connection: Any) -> None:
        """Called with each new SQLite connection (see `fence_sqlite`)."""
        real, self._database = self._database, None
        if real is not None:
            connection.execute("PRAGMA query_only = 1")
            connection.set_authorizer(_keep_query_only)
            self.fenced_databases.append(self._shown(real))

    def _shown(self, real: str) -> str:
        return os.path.relpath(real, self.root) if inside(real, self.root) else real


def fence_sqlite(guard: Guard) -> None:
    """Make every SQLite database in the site read-only on the connections snippets open.

    The audit event comes from inside the connection's constructor, where it cannot be used yet;
    `connect` is wrapped so that the Guard gets the finished connection. `PRAGMA query_only`
    refuses every change, and the connection's authorizer refuses turning it off.
    """
    import sqlite3

    original = sqlite3.connect

    @functools.wraps(original)
    def connect(*args: Any, **kwargs: Any) -> Any:
        connection = original(*args, **kwargs)
        guard.fence_database(connection)
        return connection

    sqlite3.connect = sqlite3.dbapi2.connect = connect


_SQLITE_PRAGMA = 19  # sqlite3.SQLITE_PRAGMA, without importing sqlite3 into every post
_SQLITE_OK, _SQLITE_DENY = 0, 1


def _keep_query_only(action: int, name: str | None, value: str | None, *_: object) -> int:
    """A connection's authorizer: everything, except turning `query_only` off again."""
    if action == _SQLITE_PRAGMA and name == "query_only" and value is not None:
        return _SQLITE_DENY
    return _SQLITE_OK


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

    EVENTS = frozenset(
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
        if event not in self.EVENTS:
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


class AuditHook(Protocol):
    EVENTS: frozenset[str]  # the audited events it acts on; it is called for no other

    def __call__(self, event: str, args: tuple[object, ...]) -> None: ...


def audit_hook(hooks: Sequence[AuditHook]) -> Callable[[str, tuple[object, ...]], None]:
    """One audit hook that calls each of `hooks`, in their order, on its own events only.

    Python calls every audit hook on every audited event, and matplotlib raises thousands for one
    figure (`builtins.id`, from deepcopy: about 17,000 for a plot with a legend). With the three
    hooks each called on all of them, saving a figure took about 15 % longer; with one lookup
    here, about 4 %.
    """
    handlers: dict[str, tuple[AuditHook, ...]] = {}
    for hook in hooks:
        for event in hook.EVENTS:
            handlers[event] = (*handlers.get(event, ()), hook)
    find = handlers.get

    def audit(event: str, args: tuple[object, ...]) -> None:
        for hook in find(event, ()):
            hook(event, args)

    return audit
