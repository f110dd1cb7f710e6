"""Math in a title or an excerpt: MathML where the page shows it, readable text elsewhere.

Titles like "The $\\lambda$-calculus of $O(n^2)$" are written by math bloggers in every tool. In
a heading, a listing or the post navigation the formulas become MathML (`inline_html`); in the
`<title>`, the feed, link previews and the search index they become text a reader can read,
"The λ-calculus of O(n²)" (`inline_text`). Only math is read, with the body's rules for where it
starts and ends (money stays money): a title is not Markdown, so `*` and `_` stay as written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.dollarmath import dollarmath_plugin

from lemma.parse.mathsyntax import math_syntax_plugin
from lemma.render.texmath import MathError, convert

_MATH = ("math_inline", "math_inline_double")
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdeghijklmnoprstuvwxyz",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(zip("0123456789+-=()aeijknmotx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₘₒₜₓ", strict=True))
_ACCENTS = {"^": "\u0302", "~": "\u0303", "¯": "\u0304", "˙": "\u0307", "→": "\u20d7"}


def has_math(text: str) -> bool:
    """Whether `text` may hold a formula (a cheap test before parsing it)."""
    return "$" in text or "\\(" in text


def inline_html(text: str, to_mathml: Callable[[str], str]) -> tuple[str, list[str]]:
    """`text` as HTML, its formulas made by `to_mathml` (which may raise MathError); and the
    formulas that could not be read, left as they were written."""
    if not has_math(text):
        return str(escape(text)), []
    parts: list[str] = []
    unread: list[str] = []
    for token in _parts(text):
        if token.type not in _MATH:
            parts.append(str(escape(token.content)))
            continue
        try:
            parts.append(to_mathml(token.content))
        except MathError:
            unread.append(token.content)
            parts.append(str(escape(f"{token.markup}{token.content}{token.markup}")))
    return "".join(parts), unread


@lru_cache(maxsize=4096)
def inline_text(text: str) -> str:
    """`text` with its formulas as plain text: "$O(n^2)$" reads "O(n²)"."""
    if not has_math(text):
        return text
    parts: list[str] = []
    for token in _parts(text):
        if token.type not in _MATH:
            parts.append(token.content)
            continue
        try:
            mathml = convert(token.content, display=False).mathml
        except MathError:
            parts.append(f"{token.markup}{token.content}{token.markup}")
            continue
        if mathml:  # a formula that only defines macros shows nothing
            parts.append(_text(ET.fromstring(mathml)))
    return "".join(parts)


def _parts(text: str) -> Sequence[Token]:
    tokens = _parser().parseInline(text)
    return tokens[0].children or [] if tokens else []


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["escape"])  # `\$5` is a dollar sign, nothing else is Markdown
    md.use(dollarmath_plugin, double_inline=True, allow_space=False, allow_digits=False)
    math_syntax_plugin(md)
    return md


def _text(element: ET.Element) -> str:
    """The text of a MathML element, scripts and fractions written as one writes them in text."""
    tag = element.tag.rpartition("}")[2]
    children = [_text(child) for child in element]
    if tag == "annotation":
        return ""
    if tag == "mover" and len(children) == 2 and children[1] in _ACCENTS:
        return children[0] + _ACCENTS[children[1]]
    if tag in ("msup", "msub", "mover", "munder") and len(children) == 2:
        above = tag in ("msup", "mover")
        table, mark = (_SUPERSCRIPTS, "^") if above else (_SUBSCRIPTS, "_")
        return children[0] + _script(children[1], table, mark)
    if tag in ("msubsup", "munderover") and len(children) == 3:
        return (
            children[0]
            + _script(children[1], _SUBSCRIPTS, "_")
            + _script(children[2], _SUPERSCRIPTS, "^")
        )
    if tag == "mfrac" and len(children) == 2:
        return f"{_grouped(children[0])}/{_grouped(children[1])}"
    if tag == "msqrt":
        return "√" + _grouped("".join(children))
    if tag == "mroot" and len(children) == 2:
        return _script(children[1], _SUPERSCRIPTS, "^") + "√" + _grouped(children[0])
    if tag == "mspace":
        return " "
    return (element.text or "").strip() + "".join(children)


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return mark + _grouped(text)


def _grouped(text: str) -> str:
    return text if len(text) <= 1 else f"({text})"
