"""MkDocs' indented blocks: Python-Markdown's `!!! note "Title"` admonitions, pymdownx's
collapsible `??? tip` / `???+ tip` and its content tabs `=== "Tab"`, as callouts and tabs.

The body is every line after the marker indented 4 spaces more than it (blank lines inside
allowed), up to the first non-blank line indented less. It is parsed in place, like a list
item's, so its lines keep their numbers (a snippet inside reports its real line) and it holds
any Markdown: math, lists, code fences that run, nested admonitions.

A block becomes `div_open` / `div_close` tokens whose `meta["block"]` is already the
`BlockInfo` that `parse.blocks` gives the other callout spellings.
"""

from __future__ import annotations

import re
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.blocks import BlockInfo

# Material for MkDocs' types (and Python-Markdown's rST ones) as Lemma's callout kinds, by
# meaning and colour; any other type is a note that keeps its own title.
ADMONITION_KINDS = {
    **dict.fromkeys(("tip", "hint", "success", "check", "done"), "tip"),
    **dict.fromkeys(("important", "example"), "important"),
    **dict.fromkeys(("warning", "attention", "failure", "fail", "missing"), "warning"),
    **dict.fromkeys(("caution", "danger", "error", "bug"), "caution"),
}
_ADMONITION = re.compile(
    r'^(?P<marker>!!!|\?\?\?\+?)(?: *(?P<types>[\w-]+(?: +[\w-]+)*))?(?: +"(?P<title>[^"]*)")? *$'
)
_TAB = re.compile(r'^===[+!]{0,2} +"(?P<title>[^"]*)" *$')
_TAB_SET = BlockInfo("tabset")
_BODY_INDENT = 4


def admonitions_plugin(md: MarkdownIt) -> None:
    """Before indented code, so that a marker's body is never read as a code block."""
    md.block.ruler.before(
        "code", "admonition", _admonition, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.core.ruler.after("block", "admonition_tab_sets", _group_tabs)


def block_info(line: str) -> BlockInfo | None:
    """What a marker line opens: a callout, a tab, or None when it is no marker."""
    tab = _TAB.match(line)
    if tab is not None:
        selected = ("selected",) if "+" in line.split(" ", 1)[0] else ()  # `===+`
        return BlockInfo("tab", title=tab["title"], classes=selected)
    match = _ADMONITION.match(line)
    titled_details = match is not None and match["marker"] != "!!!" and match["title"] is not None
    if match is None or not (match["types"] or titled_details):
        return None  # `??? "Title"` needs no type, `!!!` does
    kind = (match["types"] or "note").split()[0].lower()  # "inline end" after it: a plain box
    title = match["title"]
    collapse = {"!!!": None, "???": True, "???+": False}[match["marker"]]
    return BlockInfo(
        "callout",
        ADMONITION_KINDS.get(kind, "note"),
        title=kind.capitalize() if title is None else title,
        collapse=collapse,
        shows_title=title != "" or collapse is not None,  # `!!! note ""`: no title bar
    )


def _admonition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start : state.eMarks[start_line]]
    if not line.startswith(("!!!", "???", "===")):
        return False
    info = block_info(line)
    if info is None:
        return False
    if silent:
        return True
    body_indent = state.sCount[start_line] + _BODY_INDENT
    closing = start_line + 1  # the line after the body's last non-blank one
    for number in range(start_line + 1, end_line):
        if state.isEmpty(number):
            continue
        if state.sCount[number] < body_indent:
            break
        closing = number + 1
    old_parent, old_line_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "div"
    state.lineMax = closing  # no lazy continuation runs past the body
    state.blkIndent = body_indent
    token = state.push("div_open", "div", 1)
    token.block = True
    token.markup = line.split(" ", 1)[0]
    token.map = [start_line, closing]
    token.meta["block"] = info
    if info.title:  # Markdown, as in MkDocs: `parse.blocks` gives it its inline markup
        token.meta["title_inline"] = Token("inline", "", 0, content=info.title, map=token.map)
    state.md.block.tokenize(state, start_line + 1, closing)
    token = state.push("div_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_line_max, old_indent
    state.line = closing
    return True


def _group_tabs(state: StateCore) -> None:
    """pymdownx.tabbed's tab sets: consecutive `=== "Tab"` blocks are one set of tabs (`===!`
    starts a new one), which lemma.js makes switch as Quarto's tabsets do."""
    if any(_is_tab(token) for token in state.tokens):
        state.tokens = _grouped(state.tokens)


def _is_tab(token: Token) -> bool:
    return token.type == "div_open" and token.markup.startswith("===")


def _grouped(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        if not _is_tab(tokens[index]):
            out.append(tokens[index])
            index += 1
            continue
        run: list[Token] = []
        while index < len(tokens) and _is_tab(tokens[index]):
            if run and tokens[index].markup.startswith("===!"):
                break  # a new set of tabs
            end = _closing(tokens, index)
            run += [tokens[index], *_grouped(tokens[index + 1 : end]), tokens[end]]
            index = end + 1
        out += [
            _tab_set_token("div_open", 1, run[0]),
            *run,
            _tab_set_token("div_close", -1, run[-1]),
        ]
    return out


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the block `tokens[start]` opens."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _tab_set_token(kind: str, nesting: Literal[-1, 1], beside: Token) -> Token:
    token = Token(kind, "div", nesting, map=beside.map, block=True)
    token.meta["block"] = _TAB_SET
    return token
