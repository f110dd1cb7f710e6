"""Fenced divs: pandoc's and Quarto's `::: {#thm-x .class key="v"}` … `:::`, nested at any depth.

mdit-py-plugins' container plugin closes a div at the first bare `:::`, so the usual Quarto
nesting (a proof inside a theorem's section, a callout holding a theorem) would close the outer
div early. Pandoc tells an opening fence from a closing one by its attributes, so nesting needs
a stack; the fences of a whole post are matched once, in one linear pass, and every div looks
its closing line up in that table (a post of 10,000 unclosed divs stays linear).

A div becomes `div_open` / `div_close` tokens; `token.meta["attributes"]` holds the parsed
attributes ({"id": "thm-x", "class": "callout-note", "title": "..."}). MyST's colon-fence
directive (`:::{note}`, `:::{figure} d.png`) is a `fence` token like its backtick spelling, its
`markup` the colons: `parse.blocks` makes it a div, `parse.directives` a figure or an equation.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes

_OPENING = re.compile(
    r"^(?P<colons>:{3,})\s*(?P<params>\{.*\}|[A-Za-z][\w-]*)\s*(?P<rest>.*?)\s*:*$"
)
_CLOSING = re.compile(r"^:{3,}\s*$")
_CODE_FENCE = re.compile(r"^(?P<marker>`{3,}|~{3,})")
_DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}$")
_MATCHES_KEY = "lemma_div_closings"


def divs_plugin(md: MarkdownIt) -> None:
    """Fenced divs before paragraphs, so that `:::` never reads as text."""
    md.block.ruler.before(
        "fence", "fenced_div", _fenced_div, {"alt": ["paragraph", "blockquote", "list"]}
    )


def opening_attributes(line: str) -> tuple[dict[str, str], str | None, str] | None:
    """(attributes, directive name, text after the braces) of an opening fence, else None."""
    match = _OPENING.match(line.strip())
    if match is None:
        return None
    params, rest = match["params"], match["rest"]
    directive = _DIRECTIVE.match(params)
    if directive is not None:  # MyST: :::{note} Optional title
        return {}, directive["name"].lower(), rest
    if not params.startswith("{"):  # pandoc: "::: warning" means class "warning"
        return ({"class": params}, None, "") if not rest else None
    try:
        end, attributes = parse_attributes(params)
    except ParseError:
        return None
    if end != len(params) - 1 or rest:
        return None
    return dict(attributes), None, ""


def _closings(state: StateBlock) -> dict[int, int]:
    """Opening line -> closing line of every div of the source, matched with a stack."""
    env: Any = state.env
    cached = env.get(_MATCHES_KEY)
    if cached is not None and cached[0] is state.src:
        return dict(cached[1])
    lines = state.src.split("\n")
    closings: dict[int, int] = {}
    stack: list[int] = []
    fence: str | None = None  # the marker of the code fence we are inside, if any
    for number, raw in enumerate(lines):
        line = _unquoted(raw)
        code = _CODE_FENCE.match(line)
        if fence is not None:
            marker = code["marker"] if code else ""
            closes = marker[:1] == fence[0] and len(marker) >= len(fence)
            if closes and not line[len(marker) :].strip():
                fence = None
            continue
        if code is not None:
            fence = code["marker"]
        elif _CLOSING.match(line):
            if stack:
                closings[stack.pop()] = number
        elif line.startswith(":::") and opening_attributes(line) is not None:
            stack.append(number)
    env[_MATCHES_KEY] = (state.src, closings)
    return closings


def _unquoted(line: str) -> str:
    """The line without its indentation and blockquote markers (divs inside quotes nest too)."""
    text = line.lstrip()
    while text.startswith(">"):
        text = text[1:].lstrip()
    return text


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start : state.eMarks[start_line]]
    if not line.startswith(":::"):
        return False
    opening = opening_attributes(line)
    if opening is None:
        return False
    closing = _closings(state).get(start_line)
    if closing is None or closing >= end_line:
        return False  # never closed (or closed outside this container): not a div
    if silent:
        return True
    attributes, directive, title = opening
    if directive is not None:
        _directive_fence(state, start_line, closing, line, f"{{{directive}}} {title}")
        return True
    assert not title  # only a directive has text after its braces
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = closing  # no lazy continuation runs past the closing fence
    token = state.push("div_open", "div", 1)
    token.block = True
    token.markup = line[: len(line) - len(line.lstrip(":"))]
    token.map = [start_line, closing + 1]
    token.meta["attributes"] = attributes
    token.meta["title"] = title
    state.md.block.tokenize(state, start_line + 1, closing)
    token = state.push("div_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = closing + 1
    return True


def _directive_fence(
    state: StateBlock, start_line: int, closing: int, line: str, info: str
) -> None:
    """MyST's `:::{name}` is the fence ```` ```{name} ```` is: one token for both spellings, so
    that `parse.blocks` and `parse.directives` read their options and bodies with the same code
    (its body may hold colon fences of its own: they are parsed with it)."""
    token = state.push("fence", "code", 0)
    token.block = True
    token.info = info.strip()
    token.markup = line[: len(line) - len(line.lstrip(":"))]
    token.content = state.getLines(start_line + 1, closing, state.sCount[start_line], True)
    token.map = [start_line, closing + 1]
    state.line = closing + 1
