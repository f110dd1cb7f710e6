"""pymdownx's inline marks (MkDocs Material): `==mark==` (pymdownx.mark), `^^insert^^`
(pymdownx.caret), `++ctrl+alt+del++` (pymdownx.keys) and CriticMarkup (pymdownx.critic):
`{++ added ++}`, `{-- deleted --}`, `{~~ old ~> new ~~}`, `{== highlighted ==}`,
`{>> a comment <<}`.

They become `<mark>`, `<ins>`, `<kbd>` keys joined by "+", and critic's `<ins>`, `<del>`,
`<mark>` and a comment span, shown as pymdownx.critic's default "view" mode shows them. A mark
opens only on a non-space and closes only after one, and never inside a word, as in pymdownx's
smart mode (`a == b == c` and `x==1 and y==2` are text).
`~~strike~~` was already read (markdown-it's strikethrough).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# CriticMarkup: (opening, closing, tag); a substitution is {~~ old ~> new ~~}.
_CRITIC = (("{++", "++}", "ins"), ("{--", "--}", "del"), ("{==", "==}", "mark"))
_KEY = r"""(?:[\w-]+|"[^"\n]*"|'[^'\n]*')"""
_KEYS = re.compile(rf"{_KEY}(?:\+{_KEY})*")


def marks_plugin(md: MarkdownIt) -> None:
    # Before strikethrough and the superscript plugin: `^^x^^` is not two `^x^`s.
    md.inline.ruler.before("strikethrough", "critic", _critic)
    md.inline.ruler.before("strikethrough", "mark", _wrapped("==", "mark"))
    md.inline.ruler.before("strikethrough", "insert", _wrapped("^^", "ins"))
    md.inline.ruler.before("strikethrough", "keys", _keys)


def _closing(state: StateInline, marker: str, start: int) -> int:
    """Where `marker` closes a span whose text starts at `start`, or -1."""
    src = state.src
    if start >= state.posMax or src[start].isspace() or src.startswith(marker[0], start):
        return -1
    end = src.find(marker, start + 1, state.posMax)
    while end != -1 and src[end - 1].isspace():
        end = src.find(marker, end + 1, state.posMax)
    return end


def _glued(state: StateInline, start: int, end: int) -> bool:
    """Whether a span from `start` to `end` touches a letter or digit outside it (`x==1 and
    y==2`, `a++b++`): pymdownx's smart marks are never inside a word."""
    src = state.src
    return (start > 0 and src[start - 1].isalnum()) or (end < len(src) and src[end].isalnum())


def _wrapped(marker: str, tag: str):  # type: ignore[no-untyped-def]
    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not state.src.startswith(marker, start):
            return False
        end = _closing(state, marker, start + len(marker))
        if end == -1 or _glued(state, start, end + len(marker)):
            return False
        if not silent:
            _inner(state, start + len(marker), end, tag, marker)
        state.pos = end + len(marker)
        return True

    return rule


def _inner(state: StateInline, start: int, end: int, tag: str, markup: str, css: str = "") -> None:
    """`<tag>` around the inline Markdown between `start` and `end`."""
    opening = state.push(f"{tag}_open", tag, 1)
    opening.markup = markup
    if css:
        opening.attrSet("class", css)
    old_max = state.posMax
    state.pos, state.posMax = start, end
    state.md.inline.tokenize(state)
    state.posMax = old_max
    state.push(f"{tag}_close", tag, -1).markup = markup


def _critic(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("{", start):
        return False
    for opening, closing, tag in (*_CRITIC, ("{~~", "~~}", ""), ("{>>", "<<}", "span")):
        if not src.startswith(opening, start):
            continue
        end = src.find(closing, start + 3, state.posMax)
        if end == -1:
            return False
        if silent:
            state.pos = end + 3
            return True
        if opening == "{~~":  # a substitution: the old text struck out, the new inserted
            arrow = src.find("~>", start + 3, end)
            if arrow == -1:
                return False
            _inner(state, start + 3, arrow, "del", opening, "critic")
            _inner(state, arrow + 2, end, "ins", opening, "critic")
        else:
            css = "critic critic-comment" if tag == "span" else "critic"
            _inner(state, start + 3, end, tag, opening, css)
        state.pos = end + 3
        return True
    return False


def _keys(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("++", start):
        return False
    end = src.find("++", start + 2, state.posMax)
    keys = _KEYS.fullmatch(src, start + 2, end) if end != -1 else None
    if keys is None or _glued(state, start, end + 2):
        return False
    if not silent:
        outer = state.push("keys_open", "kbd", 1)
        outer.attrSet("class", "keys")
        for index, key in enumerate(_split_keys(keys.group(0))):
            if index:
                state.push("text", "", 0).content = "+"
            state.push("key_open", "kbd", 1)
            state.push("text", "", 0).content = key
            state.push("key_close", "kbd", -1)
        state.push("keys_close", "kbd", -1)
    state.pos = end + 2
    return True


def _split_keys(written: str) -> list[str]:
    names = re.findall(_KEY, written)
    return [name[1:-1] if name[0] in "\"'" else key_name(name) for name in names]


def key_name(name: str) -> str:
    """What a key is called on the keyboard (pymdownx.keys' names: `ctrl` is "Ctrl", `pgup`
    "Page Up"); a name it does not know is shown as written."""
    keymap, aliases = _keymap()
    lowered = name.lower()
    return keymap.get(aliases.get(lowered, lowered), name)


@cache
def _keymap() -> tuple[dict[str, str], dict[str, str]]:
    from pymdownx import keymap_db  # pymdown-extensions' table of key names

    return dict(keymap_db.keymap), dict(keymap_db.aliases)
