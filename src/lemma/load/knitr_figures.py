"""knitr's `include_graphics()`: an R chunk whose only code is
`knitr::include_graphics("images/x.png")` shows that image (blogdown's way to put a picture in a
post). It becomes the image in Markdown, a figure when the chunk has a `fig.cap` (`fig-label`
when it is named too, so that `\\@ref(fig:label)` finds it); every line keeps its number.
"""

from __future__ import annotations

import re

from lemma.errors import LemmaError, Problem
from lemma.model import SourceLocation
from lemma.parse import parse_body
from lemma.parse.knitr_options import KnitrHeader, knitr_header

_INCLUDE = re.compile(
    r"""^(?:knitr::)?include_graphics\(\s*(?:path\s*=\s*)?(?P<q>["'])(?P<path>[^"'\s]+)(?P=q)\s*\)\s*;?$"""
)
_READ = ("fig.cap", "fig.alt", "echo", "include")  # echo: the R code is never shown anyway


def rewrite_include_graphics(
    lines: list[str], body_line: int, where: SourceLocation
) -> list[Problem]:
    """`lines` (a post's body) with each R chunk that only includes an image as that image."""
    if not any("include_graphics(" in line for line in lines):
        return []
    problems: list[Problem] = []
    for token in parse_body("\n".join(lines)):
        if token.type != "fence" or token.map is None or not token.info.strip().startswith("{r"):
            continue
        code = [c.strip() for c in token.content.split("\n") if c.strip()]
        found = _INCLUDE.match(code[0]) if len(code) == 1 else None
        if found is None:
            continue
        first, end = token.map
        try:
            header = knitr_header(token.info, where.at_line(body_line + first))
        except LemmaError as exc:
            problems.append(exc.problem)
            continue
        if header.engine.lower() != "r":
            continue
        lines[first] = _image(found["path"], header)
        at = where.at_line(body_line + first)
        problems += [
            Problem(
                f"knitr option '{name}={value}' of include_graphics() is ignored",
                at,
                hint="the image is shown at the text's width: the pages allow no inline style",
                is_warning=True,
            )
            for name, value in header.options
            if name not in _READ
        ]
        for index in range(first + 1, end):
            lines[index] = ""
    return problems


def _image(path: str, header: KnitrHeader) -> str:
    options = dict(header.options)
    caption = _text(options.get("fig.cap", ""))
    alt = _text(options.get("fig.alt", "")) or caption
    if caption and header.label:
        return f"![{caption}]({path}){{#fig-{header.label}}}"
    title = f' "{caption}"' if caption else ""  # a lone image with a title is a figure
    return f"![{alt}]({path}{title})"


def _text(value: str) -> str:
    """An R text (`"A caption"`) as its text; anything else as nothing."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace(f"\\{value[0]}", value[0]).replace('"', "&quot;")
    return ""
