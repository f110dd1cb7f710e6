"""Front matter as Jekyll, Hugo, Pelican, Quarto and Jupyter write it, mapped onto Lemma's keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from lemma.errors import FrontMatterError
from lemma.front_matter import Header
from lemma.model import SourceLocation

At = Callable[[str], SourceLocation]

# Another tool's name for a key Lemma knows, in order of preference when several are written.
UPDATED_KEYS = ("updated", "lastmod", "date-modified", "modified", "last_modified_at")
EXCERPT_KEYS = ("excerpt", "description", "summary")
CATEGORY_KEYS = ("categories", "category")  # shown as tags, as Quarto's listings do
# Keys whose meaning Lemma already covers: accepted without a word, kept for templates.
SILENT_KEYS = ("layout", "math", "comments", "jupyter", "jupytext", "kernelspec", "format")

DATE_HINT = "write it as 2025-12-20, 2025-12-20 10:30 or 2025-12-20T10:30:00+01:00"
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"[ \t]*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
# Dates written out, as Quarto documents and some Jekyll posts have them, and Hexo's
# `2013/7/13 20:46:25`.
_WORDY_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
_FILE_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_HEADING_RE = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def to_datetime(value: Any, key: str, at: At, zone: ZoneInfo) -> datetime:
    """A date in any of the forms blog tools write; a date without a zone is in the site's."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        found = _parse_text_date(value.strip())
        if found is None:
            raise FrontMatterError(
                f"front matter: '{key}' is not a date: {value_words(value)}",
                at(key),
                hint=DATE_HINT,
            )
        parsed = found
    else:
        raise FrontMatterError(
            f"front matter: '{key}' is not a date: {value_words(value)}", at(key), hint=DATE_HINT
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def value_words(value: Any) -> str:
    """A front matter value as an author would name it: "a date (2099-06-01)", not a repr."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (date, datetime)):
        return f"a date ({value.isoformat(sep=' ') if isinstance(value, datetime) else value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return f"a list ({', '.join(map(str, value))})"
    if isinstance(value, dict):
        return f"a mapping ({', '.join(map(str, value))})"
    return f"'{value}'"


def _parse_text_date(text: str) -> datetime | None:
    match = _DATE_RE.match(text)
    if match:
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        try:
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                int((fraction or "0").ljust(6, "0")),
                tzinfo=_offset(offset),
            )
        except ValueError:
            return None
    for fmt in _WORDY_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _offset(text: str | None) -> timezone | None:
    """`Z`, `+01:00`, `-0800` or `+05` as a fixed offset (Jekyll writes `-0800`)."""
    if not text:
        return None
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    return timezone(timedelta(minutes=minutes if text[0] == "+" else -minutes))


def date_from_file_name(source_path: str, zone: ZoneInfo) -> datetime | None:
    """Jekyll's `2016-01-28-title.md`, or a folder `2016-01-28-title/index.md`."""
    path = PurePosixPath(source_path)
    name = path.parent.name if path.stem == "index" else path.name
    match = _FILE_DATE_RE.match(name)
    if not match:
        return None
    try:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day, tzinfo=zone)
    except ValueError:
        return None


def first_of(raw: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of `keys` that `raw` has with a value."""
    return next((k for k in keys if raw.get(k) not in (None, "", [])), None)


def to_text_list(value: Any, key: str, at: At) -> tuple[str, ...]:
    """A list, or text separated by commas (Pelican writes `Tags: a, b`)."""
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise FrontMatterError(
            f"front matter: '{key}' must be a list or a comma-separated text, "
            f"not {value_words(value)}",
            at(key),
            hint=f"write it as {key}: [a, b] or {key}: a, b",
        )
    found: dict[str, None] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]  # Quarto's `author: [{name: ..., affiliation: ...}]`
        if isinstance(item, (dict, list)) or item is None:
            raise FrontMatterError(
                f"front matter: an item of '{key}' is not text: {value_words(item)}", at(key)
            )
        text = str(item).strip()
        if text:
            found[text] = None
    return tuple(found)


def tags_of(raw: Mapping[str, Any], at: At) -> tuple[str, ...]:
    """The post's `tags`, then its categories (Quarto and Hugo show categories as tags)."""
    return tuple(dict.fromkeys((*_listed(raw, "tags", at), *categories_of(raw, at))))


def categories_of(raw: Mapping[str, Any], at: At) -> tuple[str, ...]:
    """Quarto's and Hugo's category lists, Jekyll's `categories: a b`, Pelican's `Category`."""
    return tuple(dict.fromkeys(c for key in CATEGORY_KEYS for c in _listed(raw, key, at)))


def _listed(raw: Mapping[str, Any], key: str, at: At) -> tuple[str, ...]:
    """A list, `a, b` (Lemma, Pelican) or Jekyll's `a b`; Pelican's one `Category` may hold
    spaces."""
    value = raw.get(key)
    if key != "category" and isinstance(value, str) and "," not in value:
        value = value.split()  # Jekyll separates tags and categories with spaces
    return to_text_list(value, key, at)


def authors_of(raw: Mapping[str, Any], at: At) -> str | None:
    """`author: Ada`, `author: [Ada, Grace]`, `authors: ...` or Quarto's `author: {name: Ada}`."""
    key = first_of(raw, ("author", "authors"))
    if key is None:
        return None
    value = raw[key]
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str) and key == "author":
        return value.strip() or None
    names = to_text_list(value, key, at)
    if len(names) <= 2:
        return " and ".join(names) or None
    return f"{', '.join(names[:-1])} and {names[-1]}"


