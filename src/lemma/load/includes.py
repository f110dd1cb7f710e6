"""Quarto's `{{< include _part.qmd >}}`: another file of the blog read in the post's place.

The file is named relative to the post's folder (or, with a leading `/`, to the blog's folder)
and must be a UTF-8 file inside the blog: a path that leaves it (`../../x`, an absolute path, a
link pointing out) or names no file is an error at the shortcode's line, which stays as text.

Every line of the post keeps its number: the shortcode's line becomes one HTML comment holding
the file's text (`<!--lemma-include path base64-->`), which `parse.includes` parses in its place.
What goes wrong in the included text is reported at its own `file:line` while it is read here
(its shortcodes), and at the shortcode's line later (its math, its links). Its ```` ```python ````
fences are shown and not run, with a warning: a post's snippets are the post's own.
"""

from __future__ import annotations

import base64
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lemma.errors import Problem
from lemma.fences import info_language, is_display_only
from lemma.load.quarto_shortcodes import QuartoValues
from lemma.model import SourceLocation
from lemma.parse import parse_body
from lemma.parse.includes import INCLUDE_MARKER
from lemma.reuse.memo import content_digest

_SHORTCODE = re.compile(r"\{\{<\s*include\s+(?P<path>\"[^\"]*\"|'[^']*'|\S+)\s*>\}\}")
MAX_DEPTH = 8  # includes of includes: past this, a file surely includes itself


@dataclass(frozen=True, slots=True)
class Included:
    """The line that stands for the included file in the body, and what the author is told."""

    line: str
    problems: tuple[Problem, ...] = ()


def include_paths(text: str) -> list[str]:
    """The files a post's text includes, as written (for the key of its memo)."""
    return [match["path"].strip("\"'") for match in _SHORTCODE.finditer(text)]


def include_inputs(
    data: bytes, root: Path, source_path: str, variables: Mapping[str, Any] | None
) -> list[object]:
    """What Quarto's shortcodes and pymdownx's `--8<--` make a post depend on besides its
    bytes: the files it includes and `_variables.yml` (for the key of its memo)."""
    from lemma.load.pelican_tags import pelican_tag_paths
    from lemma.load.pymdown_snippets import snippet_paths

    if b"{{<" not in data and b"--8<--" not in data and b"{%" not in data:
        return []
    inputs: list[object] = [variables]
    for folder, path in pelican_tag_paths(
        data.decode("utf-8", "replace"), posixpath.dirname(source_path), root
    ):
        inputs.append((folder, path, content_digest(_read(resolve_include(path, root, folder)))))
    pending = [(data, posixpath.dirname(source_path), 0)]
    while pending:  # the files it includes, and those they include
        text, folder, depth = pending.pop()
        decoded = text.decode("utf-8", "replace")
        for path in [*include_paths(decoded), *snippet_paths(decoded)]:
            target = resolve_include(path, root, folder)
            read = _read(target)
            inputs.append((folder, path, content_digest(read)))
            nested = b"{{<" in read or b"--8<--" in read
            if target is not None and depth + 1 < MAX_DEPTH and nested:
                inner = target.relative_to(root.resolve()).as_posix()
                pending.append((read, posixpath.dirname(inner), depth + 1))
    return inputs


def _read(target: Path | None) -> bytes:
    """An included file's bytes for a memo key: empty when there is none, a marker when it
    cannot be read (a key must change when the file comes back)."""
    try:
        return target.read_bytes() if target is not None and target.is_file() else b""
    except OSError:
        return b"\0missing"


def resolve_include(path: str, root: Path, post_dir: str) -> Path | None:
    """The file `path` names from a post in `post_dir`, or None when it leaves the blog."""
    if not path or "\0" in path:
        return None
    base = root if path.startswith("/") else root / post_dir
    target = (base / path.lstrip("/")).resolve()
    return target if target.is_relative_to(root.resolve()) else None


