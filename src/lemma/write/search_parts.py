"""The search index of a large site in parts: which part holds a page, where each part's bundle
goes, and the folders Pagefind reads for the parts it indexes again.

A part is a Pagefind bundle of its own, of about `search_part_pages` pages (site.toml); the
search page merges the others into the first (`mergeIndex`, in search.js, which reads
`PARTS_FILE`). A page's part follows from its output path alone, so that an edit to a post, or
a new post, changes one part, until the count of parts grows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from lemma.write import safe_output_path
from lemma.write.pagefind import BUNDLE_DIR
from lemma.write.search_edits import EDITS, EDITS_FOLDER

PARTS_FILE = "lemma-parts.json"  # in the first part's bundle: the others, for search.js


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


def pages_in_parts(
    files: dict[str, str], body: frozenset[str], part_pages: int
) -> list[dict[str, str]]:
    """The pages Pagefind reads (output path: digest), in parts. Of a site where some pages
    have a `data-pagefind-body` element Pagefind indexes only those: so do the parts, which it
    sees one at a time (it would index the whole of a part that has none)."""
    read = [path for path in files if path in body] if body else list(files)
    return [{path: files[path] for path in part} for part in split_pages(read, part_pages)]


def part_runs(
    pages_folder: Path,
    parts: dict[int, dict[str, str]],
    count: int,
    site_dir: Path,
    edits: Mapping[str, str],
) -> list[tuple[Path, Path]]:
    """A Pagefind run for each of `parts` (by number, of `count` parts) into `site_dir`, the
    edits bundle's first when there are `edits` (search_edits). A site in one part is the whole
    folder of search pages; else each part to index, and the edits, is a folder of links to its
    own, beside that folder. Raises OSError."""
    links = links_folder(pages_folder)
    shutil.rmtree(links, ignore_errors=True)
    runs = []
    if edits:
        runs.append((_linked(pages_folder, links / EDITS, edits), site_dir / EDITS_FOLDER))
    if count == 1:  # Pagefind picks the pages with a data-pagefind-body itself
        return [*runs, (pages_folder, site_dir / part_folder(0))] if parts else runs
    for number, part in sorted(parts.items()):
        runs.append(
            (_linked(pages_folder, links / str(number), part), site_dir / part_folder(number))
        )
    return runs


def _linked(pages_folder: Path, folder: Path, pages: Iterable[str]) -> Path:
    """`folder`, made to hold a link to each of `pages` in `pages_folder`. Raises OSError."""
    for output_path in pages:
        target = safe_output_path(folder, output_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = safe_output_path(pages_folder, output_path)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)
    return folder


def links_folder(pages_folder: Path) -> Path:
    """Where the parts being indexed have their folders of links, beside the search pages."""
    return pages_folder.with_name(pages_folder.name + "-parts")


def write_parts_file(
    site_dir: Path, count: int, edits: bool = False, hidden: Iterable[str] = ()
) -> None:
    """The file search.js reads: the bundles it merges into the first one's (the other parts,
    then the edits bundle), and the results it leaves out (search_edits)."""
    others = [f"part-{number}/" for number in range(1, count)] + ([f"{EDITS}/"] if edits else [])
    listed = {"parts": others, "hidden": sorted(set(hidden))}
    (site_dir / BUNDLE_DIR / PARTS_FILE).write_text(json.dumps(listed), encoding="utf-8")


def pages_digest(head: str, pages: dict[str, str]) -> str:
    """A digest of `head` and of pages (output path: digest of its bytes), in any order."""
    hasher = hashlib.sha256(f"{head}\0".encode())
    for output_path, digest in sorted(pages.items()):
        hasher.update(f"{output_path}\0{digest}\0".encode())
    return hasher.hexdigest()
