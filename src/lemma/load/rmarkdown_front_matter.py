"""R Markdown's front matter (blogdown, distill, bookdown), reshaped into the keys Lemma reads.

`output:` names the formats the post is rendered to, each with its options:
`blogdown::html_page: {toc: true, number_sections: true}`, `distill::distill_article: {toc:
true, code_folding: true}`, `bookdown::html_document2`. Their `toc`, `number_sections` and
`code_folding` are Lemma's `toc`, `number-sections` and the snippets' `code-fold` (over the same
keys written at the top); bookdown's formats number sections unless told not to. Any other
option is a warning at its line. distill's `preview:` is the post's `image`. `csl:`
names a citation style file Lemma cannot read: a warning that says to write `citation-style`. A
value that is inline R (`date: "`r Sys.Date()`"`) cannot run: an error for a date, a warning
for any other key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lemma.errors import FrontMatterError, Problem
from lemma.model import SourceLocation

# R Markdown's keys that Lemma reads (`output`, `preview`, `csl`) or honours as they are:
# `link-citations` (citations always link to their entry). distill's `citation_url` and the like
# are a quiet note, as any key Lemma does not use (and never a "did you mean" for another key).
RMARKDOWN_KEYS = ("output", "preview", "csl", "link-citations", "link_citations")
# Format options that are Lemma's keys: (the key, and what a value means for it)
_FORMAT_OPTIONS = {"toc": "toc", "number_sections": "number-sections"}
# bookdown's HTML formats, whose sections are numbered by default (`\@ref(intro)` reads "1")
_NUMBERED = ("bookdown::html_document2", "bookdown::gitbook", "bookdown::bs4_book")
_INLINE_R = re.compile(r"^\s*`r\s+.*`\s*$")
_DATE_KEYS = ("date", "lastmod", "date-modified", "updated")


def rmarkdown_front_matter(
    raw: Mapping[str, Any], at: Callable[[str], SourceLocation]
) -> tuple[Mapping[str, Any], list[Problem]]:
    """`raw` with R Markdown's keys read as Lemma's, and warnings for what Lemma cannot do."""
    problems = [_inline_r(key, value, at) for key, value in raw.items() if _is_inline_r(value)]
    if not any(key in raw for key in RMARKDOWN_KEYS):
        return raw, problems
    read = dict(raw)
    if raw.get("preview") not in (None, "") and raw.get("image") in (None, ""):
        read["image"] = raw["preview"]
    if raw.get("csl") not in (None, ""):
        problems.append(
            Problem(
                f"front matter: csl '{raw['csl']}' is not read: Lemma formats citations in "
                "its own styles",
                at("csl"),
                hint="write citation-style: author-year (or numeric)",
                is_warning=True,
            )
        )
    output = raw.get("output")
    formats = {output: None} if isinstance(output, str) else output
    if not isinstance(formats, dict):
        return read, problems
    for name, options in formats.items():
        if str(name) in _NUMBERED and "number-sections" not in raw:
            read["number-sections"] = True  # bookdown numbers sections unless told not to
        if not isinstance(options, dict):
            continue  # `bookdown::html_document2: default`: nothing to read
        for key, value in options.items():
            if key in _FORMAT_OPTIONS:
                read[_FORMAT_OPTIONS[key]] = value
            elif key == "code_folding":
                folded = value is True or str(value).lower() in ("hide", "true")
                execute = read.get("execute")
                read["execute"] = {
                    **(execute if isinstance(execute, dict) else {}),
                    "code-fold": folded,
                }
            else:
                where = at(str(key))  # the option's own line (line 1 when not found)
                where = where if where.line > 1 else at("output")
                problems.append(_ignored(str(name), str(key), value, where))
    return read, problems


def _is_inline_r(value: Any) -> bool:
    return isinstance(value, str) and bool(_INLINE_R.match(value))


def _inline_r(key: str, value: str, at: Callable[[str], SourceLocation]) -> Problem:
    if key in _DATE_KEYS:
        raise FrontMatterError(
            f"front matter: '{key}' is inline R code ({value.strip()}), which Lemma cannot run",
            at(key),
            hint=f"write the date itself: {key}: 2025-12-20",
        )
    return Problem(
        f"front matter: '{key}' is inline R code ({value.strip()}), which Lemma cannot run; "
        "it is kept as written",
        at(key),
        hint=f"write the value itself: {key}: ...",
        is_warning=True,
    )


def _ignored(name: str, key: str, value: Any, where: SourceLocation) -> Problem:
    return Problem(
        f"front matter: output option '{key}: {_yaml(value)}' of {name} is not one Lemma "
        "honours; "
        "it is ignored",
        where,
        hint="Lemma reads toc, number_sections and code_folding; the look of the page is its "
        "theme's (templates/)",
        is_warning=True,
    )


def _yaml(value: Any) -> str:
    """A value as YAML writes it: `false`, not Python's `False`."""
    return str(value).lower() if isinstance(value, bool) else str(value)
