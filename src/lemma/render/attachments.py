"""A notebook's Markdown-cell attachments (`![plot](attachment:plot.png)`) as media files.

Jupyter keeps an image pasted into a Markdown cell inside the cell, under a name of that cell
only (two cells may each have their own `image.png`). The page shows it as it shows a picture
beside a post: a file under media/ named by a hash of its bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from lemma.errors import Problem
from lemma.load.notebooks import ATTACHMENT_SUFFIXES, cell_location
from lemma.model import Asset, Post, SourceLocation
from lemma.render.body import BodyContext
from lemma.reuse.atomic import write_atomically

ATTACHMENT = "attachment:"
ATTACHMENTS_DIR = "attachments"  # under the cache folder, beside the figures
_REFERENCE = re.compile(r"\]\(attachment:([^)\s]+)")


def attachment_url(src: str, where: SourceLocation, context: BodyContext) -> str:
    """The URL of the media file of the attachment `src` names, in the cell `where` is in; the
    `src` itself, with a problem, when that cell has no attachment of that name."""
    name = src.removeprefix(ATTACHMENT)
    cell = cell_location(where, context.post.cell_lines).cell
    kept = {n: (mime, data) for c, n, mime, data in context.post.attachments if c == cell}
    content = _content(*kept[name]) if name in kept else None
    if content is None:
        context.problems.append(_missing(name, sorted(kept), name in kept, where))
        return src
    digest = hashlib.sha256(content).hexdigest()
    suffix = ATTACHMENT_SUFFIXES[kept[name][0]]
    path = context.figures.folder.parent / ATTACHMENTS_DIR / f"{digest}{suffix}"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content)
    file_name = re.sub(r"[^A-Za-z0-9._-]", "-", name)
    file_name += "" if "." in file_name else suffix
    output_path = f"media/{digest[:16]}-{file_name}"
    context.assets[output_path] = Asset(output_path, str(path))
    return context.url(output_path)


def _content(mime: str, data: str) -> bytes | None:
    if mime == "image/svg+xml":
        return data.encode("utf-8")
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except binascii.Error:
        return None


def _missing(name: str, names: list[str], is_broken: bool, where: SourceLocation) -> Problem:
    if is_broken:
        return Problem(
            f"image attachment '{name}' of this cell is not valid base64",
            where,
            hint="paste the image into the cell again in Jupyter and save the notebook",
        )
    have = f"(this cell has {', '.join(names)})" if names else "(this cell has no attachments)"
    return Problem(
        f"missing image: the cell has no attachment named '{name}' {have}",
        where,
        hint="drag or paste the image into this cell in Jupyter and save the notebook, or "
        "name an attachment the cell has",
    )


def cell_attachments(
    post: Post, first_index: int, lines: Sequence[str]
) -> tuple[list[str], dict[str, Any]]:
    """`lines` of the post's body (from its line `first_index`, 0-based) made into one cell of
    the notebook download, with the attachments they show as that cell keeps them; an image of
    another cell under a name already taken is renamed `CELL-name`."""
    found: dict[str, Any] = {}
    kept: list[str] = []
    for index, text in enumerate(lines, start=first_index):
        if ATTACHMENT in text:
            where = SourceLocation(post.source_path, post.body_line + index)
            text = _REFERENCE.sub(_Renamer(post, where, found).rename, text)
        kept.append(text)
    return kept, found


class _Renamer:
    """Names the images of the cell `where` is in into `found`, as the download's cell keeps
    them (a name another cell's image took first gets the cell's number)."""

    def __init__(self, post: Post, where: SourceLocation, found: dict[str, Any]) -> None:
        self.cell = cell_location(where, post.cell_lines).cell
        self.images = {n: {m: data} for c, n, m, data in post.attachments if c == self.cell}
        self.found = found

    def rename(self, match: re.Match[str]) -> str:
        image = self.images.get(match[1])
        if image is None:
            return match[0]
        name = match[1] if self.found.get(match[1], image) == image else f"{self.cell}-{match[1]}"
        self.found[name] = image
        return f"](attachment:{name}"
