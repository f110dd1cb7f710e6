"""pelican-ipynb's and pelican-jupyter's notebook posts: the post's Pelican header lines
(`Title:`, `Date:`, `Tags:`, `Slug:`, `Category:`, `Summary:`) in a file beside the notebook,
`post.ipynb-meta` or `post.nbdata`, read as a Markdown post's Pelican header is.

A notebook with such a file takes its front matter from it, not from a first cell or the
notebook's metadata (as the plugins did); its cells are all the body. The file is data of the
post: it is in the post's memo key, and is never a post of its own.
"""

from __future__ import annotations

from pathlib import Path

from lemma.errors import FrontMatterError
from lemma.model import SourceLocation

# pelican-ipynb's `x.ipynb-meta`, pelican-jupyter's `x.nbdata`
SIDECAR_SUFFIXES = (".ipynb-meta", ".nbdata")


def sidecar_path(notebook: Path) -> Path | None:
    """The file holding the Pelican header of the notebook post at `notebook`, or None."""
    for candidate in (
        notebook.with_name(notebook.name + "-meta"),
        notebook.with_suffix(".nbdata"),
    ):
        if candidate.is_file():
            return candidate
    return None


def sidecar_bytes(root: Path | None, source_path: str) -> tuple[str, bytes] | None:
    """(its path from the blog's folder, its bytes) of a notebook post's header file."""
    if root is None or not source_path.endswith(".ipynb"):
        return None
    found = sidecar_path(root / source_path)
    if found is None:
        return None
    relative = found.relative_to(root).as_posix()
    try:
        return relative, found.read_bytes()
    except OSError as exc:
        raise FrontMatterError(
            f"cannot read the notebook's header file: {exc.strerror}", SourceLocation(relative)
        ) from exc


def sidecar_header(relative: str, data: bytes) -> str:
    """The header file's Pelican lines, checked: `Key: value` lines, with no blank line
    among them; an error at the line that is not one."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise FrontMatterError(
            "the notebook's header file is not UTF-8 text",
            SourceLocation(relative, 1),
            hint="save it as UTF-8",
        ) from exc
    lines = text.strip("\n").split("\n")
    for number, line in enumerate(lines, start=1):
        key, colon, _ = line.partition(":")
        continued = line[:1] in (" ", "\t") and number > 1  # Pelican's continued value
        if not continued and (not colon or not key.strip() or " " in key.strip()):
            raise FrontMatterError(
                f"the notebook's header file: '{line}' is not a 'Key: value' line",
                SourceLocation(relative, number),
                hint="write one Pelican header per line (Title: My post, Date: 2020-01-31), "
                "with no blank line among them",
            )
    return "\n".join(lines)
