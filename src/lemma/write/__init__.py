"""Write pages and assets into a temporary folder beside the output, then swap it in atomically."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from lemma.config import LOCK_FILE
from lemma.errors import OutputError
from lemma.model import KeptPage, Site, SourceLocation
from lemma.reuse.memo import content_digest
from lemma.write.links import PreviousSite, link_kept
from lemma.write.manifest import MARKER, foreign_files, remove_leftovers, write_manifest


class InterruptedAfterSwap(KeyboardInterrupt):
    """Ctrl-C or SIGTERM that came once the new site was in place: the report must say so."""


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
    output_dir = output_dir.resolve()
    # Ctrl-C and SIGTERM wait until the staging folder's name is known, so that an interruption
    # always finds it and removes it: they are let through inside the `try` that does.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        # Here too: a file where a folder is expected, or a read-only disk, fail here.
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(output_dir)  # of builds that were killed (kill -9) or interrupted
        staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    except OSError as exc:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise _write_error(exc, output_dir) from exc
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        previous = PreviousSite(output_dir if (output_dir / MARKER).is_file() else None)
        count = _fill(site, staging, previous)
        if finalize is not None:
            finalize(staging)
        write_manifest(staging)
        # The two renames of the swap go together: a signal between them would leave no site.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        old = _swap(staging, output_dir)
    except OSError as exc:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(exc, output_dir) from exc
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held back arrives here
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:  # the next build removes what is left of the old site
        if _interrupted(exc):
            raise InterruptedAfterSwap from exc
        raise
    return count


def _interrupted(exc: BaseException | None) -> bool:
    """Ctrl-C, or an error that Ctrl-C caused on its way out (rmtree closes its folders in
    `finally` blocks, and a close there can fail and hide the interruption)."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__context__
    return False


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


def _fill(site: Site, staging: Path, previous: PreviousSite) -> int:
    made: set[Path] = set()

    def parent_of(path: Path) -> None:
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)

    for page in site.pages:
        target = safe_output_path(staging, page.output_path)
        parent_of(target)
        if isinstance(page, KeptPage):
            if not link_kept(page, target):
                target.write_bytes(kept_bytes(page))
        elif not previous.link_page(page.output_path, page.content, target):
            target.write_bytes(page.content)
    for asset in site.assets:
        target = safe_output_path(staging, asset.output_path)
        parent_of(target)
        if not previous.link_asset(asset.output_path, Path(asset.source), target):
            shutil.copyfile(asset.source, target)
    staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be read
    return len(site.pages) + len(site.assets)


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
