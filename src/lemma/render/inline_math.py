"""Math in a title or an excerpt: MathML where the page shows it, readable text elsewhere.

Titles like "The $\\lambda$-calculus of $O(n^2)$" are written by math bloggers in every tool. In
a heading, a listing or the post navigation the formulas become MathML (`inline_html`); in the
`<title>`, the feed, link previews and the search index they become text a reader can read,
"The λ-calculus of O(n²)" (`inline_text`). Only math is read, with the body's rules for where it
starts and ends (money stays money): a title is not Markdown, so `*` and `_` stay as written.

In titles, excerpts and bodies alike a formula is kept on one line with the characters written
against it (`glue_math`): "$\\lambda$-calculus" or "($x$)," never wraps between λ and "-calculus".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.dollarmath import dollarmath_plugin

from lemma.parse.mathsyntax import math_syntax_plugin
from lemma.render.texmath import MathError, convert
from lemma.render.texmath.symbols import char_kind

_MATH = ("math_inline", "math_inline_double")
NOWRAP_OPEN, NOWRAP_CLOSE = "nowrap_open", "nowrap_close"
_GLUED_KEY = "lemma_math_glued"
_GLUE_LIMIT = 24  # a longer run (a URL, say) keeps only its first character against the formula
_LEADING = re.compile(r"^\S+")
_TRAILING = re.compile(r"\S+$")
# The converter writes a minus as U+2212 (x^{-1}, a charge's SO4^{2-}): it has its script too.
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-\u2212=()abcdeghijklmnoprstuvwxyz",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip("0123456789+-\u2212=()aeijknmotx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₖₙₘₒₜₓ", strict=True)
)
# Each accent the converter writes (and the ASCII ones of hand-written MathML) as the combining
# mark a text puts over one letter: \hat{x} reads "x̂".
_ACCENTS = {
    **{"^": "\u0302", "~": "\u0303", "→": "\u20d7"},
    **{"ˆ": "\u0302", "˜": "\u0303", "¯": "\u0304", "˙": "\u0307", "¨": "\u0308"},
    **{"ˇ": "\u030c", "˘": "\u0306", "´": "\u0301", "`": "\u0300", "\u20d7": "\u20d7"},
}


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
    for token in glue_math(_parts(text)):
        if token.type == NOWRAP_OPEN:
            parts.append('<span class="nowrap">')
            continue
        if token.type == NOWRAP_CLOSE:
            parts.append("</span>")
            continue
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
            # A formula that only defines a macro shows nothing: no MathML at all.
            mathml = convert(token.content, display=False).mathml
            parts.append(formula_text(mathml) if mathml else "")
        except (MathError, ET.ParseError):
            parts.append(f"{token.markup}{token.content}{token.markup}")
    return "".join(parts)


@lru_cache(maxsize=4096)  # posts repeat their formulas ($x_i$, $\theta$): parsed once a build
def formula_text(mathml: str | bytes) -> str:
    """One `<math>` element as plain text: "O(n²)", "x̂ₖ = 1/n ∑ᵢ xᵢ". Raises ET.ParseError."""
    return _single_spaced(_text(ET.fromstring(mathml)))


def glue_math(children: Sequence[Token]) -> list[Token]:
    """`children` (an inline token's) with each inline formula and the text written against it,
    before and after with no space between ("($x$),"), inside a `<span class="nowrap">`. The
    tokens given are never changed: split text is new tokens."""
    if not any(token.type == "math_inline" for token in children):
        return list(children)
    glued: list[Token] = []
    index = 0
    while index < len(children):
        token = children[index]
        index += 1
        if token.type != "math_inline":  # `$$…$$` in a sentence is a display: a line of its own
            glued.append(token)
            continue
        group: list[Token] = []
        if glued and glued[-1].type == "text":
            before = glued.pop()
            head, lead = _split_trailing(before.content)
            if head:
                glued.append(_text_token(head, before))
            if lead:
                group.append(_text_token(lead, before))
        group.append(token)
        tail = None
        while index < len(children) and children[index].type == "text":
            after = children[index]
            trail, rest = _split_leading(after.content)
            if not trail:
                break
            index += 1
            group.append(_text_token(trail, after))
            if not rest and index < len(children) and children[index].type == "math_inline":
                group.append(children[index])  # "$a$,$b$": one group
                index += 1
                continue
            if rest:
                tail = _text_token(rest, after)
            break
        if len(group) == 1:
            glued.append(token)
        else:
            glued.extend([_nowrap(NOWRAP_OPEN, 1), *group, _nowrap(NOWRAP_CLOSE, -1)])
        if tail is not None:
            glued.append(tail)
    return glued


def _split_trailing(text: str) -> tuple[str, str]:
    """`text` as (what may wrap, the run of non-space characters at its end)."""
    run = _TRAILING.search(text)
    if run is None:
        return text, ""
    kept = run.group() if len(run.group()) <= _GLUE_LIMIT else run.group()[-1]
    return text[: len(text) - len(kept)], kept


def _split_leading(text: str) -> tuple[str, str]:
    """`text` as (the run of non-space characters at its start, the rest)."""
    run = _LEADING.match(text)
    if run is None:
        return "", text
    kept = run.group() if len(run.group()) <= _GLUE_LIMIT else run.group()[0]
    return kept, text[len(kept) :]


def glue_math_tokens(tokens: Sequence[Token]) -> None:
    """`glue_math` on the children of each inline token of a body, once (tokens may be reused)."""
    for token in tokens:
        if token.type == "inline" and token.children and not token.meta.get(_GLUED_KEY):
            token.children = glue_math(token.children)
            token.meta[_GLUED_KEY] = True


def _text_token(content: str, like: Token) -> Token:
    token = Token("text", "", 0, content=content)
    token.meta = dict(like.meta)
    return token


def _nowrap(kind: str, nesting: Literal[1, -1]) -> Token:
    token = Token(kind, "span", nesting)
    if nesting == 1:
        token.attrSet("class", "nowrap")
    return token


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
    # A phantom only sizes, and an equation number's hidden twin only centres: nobody reads them.
    if tag in ("annotation", "mphantom") or element.get("aria-hidden") == "true":
        return ""
    children = [_text(child) for child in element]
    if tag == "mover" and len(children) == 2 and children[1] in _ACCENTS and len(children[0]) == 1:
        return children[0] + _ACCENTS[children[1]]
    if tag in ("mtr", "mlabeledtr"):  # the cells of a row, apart; the rows of a table, apart
        return " ".join(children)
    if tag == "mtable":
        return "; ".join(children)
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
    if tag == "mspace":  # a backward space (\\!) and a strut (no width: a row's) read as none
        silent = element.get("class", "").startswith("tex-back") or element.get("width") is None
        return "" if silent else " "
    if tag == "mo":
        return _spaced_operator(element)
    return (element.text or "").strip() + "".join(children)


def _spaced_operator(element: ET.Element) -> str:
    """A relation or binary operator with a space on each side, a comma with one after it, as
    the formula shows them: "a + b = c", "p ∈ [0, 1]". An operator the converter set tight (a
    sign, "−x"; anything in a script, "i=1") carries its own lspace and stays as it is."""
    text = (element.text or "").strip()
    if len(text) > 1:  # a word set as an operator: a \\bmod b, (mod n)
        before = " " if element.get("lspace", "0") != "0" else ""
        after = " " if element.get("rspace", "0") != "0" else ""
        return before + text + after
    if "lspace" in element.attrib:
        return text
    kind = char_kind(text)
    if kind in ("rel", "bin"):
        return f" {text} "
    return f"{text} " if kind == "punct" else text


def _single_spaced(text: str) -> str:
    return re.sub(r"  +", " ", text).strip()


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return mark + _grouped(text)


def _grouped(text: str) -> str:
    return text if len(text) <= 1 else f"({text})"
