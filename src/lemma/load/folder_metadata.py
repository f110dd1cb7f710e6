"""Quarto's directory metadata: `_metadata.yml` in `posts/` or a folder below it.

Its keys apply to every post in its folder and below, merged as Quarto merges them: mappings key
by key, lists joined (without repeats), other values replaced; a nearer folder's file over a
farther one's, the post's own front matter over all. Each file is read and checked once, its
problems reported at its own lines; what it gives a post is the post's front matter as if the
keys were written there. Quarto's `format: html:` options Lemma has (`code-fold`, `toc`) are
read in every level (`lemma_keys`), a post's own front matter included.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lemma.errors import LemmaError, Problem
from lemma.front_matter import Header, key_line
from lemma.load.addresses import REDIRECT_KEYS
from lemma.model import SnippetOptions, SourceLocation
from lemma.parse.options import apply_option_mapping

METADATA_FILE = "_metadata.yml"
# Keys that name one post: in a folder's file they would give every post the same one.
PER_POST_KEYS = ("title", "slug", "date", *REDIRECT_KEYS)
_FORMAT_KEYS = {
    "code-fold": ("execute", "code-fold"),
    "toc": ("toc",),
    "number-sections": ("number-sections",),
}

# The loader's own (load/__init__.py): a front matter block's YAML read, and a folder file's
# values checked as front matter, returning its warnings.
Parse = Callable[[str, SourceLocation], dict[str, Any]]
Check = Callable[[Mapping[str, Any], Header, SourceLocation], list[Problem]]


@dataclass(frozen=True, slots=True)
class FolderFile:
    path: str  # relative to the root, e.g. "posts/_metadata.yml"
    values: Mapping[str, Any]  # checked, with `lemma_keys` applied


@dataclass(frozen=True, slots=True)
class FolderMetadata:
    files: Mapping[str, FolderFile]  # folder (relative to the root) -> its file
    problems: tuple[Problem, ...]

    def for_post(self, source_path: str) -> dict[str, Any]:
        """The keys `source_path` inherits, farther folders' first and nearer ones merged over."""
        found: dict[str, Any] = {}
        folder = posixpath.dirname(source_path)
        chain = []
        while folder:
            if folder in self.files:
                chain.append(self.files[folder])
            folder = posixpath.dirname(folder)
        for file in reversed(chain):
            values = dict(file.values)
            if "bibliography" in values:
                values["bibliography"] = _relative_to_post(file.path, source_path, values)
            found = merged(found, values)
        return found


def read_folder_metadata(root: Path, posts_dir: Path, parse: Parse, check: Check) -> FolderMetadata:
    """Every `_metadata.yml` under `posts_dir` (in folders `post_files` looks into), checked."""
    files: dict[str, FolderFile] = {}
    problems: list[Problem] = []
    for path in sorted(posts_dir.rglob(METADATA_FILE)):
        relative = path.relative_to(root).as_posix()
        folders = relative.split("/")[1:-1]
        if any(part.startswith((".", "_")) for part in folders) or not path.is_file():
            continue
        try:
            values, warnings = _read(path, relative, root, parse, check)
        except LemmaError as exc:
            problems.append(exc.problem)
            continue
        except OSError as exc:
            problems.append(Problem(f"cannot read it: {exc.strerror}", SourceLocation(relative)))
            continue
        except UnicodeDecodeError:
            problem = Problem(
                "it is not UTF-8 text", SourceLocation(relative), hint="save it as UTF-8"
            )
            problems.append(problem)
            continue
        problems.extend(warnings)
        files[posixpath.dirname(relative)] = FolderFile(relative, values)
    return FolderMetadata(files, tuple(problems))


