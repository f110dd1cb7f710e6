"""Full-text search: a Pagefind index of the site's HTML pages, made beside the rest of a build.

Pagefind reads only `.html` files, and every one of them is made before the notebooks and the
math font. So a build writes its HTML pages into the staging folder first and starts Pagefind
there (`SearchIndex.start`); it makes the rest while Pagefind runs on another core, and waits
for the bundle just before the swap (`SearchIndex.finalize`). The files written meanwhile are
not HTML, so the bundle is the one Pagefind makes of the finished folder. Pagefind reads each
page as search shows it (`search_pages`: formulas as text, code without its token spans), which
is faster too. When no HTML page changed since the last build, the previous bundle is linked in
and Pagefind does not run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from lemma.errors import OutputError
from lemma.model import KeptPage, Site, SourceLocation
from lemma.reuse.memo import content_digest
from lemma.write.search_pages import SearchPages

BUNDLE_DIR = "pagefind"  # Pagefind's default output folder inside the site
INSTALL_HINT = "pip install 'pagefind[bin]' (or: pip install 'lemma[search]')"
DIGEST_FILE = "search-index.digest"  # under the cache folder: the pages of the last index
TIMEOUT_S = 300.0


def pagefind_binary() -> Path | None:
    """The Pagefind executable, or None when none is installed.

    Looked up in the order of the `pagefind` package's own lookup: $PAGEFIND_BINARY_PATH, the
    extended binary package, the plain one, then the PATH. Done here because importing
    `pagefind.service` imports asyncio and ssl, a cost every build would pay (13 ms).
    """
    found = os.environ.get("PAGEFIND_BINARY_PATH") or _packaged_binary()
    found = found or shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found and Path(found).is_file() else None


def _packaged_binary() -> str | None:
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except ImportError:
            continue
        except Exception:  # a broken optional install is the same as no install
            return None
    return None


def unavailable_reason() -> str | None:
    """Why the site cannot get a search index, or None when it can."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return f"the 'pagefind' package is not installed; {INSTALL_HINT}"
    if pagefind_binary() is None:
        return f"the 'pagefind' package has no binary; {INSTALL_HINT}"
    return None


