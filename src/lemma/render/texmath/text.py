"""\\text{…} and its kin: runs of text in one style each, with $…$ math, accents and symbols."""

from __future__ import annotations

import unicodedata

from markupsafe import escape

from lemma.render.texmath.alphabets import styled
from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, raw, row
from lemma.render.texmath.parser import Parser
from lemma.render.texmath.symbols import symbol
from lemma.render.texmath.text_symbols import TEXT_CHARACTERS
from lemma.render.texmath.tokens import Tok

TEXT_STYLES = {
    "\\textrm": "text",
    "\\text": "text",
    "\\textnormal": "text",
    "\\mbox": "text",
    "\\hbox": "text",
    "\\textit": "text-italic",
    "\\textbf": "text-bold",
    "\\textup": "text",
    "\\textmd": "text",
    "\\emph": "text-italic",
    "\\textsl": "text-italic",
    "\\textsf": "text-sans",
    "\\texttt": "text-mono",
    "\\textsc": "text-sc",
}
# Text accents (\'e, \"o, \v{c}): the letter and a combining mark, composed where Unicode can.
_TEXT_ACCENTS = {
    "\\'": "\u0301",
    "\\`": "\u0300",
    "\\^": "\u0302",
    '\\"': "\u0308",
    "\\~": "\u0303",
    "\\=": "\u0304",
    "\\.": "\u0307",
    "\\u": "\u0306",
    "\\v": "\u030c",
    "\\H": "\u030b",
    "\\c": "\u0327",
    "\\r": "\u030a",
}
_TEXT_VARIANTS = {
    "text-italic": "italic",
    "text-bold": "bold",
    "text-sans": "sans-serif",
    "text-mono": "monospace",
    "text-sc": "small-caps",
}


def text_argument(parser: Parser, token: Tok, style: str) -> Node:
    """The argument of \\text (or \\textbf, ...) as mtext runs and its $…$ parts as math."""
    variant = _TEXT_VARIANTS.get(style)
    parts = split_dollars(parser.group_tokens(token) or [])
    nodes: list[Node] = []
    for index, part in enumerate(parts):
        if index % 2:
            nodes.append(row(parser.sub_parse(part)))
        elif part:
            nodes.extend(_text_runs(part, variant))
    return row(nodes) if nodes else leaf("mtext", "", "ord")


def split_dollars(tokens: list[Tok]) -> list[list[Tok]]:
    """Text, math, text, ...: the parts of \\text{…} (or \\tag{…}) between its $ signs (or
    \\( and \\), as MathJax's textmacros reads them)."""
    parts: list[list[Tok]] = [[]]
    for item in tokens:
        if (item.kind == "char" and item.text == "$") or item.is_cmd("\\(", "\\)"):
            parts.append([])
        else:
            parts[-1].append(item)
    return parts


def _text_runs(tokens: list[Tok], variant: str | None) -> list[Node]:
    """The text of \\text{…} as runs of one style each: \\textbf{…} inside starts another."""
    runs: list[Node] = []
    plain: list[Tok] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        style = TEXT_STYLES.get(token.text, "") if token.kind == "cmd" else ""
        if token.is_cmd("\\ref", "\\eqref"):  # a link to an equation, in the text's flow
            if plain:
                runs.append(_text_node(_quotes(plain_text(plain)), variant))
                plain = []
            group, index = _group_at(tokens, index)
            label = "".join(t.text for t in group).strip()
            runs.append(raw(f"<mtext>\ue000{token.text[1:]}\ue001{escape(label)}\ue002</mtext>"))
            continue
        if not style.startswith("text"):
            plain.append(token)
            continue
        if plain:
            runs.append(_text_node(_quotes(plain_text(plain)), variant))
            plain = []
        group, index = _group_at(tokens, index)
        inner = _TEXT_VARIANTS.get(style)
        runs.extend(_text_runs(group, inner if style != "text" else variant))
    if plain or not runs:
        runs.append(_text_node(_quotes(plain_text(plain)), variant))
    return runs


def _group_at(tokens: list[Tok], index: int) -> tuple[list[Tok], int]:
    """The {group} (or one token) at `index` of a list, and the index after it."""
    while index < len(tokens) and tokens[index].kind == "space":
        index += 1
    if index >= len(tokens):
        return [], index
    if tokens[index].kind != "{":
        return [tokens[index]], index + 1
    depth, start = 0, index
    for stop in range(index, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[stop].kind, 0)
        if depth == 0:
            return tokens[start + 1 : stop], stop + 1
    raise MathError("a '{' is never closed", tokens[start].offset)


def _text_node(text: str, variant: str | None) -> Node:
    if variant == "small-caps":  # no Unicode alphabet: the theme's font-variant
        return leaf("mtext", text, "ord", **{"class": "tex-sc"})
    text = styled(text, variant) if variant else text
    if text.strip():  # spaces at the edges of an mtext collapse: keep them as no-break spaces
        lead, trail = len(text) - len(text.lstrip(" ")), len(text) - len(text.rstrip(" "))
        text = "\u00a0" * lead + text.strip(" ") + "\u00a0" * trail
    return leaf("mtext", text, "ord")


def plain_text(tokens: list[Tok]) -> str:
    parts = []
    accent = ""
    for token in tokens:
        if token.kind in ("{", "}"):
            continue
        if token.kind == "cmd" and token.text in _TEXT_ACCENTS:
            accent = _TEXT_ACCENTS[token.text]
            continue
        if accent and token.kind == "char":
            parts.append(unicodedata.normalize("NFC", token.text + accent))
            accent = ""
            continue
        if token.kind == "cmd":
            found = symbol(token.text)
            if token.text in ("\\ ", "\\,", "\\quad"):
                parts.append(" ")
            elif token.text in TEXT_CHARACTERS:
                parts.append(TEXT_CHARACTERS[token.text])
            elif found is not None:
                parts.append(found.char)
            else:
                raise MathError(f"{token.text} inside \\text is not supported", token.offset)
        else:
            parts.append("\u00a0" if token.kind == "~" else token.text)
    return "".join(parts)


def _quotes(text: str) -> str:
    """TeX's quotes in text, as textmacros sets them: ``a'' is “a”, `a' is ‘a’."""
    if "`" not in text and "'" not in text:
        return text
    return text.replace("``", "“").replace("''", "”").replace("`", "‘").replace("'", "’")
