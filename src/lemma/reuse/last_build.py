"""The last build's inputs and outputs, so that a build with nothing changed does nothing.

A warm build that would write the same bytes again still loads every post, checks every cache
entry, renders from the memo and indexes the site. When the record of the last successful build
says that nothing it read has changed (every file under the root, the files its snippets read,
Lemma itself, the installed packages, the settings) and the output folder is exactly as that build
left it, `lemma build` only says so, from this module and the configuration: it imports none of
the stages.

Changes are seen by size and modification time; a file modified within `FRESH_NS` of the
recorded build's start is also compared by its bytes, so that two edits inside one tick of the
file system's clock are not mistaken for none (what git calls a racily clean file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lemma.blog_tools import TOOL_FILES
from lemma.config import LOCK_FILE, SiteConfig, output_settings
from lemma.errors import Problem
from lemma.file_state import STATE_KINDS, current_state
from lemma.model import FileRecord, SourceLocation
from lemma.reuse.atomic import atomic_file
from lemma.reuse.code_edits import CodeEdits, code_digests, code_edited
from lemma.reuse.walk import walk_files

RECORD_FILE = "last-build.json"
_FORMAT = 1
FRESH_NS = 2_000_000_000  # files this recent at the build's start are compared by content too
_MAX_FILES = 20_000  # a root holding more than this is not walked on every build


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the last build reported, to say again when nothing changed."""

    posts: int
    pages: int
    from_cache: int
    frozen: int
    warnings: tuple[Problem, ...]
    left_out: str | None


@dataclass(frozen=True, slots=True)
class LastBuild:
    started_ns: int  # when the recorded build began (time.time_ns())
    inputs: str  # digest of the root's files, Lemma, the packages and the settings
    files: tuple[FileRecord, ...]  # what the snippets read, with its state when they ran
    outputs: str  # digest of the output folder's files as the build left them
    cache: str  # digest of the cache folder's files as the build left them
    valid_until_ns: int | None  # when a post dated in the future becomes due
    outcome: Outcome
    code: Mapping[str, str]  # post file → digest of its fenced code (reuse/code_edits.py)


def inputs_digest(config: SiteConfig, fresh_since_ns: int) -> str | None:
    """A digest of everything a build reads, or None when the root is too big to walk."""
    parts: list[str] = [str(_FORMAT), sys.version, repr(output_settings(config))]
    parts.append(os.environ.get("SOURCE_DATE_EPOCH", ""))
    package = Path(__file__).resolve().parents[1]  # Lemma's code and packaged theme
    # In a source checkout the theme is the top-level templates/ instead (render/theme.py).
    checkout_theme = package.parents[1] / "templates"
    skip = {config.output_dir.resolve(), config.cache_dir.resolve()}
    for folder in (package, checkout_theme, config.root.resolve()):
        if folder == checkout_theme and (package / "theme").is_dir():
            continue
        states = _file_states(folder, skip, fresh_since_ns)
        if states is None:
            return None
        parts += states
    # Obsidian's settings, in a hidden folder the walk leaves out: they say where a vault keeps
    # the images its notes embed (load/obsidian_vault.py).
    for vault in (config.root, config.posts_dir):
        parts.append(current_state(str(vault / ".obsidian" / "app.json"), "content"))
        parts.append(current_state(str(vault / ".obsidian"), "existence"))  # callout types
    # Eleventy's `.eleventy.js`, hidden too, says how front matter is read (blog_tools.py).
    parts += [current_state(str(config.root / name), "content") for name in TOOL_FILES]
    parts += _installed_packages()
    return _digest(parts)


def outputs_digest(output_dir: Path) -> str | None:
    """A digest of the output folder's files (names, sizes, modification times)."""
    return _digest(_file_states(output_dir.resolve(), set(), None, include_hidden=True))


def cache_digest(cache_dir: Path) -> str | None:
    """A digest of the cache folder's files: a damaged or deleted entry makes a full build, which
    finds out what it means (a miss), rather than a record that vouches for it."""
    skip = {cache_dir.resolve() / RECORD_FILE, cache_dir.resolve() / LOCK_FILE}
    return _digest(_file_states(cache_dir.resolve(), skip, None, include_hidden=True))


def _digest(states: list[str] | None) -> str | None:
    if states is None:
        return None
    return hashlib.sha256("\n".join(states).encode("utf-8", "surrogateescape")).hexdigest()


def unchanged(config: SiteConfig, now: datetime) -> Outcome | None:
    """The last build's outcome when nothing it depended on changed since; else None."""
    record = read_record(config.cache_dir / RECORD_FILE)
    if record is None or not config.use_cache:
        return None
    if config.strict and any(not p.is_note for p in record.outcome.warnings):
        return None  # --strict fails on the warnings a build without it let pass: say so again
    if record.valid_until_ns is not None and now.timestamp() * 1e9 >= record.valid_until_ns:
        return None  # a post dated in the future is due now
    if _leftovers(config.output_dir):
        return None  # a killed build left a staging folder: a real build removes it
    # The author's edits first: the usual change, and it spares walking the output folder.
    if inputs_digest(config, record.started_ns - FRESH_NS) != record.inputs:
        return None
    if outputs_digest(config.output_dir) != record.outputs:
        return None
    if cache_digest(config.cache_dir) != record.cache:
        return None
    for item in record.files:
        path = item.path if Path(item.path).is_absolute() else str(config.root / item.path)
        if current_state(path, item.kind) != item.state:
            return None
    return record.outcome


def code_edited_since(config: SiteConfig, enough: int = 1) -> CodeEdits:
    """The posts whose code changed since the last recorded build, counted up to `enough`, as
    far as can be told without parsing (reuse/code_edits.py). Without a record (a first build,
    or the cache was removed) every post is new: those with code count."""
    record = read_record(config.cache_dir / RECORD_FILE)
    if record is None:
        return code_edited(config.posts_dir, {}, 0, enough)
    return code_edited(config.posts_dir, record.code, record.started_ns - FRESH_NS, enough)


