"""BibTeX (read by pybtex) and CSL JSON files, as frozen `Reference`s.

pybtex reads real-world BibTeX faithfully (string macros, crossrefs, `{\\"o}` accents, `von`
parts of names) and formats entries with the `plain` style into HTML with DOI and URL links;
CSL JSON is turned into pybtex entries so that both formats render alike. Each file is read
and formatted once per build, whichever posts share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pybtex.errors
from markupsafe import escape
from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import BibliographyData, Entry, Person, parse_string
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle

from lemma.errors import LemmaError
from lemma.load.bibliography import Reference
from lemma.model import SourceLocation
from lemma.wording import bibtex_wording, json_wording


def read_references(path: Path, display_path: str) -> tuple[Reference, ...]:
    """The references of one .bib or .json file; raises LemmaError at the file's line."""
    where = SourceLocation(display_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise LemmaError("bibliography file not found", where) from exc
    except UnicodeDecodeError as exc:
        raise LemmaError(
            "the bibliography is not UTF-8 text", where, hint="save it as UTF-8", detail=str(exc)
        ) from exc
    except OSError as exc:
        raise LemmaError(f"cannot read the bibliography: {exc.strerror or exc}", where) from exc
    return _parsed(text, path.suffix.lower() == ".json", display_path)


# pybtex formats a few ms an entry: `lemma serve` rebuilds after every edit, so a file's
# references are kept by its text for the life of the process (a few recent files at most).
@lru_cache(maxsize=16)
def _parsed(text: str, is_json: bool, display_path: str) -> tuple[Reference, ...]:
    where = SourceLocation(display_path)
    data = _csl_json(text, where) if is_json else _bibtex(text, where)
    return tuple(_reference(key, entry, data) for key, entry in data.entries.items())


def _bibtex(text: str, where: SourceLocation) -> BibliographyData:
    pybtex.errors.set_strict_mode(True)  # raise, never print warnings of its own
    try:
        return parse_string(text, "bibtex")
    except PybtexError as exc:
        said = bibtex_wording(str(exc), int(getattr(exc, "lineno", 0) or 0), text)
        raise LemmaError(
            f"BibTeX: {said.message}", where.at_line(said.line), hint=said.hint, detail=said.detail
        ) from exc


# CSL's item types, as the BibTeX types whose layout fits them.
_CSL_TYPES = {
    "article-journal": "article",
    "article": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
}


def _csl_json(text: str, where: SourceLocation) -> BibliographyData:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        said = json_wording(exc)
        raise LemmaError(
            f"CSL JSON: {said.message}",
            where.at_line(said.line, said.column),
            hint=said.hint,
            detail=said.detail,
        ) from exc
    if not isinstance(items, list):
        raise LemmaError("CSL JSON: expected a list of items", where.at_line(1))
    data = BibliographyData()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise LemmaError("CSL JSON: every item needs an 'id'", where.at_line(1))
        data.add_entry(item["id"], _csl_entry(item))
    return data


def _csl_entry(item: Mapping[str, Any]) -> Entry:
    kind = _CSL_TYPES.get(str(item.get("type", "")), "misc")
    container = "booktitle" if kind in ("incollection", "inproceedings") else "journal"
    fields = {
        "title": item.get("title"),
        container: item.get("container-title"),
        "publisher": item.get("publisher"),
        "volume": item.get("volume"),
        "number": item.get("issue"),
        "pages": item.get("page"),
        "doi": item.get("DOI"),
        "url": item.get("URL"),
        "year": _csl_year(item.get("issued")),
    }
    # CSL JSON holds plain text: nothing in it may be read as LaTeX; titles keep their capitals.
    braced = ("title", container)
    entry = Entry(
        kind,
        {
            k: "{" + _plain_text(v) + "}" if k in braced else _plain_text(v)
            for k, v in fields.items()
            if v
        },
    )
    for role in ("author", "editor"):
        for name in item.get(role, []) or []:
            if isinstance(name, dict):
                family, given = name.get("family", ""), name.get("given", "")
                literal = name.get("literal", "")
                person = Person(string="{" + _plain_text(literal) + "}") if literal else None
                fallback = Person(first=_plain_text(given), last=_plain_text(family))
                entry.add_person(person or fallback, role)
    return entry


def _plain_text(value: Any) -> str:
    return re.sub(r"[{}\\]", "", str(value))


def _csl_year(issued: Any) -> str:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        return str(issued.get("literal", ""))[:4]
    return ""


def _reference(key: str, entry: Entry, data: BibliographyData) -> Reference:
    url = _plain(entry.fields.get("url", ""))
    if url and not re.match(r"^https?://", url):
        del entry.fields["url"]  # a `javascript:` URL must never become a link
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = tuple(_plain(" ".join(p.prelast_names + p.last_names)) for p in persons)
    year = _plain(entry.fields.get("year", "") or str(entry.fields.get("date", ""))[:4])
    title = _plain(entry.fields.get("title", ""))
    return Reference(key, names, year, title, _entry_html(key, entry, data, names, year, title))


@cache
def _formatters() -> tuple[PlainStyle, HtmlBackend, TextBackend]:
    """pybtex looks its plugins up in the package metadata each time: build them once."""
    return PlainStyle(), HtmlBackend(), TextBackend()


def _plain(latex: str) -> str:
    return str(Text.from_latex(latex).render(_formatters()[2])).strip() if latex else ""


def _entry_html(
    key: str, entry: Entry, data: BibliographyData, names: Sequence[str], year: str, title: str
) -> str:
    try:
        style, html, _ = _formatters()
        return str(style.format_entry(key, entry, bib_data=data).text.render(html))
    except (PybtexError, KeyError, ValueError):
        # The plain style insists on the fields BibTeX requires (a book's publisher, …):
        # an entry short of one is still shown with what it has.
        parts = [", ".join(names), title, year]
        text = ". ".join(str(escape(part)) for part in parts if part) + "."
        for field, prefix in (("doi", "https://doi.org/"), ("url", "")):
            value = _plain(entry.fields.get(field, ""))
            if value:
                href = escape(value if value.startswith("http") else prefix + value)
                text += f' <a href="{href}">{escape(value)}</a>.'
                break
        return text