def title_heading(body: str) -> tuple[str, int] | None:
    """The text of a `# Title` heading that opens the body, and its index among the lines."""
    for index, line in enumerate(body.split("\n")):
        if not line.strip():
            continue
        match = _HEADING_RE.match(line)
        return (match.group(1).strip(), index) if match else None
    return None


def same_title(heading: str, title: str) -> bool:
    def plain(text: str) -> str:
        return re.sub(r"[\s*_`]+", " ", text).strip().casefold()

    return plain(heading) == plain(title)


def without_line(body: str, index: int) -> str:
    """`body` with one line emptied: the lines after it keep their numbers."""
    lines = body.split("\n")
    lines[index] = ""
    return "\n".join(lines)


def plain_heading_text(heading: str) -> str:
    """A heading's Markdown as a title: emphasis and code marks dropped."""
    return re.sub(r"[*_`]+", "", heading).strip()


def optional_str(raw: Mapping[str, Any], key: str, at: Any) -> str | None:
    """A key's text, None when it is absent or empty; a mapping or a list is an error at it."""
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise FrontMatterError(
            f"front matter: '{key}' must be text, not a {type(value).__name__}", at(key)
        )
    return str(value).strip() or None


def template_of(raw: Mapping[str, Any], header: Header, at: Any) -> str | None:
    """The post's own template; Pelican's `Template: article` (or `page`) names Pelican's
    default one, which is Lemma's post template."""
    name = optional_str(raw, "template", at)
    if header.dialect == "pelican" and name in ("article", "page"):
        return None
    return name


def created_and_updated(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """MkDocs Material's blog writes `date: {created: ..., updated: ...}`: the date, and the
    post's `updated` unless it has one of its own."""
    dates = raw.get("date")
    if not isinstance(dates, dict) or "created" not in dates:
        return raw
    read = {**raw, "date": dates["created"]}
    if dates.get("updated") is not None and first_of(raw, UPDATED_KEYS) is None:
        read["updated"] = dates["updated"]
    return read


def image_of(raw: Mapping[str, Any], at: Any) -> str | None:
    """`image: x.png`, or a theme's mapping: Chirpy's `{path: ..., alt: ...}`, Hugo Blox's
    `{filename: ..., caption: ...}` (without a file name, Hugo Blox's image is not Lemma's)."""
    value = raw.get("image")
    if not isinstance(value, dict):
        return optional_str(raw, "image", at)
    for key in ("path", "filename", "src", "url"):
        if value.get(key) not in (None, ""):
            return optional_str({f"image.{key}": value[key]}, f"image.{key}", lambda _: at("image"))
    return None


def toc_of(value: object, at: Callable[[str], SourceLocation]) -> bool | None:
    """`toc:` as written; al-folio's `toc: {sidebar: left}` and Distill's list of sections
    (`- name: Equations`) both ask for a table of contents, which Lemma makes from the headings."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict) and value and set(value) <= {"sidebar"}:
        return True
    if (
        isinstance(value, list)
        and value
        and all(isinstance(e, dict) and "name" in e for e in value)
    ):
        return True
    raise FrontMatterError(
        f"front matter: 'toc' must be true or false, not {value_words(value)}",
        at("toc"),
        hint="write toc: true for a table of contents made from the headings, false for none",
    )