def save_record(
    config: SiteConfig,
    started_ns: int,
    inputs: str | None,
    files: Iterable[FileRecord],
    valid_until_ns: int | None,
    outcome: Outcome,
) -> None:
    """Record a successful build; a record that cannot be written only costs a full build."""
    path = config.cache_dir / RECORD_FILE
    outputs = outputs_digest(config.output_dir)
    cache = cache_digest(config.cache_dir)
    if inputs is None or outputs is None or cache is None:
        with contextlib.suppress(OSError):
            path.unlink()
        return
    document = {
        "format": _FORMAT,
        "started_ns": started_ns,
        "inputs": inputs,
        "outputs": outputs,
        "cache": cache,
        "valid_until_ns": valid_until_ns,
        "files": sorted({(f.path, f.state, f.kind) for f in files}),
        "code": _code_digests(config, path),
        "outcome": {
            **{k: v for k, v in asdict(outcome).items() if k != "warnings"},
            "warnings": [_problem_fields(p) for p in outcome.warnings],
        },
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, "w") as file:
            json.dump(document, file)


def _code_digests(config: SiteConfig, path: Path) -> dict[str, str]:
    """The posts' code digests, those of files unchanged since the last record taken from it."""
    previous = read_record(path)
    if previous is None:
        return code_digests(config.posts_dir)
    return code_digests(config.posts_dir, previous.code, previous.started_ns - FRESH_NS)


def forget(config: SiteConfig) -> None:
    """No record: the next build is a full one (called before anything is written)."""
    with contextlib.suppress(OSError):
        (config.cache_dir / RECORD_FILE).unlink()


def read_record(path: Path) -> LastBuild | None:
    """The record at `path`, or None when it is absent or not one Lemma wrote (never trusted
    beyond its fields' types: a record decides only whether to skip work, never what to run)."""
    try:
        document = json.loads(path.read_bytes())
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return None
        outcome = document["outcome"]
        valid_until = document["valid_until_ns"]
        record = LastBuild(
            started_ns=_typed(document["started_ns"], int),
            inputs=_typed(document["inputs"], str),
            files=tuple(_file_record(item) for item in _typed(document["files"], list)),
            outputs=_typed(document["outputs"], str),
            cache=_typed(document["cache"], str),
            valid_until_ns=None if valid_until is None else _typed(valid_until, int),
            outcome=Outcome(
                posts=_typed(outcome["posts"], int),
                pages=_typed(outcome["pages"], int),
                from_cache=_typed(outcome["from_cache"], int),
                frozen=_typed(outcome["frozen"], int),
                warnings=tuple(_problem(item) for item in _typed(outcome["warnings"], list)),
                left_out=None if outcome["left_out"] is None else _typed(outcome["left_out"], str),
            ),
            code={
                _typed(k, str): _typed(v, str)
                for k, v in _typed(document.get("code", {}), dict).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record


def _file_states(
    folder: Path, skip: set[Path], fresh_since_ns: int | None, *, include_hidden: bool = False
) -> list[str] | None:
    """ "path size mtime [sha256]" for every file under `folder`, in order; None past _MAX_FILES.

    Hidden entries, caches of tools and virtual environments are not the blog's (unless
    `include_hidden`: the output folder is compared whole)."""
    states: list[str] = []
    skipped = {str(path) for path in skip}
    for relative, full, info in walk_files(str(folder), skipped, include_hidden):
        if len(states) >= _MAX_FILES:
            return None
        state = f"{relative} {info.st_size} {info.st_mtime_ns}"
        if fresh_since_ns is not None and info.st_mtime_ns >= fresh_since_ns:
            state += " " + current_state(full, "content")
        states.append(state)
    return states


def _installed_packages() -> list[str]:
    """The names of what is installed on Python's path (a version is part of its folder's name):
    an upgraded numpy or Pygments changes outputs without any file of the blog changing."""
    names: list[str] = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found = (p.name for p in Path(entry or ".").iterdir())
            names += sorted(n for n in found if n.endswith((".dist-info", ".pth")))
    return names


def _leftovers(output_dir: Path) -> bool:
    prefixes = (f".{output_dir.name}.new-", f".{output_dir.name}.old-")
    try:
        return any(p.name.startswith(prefixes) for p in output_dir.parent.iterdir())
    except OSError:
        return True


def _typed(value: Any, kind: type[Any]) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _file_record(item: Any) -> FileRecord:
    path, state, kind = _typed(item, list)
    if kind not in STATE_KINDS:
        raise ValueError(f"unknown state kind {kind!r}")
    return FileRecord(_typed(path, str), _typed(state, str), kind)


def _problem_fields(problem: Problem) -> dict[str, Any]:
    location = problem.location
    return {
        "message": problem.message,
        "where": None if location is None else [location.path, location.line, location.column],
        "hint": problem.hint,
        "detail": problem.detail,
        "is_note": problem.is_note,
    }


def _problem(item: Any) -> Problem:
    fields: Mapping[str, Any] = _typed(item, dict)
    where: Sequence[Any] | None = fields["where"]
    location = None
    if where is not None:
        path, line, column = _typed(where, list)
        location = SourceLocation(_typed(path, str), _typed(line, int), _typed(column, int))
    return Problem(
        _typed(fields["message"], str),
        location,
        hint=_optional_str(fields["hint"]),
        detail=_optional_str(fields["detail"]),
        is_warning=True,
        is_note=_typed(fields["is_note"], bool),
    )


def _optional_str(value: Any) -> str | None:
    return None if value is None else _typed(value, str)
