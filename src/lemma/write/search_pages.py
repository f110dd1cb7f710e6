"""The pages Pagefind reads: each HTML page of the site as search shows it, kept in the cache so
that a build writes again only the pages that changed.

Pagefind parses every byte of every page, yet keeps only text. A post page's highlighted code
(one `<span>` per token) and its MathML (one element per symbol) are about half its bytes. In a
search page the code's token spans are gone (they are inline: Pagefind makes the same bundle
without them, tests/test_search_pages.py) and each formula is its plain text, as the page's
description and feed read it: a search excerpt reads "x̂ₖ = 1/n ∑ᵢ xᵢ", not MathML's symbols run
together ("xˆk=1n∑ixi"). Pagefind indexes the search pages in about 80% of the time (the
bench's 100 posts: 0.25 s instead of 0.30 s, 0.33 s of CPU instead of 0.43).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

from lemma.render.inline_math import formula_text
from lemma.write import safe_output_path

FOLDER = "search-pages"  # under the cache folder: one folder of search pages per part

_PRE = re.compile(rb"<pre\b[^>]*>.*?</pre>", re.S)
_CODE_SPAN = re.compile(rb'<span(?: class="[^"<>]*")?>|</span>')
_OTHER_SPAN = re.compile(rb'<span\b(?!(?: class="[^"<>]*")?>)')
_MATH = re.compile(rb"(<math\b[^>]*>)(.*?)</math>", re.S)
_TAG = re.compile(rb"<[^>]*>")
_BODY = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")  # an element, not its text


def search_page(page: bytes) -> bytes:
    """`page` as search shows it: its words in the elements that give them structure, its code
    without token spans, each formula as text."""
    return _MATH.sub(_readable_math, _PRE.sub(_plain_code, page))


def _plain_code(block: re.Match[bytes]) -> bytes:
    code = block.group(0)
    if _OTHER_SPAN.search(code):  # a span with other attributes may tell Pagefind something
        return code
    return _CODE_SPAN.sub(b"", code)


def _readable_math(formula: re.Match[bytes]) -> bytes:
    try:
        text = html.escape(formula_text(formula.group(0)), quote=False).encode()
    except ET.ParseError:  # MathML written by hand, with HTML's named entities: its symbols
        text = _TAG.sub(b"", formula.group(2))
    return formula.group(1) + text + b"</math>"


class SearchPages:
    """A folder of search pages, brought up to date with a site's HTML pages; beside it,
    `<folder>.json` says of each file the digest of the page it was made from, and whether the
    page marks what search shows of it (`data-pagefind-body`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made_file = folder.with_name(folder.name + ".json")

    def update(self, pages: Mapping[str, str], read: Callable[[str], bytes]) -> frozenset[str]:
        """Make the folder hold the search page of each of `pages` (output path: digest of its
        bytes, which `read` gives) and nothing else; the pages with a `data-pagefind-body`
        element. Raises OSError."""
        made = self._made()
        self.folder.mkdir(parents=True, exist_ok=True)
        # Gone while the folder changes: a build stopped half-way leaves nothing to trust.
        with contextlib.suppress(FileNotFoundError):
            self.made_file.unlink()
        folders: set[Path] = set()  # made in this update: one mkdir each, not one per page
        now: dict[str, tuple[str, bool]] = {}
        for output_path, digest in pages.items():
            target = safe_output_path(self.folder, output_path)
            before = made.get(output_path)
            if before is not None and before[0] == digest and target.is_file():
                now[output_path] = before
                continue
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            html = read(output_path)
            target.write_bytes(search_page(html))
            now[output_path] = (digest, _BODY.search(html) is not None)
        for output_path in made.keys() - pages.keys():
            gone = safe_output_path(self.folder, output_path)
            gone.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # its folders too, up to the first one not empty
                for folder in gone.relative_to(self.folder).parents[:-1]:
                    (self.folder / folder).rmdir()
        self.made_file.write_text(json.dumps(now, sort_keys=True), encoding="utf-8")
        return frozenset(path for path, (_, body) in now.items() if body)

    def _made(self) -> dict[str, tuple[str, bool]]:
        try:
            data = json.loads(self.made_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            shutil.rmtree(self.folder, ignore_errors=True)  # made by a build that did not finish
            return {}
        if not isinstance(data, dict):
            return {}
        return {  # an entry in another shape (an older Lemma's) is made again
            str(k): (v[0], v[1])
            for k, v in data.items()
            if isinstance(v, list)
            and len(v) == 2
            and isinstance(v[0], str)
            and isinstance(v[1], bool)
        }