def include_file(
    path: str,
    written: str,
    values: QuartoValues,
    where: SourceLocation,
    depth: int = 0,
    select: Callable[[str], str] | None = None,
) -> Included:
    """The line for `{{< include path >}}` (or pymdownx's `--8<-- "path"`), or the shortcode
    kept with an error. `select` picks the part of the file's text to include, or raises
    ValueError saying why it cannot."""
    from lemma.load.mkdocs import rewrite_mkdocs  # and its own --8<-- lines, /// blocks, ...
    from lemma.load.shortcodes import rewrite_tags  # the included text's own shortcodes

    read = read_included(path, written, values, where, depth, select)
    if isinstance(read, Included):
        return read
    relative, text = read
    folder = relative.rpartition("/")[0]
    inner = replace(values, post_dir=folder, include_depth=depth + 1)
    text, problems = rewrite_mkdocs(text, 1, relative, inner)
    text, more = rewrite_tags(text, 1, relative, inner)
    problems.extend(more)
    return included_text_line(relative, text, where, problems)


def read_included(
    path: str,
    written: str,
    values: QuartoValues,
    where: SourceLocation,
    depth: int = 0,
    select: Callable[[str], str] | None = None,
) -> tuple[str, str] | Included:
    """(path from the blog's folder, text) of the file `path` names, or the line kept with the
    error that stops it."""
    root = values.root
    label = "--8<--" if _from_blog(written) else "include"
    if root is None:  # a post read without its blog (a fragment)
        hint = (
            "copy what the file holds into the post; its \\newcommand's can go under"
            " [macros] in site.toml, for every post"
        )
        tool = "pymdownx's" if _from_blog(written) else "Quarto's"
        return _kept(written, where, f"{tool} '{written}' is not read", hint, is_warning=True)
    target = resolve_include(path, root, values.post_dir)
    if target is None:
        shown = path.lstrip("/") if _from_blog(written) else path
        return _kept(
            written,
            where,
            f"{label}: '{shown}' is outside the blog's folder",
            hint=_FROM_BLOG_HINT
            if _from_blog(written)
            else "include a file of the blog, named from the post's folder (_part.qmd) or "
            "from the blog's folder (/posts/_shared/part.qmd)",
        )
    relative = target.relative_to(root.resolve()).as_posix()
    if not target.is_file():
        where_from = "the blog's" if _from_blog(written) else "the post's"
        return _kept(
            written,
            where,
            f"{label}: there is no file {relative}",
            hint=f"check the name; it is read from {where_from} folder",
        )
    if depth >= MAX_DEPTH:
        return _kept(written, where, f"{label}: {relative} includes itself, or too deeply")
    try:
        text = target.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return _kept(
            written, where, f"{label}: {relative} is not UTF-8 text", hint="save it as UTF-8"
        )
    except OSError as exc:
        return _kept(written, where, f"{label}: cannot read {relative}: {exc.strerror}")
    if select is not None:
        try:
            text = select(text)
        except ValueError as exc:
            return _kept(written, where, f"{label}: {relative}: {exc}")
    return relative, text


def included_text_line(
    relative: str, text: str, where: SourceLocation, problems: list[Problem]
) -> Included:
    """The one line that stands for `text`, read from `relative`, in the post's body."""
    if any(_runs(token.info) for token in parse_body(text) if token.type == "fence"):
        problems.append(
            Problem(
                f"the snippets of {relative} are shown, not run",
                where,
                hint="a post's snippets are its own: put code that should run in the post",
                is_warning=True,
            )
        )
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return Included(f"{INCLUDE_MARKER}{relative} {payload}-->", tuple(problems))


# pymdownx.snippets names its files from the blog's folder (MkDocs' docs folder).
_FROM_BLOG_HINT = "include a file of the blog, named from the blog's folder (includes/part.md)"


def _from_blog(written: str) -> bool:
    return "--8<--" in written


def _runs(info: str) -> bool:
    return info_language(info) == "python" and not is_display_only(info)


def _kept(
    written: str, where: SourceLocation, what: str, hint: str = "", is_warning: bool = False
) -> Included:
    problem = Problem(
        f"{what}; shown as text",
        where,
        hint=hint or "copy what the file holds into the post",
        is_warning=is_warning,
    )
    return Included(written, (problem,))
