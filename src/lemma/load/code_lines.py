"""Where a post's Markdown is code, for the rewrites that read the rest of it (Liquid tags and
shortcodes, kramdown's attribute lists, Distill's elements): code shows them as written."""

from __future__ import annotations

import re

from lemma.parse import parse_body

CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")  # inline code, on one line


def block_lines(body: str, kinds: tuple[str, ...] = ("fence", "code_block")) -> set[int]:
    """Indexes of the lines of the blocks of these kinds: fenced and indented code, by default;
    raw HTML with ("html_block",)."""
    lines: set[int] = set()
    for token in parse_body(body):
        if token.type in kinds and token.map:
            lines.update(range(*token.map))
    return lines
