"""Abbreviations as kramdown (Jekyll), Python-Markdown (MkDocs, Pelican) and PHP Markdown Extra
write them: a line `*[HTML]: Hyper Text Markup Language` anywhere in the post defines one and
shows nothing, and every whole word HTML of the post's text becomes
`<abbr title="Hyper Text Markup Language">HTML</abbr>`. Left alone, the definitions showed as
text and the abbreviations had no explanation.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import escape

_DEFINITION = re.compile(r"\*\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<title>.*)$")
_ENV_KEY = "abbreviations"


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "reference", "abbreviation", _definition, {"alt": ["paragraph", "reference"]}
    )
    md.core.ruler.after("inline", "abbreviations", _wrap)


def _definition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    start = state.bMarks[start_line] + state.tShift[start_line]
    match = _DEFINITION.match(state.src[start : state.eMarks[start_line]])
    if match is None or not match["label"].strip():
        return False
    if silent:
        return True
    found: dict[str, str] = state.env.setdefault(_ENV_KEY, {})
    found.setdefault(match["label"].strip(), match["title"].strip())  # the first one counts
    state.line = start_line + 1
    return True


def _wrap(state: StateCore) -> None:
    defined: dict[str, str] = state.env.get(_ENV_KEY) or {}
    if not defined:
        return
    labels = sorted(defined, key=len, reverse=True)  # "HTML5" before "HTML"
    words = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, labels)) + r")(?!\w)")
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = [
                part for child in token.children for part in _split(child, words, defined)
            ]


def _split(child: Token, words: re.Pattern[str], defined: dict[str, str]) -> list[Token]:
    if child.type != "text" or words.search(child.content) is None:
        return [child]
    parts: list[Token] = []
    position = 0
    for match in words.finditer(child.content):
        if match.start() > position:
            parts.append(_text(child.content[position : match.start()]))
        title = escape(defined[match.group(1)])
        parts.append(_html(f'<abbr title="{title}">{escape(match.group(1))}</abbr>'))
        position = match.end()
    if position < len(child.content):
        parts.append(_text(child.content[position:]))
    return parts


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token
