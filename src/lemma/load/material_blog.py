"""MkDocs Material's blog plugin: the front matter keys Lemma does not share with other tools.

`authors: [squidfunk]` names authors by their id in `.authors.yml` (Material's `blog/` folder
holds it: beside site.toml, or in `posts/`), whose `name` the page shows; an id the file does not
have is shown as written, with a warning. `readtime: 7` is the post's reading time in minutes,
over the one Lemma counts; `pin: true` puts the post first on the home page (render.listings).
A value of the wrong kind is a warning at its line, and left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from lemma.errors import LemmaError, Problem
from lemma.load.conventions import authors_of
from lemma.load.front_yaml import parse_front_yaml
from lemma.model import Post, SourceLocation

AUTHORS_FILES = (".authors.yml", "posts/.authors.yml")


def read_authors(root: Path, problems: list[Problem]) -> dict[str, str]:
    """Author id -> name, from Material's `.authors.yml` (beside site.toml, or in posts/)."""
    path = next((root / name for name in AUTHORS_FILES if (root / name).is_file()), None)
    if path is None:
        return {}
    relative = path.relative_to(root).as_posix()
    where = SourceLocation(relative)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        data = parse_front_yaml(text, where, (), ())
    except LemmaError as exc:  # its lines count a front matter's opening '---': none here
        location = exc.problem.location or where
        message = exc.problem.message.removeprefix("front matter: ")
        problems.append(
            replace(exc.problem, message=message, location=where.at_line(max(1, location.line - 1)))
        )
        return {}
    except (OSError, UnicodeDecodeError):
        problems.append(Problem("cannot read it as UTF-8 text", where, hint="save it as UTF-8"))
        return {}
    authors = data.get("authors")
    if not isinstance(authors, dict):
        problems.append(
            Problem(
                "no 'authors:' mapping: the file names no author",
                where.at_line(1),
                hint="write authors:, then each id with its name: (  squidfunk:\\n    name: ...)",
                is_warning=True,
            )
        )
        return {}
    return {
        str(key): str(value["name"]).strip()
        for key, value in authors.items()
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip()
    }


def with_material_keys(post: Post, authors: dict[str, str]) -> tuple[Post, list[Problem]]:
    """The post with its authors' names from `.authors.yml`, and warnings for Material's keys
    given values Lemma cannot use."""
    front_matter = post.front_matter
    extra = front_matter.extra
    problems: list[Problem] = []

    def at(key: str) -> SourceLocation:
        return SourceLocation(post.source_path, front_matter.key_lines.get(key, 1))

    for key, kind in (("readtime", "a whole number of minutes (readtime: 7)"), ("pin", "true")):
        value = extra.get(key)
        # Beautiful Jekyll's `readtime: true` asks for the reading time Lemma always shows.
        wrong = not isinstance(value, bool) if key == "pin" else not _minutes(value)
        wrong = wrong and not (key == "readtime" and isinstance(value, bool))
        if key in extra and wrong:
            problems.append(
                Problem(
                    f"front matter: '{key}' is {_shown(value)}; left out",
                    at(key),
                    hint=f"write it as {kind}",
                    is_warning=True,
                )
            )
    ids = extra.get("authors")
    if not authors or "author" in extra or not isinstance(ids, list):
        return post, problems
    unknown = [str(i) for i in ids if str(i) not in authors]
    if unknown:
        problems.append(
            Problem(
                f"front matter: {', '.join(repr(i) for i in unknown)} is not an author of "
                ".authors.yml; shown as written",
                at("authors"),
                hint="add it under authors: in .authors.yml, with its name:",
                is_warning=True,
            )
        )
    names = [authors.get(str(i), str(i)) for i in ids]
    author = authors_of({"authors": names}, at)
    return replace(post, front_matter=replace(front_matter, author=author)), problems


def reading_minutes(extra: Mapping[str, Any]) -> int | None:
    """Material's `readtime: 7`, when it is a number of minutes."""
    value = extra.get("readtime")
    return value if _minutes(value) else None


def _minutes(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)
