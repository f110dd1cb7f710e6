"""Full-text search: a Pagefind index of the site's HTML pages, made beside the rest of a build.

Pagefind reads only `.html` files, and every one of them is made before the notebooks and the
math font. Pagefind reads each page as search shows it (`search_pages`: formulas as text, code
without its token spans), made from the pages in memory; so a build starts Pagefind as soon as
its HTML pages are made (`SearchIndex.start`), writes the site into the staging folder and makes
the rest while Pagefind runs on another core, and waits for the bundle just before the swap
(`SearchIndex.finalize`), which checks that the site's HTML is still what Pagefind was given.

A large site's index is made in parts (`search_parts`): an edit to a post makes Pagefind index
again that post's part only, and the other parts' bundles of the last build are linked in. The
parts are indexed one after another: one Pagefind's memory at a time. The price is the
readers': for each word they search, one index chunk per part (about 27 KB; the WebAssembly
loads once). When no HTML page changed since the last build, and the parts' size is the same,
every bundle is linked in and Pagefind does not run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lemma.config import SEARCH_PART_PAGES
from lemma.interrupts import signals_held
from lemma.model import Asset, KeptPage, Page, Site
from lemma.reuse.memo import content_digest
from lemma.write import kept_bytes, safe_output_path
from lemma.write.pagefind import BUNDLE_DIR, TIMEOUT_S, IndexRuns
from lemma.write.search_edits import (
    EDITS,
    EDITS_FOLDER,
    Edits,
    edit_limit,
    fragment_ids,
    page_url,
    plan_edits,
)
from lemma.write.search_pages import FOLDER, SearchPages
from lemma.write.search_parts import (
    PARTS_FILE,
    links_folder,
    pages_digest,
    pages_in_parts,
    part_folder,
    part_runs,
    write_parts_file,
)

DIGEST_FILE = "search-index.digest"  # under the cache folder: the pages of the last index


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


def searched_digest(
    output_dir: Path, site: Site, part_pages: int, files: dict[str, str] | None = None
) -> str:
    """A digest of everything Pagefind reads (`html_digests`, when not given), where it goes,
    and the size of the parts it goes in."""
    return pages_digest(f"{output_dir.resolve()}\0{part_pages}", files or html_digests(site))


def index_site(
    site_dir: Path, timeout_s: float = TIMEOUT_S, part_pages: int = SEARCH_PART_PAGES
) -> None:
    """Index every page of `site_dir` (marked with data-pagefind-body) into site_dir/pagefind/,
    in parts of about `part_pages` pages, as a build does."""
    files = {p.relative_to(site_dir).as_posix(): "" for p in site_dir.rglob("*.html")}
    with tempfile.TemporaryDirectory(prefix="lemma-search-") as scratch:
        pages = SearchPages(Path(scratch) / "pages")
        body = pages.update(files, lambda path: safe_output_path(site_dir, path).read_bytes())
        parts = pages_in_parts(files, body, part_pages)
        runs = IndexRuns(
            part_runs(pages.folder, dict(enumerate(parts)), len(parts), site_dir, {}), timeout_s
        )
        try:
            runs.wait()
        finally:
            runs.stop()
        write_parts_file(site_dir, len(parts))


@dataclass(frozen=True, slots=True)
class _Bundles:
    """What the search bundles of a site hold (the record of the last build's, in DIGEST_FILE):
    each part's pages and the edits bundle's (output path: digest of its bytes), and the
    fragment id of each page whose old version a part's bundle holds, which search leaves out."""

    pages: str  # `searched_digest` of the site's pages
    parts: list[dict[str, str]]
    edits: dict[str, str]
    hidden: dict[str, str]


class SearchIndex:
    """The search index of one build: started on the staged HTML pages, waited for at the end.
    Each part whose pages are those of its last bundle keeps that bundle; of the others,
    Pagefind indexes the pages that changed into the edits bundle (search_edits), or, when
    they are many, the whole parts again."""

    def __init__(
        self, cache_dir: Path, output_dir: Path, reuse: bool, part_pages: int = SEARCH_PART_PAGES
    ) -> None:
        self._cache_dir = cache_dir
        self._output_dir = output_dir
        self._reuse = reuse  # False with --no-cache: always index afresh
        self._part_pages = part_pages
        self._site = f"{output_dir.resolve()}\0{part_pages}"  # where the bundles of a record go
        self._bundles: _Bundles | None = None  # what this build's bundles hold
        self._kept: list[int] = []  # the parts whose last bundle is linked in by `finalize`
        self._kept_edits = False  # the last edits bundle is linked in too
        self._stale: dict[str, str] = {}  # the fragment ids to hide, and of which pages
        self._runs: IndexRuns | None = None
        self._scratch: Path | None = None  # search pages made for this build only

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, staging: Path, site: Site) -> None:
        """Start Pagefind on `site`'s HTML pages that are not those of their last bundle; its
        bundles go into `staging`."""
        files = html_digests(site)
        digest = searched_digest(self._output_dir, site, self._part_pages, files)
        last = self._last_record()
        with contextlib.suppress(OSError):
            (self._cache_dir / DIGEST_FILE).unlink()  # written again once the site is in place
        if last is not None and last.pages == digest:  # no page changed: no search page either
            self._bundles = last
            self._kept = list(range(len(last.parts)))
            self._kept_edits = bool(last.edits)
            self._stale = last.hidden
            return
        pages, body = self._search_pages(site, files)
        parts = pages_in_parts(files, body, self._part_pages)
        count = len(parts)
        if last is None or len(last.parts) != count:
            edits = Edits(frozenset(range(count)), {}, {})
        else:
            edits = self._found(
                plan_edits(parts, last.parts, edit_limit(self._part_pages)), parts, last
            )
        bundled = [
            parts[n] if n in edits.index or last is None else last.parts[n] for n in range(count)
        ]
        self._bundles = _Bundles(digest, bundled, dict(edits.pages), {})
        self._kept = [n for n in range(count) if n not in edits.index]
        changed = {n: parts[n] for n in sorted(edits.index)}
        if changed or edits.pages:
            runs = part_runs(pages.folder, changed, count, staging, edits.pages)
            self._runs = IndexRuns(runs, beside=True)

    def _found(self, edits: Edits, parts: list[dict[str, str]], last: _Bundles) -> Edits:
        """`edits`, once the fragment id of each stale page is found in its part's last bundle
        (`self._stale`); a part where one is not found is indexed again instead."""
        self._stale = {}
        missing: set[int] = set()
        for number in sorted(set(edits.stale.values())):
            paths = [path for path, n in edits.stale.items() if n == number]
            ids = {path: last.hidden[path] for path in paths if path in last.hidden}
            if len(ids) < len(paths):
                try:
                    by_url = fragment_ids(self._output_dir / part_folder(number))
                except OSError:
                    by_url = {}
                ids.update((p, by_url[page_url(p)]) for p in paths if page_url(p) in by_url)
            if len(ids) < len(paths):
                missing.add(number)
            else:
                self._stale.update(ids)
        if not missing:
            return edits
        pages = {
            path: digest
            for path, digest in edits.pages.items()
            if not any(path in parts[n] for n in missing)
        }
        stale = {path: n for path, n in edits.stale.items() if n not in missing}
        return Edits(edits.index | missing, pages, stale)

    def finalize(self, staging: Path, site: Site) -> None:
        """Complete the bundles in `staging` for `site`; index it there and then if `site`'s
        HTML is not what `start` saw (a page made after it: no build does that today)."""
        bundles = self._bundles
        if bundles is None or searched_digest(self._output_dir, site, self._part_pages) != (
            bundles.pages
        ):
            self._index_again(staging)
            return
        if self._runs is not None:
            self._runs.wait()
        try:
            for number in self._kept:
                self._link(number == 0, part_folder(number), staging)
            if self._kept_edits:
                self._link(False, EDITS_FOLDER, staging)
            fresh = not self._kept_edits and bundles.edits  # an edits bundle made just now
            made = set(fragment_ids(staging / EDITS_FOLDER).values()) if fresh else set()
        except OSError:  # a last bundle went away since start: make them all again
            self._index_again(staging)
            return
        # A page whose new version Pagefind made alike (the same id) is shown once, not hidden.
        hidden = {path: id_ for path, id_ in self._stale.items() if id_ not in made}
        self._bundles = _Bundles(bundles.pages, bundles.parts, bundles.edits, hidden)
        write_parts_file(staging, len(bundles.parts), bool(bundles.edits), hidden.values())

    def _link(self, first: bool, folder: str, staging: Path) -> None:
        """Link the last bundle in `folder` into `staging`: of the first part's, its own files
        only. Raises OSError."""
        shutil.copytree(
            self._output_dir / folder,
            staging / folder,
            ignore=shutil.ignore_patterns("part-*", EDITS, PARTS_FILE) if first else None,
            copy_function=os.link,
            dirs_exist_ok=True,
        )

    def record(self) -> None:
        """Once the new site is in place: its bundles are the ones for these pages."""
        bundles = self._bundles
        if bundles is not None:
            record = {
                "site": self._site,
                "pages": bundles.pages,
                "parts": bundles.parts,
                "edits": bundles.edits,
                "hidden": bundles.hidden,
            }
            (self._cache_dir / DIGEST_FILE).write_text(json.dumps(record), encoding="utf-8")

    def close(self) -> None:
        """Stop Pagefind if it still runs (a build that failed or was interrupted)."""
        if self._runs is not None:
            self._runs.stop()
            self._runs = None
        with contextlib.suppress(OSError):
            shutil.rmtree(links_folder(self._search_pages_folder()))
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _index_again(self, staging: Path) -> None:
        self.close()
        shutil.rmtree(staging / BUNDLE_DIR, ignore_errors=True)
        self._bundles = None  # nothing recorded: the next build indexes every part
        index_site(staging, part_pages=self._part_pages)

    def _search_pages_folder(self) -> Path:
        return (self._scratch or self._cache_dir) / FOLDER

    def _search_pages(
        self, site: Site, files: dict[str, str]
    ) -> tuple[SearchPages, frozenset[str]]:
        """The search pages of `files` (of `site`) and those with a `data-pagefind-body`: the
        cache's, brought up to date, or with --no-cache (or a read-only cache) a folder made for
        this build only."""
        read = _html_bytes(site)
        if self._reuse:
            with contextlib.suppress(OSError):
                pages = SearchPages(self._cache_dir / FOLDER)
                return pages, pages.update(files, read)
        with signals_held():  # an interruption finds the folder to remove (`close`)
            self._scratch = Path(tempfile.mkdtemp(prefix="lemma-search-"))
        pages = SearchPages(self._scratch / FOLDER)
        return pages, pages.update(files, read)

    def _last_record(self) -> _Bundles | None:
        """What the bundles of the site in the output folder hold, when each is still there."""
        if not self._reuse:
            return None
        try:
            record = json.loads((self._cache_dir / DIGEST_FILE).read_text(encoding="utf-8"))
            bundles = _Bundles(
                record["pages"],
                [_strings(part) for part in record["parts"]],
                _strings(record["edits"]),
                _strings(record["hidden"]),
            )
            site = record["site"]
        except (OSError, ValueError, TypeError, KeyError):  # none, or an older Lemma's
            return None
        if site != self._site or not isinstance(bundles.pages, str) or not bundles.parts:
            return None
        folders = [part_folder(n) for n in range(len(bundles.parts))]
        folders += [EDITS_FOLDER] if bundles.edits else []
        if not all((self._output_dir / f / "pagefind-entry.json").is_file() for f in folders):
            return None
        return bundles


def _strings(value: object) -> dict[str, str]:
    """A JSON object of strings, as it is; raises TypeError for anything else."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError("not an object of strings")
    return value


def _html_bytes(site: Site) -> Callable[[str], bytes]:
    """The bytes of each of `site`'s HTML files by output path: a page's own, a kept page's
    (checked against its digest), an author's .html file's."""
    made: dict[str, Page | KeptPage | Asset] = {p.output_path: p for p in site.pages}
    made.update((a.output_path, a) for a in site.assets if a.output_path.endswith(".html"))

    def read(output_path: str) -> bytes:
        item = made[output_path]
        if isinstance(item, Page):
            return item.content
        if isinstance(item, KeptPage):
            return kept_bytes(item)
        return Path(item.source).read_bytes()

    return read
