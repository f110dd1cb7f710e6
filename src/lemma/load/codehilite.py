"""Python-Markdown's CodeHilite headers (Pelican, MkDocs): an indented code block whose first
line is `:::python` or `#!python` names its language, and one opening with a shebang,
`#!/usr/bin/env python`, is in that language too (the shebang stays in the code).

Rewritten as a fence that is shown, never run (python as `py`: the old tool never ran it
either). The header line becomes the opening fence (for a shebang, the blank line before the
block does), and the blank line after the block the closing one, so every line keeps its
number (at the end of the body, a line is added); a block with no free line for a fence stays
as it was.
"""

from __future__ import annotations

import re

from lemma.load.code_lines import block_lines

_HEADER = re.compile(r"^ {4}(?::::|#!)(?P<language>[\w+#.-]+)\s*$")
_SHEBANG = re.compile(r"^ {4}#!/(?:\S*/)?(?:env\s+)?(?P<language>python|bash|sh|ruby|perl|node)")


def rewrite_codehilite(body: str) -> str:
    """`body` with its CodeHilite blocks as fences."""
    if ":::" not in body and "#!" not in body:
        return body
    lines = body.split("\n")
    indented = block_lines(body, ("code_block",))
    for start in sorted(indented):
        if start - 1 not in indented:
            _fence(lines, start, indented)
    return "\n".join(lines)


def _fence(lines: list[str], start: int, indented: set[int]) -> None:
    header, shebang = _HEADER.match(lines[start]), _SHEBANG.match(lines[start])
    if header is None and shebang is None:
        return
    end = start
    while end + 1 in indented:
        end += 1
    while end > start and not lines[end].strip():
        end -= 1  # the block's own trailing blank lines
    opening = start if header else start - 1
    if end + 1 == len(lines):
        lines.append("")  # the body's last lines: a line after them moves none
    if lines[end + 1].strip():
        return  # no free line to close the fence on
    if header is None and (opening < 0 or lines[opening].strip()):
        return  # nor one to open it on
    language = (header or shebang)["language"].lower()  # type: ignore[index]
    shown = "py" if language in ("python", "python3", "py") else language
    for index in range(start + (1 if header else 0), end + 1):
        lines[index] = lines[index][4:]
    lines[opening] = f"~~~{shown}"
    lines[end + 1] = "~~~"
