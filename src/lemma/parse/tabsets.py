"""Quarto's tabsets: a `::: {.panel-tabset}` div whose headings name its tabs.

```markdown
::: {.panel-tabset group="language"}
## NumPy
…
## PyTorch
…
:::
```

Each heading of the tabset's first heading level, directly inside it, opens a tab that runs to the
next one or to the end of the tabset: its tokens become a "tab" div (`BlockInfo("tab")`) titled by
the heading's inline markup, the tokens of MkDocs' `=== "Tab"`. The headings are then no sections
of the post: they are not in its contents and do not shift the numbers of `@sec-` references, as
in Quarto. What comes before the first heading stays above the tabs.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.blocks import BlockInfo

_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")


def tabsets_plugin(md: MarkdownIt) -> None:
    """After the blocks are classified (a tabset is a `BlockInfo("tabset")`), before inline."""
    md.core.ruler.after("lemma_blocks", "lemma_tabsets", _split_tabsets)


def _split_tabsets(state: StateCore) -> None:
    if not any(_is_tabset(token) for token in state.tokens):
        return
    state.tokens = _split(state, state.tokens)


def _is_tabset(token: Token) -> bool:
    info = token.meta.get("block") if token.type == "div_open" else None
    return isinstance(info, BlockInfo) and info.kind == "tabset"


def _split(state: StateCore, tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        out.append(token)
        index += 1
        if _is_tabset(token):
            end = _closing(tokens, index)
            out.extend(_tabs(state, _split(state, tokens[index:end])))
            out.extend(tokens[end : end + 1])  # its div_close
            index = end + 1
    return out


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the `div_close` of the div opened just before `start`."""
    depth = 1
    for index in range(start, len(tokens)):
        if tokens[index].type == "div_open":
            depth += 1
        elif tokens[index].type == "div_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens)


def _tabs(state: StateCore, inner: list[Token]) -> list[Token]:
    """The tabset's content with its headings made tabs (tokens at its top level only)."""
    depth, level = 0, ""
    out: list[Token] = []
    in_tab = False
    index = 0
    while index < len(inner):
        token = inner[index]
        heading = token.type == "heading_open" and depth == 0 and index + 2 < len(inner)
        if heading and (not level or token.tag == level):
            level = token.tag
            if in_tab:
                out.append(_tab_close())
            out.append(_tab_open(state, token, inner[index + 1]))
            in_tab = True
            index += 3  # heading_open, inline, heading_close
            continue
        depth += token.nesting
        out.append(token)
        index += 1
    if in_tab:
        out.append(_tab_close())
    return out


def _tab_open(state: StateCore, heading: Token, inline: Token) -> Token:
    opening = Token("div_open", "div", 1, map=heading.map, block=True)
    inline.content = _ATTRIBUTES.sub("", inline.content)  # `## NumPy {#numpy}`: no section id
    opening.meta["block"] = BlockInfo("tab", title=inline.content)
    children: list[Token] = []
    # The core's inline rule only sees the tokens of the body: a title parses its own markup.
    state.md.inline.parse(inline.content, state.md, state.env, children)
    inline.children = children
    opening.meta["title_inline"] = inline
    return opening


def _tab_close() -> Token:
    closing = Token("div_close", "div", -1, block=True)
    closing.meta["block"] = BlockInfo("tab")
    return closing
