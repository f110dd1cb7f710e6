"""MyST's targets, `(label)=` on a line of its own before the thing it names.

Before a heading, the label is the heading's id (`{ref}` and `[](label)` then read its text);
before a theorem, proof or callout that has no label of its own, it is that block's label (a
`{prf:theorem}` so labelled is numbered and referred to like one with `:label:`). Before
anything else it stays a `myst_target` token, `info` the label: an empty anchor the reader is
taken to, which a reference must give its own text to (`` {ref}`the list <label>` ``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.blocks import BlockInfo

_TARGET = re.compile(r"^\((?P<label>[^()\s#]+)\)=\s*$")


def targets_plugin(md: MarkdownIt) -> None:
    """A block rule before paragraphs (a target line ends the paragraph above it), and a core
    rule once `parse.blocks` has classified the divs a target may name."""
    md.block.ruler.before(
        "paragraph", "myst_target", _target, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.core.ruler.after("lemma_blocks", "myst_targets", _attach)


def _target(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    start = state.bMarks[start_line] + state.tShift[start_line]
    if start >= state.eMarks[start_line] or state.src[start] != "(":
        return False
    match = _TARGET.match(state.src[start : state.eMarks[start_line]])
    if match is None:
        return False
    if silent:
        return True
    token = state.push("myst_target", "", 0)
    token.block = True
    token.info = match["label"]
    token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _attach(state: StateCore) -> None:
    out: list[Token] = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type != "myst_target" or following is None:
            out.append(token)
        elif following.type == "heading_open" and not following.attrGet("id"):
            following.attrSet("id", token.info)
            following.meta["myst_target"] = token.info
        elif following.type == "div_open" and _takes_label(following.meta.get("block")):
            following.meta["block"] = replace(following.meta["block"], label=token.info)
        else:
            out.append(token)
    state.tokens = out


def _takes_label(info: object) -> bool:
    return (
        isinstance(info, BlockInfo)
        and info.kind in ("theorem", "proof", "callout")
        and not info.label
    )
