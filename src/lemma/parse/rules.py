"""markdown-it rules that stay linear on hostile Markdown: heading anchors and the amsmath guard.

The plugins from mdit-py-plugins are quadratic in two cases a long post can hit: many headings
with the same text ("## Proof" ten thousand times: each new id retries "-1", "-2", ... from the
start) and many `\\begin{align}` without their `\\end` (each one scans to the end of the post).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.amsmath import RE_OPEN, amsmath_block

_CLOSINGS_KEY = "lemma_amsmath_closings"


def heading_anchors_plugin(
    md: MarkdownIt, *, levels: range, slug_func: Callable[[str], str], symbol: str
) -> None:
    """The ids and permalinks of mdit-py-plugins' anchors_plugin, in linear time; the permalinks
    are left out of the search index."""

    def anchors(state: StateCore) -> None:
        taken: set[str] = {
            str(heading_id)
            for token in state.tokens
            if token.type == "heading_open" and (heading_id := token.attrGet("id"))
        }
        next_suffix: dict[str, int] = {}
        for index, token in enumerate(state.tokens):
            if token.type != "heading_open" or int(token.tag[1]) not in levels:
                continue
            inline = state.tokens[index + 1]
            children = inline.children if inline.children is not None else []
            slug = str(token.attrGet("id") or "")
            if not slug:
                title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
                slug = _unique(slug_func(title), taken, next_suffix)
                token.attrSet("id", slug)
            link_open = Token("link_open", "a", 1)
            link_open.attrSet("class", "header-anchor")
            link_open.attrSet("href", f"#{slug}")
            link_open.attrSet("data-pagefind-ignore", "")  # no "#" in search excerpts
            children.extend(
                [
                    Token("text", "", 0, content=" "),
                    link_open,
                    Token("html_block", "", 0, content=symbol),
                    Token("link_close", "a", -1),
                ]
            )
            inline.children = children

    md.core.ruler.push("anchor", anchors)


def _unique(slug: str, taken: set[str], next_suffix: dict[str, int]) -> str:
    """slug, slug-1, slug-2, ...: the first free one, resuming where the last search stopped."""
    candidate, suffix = slug, next_suffix.get(slug, 1)
    if candidate in taken:
        candidate = f"{slug}-{suffix}"
        while candidate in taken:
            suffix += 1
            candidate = f"{slug}-{suffix}"
        next_suffix[slug] = suffix + 1
    taken.add(candidate)
    return candidate


def guard_amsmath(md: MarkdownIt) -> None:
    """Skip an amsmath opening at once when its `\\end{...}` appears nowhere after it."""

    def amsmath(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        start = state.bMarks[start_line] + state.tShift[start_line]
        if not state.src.startswith("\\begin{", start):
            return False
        match = re.match(RE_OPEN, state.src[start : state.eMarks[start_line]])
        if match is None:
            return False
        closing = rf"\end{{{match.group(1)}{match.group(2)}}}"
        if _last_closing(state, closing) < start:
            return False
        return bool(amsmath_block(state, start_line, end_line, silent))

    alternatives = ["paragraph", "reference", "blockquote", "list", "footnote_def"]
    md.block.ruler.at("amsmath", amsmath, {"alt": alternatives})


def _last_closing(state: StateBlock, closing: str) -> int:
    env: Any = state.env
    cached = env.get(_CLOSINGS_KEY)
    if cached is None or cached[0] is not state.src:
        cached = (state.src, {})
        env[_CLOSINGS_KEY] = cached
    positions: dict[str, int] = cached[1]
    if closing not in positions:
        positions[closing] = state.src.rfind(closing)
    return positions[closing]
