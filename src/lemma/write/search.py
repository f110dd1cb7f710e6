"""Full-text search: a Pagefind index of the site's HTML pages, made beside the rest of a build.

Pagefind reads only `.html` files, and every one of them is made before the notebooks and the
math font. So a build writes its HTML pages into the staging folder first and starts Pagefind
there (`SearchIndex.start`); it makes the rest while Pagefind runs on another core, and waits
for the bundle just before the swap (`SearchIndex.finalize`). The files written meanwhile are
not HTML, so the bundle is the one Pagefind makes of the finished folder. Pagefind reads each
page as search shows it (`search_pages`: formulas as text, code without its token spans), which
is faster too.

A large site's index is made in parts of about `search_part_pages` pages (500 by default), each
a bundle of its own that the search page merges into the first (`mergeIndex`): an edit to a
post makes Pagefind index again that post's part only, and the other parts' bundles of the last
build are linked in. A page's part follows from its output path alone, so a new post changes
one part too, until the count of parts grows. The parts are indexed one after another: one
Pagefind's memory at a time. The price is the readers': each part is one more 72 KB
`wasm.en.pagefind` on their first search. When no HTML page changed since the last build, every
bundle is linked in and Pagefind does not run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from lemma.errors import OutputError
from lemma.model import KeptPage, Site, SourceLocation
from lemma.reuse.memo import content_digest
from lemma.write import safe_output_path
from lemma.write.search_pages import FOLDER, SearchPages

BUNDLE_DIR = "pagefind"  # Pagefind's default output folder inside the site
INSTALL_HINT = "pip install 'pagefind[bin]' (or: pip install 'lemma[search]')"
DIGEST_FILE = "search-index.digest"  # under the cache folder: the pages of the last index
TIMEOUT_S = 300.0
PART_PAGES = 500  # pages per part of the index at most, on average (site.toml: search_part_pages)
PARTS_FILE = "lemma-parts.json"  # in the first part's bundle: the others, for search.js


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


class IndexRuns:
    """Pagefind runs one after another, on a thread of their own: the build goes on meanwhile,
    and at most one Pagefind's memory is in use at a time."""

    def __init__(
        self, runs: list[tuple[Path, Path]], timeout_s: float = TIMEOUT_S, beside: bool = False
    ) -> None:
        self._lock = threading.Lock()
        self._current: Indexing | None = None
        self._stopped = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(runs, timeout_s, beside), name="pagefind", daemon=True
        )
        self._thread.start()

    def _run(self, runs: list[tuple[Path, Path]], timeout_s: float, beside: bool) -> None:
        try:
            for site_dir, bundle_dir in runs:
                with self._lock:
                    if self._stopped:
                        return
                    self._current = Indexing(site_dir, bundle_dir, timeout_s, beside)
                self._current.wait()
        except BaseException as exc:  # raised again in the build's thread by `wait`
            self._error = exc

    def wait(self) -> None:
        """Wait for every bundle; raises what the run that failed raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """End the runs if they are still going (a build that failed or was interrupted)."""
        with self._lock:
            self._stopped = True
            if self._current is not None:
                self._current.stop()
        self._thread.join()


def part_of(output_path: str, parts: int) -> int:
    """The part of the search index that holds a page: from its output path alone, so that an
    edit to a page changes its part and no other, and so does a new page."""
    number = int.from_bytes(hashlib.sha256(output_path.encode()).digest()[:8], "big")
    return number % parts


def split_pages(pages: Iterable[str], part_pages: int) -> list[list[str]]:
    """`pages` in parts of about `part_pages` pages: one part per `part_pages` pages begun, or
    fewer when one would be empty (a few pages in small parts)."""
    ordered = sorted(pages)
    count = max(1, -(-len(ordered) // part_pages))
    while True:
        parts: list[list[str]] = [[] for _ in range(count)]
        for page in ordered:
            parts[part_of(page, count)].append(page)
        if count == 1 or all(parts):
            return parts
        count -= 1


def part_folder(number: int) -> str:
    """Where a part's bundle goes in the site: the first in pagefind/, where the search page
    imports Pagefind from, each other one inside it (search.js merges them in)."""
    return BUNDLE_DIR if number == 0 else f"{BUNDLE_DIR}/part-{number}"


def index_site(site_dir: Path, timeout_s: float = TIMEOUT_S, part_pages: int = PART_PAGES) -> None:
    """Index every page of `site_dir` (marked with data-pagefind-body) into site_dir/pagefind/,
    in parts of about `part_pages` pages, as a build does."""
    files = {p.relative_to(site_dir).as_posix(): "" for p in site_dir.rglob("*.html")}
    with tempfile.TemporaryDirectory(prefix="lemma-search-") as scratch:
        pages = SearchPages(Path(scratch) / "pages")
        parts = _parts(files, pages.update(site_dir, files), part_pages)
        runs = IndexRuns(
            _runs(pages.folder, dict(enumerate(parts)), len(parts), site_dir), timeout_s
        )
        try:
            runs.wait()
        finally:
            runs.stop()
        _write_parts_file(site_dir, len(parts))


def _parts(files: dict[str, str], body: frozenset[str], part_pages: int) -> list[dict[str, str]]:
    """The pages Pagefind reads (output path: digest), in parts. Of a site where some pages
    have a `data-pagefind-body` element Pagefind indexes only those: so do the parts, which it
    sees one at a time (it would index the whole of a part that has none)."""
    read = [path for path in files if path in body] if body else list(files)
    return [{path: files[path] for path in part} for part in split_pages(read, part_pages)]


def _runs(
    pages_folder: Path, parts: dict[int, dict[str, str]], count: int, site_dir: Path
) -> list[tuple[Path, Path]]:
    """A Pagefind run for each of `parts` (by number, of `count` parts), into `site_dir`. A
    site in one part is the whole folder of search pages; else each part to index is a folder
    of links to its own, beside that folder. Raises OSError."""
    if count == 1:  # Pagefind picks the pages with a data-pagefind-body itself
        return [(pages_folder, site_dir / part_folder(0))]
    links = _links_folder(pages_folder)
    shutil.rmtree(links, ignore_errors=True)
    runs = []
    for number, part in sorted(parts.items()):
        folder = links / str(number)
        for output_path in part:
            target = safe_output_path(folder, output_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = safe_output_path(pages_folder, output_path)
            try:
                os.link(source, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(source, target)
        runs.append((folder, site_dir / part_folder(number)))
    return runs


def _links_folder(pages_folder: Path) -> Path:
    """Where the parts being indexed have their folders of links, beside the search pages."""
    return pages_folder.with_name(pages_folder.name + "-parts")


def _write_parts_file(site_dir: Path, count: int) -> None:
    """The list search.js reads of the bundles it merges into the first one's."""
    others = [f"part-{number}/" for number in range(1, count)]
    (site_dir / BUNDLE_DIR / PARTS_FILE).write_text(json.dumps({"parts": others}), encoding="utf-8")


