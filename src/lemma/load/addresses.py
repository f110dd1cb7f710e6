"""A post's old addresses (`permalink`, `url`, `aliases`, `redirect_from`): placeholders expanded,
relative Hugo aliases resolved, anything that is not a path on this site refused at its line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from lemma.errors import FrontMatterError
from lemma.load.conventions import At, to_text_list
from lemma.slugs import slugify

REDIRECT_KEYS = ("aliases", "redirect_from", "permalink", "url")
# Keys whose value may hold Jekyll's or Hugo's placeholders (`/:year/:month/:title.html`).
_PLACEHOLDER_KEYS = ("permalink", "url")
_PLACEHOLDER_RE = re.compile(r":([a-z_]+)")
_EXAMPLE = "e.g. /2016/01/28/my-post/ or /:year/:month/:day/:title.html"


@dataclass(frozen=True, slots=True)
class AddressFields:
    """What a post's placeholders stand for."""

    date: datetime
    slug: str
    categories: tuple[str, ...]
    file_stem: str  # the file's name without suffix, or its folder's for an `index` post
    title: str = ""


def _placeholders(fields: AddressFields) -> dict[str, Callable[[], str]]:
    """Jekyll's placeholders (jekyllrb.com/docs/permalinks/) and Hugo's where they differ."""
    date = fields.date
    categories = "/".join(filter(None, map(slugify, fields.categories)))
    return {
        "year": lambda: f"{date.year:04d}",
        "short_year": lambda: f"{date.year % 100:02d}",
        "month": lambda: f"{date.month:02d}",
        "i_month": lambda: str(date.month),
        "short_month": lambda: date.strftime("%b"),
        "long_month": lambda: date.strftime("%B"),
        "monthname": lambda: date.strftime("%B").lower(),
        "day": lambda: f"{date.day:02d}",
        "i_day": lambda: str(date.day),
        "y_day": lambda: f"{date.timetuple().tm_yday:03d}",
        "yearday": lambda: str(date.timetuple().tm_yday),
        "short_day": lambda: date.strftime("%a"),
        "long_day": lambda: date.strftime("%A"),
        "weekday": lambda: str(date.isoweekday() % 7),
        "weekdayname": lambda: date.strftime("%A").lower(),
        "week": lambda: f"{date.isocalendar().week:02d}",
        "hour": lambda: f"{date.hour:02d}",
        "minute": lambda: f"{date.minute:02d}",
        "second": lambda: f"{date.second:02d}",
        "title": lambda: fields.slug,
        "slug": lambda: fields.slug,
        "slugorfilename": lambda: fields.slug,
        "filename": lambda: fields.file_stem,
        "contentbasename": lambda: fields.file_stem,
        "categories": lambda: categories,
        "slugified_categories": lambda: categories,
        "section": lambda: "posts",
        "output_ext": lambda: ".html",
    }


def redirects_of(raw: Mapping[str, Any], at: At, fields: AddressFields) -> tuple[str, ...]:
    """The site-relative path of every old address that should lead to the post."""
    found: dict[str, None] = {}
    for key in REDIRECT_KEYS:
        value = raw.get(key)
        if value in (None, "", []) or value is False:  # Eleventy's `permalink: false`: a draft
            continue
        for item in to_text_list([value] if isinstance(value, str) else value, key, at):
            path = item.strip()
            if key == "aliases" and " " in path and "/" not in path:
                continue  # Obsidian's other name for the note ("My notes"), not an address
            if key in _PLACEHOLDER_KEYS:
                path = _expand(path, key, at, fields)
            elif key == "aliases" and not path.startswith("/"):
                path = f"/posts/{path}"  # Hugo: an alias without '/' is in the page's section
            relative = _checked(path, item, key, at).lstrip("/")
            if relative:
                found.setdefault(relative, None)
    return tuple(found)


def _expand(path: str, key: str, at: At, fields: AddressFields) -> str:
    if "://" in path or path.startswith("//"):
        return path  # refused by _checked, with the text as written
    path = _eleventy_data(path, key, at, fields)
    known = _placeholders(fields)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in known:
            raise FrontMatterError(
                f"front matter: '{key}' has the placeholder ':{name}', which Lemma does not know",
                at(key),
                hint=_known_hint(name, known),
            )
        return known[name]()

    # An empty placeholder (no categories) leaves '//', which Jekyll also collapses.
    return re.sub(r"/{2,}", "/", _PLACEHOLDER_RE.sub(value, path))


def _eleventy_data(path: str, key: str, at: At, fields: AddressFields) -> str:
    """Eleventy's templated permalink, `/blog/{{ page.fileSlug }}/` or
    `/{{ title | slugify }}/`, with the page data Lemma knows."""
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", fields.file_stem)  # fileSlug drops the date
    known = {
        "page.fileSlug": stem,
        "page.filePathStem": f"/posts/{fields.file_stem}",
        "title | slugify": slugify(fields.title),
        "title | slug": slugify(fields.title),
        "slug": fields.slug,
    }

    def value(match: re.Match[str]) -> str:
        expression = re.sub(r"\s+", " ", match.group(1).strip())
        if expression not in known:
            raise FrontMatterError(
                f"front matter: '{key}' uses Eleventy's '{match.group(0)}', which Lemma cannot "
                "fill in",
                at(key),
                hint="write the address itself (e.g. /blog/my-post/); Lemma fills in "
                "{{ page.fileSlug }}, {{ page.filePathStem }} and {{ title | slugify }}",
            )
        return known[expression]

    return _ELEVENTY_DATA.sub(value, path)


_ELEVENTY_DATA = re.compile(r"\{\{-?(.*?)-?\}\}")


def _known_hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    maybe = f"did you mean ':{close[0]}'? " if close else ""
    return f"{maybe}Lemma expands :year, :month, :day, :title, :slug, :categories and the like"


def _checked(path: str, written: str, key: str, at: At) -> str:
    """`path` when it is a path on this site; otherwise an error saying what is wrong."""
    if "://" in path or path.startswith("//"):
        problem = "is another site's address"
    elif ".." in PurePosixPath(path).parts:
        problem = "climbs out of the site with '..'"
    elif "\\" in path:
        problem = "has a backslash; addresses use '/'"
    elif ":" in path:
        problem = "has a ':', which no address on this site can hold"
    elif any(ord(char) < 32 for char in path):
        problem = "has a control character"
    else:
        return path
    raise FrontMatterError(
        f"front matter: '{key}' {problem}: '{written}'",
        at(key),
        hint=f"write a path on this site, {_EXAMPLE}; the old address leads to the post",
    )
