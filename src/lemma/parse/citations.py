"""Pandoc's citation syntax: `[@key]`, `[see @a, p. 33; @b]`, `[-@key]` and `@key` in prose.

Citations and cross-references share it (`@thm-convex` is a reference to a label, `@knuth84`
to a bibliography entry): this rule only reads the syntax into a `citation` token whose
`meta["items"]` are `CiteItem`s; which is which, and whether the key exists, is decided when
the post is rendered, where the bibliography and the labels are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# Pandoc: a key starts with a letter, digit or _, and may hold :.#$%&-+?<>~/ between those.
_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_ITEM = re.compile(
    rf"^\s*(?P<prefix>[^@]*?)\s*(?P<minus>-?)@(?P<key>{_KEY})(?P<suffix>[^@]*?)\s*$", re.DOTALL
)
PROSE_KEY = re.compile(rf"@(?P<key>{_KEY})")
_MAX_BRACKET = 1000  # a citation's brackets hold a few keys, not a paragraph: stay linear


@dataclass(frozen=True, slots=True)
class CiteItem:
    key: str
    prefix: str = ""  # "see" in [see @key]
    suffix: str = ""  # "p. 33" in [@key, p. 33], without the comma
    suppress_author: bool = False  # [-@key]: the year (or number) alone


def citations_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation_bracketed", _bracketed)
    md.inline.ruler.before("link", "citation_prose", _prose)


def _bracketed(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[" or state.src.startswith("[^", start):
        return False
    end = state.src.find("]", start + 1, start + _MAX_BRACKET)
    if end < 0 or "@" not in state.src[start + 1 : end] or "[" in state.src[start + 1 : end]:
        return False
    if end + 1 < state.posMax and state.src[end + 1] in "([":
        return False  # [@x](url) and [@x][ref] are links, as in pandoc
    items = parse_items(state.src[start + 1 : end])
    if items is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = state.src[start : end + 1]
        token.meta["items"] = items
        token.meta["bracketed"] = True
    state.pos = end + 1
    return True


def parse_items(text: str) -> tuple[CiteItem, ...] | None:
    """The items of a bracketed citation, or None when a part of it is not a citation."""
    items = []
    for part in text.split(";"):
        match = _ITEM.match(part)
        if match is None:
            return None
        suffix = match["suffix"].strip()
        items.append(
            CiteItem(
                key=match["key"],
                prefix=match["prefix"].strip(),
                suffix=suffix.removeprefix(",").strip(),
                suppress_author=bool(match["minus"]),
            )
        )
    return tuple(items)


def _prose(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "@":
        return False
    if start > 0 and (state.src[start - 1].isalnum() or state.src[start - 1] in "_@."):
        return False  # an e-mail address or a matrix product written without spaces
    match = PROSE_KEY.match(state.src, start, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta["items"] = (CiteItem(match["key"]),)
        token.meta["bracketed"] = False
    state.pos = match.end()
    return True