def _read(
    path: Path, relative: str, root: Path, parse: Parse, check: Check
) -> tuple[dict[str, Any], list[Problem]]:
    where = SourceLocation(relative)
    text = path.read_bytes().decode("utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = Header("yaml", text, 1, "", 1)
    try:
        raw = parse(text, where)
    except LemmaError as exc:  # its lines count a front matter's opening '---': none here
        problem = exc.problem
        location = problem.location or where
        exc.problem = replace(
            problem,
            message=_own_words(problem.message),
            location=where.at_line(max(1, location.line - 1), location.column),
        )
        raise
    warnings: list[Problem] = []
    for key in [k for k in raw if k in PER_POST_KEYS]:
        warnings.append(
            Problem(
                f"'{key}' names one post: it is not applied to the posts of the folder",
                where.at_line(key_line(header, key)),
                hint=f"write '{key}:' in each post's front matter",
                is_warning=True,
            )
        )
        del raw[key]
    values = dict(lemma_keys(raw))
    try:
        found = check(values, header, where)
        execute = _execute(raw.get("execute"), values.get("execute"), header, where, found)
        values.pop("execute", None)
        if execute:
            values["execute"] = execute
        _check_bibliography(values, relative, root, header)
    except LemmaError as exc:
        exc.problem = replace(exc.problem, message=_own_words(exc.problem.message))
        raise
    return values, [
        *warnings,
        *_one_note([replace(w, message=_own_words(w.message)) for w in found]),
    ]


def lemma_keys(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """`raw` with Quarto's `format: html:` options that Lemma has as its own keys: `code-fold`
    as the snippet option, `toc` as the post's (over the same key outside `format`, as Quarto's
    format options are over its top-level ones)."""
    form = raw.get("format")
    html = form.get("html") if isinstance(form, dict) else None
    if not isinstance(html, dict) or not any(k in html for k in _FORMAT_KEYS):
        return raw
    found = dict(raw)
    for key, (first, *rest) in _FORMAT_KEYS.items():
        if key not in html:
            continue
        if rest:
            current = found.get(first)
            found[first] = {**(current if isinstance(current, dict) else {}), rest[0]: html[key]}
        else:
            found[first] = html[key]
    return found


def merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Quarto's merge: mappings merged key by key, lists joined without repeats (a single value
    beside a list is a list of one), any other value of `over` replaces that of `base`."""
    result = dict(base)
    for key, value in over.items():
        old = result.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            result[key] = merged(old, value)
        elif (isinstance(old, list) or isinstance(value, list)) and old is not None:
            if value is None:
                continue
            items = [*_as_list(old), *_as_list(value)]
            seen: dict[str, Any] = {}
            for item in items:
                seen.setdefault(json.dumps(item, sort_keys=True, default=str), item)
            result[key] = list(seen.values())
        else:
            result[key] = value
    return result


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _execute(
    written: Any, execute: Any, header: Header, where: SourceLocation, warnings: list[Problem]
) -> dict[str, Any]:
    """The file's snippet options, each checked at its line; those Lemma ignores (a warning
    here, once) are left out, so that no post says so again."""
    if not isinstance(execute, dict):
        return {}
    kept: dict[str, Any] = {}
    for key, value in execute.items():
        parent = "execute" if isinstance(written, dict) and key in written else "format"
        at = where.at_line(_nested_line(header, parent, str(key)))
        _, ignored = apply_option_mapping(SnippetOptions(), {str(key): value}, at)
        warnings.extend(ignored)
        if not ignored:
            kept[str(key)] = value
    return kept


def _nested_line(header: Header, parent: str, key: str) -> int:
    """The line of `key:` under `parent:` (block or flow style), else that of `parent:`."""
    first = key_line(header, parent)
    lines = header.text.split("\n")[first - 1 :]
    pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*:")
    return first + next((i for i, text in enumerate(lines) if pattern.search(text)), 0)


def _check_bibliography(
    values: Mapping[str, Any], relative: str, root: Path, header: Header
) -> None:
    """A bibliography named here is beside this file (as in Quarto), and must be there."""
    folder = posixpath.dirname(relative)
    for name in _as_list(values.get("bibliography") or []):
        if not (root / folder / name).is_file():
            raise LemmaError(
                f"bibliography '{name}' not found",
                SourceLocation(relative, key_line(header, "bibliography")),
                hint=f"a bibliography in {METADATA_FILE} is relative to its folder, {folder}/",
            )


def _relative_to_post(file_path: str, source_path: str, values: Mapping[str, Any]) -> list[str]:
    """A folder file's bibliography names, as the post's (relative to the post's folder)."""
    folder, post_folder = posixpath.dirname(file_path), posixpath.dirname(source_path)
    return [
        posixpath.relpath(posixpath.join(folder, name), post_folder)
        for name in _as_list(values["bibliography"])
    ]


def _own_words(message: str) -> str:
    """A front matter message as one about this file (its location names it)."""
    return message.removeprefix("front matter: ")


def _one_note(problems: list[Problem]) -> list[Problem]:
    """The keys of other tools in a file: one note, at the first of them."""
    notes = [p for p in problems if p.is_note]
    if len(notes) < 2:
        return problems
    keys = ", ".join(p.message.split("'")[1] for p in notes if "'" in p.message)
    note = replace(
        notes[0],
        message=f"{keys}: not keys Lemma uses; templates can read them as post.extra['...']",
    )
    return [note, *(p for p in problems if not p.is_note)]