class Indexing:
    """One Pagefind run, going on in the background until `wait` or `stop`."""

    def __init__(
        self, site_dir: Path, bundle_dir: Path, timeout_s: float = TIMEOUT_S, beside: bool = False
    ) -> None:
        self.bundle_dir = bundle_dir
        self._where = SourceLocation(str(site_dir))
        binary = pagefind_binary()
        if binary is None:
            raise OutputError("search: Pagefind is not installed", self._where, hint=INSTALL_HINT)
        command = [str(binary), "--site", str(site_dir), "--output-path", str(bundle_dir)]
        # Pagefind reads PAGEFIND_* variables as options; pass none from the caller's shell.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        nice = shutil.which("nice") if beside else None
        if nice is not None:
            # At a lower priority, Pagefind takes the cores the build leaves idle: all of them
            # while the build waits for it, the others while it makes notebooks and the font.
            command = [nice, "-n", "10", *command]
        # Its output goes to a file, not a pipe: a full pipe would stop it while nobody reads.
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait or stop)
        self._deadline = time.monotonic() + timeout_s
        try:
            self._process = subprocess.Popen(
                command, stdout=self._log, stderr=subprocess.STDOUT, env=env
            )
        except OSError as exc:
            self._log.close()
            raise OutputError(
                f"search: cannot run Pagefind: {exc}", self._where, hint=INSTALL_HINT
            ) from exc

    def wait(self) -> None:
        """Wait for the bundle; raises OutputError with Pagefind's last words if there is none."""
        try:
            code = _wait_exactly(self._process, max(0.0, self._deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            self.stop()
            raise OutputError(
                f"search: cannot run Pagefind: {exc}", self._where, hint=INSTALL_HINT
            ) from exc
        self._log.seek(0)
        output = self._log.read().decode(errors="replace").strip().splitlines()
        self._log.close()
        if code != 0 or not (self.bundle_dir / "pagefind.js").is_file():
            detail = output[-1] if output else f"exit status {code}"
            raise OutputError(f"search: Pagefind failed: {detail}", self._where)

    def stop(self) -> None:
        """End the run if it is still going (a build that failed or was interrupted)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


def _wait_exactly(process: subprocess.Popen[bytes], timeout_s: float) -> int:
    """`process.wait(timeout_s)`, woken the moment the process ends. Popen's own timed wait
    polls with sleeps growing to 50 ms: on average 25 ms lost at the end of every build that
    waits for Pagefind. A pidfd (Linux 5.3+) becomes readable when the process ends."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # another system, or the process was already reaped
        return process.wait(timeout=timeout_s)
    try:
        poller = select.poll()  # not select.select, which fails on a descriptor past 1,023
        poller.register(pidfd, select.POLLIN)
        ended = poller.poll(timeout_s * 1000)
    finally:
        os.close(pidfd)
    if not ended:
        raise subprocess.TimeoutExpired(process.args, timeout_s)
    return process.wait()


def index_site(site_dir: Path, timeout_s: float = TIMEOUT_S) -> None:
    """Index every page of `site_dir` (marked with data-pagefind-body) into site_dir/pagefind/."""
    pages = {p.relative_to(site_dir).as_posix(): "" for p in site_dir.rglob("*.html")}
    with tempfile.TemporaryDirectory(prefix="lemma-search-") as scratch:
        source = SearchPages(Path(scratch)).update(site_dir, pages)
        indexing = Indexing(source, site_dir / BUNDLE_DIR, timeout_s)
        try:
            indexing.wait()
        finally:
            indexing.stop()


def html_digests(site: Site) -> dict[str, str]:
    """What Pagefind reads: the digest of each HTML file's bytes, by output path."""
    files: dict[str, str] = {}
    for page in site.pages:
        if page.output_path.endswith(".html"):
            digest = page.digest if isinstance(page, KeptPage) else content_digest(page.content)
            files[page.output_path] = digest
    for asset in site.assets:  # an .html file of the author's static/ folder
        if asset.output_path.endswith(".html"):
            files[asset.output_path] = content_digest(Path(asset.source).read_bytes())
    return files


def searched_digest(output_dir: Path, site: Site, files: dict[str, str] | None = None) -> str:
    """A digest of everything Pagefind reads (`html_digests`, when not given) and where it goes."""
    hasher = hashlib.sha256(str(output_dir.resolve()).encode())
    for output_path, digest in sorted((files or html_digests(site)).items()):  # in any order
        hasher.update(f"{output_path}\0{digest}\0".encode())
    return hasher.hexdigest()


class SearchIndex:
    """The search index of one build: started on the staged HTML pages, waited for at the end."""

    def __init__(self, cache_dir: Path, output_dir: Path, reuse: bool) -> None:
        self._cache_dir = cache_dir
        self._output_dir = output_dir
        self._reuse = reuse  # False with --no-cache: always index afresh
        self._digest: str | None = None
        self._indexing: Indexing | None = None
        self._scratch: Path | None = None  # search pages made for this build only

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, staging: Path, site: Site) -> None:
        """Start Pagefind on `staging`, which holds `site`'s HTML files (and may get other files
        while it runs), unless they are the pages of the last index."""
        files = html_digests(site)
        self._digest = searched_digest(self._output_dir, site, files)
        if self._previous_is_current():
            return
        with contextlib.suppress(OSError):
            (self._cache_dir / DIGEST_FILE).unlink()  # written again once the site is in place
        self._indexing = Indexing(
            self._search_pages(staging, files), staging / BUNDLE_DIR, beside=True
        )

    def finalize(self, staging: Path, site: Site) -> None:
        """Complete the bundle in `staging` for `site`; index it there and then if `site`'s HTML
        is not what `start` saw (a page made after it: no build does that today)."""
        target = staging / BUNDLE_DIR
        digest = searched_digest(self._output_dir, site)
        if digest != self._digest:
            self.close()
            shutil.rmtree(target, ignore_errors=True)
            self._digest = digest
            index_site(staging)
        elif self._indexing is not None:
            self._indexing.wait()
        else:
            try:
                shutil.copytree(self._output_dir / BUNDLE_DIR, target, copy_function=os.link)
            except OSError:  # the previous bundle went away since start: make it again
                shutil.rmtree(target, ignore_errors=True)
                index_site(staging)

    def record(self) -> None:
        """Once the new site is in place: its bundle is the one for these pages."""
        if self._digest is not None:
            (self._cache_dir / DIGEST_FILE).write_text(self._digest)

    def close(self) -> None:
        """Stop Pagefind if it still runs (a build that failed or was interrupted)."""
        if self._indexing is not None:
            self._indexing.stop()
            self._indexing = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _search_pages(self, staging: Path, files: dict[str, str]) -> Path:
        """The folder of the search pages of `files` (in `staging`): the cache's, brought up to
        date, or with --no-cache (or a read-only cache) a folder made for this build only."""
        if self._reuse:
            with contextlib.suppress(OSError):
                return SearchPages(self._cache_dir).update(staging, files)
        self._scratch = Path(tempfile.mkdtemp(prefix="lemma-search-"))
        return SearchPages(self._scratch).update(staging, files)

    def _previous_is_current(self) -> bool:
        if not self._reuse or not (self._output_dir / BUNDLE_DIR / "pagefind.js").is_file():
            return False
        try:
            return (self._cache_dir / DIGEST_FILE).read_text() == self._digest
        except OSError:
            return False
