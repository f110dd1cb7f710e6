"""Write pages and assets into a temporary folder beside the output, then swap it in atomically."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from lemma.config import LOCK_FILE
from lemma.errors import OutputError
from lemma.interrupts import signals_held
from lemma.model import Asset, KeptPage, Page, Site, SourceLocation
from lemma.reuse.memo import content_digest
from lemma.write.links import PreviousSite, link_kept
from lemma.write.manifest import (
    MARKER,
    foreign_files,
    remove_leftovers,
    write_manifest,
    written_folders,
)
from lemma.write.pagefind import BUNDLE_DIR


def check_output_dir(root: Path, output_dir: Path, *, explicit: bool) -> None:
    """Refuse output folders that would destroy the user's files."""
    root, output_dir = root.resolve(), output_dir.resolve()
    where = SourceLocation(str(output_dir))
    if output_dir == root or root.is_relative_to(output_dir):
        raise OutputError(
            "the output folder is the site root (or contains it)", where, hint="use --out _site"
        )
    if (root / "posts").is_relative_to(output_dir) or output_dir.is_relative_to(root / "posts"):
        raise OutputError(
            "the output folder contains posts/ or lies inside it", where, hint="use --out _site"
        )
    if not explicit and not output_dir.is_relative_to(root):
        raise OutputError(
            "the output folder lies outside the site root",
            where,
            hint="pass it explicitly with --out if you mean it",
        )
    if output_dir.is_file():
        raise OutputError("the output path is a file, not a folder", where)
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).exists():
        raise OutputError(
            "the output folder is not empty and was not built by Lemma; refusing to replace it",
            where,
            hint="empty it, or choose another folder with --out",
        )
    foreign = foreign_files(output_dir) if output_dir.is_dir() else []
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        shown = ", ".join(foreign[:5]) + more
        raise OutputError(
            f"the output folder holds files Lemma did not write ({shown}); refusing to replace it",
            where,
            hint="put files to publish, such as CNAME or .nojekyll, in static/; keep a deploy"
            " checkout (.git) elsewhere; or delete them",
        )


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the site's build lock, or fail at once when another build holds it.

    Two builds swapping the same output folder would each see the other's half-finished rename;
    the lock (an flock, released by the kernel when a build dies) makes the second one stop first.
    """
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock = (cache_dir / LOCK_FILE).open("a+")
    except OSError:  # a read-only root: nothing there for a second build to spoil either
        yield
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise OutputError(
                f"another build of this site is running ({holder})",
                SourceLocation(str(cache_dir / LOCK_FILE)),
                hint="wait for it to finish; the site and the cache are left to it",
            ) from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def safe_output_path(output_dir: Path, output_path: str) -> Path:
    """Resolve an output path, refusing anything that could land outside the output folder."""
    pure = PurePosixPath(output_path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in output_path or ":" in output_path:
        raise OutputError(f"refusing to write outside the output folder: {output_path!r}")
    return output_dir.joinpath(*pure.parts)


def write_site(site: Site, output_dir: Path, finalize: Callable[[Path], None] | None = None) -> int:
    """Write the whole site; on any failure the previous output folder is left as it was.

    `finalize` runs on the complete staging folder before the swap (the search index is built
    there), so that its failure also leaves the previous site untouched.
    """
    with Staging(output_dir) as staging:
        staging.fill(site)
        written = staging.swap(finalize)
        staging.removed()
        return written


class Staging:
    """The new site, written into a folder beside the output folder and swapped in at once.

    A build fills it in parts (its HTML pages first, for the search index to start on); as a
    context manager, any failure or interruption before `swap` removes the folder and leaves the
    previous site as it was.
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir.resolve()
        self.folder: Path | None = None  # made by the first `fill`
        self._previous = PreviousSite(None)
        self._written: dict[str, Page | KeptPage | Asset] = {}
        self._made: set[Path] = set()
        self._removal: threading.Thread | None = None  # of the site `swap` replaced
        self._ahead: subprocess.Popen[bytes] | None = None  # `_make_folders_ahead`
        self._ahead_folders: set[str] = set()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ahead is not None:  # a failure before `swap`: no folder made while it goes
            self._ahead.kill()
            self._folders_made_ahead()
        if self.folder is not None:  # not swapped in: a failure, or nothing came after fill
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def made(self) -> Path:
        """The folder, made by the first call."""
        return self.folder if self.folder is not None else self._make_folder()

    def fill(self, site: Site) -> Path:
        """Write every page and asset of `site` that is not in the folder as it is yet; the
        folder."""
        folder = self.made()
        try:
            for page in site.pages:
                if self._written.get(page.output_path) != page:
                    self._write_page(page, self._target(folder, page.output_path))
            for asset in site.assets:
                if self._written.get(asset.output_path) != asset:
                    self._copy_asset(asset, self._target(folder, asset.output_path))
        except OSError as exc:
            raise _write_error(exc, self.output_dir) from exc
        return folder

    def swap(
        self,
        finalize: Callable[[Path], None] | None = None,
        on_swapped: Callable[[], None] | None = None,
    ) -> int:
        """Finish the folder and put it in place of the output folder; the number of files.

        `on_swapped` is called once the new site is in place, before any Ctrl-C or SIGTERM held
        back meanwhile arrives: whoever reports an interruption knows which site is there."""
        folder = self.made()
        self._remove_folders_not_used()
        try:
            if finalize is not None:
                finalize(folder)
            write_manifest(folder)
        except OSError as exc:
            raise _write_error(exc, self.output_dir) from exc
        # The two renames of the swap go together: a signal between them would leave no site.
        with signals_held():
            try:
                old = _swap(folder, self.output_dir)
            except OSError as exc:
                raise _write_error(exc, self.output_dir) from exc
            self.folder = None
            if on_swapped is not None:
                on_swapped()
        if old is not None:  # on another core, while the build records what it did
            self._removal = threading.Thread(
                target=shutil.rmtree, args=(old, True), name="old-site", daemon=True
            )
            self._removal.start()
        return len(self._written)

    def removed(self) -> None:
        """Wait until the site `swap` replaced is removed (a process that ends first, on
        Ctrl-C say, leaves the rest of it to the next build's `remove_leftovers`)."""
        if self._removal is not None:
            self._removal.join()
            self._removal = None

    def _make_folder(self) -> Path:
        # Ctrl-C and SIGTERM wait until the folder's name is known, so that an interruption
        # always finds it and removes it (`__exit__`).
        with signals_held():
            try:
                # Here too: a file where a folder is expected, or a read-only disk, fail here.
                self.output_dir.parent.mkdir(parents=True, exist_ok=True)
                remove_leftovers(self.output_dir)  # of builds killed (kill -9) or interrupted
                name = f".{self.output_dir.name}.new-"
                self.folder = Path(tempfile.mkdtemp(prefix=name, dir=self.output_dir.parent))
                self.folder.chmod(0o755)  # mkdtemp makes it private; a site is meant to be read
            except OSError as exc:
                raise _write_error(exc, self.output_dir) from exc
        has_site = (self.output_dir / MARKER).is_file()
        self._previous = PreviousSite(self.output_dir if has_site else None)
        if has_site:
            self._make_folders_ahead(self.folder)
        return self.folder

    def _make_folders_ahead(self, folder: Path) -> None:
        """Make the previous site's folders in `folder` in another process (`mkdir`), while the
        build renders: most come back in the new site, and on some disks making a folder is
        the slowest part of filling this one (0.2-1 ms each on this machine's ext4 at times,
        against 10 us for a link; 150 folders at 100 posts). A thread would not do: each of its
        calls waits for the interpreter's lock, which the build holds. `fill` finds them made;
        `swap` removes those the new site does not use. The search bundle's are its own."""
        command = shutil.which("mkdir")
        names = written_folders(self.output_dir)
        found = [f"{folder}/{name}" for name in names if name.split("/")[0] != BUNDLE_DIR]
        if command is None or not found:
            return
        # Without -p, and each folder after those above it: once this folder is removed (a
        # failure), the process cannot make it again. The process is known as soon as it runs:
        # on an interruption, `__exit__` stops it before removing this folder.
        # Only saves time: `fill` makes what is missing.
        with contextlib.suppress(OSError), signals_held():
            self._ahead = subprocess.Popen(
                [command, "--", *found],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self._ahead_folders = set(found)

    def _folders_made_ahead(self) -> None:
        """Wait until the process making the folders ahead has ended."""
        if self._ahead is not None:
            self._ahead.wait()
            self._ahead = None

    def _remove_folders_not_used(self) -> None:
        """Remove the folders made ahead that the new site does not use: the empty ones among
        those no file was written into, the deepest first."""
        self._folders_made_ahead()
        unused = self._ahead_folders - {str(made) for made in self._made}
        for name in sorted(unused, key=lambda name: name.count("/"), reverse=True):
            with contextlib.suppress(OSError):  # not empty: a folder above a written file
                Path(name).rmdir()
        self._ahead_folders = set()

    def _target(self, folder: Path, output_path: str) -> Path:
        target = safe_output_path(folder, output_path)
        if str(target) in self._ahead_folders:  # a folder of the previous site, a file here
            self._folders_made_ahead()
            shutil.rmtree(target, ignore_errors=True)  # empty folders; a write there says more
            below = f"{target}/"
            self._ahead_folders = {
                name
                for name in self._ahead_folders
                if name != str(target) and not name.startswith(below)
            }
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        if output_path in self._written:  # written before with other bytes
            target.unlink()
        return target

    def _write_page(self, page: Page | KeptPage, target: Path) -> None:
        if isinstance(page, KeptPage):
            if not link_kept(page, target):
                target.write_bytes(kept_bytes(page))
        elif not self._previous.link_page(page.output_path, page.content, target):
            target.write_bytes(page.content)
        self._written[page.output_path] = page

    def _copy_asset(self, asset: Asset, target: Path) -> None:
        if not self._previous.link_asset(asset.output_path, Path(asset.source), target):
            shutil.copyfile(asset.source, target)
        self._written[asset.output_path] = asset


def _write_error(exc: OSError, output_dir: Path) -> OutputError:
    return OutputError(
        f"cannot write the site: {exc.strerror or exc}",
        SourceLocation(str(exc.filename or output_dir)),
        hint="check free disk space and permissions; the previous site is unchanged",
    )


def kept_bytes(page: KeptPage) -> bytes:
    """A kept page's bytes when its file could not be linked (a file system without hard links,
    a file touched since it was checked), checked again against its digest."""
    path = Path(page.source)
    try:
        content = path.read_bytes()
    except OSError:
        content = None
    if content is None or content_digest(content) != page.digest:
        raise OutputError(
            "a page of the previous site changed or went away during the build",
            SourceLocation(str(path)),
            hint="build again: the page will be made afresh",
        )
    return content


def _swap(staging: Path, output_dir: Path) -> Path | None:
    """Put staging in place of the output folder; returns where the old site went, to remove."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return None
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    old.rmdir()
    output_dir.rename(old)
    try:
        staging.rename(output_dir)
    except BaseException:
        old.rename(output_dir)
        raise
    return old
