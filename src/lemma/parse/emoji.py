"""Emoji shortcodes as pymdownx.emoji reads them (MkDocs Material, GitHub): `:smile:` is 😄.

The names are Twemoji's, as Material's default `twemoji` index has them, read from
pymdown-extensions' own table (`pymdownx.twemoji_db`), aliases (`:+1:`) included. Only the
post's text is read: code, math and links' addresses are other tokens and never change, and a
name glued to a letter or digit on either side (`12:30:45`, `a:b:c`, `http://x:8080:y`) is not
a shortcode.

Material's icons (`:material-check:`, `:octicons-heart-24:`, `:fontawesome-brands-github:`,
`:simple-python:`) are SVG files of its theme, which Lemma does not ship: each becomes an
`mkdocs_icon` token, shown as nothing and reported at its line (`render.icons`).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_SHORTCODE = re.compile(r":[+\-\w]+:")
ICON = re.compile(r":(?:material|fontawesome|octicons|simple)-[\w-]+:")
_URL_START = re.compile(r"[A-Za-z][\w+.-]*://|www\.")


def emoji_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "emoji", _replace)


@cache
def emoji_characters() -> dict[str, str]:
    """`:name:` -> the emoji, aliases included (pymdownx's Twemoji index)."""
    from pymdownx import twemoji_db  # a 3,840-entry table: loaded when a post has a shortcode

    table = {
        name: "".join(chr(int(code, 16)) for code in _codes(entry))
        for name, entry in twemoji_db.emoji.items()
    }
    aliases = twemoji_db.aliases.items()
    table.update({alias: table[name] for alias, name in aliases if name in table})
    return table


def _codes(entry: dict[str, str]) -> list[str]:
    """An entry's code points, with the emoji presentation when it has one (`unicode_alt`)."""
    return entry.get("unicode_alt", entry["unicode"]).split("-")


def _replace(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children or ":" not in token.content:
            continue
        token.children = [part for child in token.children for part in _split(child)]


def _split(child: Token) -> list[Token]:
    if child.type != "text" or child.content.count(":") < 2:
        return [child]
    text = child.content
    parts: list[Token] = []
    kept = 0  # text before this has been moved to `parts`
    last_end = -1  # where the last shortcode ended: two may touch (`:smile::wink:`)
    for match in _SHORTCODE.finditer(text):
        start, end = match.span()
        before_ok = start == 0 or start == last_end or not text[start - 1].isalnum()
        after_ok = end == len(text) or text[end] == ":" or not text[end].isalnum()
        if not (before_ok and after_ok) or _in_url(text, start):
            continue
        name = match.group(0)
        if ICON.fullmatch(name):
            replacement = Token("mkdocs_icon", "", 0, content=name)
        elif (character := emoji_characters().get(name)) is not None:
            replacement = Token("text", "", 0, content=character)
        else:
            continue
        if start > kept:
            parts.append(_text(child, text[kept:start]))
        replacement.meta = dict(child.meta)
        parts.append(replacement)
        kept = last_end = end
    if not parts:
        return [child]
    if kept < len(text):
        parts.append(_text(child, text[kept:]))
    return parts


def _in_url(text: str, start: int) -> bool:
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    return _URL_START.match(text, word_start) is not None


def _text(like: Token, content: str) -> Token:
    token = Token("text", "", 0, content=content)
    token.meta = dict(like.meta)
    return token
