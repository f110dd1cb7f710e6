"""Bibliographies: each post's references, read from BibTeX or CSL JSON files (`bibtex`).

A file shared by many posts is read once per build. pybtex, which reads the files, is imported
only by a build that has a bibliography: it costs a warm rebuild a tenth of its time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lemma.errors import LemmaError
from lemma.model import SourceLocation


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    names: tuple[str, ...]  # family names of the authors (or editors), in order
    year: str  # "" when the entry has none
    title: str  # plain text
    entry_html: str  # the whole entry, formatted, with DOI and URL links


@dataclass(frozen=True, slots=True)
class Bibliography:
    references: tuple[Reference, ...]
    style: str  # "author-year" or "numeric"
    unread: tuple[str, ...] = ()  # files that could not be read (each reported on its own)

    def find(self, key: str) -> Reference | None:
        for reference in self.references:
            if reference.key == key:
                return reference
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.references)


def load_bibliographies(
    root: Path, site_file: str, site_style: str, posts: Sequence[Any]
) -> tuple[dict[str, Bibliography], list[LemmaError]]:
    """Each post's bibliography (its front matter's files, else the site's), by source path.

    `site_file` is site.toml's `bibliography` ("" for none); a file shared by many posts is
    read once. A file that cannot be read is an error of its own, and is named in the post's
    `Bibliography.unread` (its citations then say so, not "the post has no bibliography").
    """
    read: dict[str, tuple[Reference, ...] | LemmaError] = {}
    found: dict[str, Bibliography] = {}
    errors: list[LemmaError] = []
    for post in posts:
        fm = post.front_matter
        folder = Path(post.source_path).parent
        files = [(folder / name).as_posix() for name in fm.bibliography]
        if not files and site_file:
            files = [Path(site_file).as_posix()]
        if not files:
            continue
        from lemma.load.bibtex import read_references  # pybtex: 20 ms, only when cited

        references: list[Reference] = []
        unread: list[str] = []
        for display in files:
            if not (root / display).is_file():
                where = (
                    SourceLocation(post.source_path, fm.key_lines.get("bibliography", 1))
                    if fm.bibliography
                    else SourceLocation("site.toml")
                )
                errors.append(
                    LemmaError(
                        f"bibliography '{display}' not found",
                        where,
                        hint="a post's bibliography is relative to the post's folder, "
                        "site.toml's to the site's root",
                    )
                )
                unread.append(display)
                continue
            if display not in read:
                try:
                    read[display] = read_references(root / display, display)
                except LemmaError as exc:
                    read[display] = exc
            outcome = read[display]
            if isinstance(outcome, LemmaError):
                unread.append(display)
                if outcome not in errors:
                    errors.append(outcome)
                continue
            references.extend(outcome)
        style = fm.citation_style or site_style
        found[post.source_path] = Bibliography(tuple(references), style, tuple(unread))
    return found, errors
