"""A post's excerpt marker: Hugo's `<!--more-->` (also spaced, `<!-- more -->`) or Jekyll's
`excerpt_separator`, outside code blocks; the text before it is the post's excerpt."""

from __future__ import annotations

import re

from lemma.load.code_lines import block_lines

MORE = "<!--more-->"  # Hugo's summary divider, and Jekyll's usual `excerpt_separator`
_SPACED_MORE = re.compile(r"<!--\s*more\s*-->")


def split_excerpt(body: str, separator: str) -> tuple[str, str | None]:
    """`body` without the first `separator` outside code blocks, and the text before it, which is
    the post's excerpt; `(body, None)` when there is none. Lines keep their numbers. The usual
    `<!--more-->` is also found spaced, `<!-- more -->`, as MkDocs Material writes it."""
    if not separator.strip():
        return body, None  # Jekyll's "\n\n": the first paragraph, Lemma's default
    pattern = _SPACED_MORE if separator == MORE else re.compile(re.escape(separator))
    code: set[int] | None = None
    found = pattern.search(body)
    while found is not None:
        code = code if code is not None else block_lines(body)
        start = found.start()
        if body.count("\n", 0, start) not in code:
            kept = "\n" * found.group(0).count("\n")
            return body[:start] + kept + body[found.end() :], body[:start]
        found = pattern.search(body, start + 1)
    return body, None
