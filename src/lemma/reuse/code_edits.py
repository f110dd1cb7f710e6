"""Whether a post's code changed since the last build, told without parsing it.

A code edit through `lemma build` waits for the fork server (numpy and matplotlib imported, about
0.6 s). When the build can tell at once that code changed, before it imports its stages, the
server starts about 0.2 s sooner. A post's code here is every line of its fenced blocks that run
(``` or ~~~ whose language is python, as `lemma/fences.py` tells it for the parser, with their
info strings) or the source of a notebook's code cells: a prose edit, or one to a block shown
but never run, leaves it as it was. The last build's record keeps one digest of it per post
file. Without a record (a first build) every post counts as new: one with code starts the
server.

A draft's code counts as none: a build leaves drafts out, so it would run nothing. The draft is
told by the lines of its front matter block, found as the loader finds it, in the spellings
`load/publication.py` reads (`draft: true`, `published: false`, `status: draft` or `hidden`);
publishing it makes its code count.

This is a guess made before the real parse, never a decision: a wrong guess starts the server for
nothing, or not early, and the build runs exactly the snippets its parser finds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lemma.errors import FrontMatterError
from lemma.fences import info_language, is_display_only
from lemma.front_matter import split_header
from lemma.imports import imports_beyond_stdlib
from lemma.model import POST_SUFFIXES, SourceLocation
from lemma.reuse.walk import walk_files

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_UNPUBLISHED = re.compile(
    r"""^(?:draft\s*[:=]\s*["']?(?:true|yes|on)|published\s*[:=]\s*["']?(?:false|no|off)"""
    r"""|status\s*[:=]\s*["']?(?:draft|hidden))["']?\s*(?:#.*)?$""",
    re.IGNORECASE | re.MULTILINE,
)


def code_digests(
    posts_dir: Path, previous: Mapping[str, str] | None = None, since_ns: int = 0
) -> dict[str, str]:
    """Path (relative to `posts_dir`, with "/") → digest of its code, for every post with code.

    A file last modified before `since_ns` keeps its digest in `previous` (made after then):
    at 2,000 posts, reading them all again would cost every build about 0.1 s.
    """
    found: dict[str, str] = {}
    for relative, path, modified_ns in _post_files(posts_dir):
        if previous is not None and modified_ns < since_ns:
            digest = previous.get(relative, "")
        else:
            code = _code(path)
            digest = _digest(code) if code else ""
        if digest:
            found[relative] = digest
    return found


@dataclass(frozen=True, slots=True)
class CodeEdits:
    posts: int  # post files whose code changed, counted up to `enough`
    numeric: bool  # the code of one of them may import numpy or another module beyond the stdlib


def code_edited(
    posts_dir: Path, recorded: Mapping[str, str], since_ns: int, enough: int = 1
) -> CodeEdits:
    """The post files modified at `since_ns` or later whose code is other than `recorded` says
    (a new post with code included; code removed runs nothing, so it does not count), counted
    up to `enough`, and whether their code may import a module beyond the standard library
    (`lemma/imports.py`): the fork server then preloads numpy and matplotlib."""
    edited, numeric = 0, False
    for relative, path, modified_ns in _post_files(posts_dir):
        if modified_ns < since_ns:
            continue
        code = _code(path)
        if code and recorded.get(relative) != _digest(code):
            edited += 1
            numeric = numeric or imports_beyond_stdlib([code])
            if edited >= enough:
                break
    return CodeEdits(edited, numeric)


def _post_files(posts_dir: Path) -> Iterator[tuple[str, Path, int]]:
    for relative, full, info in walk_files(str(posts_dir)):
        if relative.endswith(POST_SUFFIXES):
            yield relative, Path(full), info.st_mtime_ns


def _code(path: Path) -> str:
    """The file's code; "" when it has none (or cannot be read): nothing to run."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    if path.suffix == ".ipynb":
        return _notebook_code(text)
    return "" if _UNPUBLISHED.search(_header(text)) else _fenced(text)


def _digest(code: str) -> str:
    return hashlib.blake2b(code.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _header(text: str) -> str:
    """The front matter block as the loader finds it (`lemma/front_matter.py`); none when it
    is never closed (the build reports that)."""
    try:
        return split_header(text.lstrip("\ufeff"), SourceLocation("")).text
    except FrontMatterError:
        return ""


def _fenced(text: str) -> str:
    """Every line of the python blocks of a Markdown text, fences included."""
    kept: list[str] = []
    opened: str | None = None
    runs = False  # whether the open block is python
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if opened is None:
            if fence is not None:
                opened = fence.group(1)
                info = line[fence.end() :]
                runs = info_language(info) == "python" and not is_display_only(info)
                if runs:
                    kept.append(line)
            continue
        if runs:
            kept.append(line)
        marks = fence.group(1) if fence is not None else ""
        if marks and line.strip() == marks and marks[0] == opened[0] and len(marks) >= len(opened):
            opened = None  # a closing fence: the same character, at least as many, nothing after
    return "\n".join(kept)


def _notebook_code(text: str) -> str:
    """The source of a notebook's code cells; the whole text when it is no notebook JSON."""
    try:
        cells = json.loads(text).get("cells", [])
        sources = [c.get("source", "") for c in cells if c.get("cell_type") == "code"]
        return "\n\0".join(s if isinstance(s, str) else "".join(s) for s in sources)
    except (ValueError, AttributeError, TypeError):
        return text
