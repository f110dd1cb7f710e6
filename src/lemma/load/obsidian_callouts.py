"""`> [!word]` quotes whose word is no callout type, read as Obsidian and GitHub read them.

GitHub's alerts are NOTE, TIP, IMPORTANT, WARNING and CAUTION, and Obsidian's callouts its own
list (`parse.blocks`): those are callouts in every blog. Obsidian lets a vault define types of its
own, shown as notes titled by their type: in a note of an Obsidian vault (a folder above it,
within the blog's folder, holds `.obsidian/`), such a quote's marker is written as a note's, with
that title. Anywhere else GitHub shows the quote as written, and so does Lemma, with a warning
at its line that names the known types. Line numbers are kept.
"""

from __future__ import annotations

import re

from lemma.errors import Problem
from lemma.model import SourceLocation
from lemma.parse import parse_body
from lemma.parse.blocks import (
    CALLOUT_KINDS,
    OBSIDIAN_KINDS,
    UNKNOWN_CALLOUT,
    is_callout_type,
    type_title,
)

# A marker, as its quote's first line has it: `[!word]`, its fold, its title.
_MARKER = re.compile(r"\[!(?P<kind>[A-Za-z][\w-]*)\](?P<fold>[+-]?)(?P<title>[ \t]+\S.*)?")
_KNOWN = (
    f"GitHub's {', '.join(f'[!{kind.upper()}]' for kind in CALLOUT_KINDS)} or Obsidian's "
    f"{', '.join(f'[!{kind}]' for kind in OBSIDIAN_KINDS)}"
)


def read_unknown_callouts(
    body: str, body_line: int, source_path: str, in_vault: bool
) -> tuple[str, list[Problem]]:
    """`body` with each `> [!word]` of a type of the author's own written as a note, in a note
    of an Obsidian vault (`in_vault`); elsewhere `body` as it is, and a warning for each."""
    if all(is_callout_type(m["kind"]) for m in _MARKER.finditer(body)):
        return body, []  # most posts: no parse
    lines = body.split("\n")
    problems: list[Problem] = []
    tokens = parse_body(body)
    for index, token in enumerate(tokens):
        word = token.meta.get(UNKNOWN_CALLOUT) if token.type == "blockquote_open" else None
        first = tokens[index + 2].map if word is not None else None
        if first is None:
            continue
        line = first[0]
        if in_vault:
            lines[line] = _MARKER.sub(_as_note, lines[line], count=1)
            continue
        problems.append(
            Problem(
                f"'[!{word}]' is no callout type: the quote is shown as written",
                SourceLocation(source_path, body_line + line),
                hint=f"write one of {_KNOWN}; a type of your own is a callout only in an "
                f"Obsidian vault (a folder holding .obsidian/); write \\[!{word}] to keep the "
                "quote without this warning",
                is_warning=True,
            )
        )
    return "\n".join(lines), problems


def _as_note(marker: re.Match[str]) -> str:
    """`[!theorem]` as `[!note] Theorem`: the note Obsidian shows; a title given is kept."""
    title = marker["title"] or f" {type_title(marker['kind'].lower())}"
    return f"[!note]{marker['fold']}{title}"
