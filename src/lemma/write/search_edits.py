"""The edits bundle of the search index: the pages that changed since their part's bundle was
made, indexed by themselves, so that a prose edit makes Pagefind read that page, not its part.

A part's bundle keeps its old version of each such page. That version's fragment id (the id of
its search results) is listed as hidden in the parts file, and search.js leaves those results
out; a result that both bundles hold alike (the same id) it shows once. Every build in which a
page changed makes the edits bundle again, of all the pages that differ from their part's
bundle; once they are more than a tenth of a part (`edit_limit`), their parts are indexed again
instead and the edits bundle is gone. A clean build has none: its index is the one Pagefind
makes of the whole site.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lemma.write.pagefind import BUNDLE_DIR

EDITS = "edits"  # the edits bundle's folder, inside the first part's
EDITS_FOLDER = f"{BUNDLE_DIR}/{EDITS}"
_SIGNATURE = b"pagefind_dcd"  # what a Pagefind fragment begins with, once decompressed


def edit_limit(part_pages: int) -> int:
    """How many pages may differ from their parts' bundles before the parts are indexed again:
    a tenth of a part, so that the edits bundle costs Pagefind a tenth of a part at most."""
    return max(1, part_pages // 10)


@dataclass(frozen=True, slots=True)
class Edits:
    """What an edit to a site with search bundles asks of the index: the parts to index again
    (by number), the pages of the edits bundle, and the pages whose old version a part's
    bundle holds, by the number of that part."""

    index: frozenset[int]
    pages: Mapping[str, str]  # output path: digest of its bytes
    stale: Mapping[str, int]


def plan_edits(parts: list[dict[str, str]], bundled: list[dict[str, str]], limit: int) -> Edits:
    """What to index of `parts` (the pages of each part: output path, digest) when each part's
    bundle holds the pages of `bundled` (as many parts): the pages that differ go to the edits
    bundle, or, more than `limit` of them, their parts are indexed again."""
    differ = [
        {path for path, digest in part.items() if before.get(path) != digest}
        | (before.keys() - part.keys())
        for part, before in zip(parts, bundled, strict=True)
    ]
    if sum(len(paths) for paths in differ) > limit:
        return Edits(frozenset(n for n, paths in enumerate(differ) if paths), {}, {})
    pages = {
        path: parts[n][path]
        for n, paths in enumerate(differ)
        for path in sorted(paths)
        if path in parts[n]
    }
    stale = {path: n for n, paths in enumerate(differ) for path in paths if path in bundled[n]}
    return Edits(frozenset(), pages, stale)


def page_url(output_path: str) -> str:
    """The URL Pagefind gives the page at `output_path` in its fragment: index.html left out."""
    url = "/" + output_path
    return url.removesuffix("index.html") if url.endswith("/index.html") else url


def fragment_ids(bundle_dir: Path) -> dict[str, str]:
    """The fragment id of each page of a Pagefind bundle, by the page's URL; a fragment that
    cannot be read is left out. Raises OSError when the bundle has no fragments."""
    ids: dict[str, str] = {}
    for fragment in (bundle_dir / "fragment").iterdir():
        if fragment.suffix != ".pf_fragment":
            continue
        try:
            data = gzip.decompress(fragment.read_bytes())
            url = json.loads(data.removeprefix(_SIGNATURE)).get("url")
        except (OSError, EOFError, zlib.error, ValueError, AttributeError):
            continue
        if isinstance(url, str):
            ids[url] = fragment.stem
    return ids
