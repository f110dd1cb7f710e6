"""Files in `posts/` that are not posts: other tools' post formats, and the pages blogdown
rendered from an R Markdown post (`x.html` beside `x.Rmd`, `x.markdown` beside `x.Rmarkdown`),
each named in a message so that nothing is left out without a word."""

from __future__ import annotations

from pathlib import Path

from lemma.errors import Problem
from lemma.model import RMARKDOWN_SUFFIXES, SourceLocation

# Post formats of other tools that Lemma does not read: each such file is named in a warning.
UNREAD_FORMATS = {
    ".rst": "reStructuredText",
    ".adoc": "AsciiDoc",
    ".asciidoc": "AsciiDoc",
    ".org": "Org",
    ".textile": "Textile",
    ".html": "HTML",
    ".htm": "HTML",
}
# What blogdown writes beside an R Markdown post when it renders it: the page Lemma makes itself.
_RENDERED_SUFFIXES = (".html", ".markdown")


def is_unread(path: Path) -> bool:
    """A file of another tool's format, or one blogdown rendered: not read as a post."""
    return path.suffix.lower() in UNREAD_FORMATS or _rendered_from(path) is not None


def unread_problem(path: Path, relative: str) -> Problem:
    """The message naming a file that is not read, and what to do about it."""
    source = _rendered_from(path)
    if source is not None:
        return Problem(
            f"not read: blogdown's rendering of {source.name}; Lemma builds the post from "
            f"{source.name}",
            SourceLocation(relative),
            hint="delete it, or leave it: it is never published",
            is_warning=True,
            is_note=True,
        )
    return Problem(
        f"not read: {UNREAD_FORMATS[path.suffix.lower()]} is not a post format Lemma reads",
        SourceLocation(relative),
        hint=f"convert it to Markdown, e.g. pandoc {relative} -t gfm -o <name>.md",
        is_warning=True,
    )


def _rendered_from(path: Path) -> Path | None:
    """The R Markdown post `path` was rendered from by blogdown, or None."""
    if path.suffix not in _RENDERED_SUFFIXES:
        return None
    for suffix in RMARKDOWN_SUFFIXES:
        source = path.with_suffix(suffix)
        if source.is_file():
            return source
    return None
