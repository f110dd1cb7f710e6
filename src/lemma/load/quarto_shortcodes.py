"""Quarto's shortcodes in a post's prose: `{{< meta >}}`, `{{< var >}}`, `{{< kbd >}}`,
`{{< pagebreak >}}`, `{{< video >}}` and `{{< include >}}`, each rewritten on its own line
(`load.shortcodes` finds them and keeps every line's number).

`meta` reads the post's front matter (its folders' `_metadata.yml` included), `var` the blog's
`_variables.yml`, both with dotted keys (`{{< var course.name >}}`); `kbd` is a `<kbd>`;
`pagebreak` a page break in print; `video` YouTube's or Vimeo's player (`load.embeds`), and a
link, with a warning, to another video. `include` is in `load.includes`. A key that is not there
is a warning at its line, and the shortcode stays as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markupsafe import escape

from lemma.errors import LemmaError, Problem
from lemma.load.embeds import video_player
from lemma.load.front_yaml import parse_front_yaml
from lemma.model import SourceLocation

VARIABLES_FILE = "_variables.yml"
QUARTO_SHORTCODES = ("meta", "var", "kbd", "pagebreak", "video", "include")
PAGEBREAK = '<div class="pagebreak" aria-hidden="true"></div>'


@dataclass(frozen=True, slots=True)
class QuartoValues:
    """What Quarto's shortcodes of one post read."""

    meta: Mapping[str, Any] = field(default_factory=dict)  # the post's front matter, merged
    variables: Mapping[str, Any] | None = None  # _variables.yml; None when there is none
    root: Path | None = None  # the blog's folder, which an include may not leave
    post_dir: str = ""  # the post's folder, relative to root ("posts/x")
    include_depth: int = 0  # files included on the way here


@dataclass(frozen=True, slots=True)
class Rewritten:
    """What one shortcode became, and what its author is told."""

    text: str
    problem: Problem | None = None


def read_variables(root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """Quarto's `_variables.yml` beside site.toml, or None; a mistake in it is an error."""
    path = root / VARIABLES_FILE
    if not path.is_file():
        return None
    where = SourceLocation(VARIABLES_FILE)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        return parse_front_yaml(text, where, (), ())
    except LemmaError as exc:  # its lines count a front matter's opening '---': none here
        location = exc.problem.location or where
        message = exc.problem.message.removeprefix("front matter: ")
        line = max(1, location.line - 1)
        problems.append(replace(exc.problem, message=message, location=where.at_line(line)))
    except (OSError, UnicodeDecodeError):
        problems.append(Problem("cannot read it as UTF-8 text", where, hint="save it as UTF-8"))
    return {}


def quarto_shortcode(
    name: str, words: list[str], written: str, values: QuartoValues, where: SourceLocation
) -> Rewritten:
    """`{{< name words… >}}` (but `include`, which takes whole lines) as Markdown."""
    match name:
        case "meta" | "var":
            return _lookup(name, words, written, values, where)
        case "kbd":
            keys = next((w for w in words if "=" not in w), None) or _named(words)
            if not keys:
                return _kept(written, where, "a kbd shortcode needs its keys: {{< kbd Ctrl-C >}}")
            return Rewritten(f"<kbd>{escape(keys)}</kbd>")
        case "pagebreak":
            return Rewritten(PAGEBREAK)
        case "video":
            return _video(words, written, where)
    return _kept(written, where, f"Quarto's '{written}' is not supported")


def _named(words: list[str]) -> str:
    """`{{< kbd mac=Cmd-C win=Ctrl-C >}}`: the first platform's keys."""
    return next((w.partition("=")[2] for w in words if "=" in w), "")


def _lookup(
    name: str, words: list[str], written: str, values: QuartoValues, where: SourceLocation
) -> Rewritten:
    if not words:
        return _kept(written, where, f"a {name} shortcode needs a key: {{{{< {name} title >}}}}")
    key = words[0]
    if name == "var" and values.variables is None:
        return _kept(
            written,
            where,
            f"there is no {VARIABLES_FILE} for '{written}'",
            hint=f"write {VARIABLES_FILE} beside site.toml, e.g. '{key.split('.')[0]}: ...'",
        )
    source = values.meta if name == "meta" else values.variables or {}
    found = _dotted(source, key)
    where_from = "the front matter" if name == "meta" else VARIABLES_FILE
    if found is None:
        return _kept(written, where, f"'{key}' is not in {where_from}", hint="check its spelling")
    text = _as_text(found)
    if text is None:
        return _kept(
            written,
            where,
            f"'{key}' in {where_from} is not a text, a number, a date or a list of them",
            hint=f"name one value inside it: {{{{< {name} {key}.name >}}}}",
        )
    return Rewritten(text)


def _dotted(source: Mapping[str, Any], key: str) -> Any:
    found: Any = source
    for part in key.split("."):
        if not isinstance(found, Mapping) or part not in found:
            return None
        found = found[part]
    return found


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list) and value:
        parts = [_as_text(item) for item in value]
        return None if any(part is None for part in parts) else ", ".join(map(str, parts))
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return str(value["name"])  # an author written as {name: ..., affiliation: ...}
    return None


def _video(words: list[str], written: str, where: SourceLocation) -> Rewritten:
    named = dict(w.partition("=")[::2] for w in words if "=" in w)
    url = next((w for w in words if "=" not in w), None) or named.get("src")
    if not url:
        return _kept(written, where, "a video shortcode needs the video's address")
    shown = video_player(url, named)  # YouTube's or Vimeo's player, as Hugo's shortcodes give
    if shown is not None:
        return Rewritten(shown)
    problem = Problem(
        f"Quarto's video '{url}' is shown as a link to it",
        where,
        hint="the pages show YouTube's and Vimeo's players; another video is linked to (a short "
        "clip can be an animated image beside the post)",
        is_warning=True,
    )
    return Rewritten(f"[Video: {url}]({url})", problem)


def _kept(written: str, where: SourceLocation, what: str, hint: str = "") -> Rewritten:
    problem = Problem(
        f"{what}; shown as text",
        where,
        hint=hint or "remove it, or write the Markdown it stands for",
        is_warning=True,
    )
    return Rewritten(written, problem)