def _part_digest(output_dir: Path, number: int, count: int, part: dict[str, str]) -> str:
    """A digest of what a part's bundle is made of: its pages' bytes, its place, and where the
    site goes."""
    hasher = hashlib.sha256(f"{output_dir.resolve()}\0{number}/{count}\0".encode())
    for output_path, digest in sorted(part.items()):
        hasher.update(f"{output_path}\0{digest}\0".encode())
    return hasher.hexdigest()


class SearchIndex:
    """The search index of one build: started on the staged HTML pages, waited for at the end.
    Each part whose pages are those of its last bundle keeps that bundle; Pagefind indexes the
    others."""

    def __init__(
        self, cache_dir: Path, output_dir: Path, reuse: bool, part_pages: int = PART_PAGES
    ) -> None:
        self._cache_dir = cache_dir
        self._output_dir = output_dir
        self._reuse = reuse  # False with --no-cache: always index afresh
        self._part_pages = part_pages
        self._digest: str | None = None  # of all the pages `start` saw (`searched_digest`)
        self._parts: list[str] = []  # the digest of each part, in order
        self._kept: list[int] = []  # the parts whose last bundle is linked in by `finalize`
        self._runs: IndexRuns | None = None
        self._scratch: Path | None = None  # search pages made for this build only

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, staging: Path, site: Site) -> None:
        """Start Pagefind on `staging`, which holds `site`'s HTML files (and may get other files
        while it runs), for each part whose pages are not those of its last bundle."""
        files = html_digests(site)
        self._digest = searched_digest(self._output_dir, site, files)
        last = self._last_record()
        with contextlib.suppress(OSError):
            (self._cache_dir / DIGEST_FILE).unlink()  # written again once the site is in place
        if last is not None and last[0] == self._digest:  # no page changed: no search page either
            self._parts = last[1]
            self._kept = list(range(len(self._parts)))
            return
        pages, body = self._search_pages(staging, files)
        parts = _parts(files, body, self._part_pages)
        count = len(parts)
        self._parts = [_part_digest(self._output_dir, n, count, p) for n, p in enumerate(parts)]
        before = last[1] if last is not None else []
        self._kept = [n for n, d in enumerate(self._parts) if n < len(before) and before[n] == d]
        changed = {n: part for n, part in enumerate(parts) if n not in self._kept}
        if changed:
            self._runs = IndexRuns(_runs(pages.folder, changed, count, staging), beside=True)

    def finalize(self, staging: Path, site: Site) -> None:
        """Complete the bundles in `staging` for `site`; index it there and then if `site`'s
        HTML is not what `start` saw (a page made after it: no build does that today)."""
        if searched_digest(self._output_dir, site) != self._digest:
            self._index_again(staging)
            return
        if self._runs is not None:
            self._runs.wait()
        try:
            for number in self._kept:
                folder = part_folder(number)
                shutil.copytree(
                    self._output_dir / folder,
                    staging / folder,
                    ignore=shutil.ignore_patterns("part-*", PARTS_FILE) if number == 0 else None,
                    copy_function=os.link,
                    dirs_exist_ok=True,
                )
        except OSError:  # a last bundle went away since start: make them all again
            self._index_again(staging)
            return
        _write_parts_file(staging, len(self._parts))

    def record(self) -> None:
        """Once the new site is in place: its bundles are the ones for these pages."""
        if self._digest is not None:
            record = {"pages": self._digest, "parts": self._parts}
            (self._cache_dir / DIGEST_FILE).write_text(json.dumps(record), encoding="utf-8")

    def close(self) -> None:
        """Stop Pagefind if it still runs (a build that failed or was interrupted)."""
        if self._runs is not None:
            self._runs.stop()
            self._runs = None
        with contextlib.suppress(OSError):
            shutil.rmtree(_links_folder(self._search_pages_folder()))
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _index_again(self, staging: Path) -> None:
        self.close()
        shutil.rmtree(staging / BUNDLE_DIR, ignore_errors=True)
        self._digest = None  # nothing recorded: the next build indexes every part
        index_site(staging, part_pages=self._part_pages)

    def _search_pages_folder(self) -> Path:
        return (self._scratch or self._cache_dir) / FOLDER

    def _search_pages(
        self, staging: Path, files: dict[str, str]
    ) -> tuple[SearchPages, frozenset[str]]:
        """The search pages of `files` (in `staging`) and those with a `data-pagefind-body`:
        the cache's, brought up to date, or with --no-cache (or a read-only cache) a folder made
        for this build only."""
        if self._reuse:
            with contextlib.suppress(OSError):
                pages = SearchPages(self._cache_dir / FOLDER)
                return pages, pages.update(staging, files)
        self._scratch = Path(tempfile.mkdtemp(prefix="lemma-search-"))
        pages = SearchPages(self._scratch / FOLDER)
        return pages, pages.update(staging, files)

    def _last_record(self) -> tuple[str, list[str]] | None:
        """The pages and parts of the site in the output folder, when every part's bundle is
        still there."""
        if not self._reuse:
            return None
        try:
            record = json.loads((self._cache_dir / DIGEST_FILE).read_text(encoding="utf-8"))
            pages, parts = record["pages"], record["parts"]
        except (OSError, ValueError, TypeError, KeyError):  # none, or an older Lemma's
            return None
        if not isinstance(pages, str) or not isinstance(parts, list) or not parts:
            return None
        entries = (
            self._output_dir / part_folder(n) / "pagefind-entry.json" for n in range(len(parts))
        )
        if not all(entry.is_file() for entry in entries):
            return None
        return pages, [str(digest) for digest in parts]
