"""Material for MkDocs' annotations, and Python-Markdown's attribute lists on a line of their own;
code blocks are left alone but for their markers, and every line keeps its number.

Material shows the numbered list under a block as tooltips behind markers: `(1)` in text marked
`{ .annotate }`, `# (1)!` in a code comment (the `!` leaves out the comment's `#`). Lemma's
pages run no such script, so the list stays what it is written as, a numbered list under the
block, and a marker reads as the number it points to: the code shows `# (1)`.

A line holding only an attribute list (`{ .annotate }`, `{ .class #id key=value }`) under a
paragraph gave the paragraph Material's class: it goes, as kramdown's `{: .class }` does.
"""

from __future__ import annotations

import re

from lemma.load.code_lines import block_lines

_ATTRIBUTE = r"""(?:\.[A-Za-z][\w-]*|#[A-Za-z][\w-]*|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))"""
_LIST_LINE = re.compile(
    rf"^[ \t]*\{{[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}[ \t]*$", re.MULTILINE
)
_MARKER = re.compile(r"(?P<comment>#|//|--|;|%|/\*|<!--)(?P<space>[ \t]*)\((?P<number>\d+)\)!")


def rewrite_annotations(body: str) -> str:
    """`body` with its annotation markers as numbers and its lone attribute lists removed."""
    if not _MARKER.search(body) and not _LIST_LINE.search(body):
        return body  # most posts: no parse for code lines
    lines = body.split("\n")
    code = block_lines(body)
    for index, line in enumerate(lines):
        if index in code:
            if ")!" in line:
                lines[index] = _MARKER.sub(r"\g<comment>\g<space>(\g<number>)", line)
        elif _LIST_LINE.match(line) and index > 0 and lines[index - 1].strip():
            lines[index] = ""
    return "\n".join(lines)
