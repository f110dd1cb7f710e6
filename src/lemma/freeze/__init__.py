"""Frozen results: a post's outputs committed under `_freeze/`, valid whatever is installed.

`lemma freeze` writes one folder per post, `_freeze/posts/<name>/`, holding `results.json`
(outputs as JSON, text split into lines so that a pull request shows what changed) and
`figures/<sha256>.<ext>`. Its key is the post's path and its snippets' code and execution
options, and nothing of the machine: no Python or package version, no Lemma version, no file
the snippets read. The folder is only ever parsed as JSON, every name read from it is checked
(figure names are content hashes, checked against the bytes), so reading it cannot run code
nor reach outside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lemma import __version__
from lemma.errors import Problem
from lemma.execute import protocol, relocate_results
from lemma.model import Error, FreezeMode, PostRun, Snippet, SnippetResult, SourceLocation
from lemma.reuse.atomic import write_atomically
from lemma.reuse.cache import describe_snippet
from lemma.reuse.figures import is_figure_name
from lemma.wording import json_wording

FREEZE_DIR = "_freeze"
FREEZE_FORMAT = 1
RESULTS_FILE = "results.json"
_TEXT_KEYS = ("text", "data", "traceback", "evalue")  # stored as lists of lines


class FrozenUnreadable(ValueError):
    """A frozen folder that is not what `lemma freeze` writes (edited by hand, truncated)."""


def snippet_digest(source_path: str, snippet: Snippet) -> str:
    document = {"source_path": source_path, "snippet": describe_snippet(snippet)}
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, default=repr)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def frozen_digests(source_path: str, snippets: Sequence[Snippet]) -> dict[str, str]:
    """The digest of each executable snippet by index (as text): what a frozen post must match."""
    return {str(s.index): snippet_digest(source_path, s) for s in snippets if s.executable}


def frozen_folder(root: Path, source_path: str) -> Path:
    """`_freeze/posts/gd/` for `posts/gd.md`."""
    relative = PurePosixPath(source_path)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"not a post path inside the site: {source_path}")
    return root / FREEZE_DIR / relative.with_suffix("")


@dataclass(frozen=True, slots=True)
class FrozenPost:
    source_path: str
    digests: Mapping[str, str]  # snippet index (text) -> digest of its code and options
    lines: Mapping[str, int]  # snippet index (text) -> line it started on when frozen
    results: tuple[SnippetResult, ...]
    folder: Path

    def figure_file(self, file_name: str) -> Path:
        return self.folder / "figures" / file_name

    def changed_snippets(self, snippets: Sequence[Snippet]) -> list[Snippet]:
        """The executable snippets whose code or options differ from the frozen ones."""
        current = frozen_digests(self.source_path, snippets)
        return [
            s
            for s in snippets
            if s.executable and self.digests.get(str(s.index)) != current[str(s.index)]
        ]

    def matches(self, snippets: Sequence[Snippet]) -> bool:
        return dict(self.digests) == frozen_digests(self.source_path, snippets)


def write_frozen(root: Path, run: PostRun, snippets: Sequence[Snippet], figures_dir: Path) -> Path:
    """Write a post's successful run as its frozen folder, replacing the previous one whole."""
    folder = frozen_folder(root, run.source_path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        (staging / "figures").mkdir()
        for name in protocol.figure_names(run.results):
            shutil.copyfile(figures_dir / name, staging / "figures" / name)
        digests = frozen_digests(run.source_path, snippets)
        lines = {str(s.index): s.location.line for s in snippets if s.executable}
        document = {
            "format": FREEZE_FORMAT,
            "post": run.source_path,
            "frozen_by": {"lemma": __version__, "python": ".".join(map(str, sys.version_info[:3]))},
            "snippets": [
                {
                    "index": result.snippet_index,
                    "line": lines.get(str(result.snippet_index), 0),
                    "digest": digests.get(str(result.snippet_index), ""),
                    "outputs": _as_lines(protocol.encode_outputs(result.outputs)),
                    "variants": [
                        [label, _as_lines(protocol.encode_outputs(outputs))]
                        for label, outputs in result.variants
                    ],
                }
                for result in run.results
            ],
            # snippets that printed nothing have no result, but their code is still frozen
            "digests": digests,
        }
        (staging / RESULTS_FILE).write_bytes(_json_bytes(document))
        old = folder.with_name(f".old-{folder.name}")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.replace(old)
        staging.replace(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def read_frozen(root: Path, source_path: str) -> FrozenPost | None:
    """The post's frozen results; None when it has none; FrozenUnreadable when they are broken."""
    folder = frozen_folder(root, source_path)
    try:
        data = (folder / RESULTS_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FrozenUnreadable(f"cannot read it ({exc.strerror})") from None
    try:
        document = protocol.loads(data)
        if document.get("format") != FREEZE_FORMAT:
            raise FrozenUnreadable(f"format {document.get('format')!r} is not {FREEZE_FORMAT}")
        if document.get("post") != source_path:
            raise FrozenUnreadable(f"it belongs to {document.get('post')!r}")
        digests = _str_map(document.get("digests"), str)
        lines: dict[str, int] = {}
        results = []
        for raw in protocol.get_list(document, "snippets"):
            item = protocol.as_object(raw)
            index = protocol.get_int(item, "index")
            lines[str(index)] = protocol.get_int(item, "line")
            variants = []
            for variant in protocol.get_list(item, "variants"):
                if not (isinstance(variant, list) and len(variant) == 2):
                    raise protocol.ProtocolError("a variant must be [label, outputs]")
                label = variant[0]
                if not isinstance(label, str):
                    raise protocol.ProtocolError("a variant's label must be text")
                variants.append((label, protocol.decode_outputs(_from_lines(variant[1]))))
            outputs = protocol.decode_outputs(_from_lines(item.get("outputs")))
            results.append(SnippetResult(index, outputs, 0.0, tuple(variants)))
    except protocol.ProtocolError as exc:
        raise FrozenUnreadable(_unreadable_reason(data, str(exc))) from None
    frozen = FrozenPost(source_path, digests, lines, tuple(results), folder)
    for result in frozen.results:
        for output_list in (result.outputs, *(outputs for _, outputs in result.variants)):
            for output in output_list:
                location = getattr(output, "location", None)
                if location is not None and location.path != source_path:
                    raise FrozenUnreadable(f"an error points outside the post: {location.path}")
    for name in protocol.figure_names(frozen.results):
        if not is_figure_name(name):
            raise FrozenUnreadable(f"{name!r} is not a figure name Lemma writes")
        if file_sha256(frozen.figure_file(name)) != name.split(".")[0]:
            raise FrozenUnreadable(f"figures/{name} is missing or does not match its name")
    return frozen


def install_figures(frozen: FrozenPost, figures_dir: Path) -> None:
    """Copy the frozen figures into the figure store, where pages and notebooks take them from."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    for name in protocol.figure_names(frozen.results):
        target = figures_dir / name
        if target.is_file():
            continue
        write_atomically(target, frozen.figure_file(name).read_bytes())


def remove_frozen(root: Path, keep: Sequence[str]) -> list[str]:
    """Remove the frozen folders of posts not in `keep` (source paths); their paths, removed."""
    base = root / FREEZE_DIR / "posts"
    kept = {frozen_folder(root, path) for path in keep}
    removed = []
    with contextlib.suppress(OSError):
        for folder in sorted(base.iterdir()):
            if folder.is_dir() and folder not in kept and (folder / RESULTS_FILE).is_file():
                shutil.rmtree(folder)
                removed.append(folder.relative_to(root).as_posix())
    return removed


@dataclass(frozen=True, slots=True)
class FrozenUse:
    """Which posts a build takes from `_freeze/`, and what it found stale there."""

    runs: Mapping[str, PostRun]  # frozen runs, and failed runs for stale posts that may not run
    problems: tuple[Problem, ...]  # warnings: stale posts that will run again (outside CI)


def use_frozen(
    root: Path,
    figures_dir: Path,
    posts: Sequence[tuple[str, FreezeMode, Sequence[Snippet]]],
    *,
    in_ci: bool,
) -> FrozenUse:
    """Frozen runs for the posts (source path, mode, snippets) whose code matches `_freeze/`.

    A stale post (changed snippet, no or broken frozen results) fails when its mode is `on`
    or in CI: a re-run there would publish results of another environment without a word.
    Outside CI a stale `auto` post runs again, with a warning naming the command to refresh it.
    """
    runs: dict[str, PostRun] = {}
    problems: list[Problem] = []
    for source_path, mode, snippets in posts:
        if mode == "off" or not any(s.executable for s in snippets):
            continue
        reason, where = "", SourceLocation(source_path, 1)
        try:
            frozen = read_frozen(root, source_path)
        except FrozenUnreadable as exc:
            frozen, reason = None, f"its frozen results are unreadable ({exc})"
        if frozen is not None:
            changed = frozen.changed_snippets(snippets)
            if not changed and frozen.matches(snippets):
                install_figures(frozen, figures_dir)
                results = relocate_results(frozen.results, source_path, snippets, frozen.lines)
                runs[source_path] = PostRun(source_path, results, 0.0, True, frozen=True)
                continue
            reason = "this snippet changed since the post was frozen"
            if changed:
                where = changed[0].location
            else:
                reason = "a snippet was removed since the post was frozen"
        reason = reason or f"the post is frozen but {FREEZE_DIR}/ has no results for it"
        refresh = f"refresh with: lemma freeze {source_path}, then commit {FREEZE_DIR}/"
        if mode == "on" or in_ci:
            failure = Error("", f"{reason}; {refresh}", "", where)
            runs[source_path] = PostRun(source_path, (), 0.0, failure=failure, frozen=True)
        else:
            problems.append(Problem(f"{reason}; it runs again", where, refresh, is_warning=True))
    return FrozenUse(runs, tuple(problems))


def _unreadable_reason(data: bytes, said: str) -> str:
    """Why results.json cannot be read, in the author's terms: most often a merge conflict."""
    if b"\n<<<<<<< " in b"\n" + data:
        return f"{RESULTS_FILE} has merge conflict markers (<<<<<<<)"
    try:
        json.loads(data)
    except UnicodeDecodeError:
        return f"{RESULTS_FILE} is not text"
    except json.JSONDecodeError as exc:
        return f"{RESULTS_FILE} is broken at line {exc.lineno}: {json_wording(exc).message}"
    return said  # valid JSON, but not what `lemma freeze` writes


def file_sha256(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from undecodable output: escape everything
        return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("ascii")


def _as_lines(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text fields as lists of lines: a changed number is one changed line in a diff."""
    return [
        {k: v.split("\n") if k in _TEXT_KEYS and isinstance(v, str) else v for k, v in o.items()}
        for o in outputs
    ]


def _from_lines(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise protocol.ProtocolError("outputs must be a list")
    outputs = []
    for item in value:
        obj = protocol.as_object(item)
        joined: dict[str, Any] = {}
        for key, field_value in obj.items():
            if key in _TEXT_KEYS and isinstance(field_value, list):
                if not all(isinstance(line, str) for line in field_value):
                    raise protocol.ProtocolError(f"{key!r} must be a list of lines")
                joined[key] = "\n".join(field_value)
            else:
                joined[key] = field_value
        outputs.append(joined)
    return outputs


def _str_map(value: object, kind: type) -> dict[str, Any]:
    obj = protocol.as_object(value)
    if not all(isinstance(v, kind) for v in obj.values()):
        raise protocol.ProtocolError("digests must be text")
    return dict(obj)
