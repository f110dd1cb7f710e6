"""Labels written after the thing they name: `## Intro {#sec-intro}` and `$$ … $$ {#eq-loss}`.

Pandoc's and Quarto's spelling. A heading's `{#id .class}` sets its id (the anchors rule keeps
an id it finds); a display formula whose closing `$$` is followed by `{#eq-…}` becomes a
`math_block_label` token, the same token mdit-py-plugins makes for MyST's `$$ … $$ (label)`,
with `meta["attribute"]` set: Quarto numbers only the `eq-` labels written that way.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes

_TRAILING_ATTRIBUTES = re.compile(r"\s*(\{[^{}]*\})\s*$")
_EQUATION_END = re.compile(r"^(?P<tex>.*?)\$\$\s*\{\s*#(?P<label>[\w:.-]+)\s*\}\s*$")


def labels_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "heading_attributes", _heading_attributes)
    md.block.ruler.before(
        "math_block", "math_block_attributes", _math_block_attributes, {"alt": ["paragraph"]}
    )


def is_labelled_equation(token: Token) -> bool:
    """A numbered equation: `$$ … $$ {#eq-x}` (Quarto), `$$ … $$ (x)` and ```{math} with
    `:label: x` (MyST); numbered in the same sequence as LaTeX's."""
    if token.type != "math_block_label" or not token.info:
        return False
    return token.info.startswith("eq-") or not token.meta.get("attribute")


def _heading_attributes(state: StateCore) -> None:
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or index + 1 >= len(state.tokens):
            continue
        inline = state.tokens[index + 1]
        children = inline.children or []
        if not children or children[-1].type != "text":
            continue
        match = _TRAILING_ATTRIBUTES.search(children[-1].content)
        if match is None:
            continue
        # pandoc's `{-}` is `{.unnumbered}`, written short
        written = re.sub(r"(?<=[{\s])-(?=[\s}])", ".unnumbered", match.group(1))
        try:
            _, attributes = parse_attributes(written)
        except ParseError:
            continue
        children[-1].content = children[-1].content[: match.start()]
        inline.content = _TRAILING_ATTRIBUTES.sub("", inline.content)
        if attributes.get("id"):
            token.attrSet("id", attributes["id"])
        if attributes.get("class"):
            token.attrSet("class", attributes["class"])


def _math_block_attributes(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`$$` … `$$ {#eq-x}` over one or more lines, without blank lines (as dollarmath)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[start : state.eMarks[start_line]]
    if not first.startswith("$$"):
        return False
    line, text = start_line, first[2:]
    while (match := _EQUATION_END.match(text)) is None:
        if "$$" in text:
            return False  # closed without a label: dollarmath's case
        line += 1
        if line >= end_line:
            return False
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if not text.strip():
            return False  # dollarmath allows no blank line inside a formula either
    if silent:
        return True
    if line == start_line:
        body = [match["tex"]]
    else:
        middle = [state.src[state.bMarks[n] : state.eMarks[n]] for n in range(start_line + 1, line)]
        body = [first[2:], *middle, match["tex"]]
    token = state.push("math_block_label", "math", 0)
    token.block = True
    token.content = "\n".join(part for part in body if part.strip())
    token.markup = "$$"
    token.info = match["label"]
    token.meta["attribute"] = True
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True
