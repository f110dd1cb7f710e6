"""TeX to MathML Core at build time: tokens, macros, then our own converter (no math JavaScript).

`convert` is pure and cached: equation numbers and references come out as placeholders that
the post's `EquationRegistry` fills in, so one formula converts the same wherever it appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from lemma.render.texmath.boxes import box_commands
from lemma.render.texmath.braket import braket_commands
from lemma.render.texmath.colortbl import colortbl_commands
from lemma.render.texmath.columns import column_commands
from lemma.render.texmath.commands import commands
from lemma.render.texmath.empheq import empheq_commands
from lemma.render.texmath.environments import environment
from lemma.render.texmath.errors import MathError, MathNote
from lemma.render.texmath.fractions import fraction_commands
from lemma.render.texmath.html_ext import html_commands, link_around
from lemma.render.texmath.katex_names import katex_commands
from lemma.render.texmath.macros import Macro, expand, macro_from_text
from lemma.render.texmath.mathtools import mathtools_commands
from lemma.render.texmath.mhchem import mhchem_commands
from lemma.render.texmath.nodes import Node, raw, text_of, to_string
from lemma.render.texmath.parser import Handler, Parser, RowMarks
from lemma.render.texmath.physics import physics_commands, rows_end
from lemma.render.texmath.plain_forms import plain_form_commands
from lemma.render.texmath.plain_tex import plain_tex_commands
from lemma.render.texmath.spacing import bare_ends
from lemma.render.texmath.spans import span_commands
from lemma.render.texmath.text_symbols import text_symbol_commands
from lemma.render.texmath.tokens import Tok, tokenize

__all__ = [
    "Converted",
    "EquationMark",
    "Macro",
    "MathError",
    "MathNote",
    "convert",
    "macro_from_text",
]

# Inline math does not break across lines. A character of a formula is 0.4 to 1 em wide (0.6 on
# average), and a 320 px phone's line holds 16 em of it: from 16 characters on, a formula may be
# wider than its line. Marking it costs nothing when it fits (its box looks the same).
LONG_INLINE_CHARS = 16


@dataclass(frozen=True, slots=True)
class EquationMark:
    """One numbered line of a display formula: its \\tag (if any) and \\label (if any)."""

    tag: str | None
    label: str | None
    tag_starred: bool = False  # \tag*{x}: shown without parentheses
    subequation: bool = False  # inside \begin{subequations}: numbered 1a, 1b, ... under one number


@dataclass(frozen=True, slots=True)
class Converted:
    mathml: str  # with placeholders for equation numbers and references
    equations: tuple[EquationMark, ...]
    defined: tuple[Macro, ...]  # macros the formula defines, for the rest of the post
    text: str  # what a reader sees, for search and descriptions (no \\phantom)
    glyphs: str  # every character drawn, invisible ones too: the math font's subset needs them
    notes: tuple[MathNote, ...] = ()  # what is not shown as written, for warnings


@cache
def _commands() -> dict[str, Handler]:
    return (
        commands()
        | fraction_commands()
        | plain_tex_commands()
        | text_symbol_commands()
        | mathtools_commands()
        | braket_commands()
        | physics_commands()
        | mhchem_commands()
        | box_commands()
        | plain_form_commands()
        | colortbl_commands()
        | empheq_commands()
        | html_commands()
        | katex_commands()
        | column_commands()
        | span_commands()
    )


@lru_cache(maxsize=8192)
def convert(tex: str, *, display: bool, macros: tuple[Macro, ...] = ()) -> Converted:
    """MathML for `tex`; raises MathError naming the command that could not be converted."""
    if not tex.strip():
        raise MathError("empty formula")
    tokens, defined = expand(tokenize(tex), {macro.name: macro for macro in macros})
    tokens = _independence_idiom(tokens)
    tokens = [Tok("cmd", "\\\\", t.offset) if t.is_cmd("\\newline") else t for t in tokens]
    tokens, subequations = _subequations(tokens)
    if display and _breaks_lines(tokens):  # $$ a \\ b $$: lines, centred, as MathJax shows them
        opening = [Tok("cmd", "\\begin", 0), Tok("{", "{", 0), *_word("gathered"), Tok("}", "}", 0)]
        closing = [Tok("cmd", "\\end", 0), Tok("{", "{", 0), *_word("gathered"), Tok("}", "}", 0)]
        tokens = [*opening, *tokens, *closing]
    if not [token for token in tokens if token.kind != "space"] and defined:
        return Converted("", (), tuple(defined), "", "")
    parser = Parser(tokens, _commands(), environment, display=display)
    items = parser.parse_list(lambda _token: False)
    bare_ends(items)
    body = Node("mrow", items) if len(items) != 1 else items[0]
    equations: list[EquationMark] = []
    if display:
        body, equations = _number(body, items, parser)
    elif parser.marks.tag or parser.marks.label:
        raise MathError("\\tag and \\label belong in display math ($$ on lines of their own)")
    if subequations:
        equations = [replace(mark, subequation=True) for mark in equations]
    text = text_of(body)
    attrs = ' display="block"' if display else ' display="inline"'
    if not display and len(text) >= LONG_INLINE_CHARS:
        attrs += ' class="tex-long"'  # the theme lets it scroll when it is wider than its line
    link_open, link_close, notes = "", "", parser.notes
    if not display:  # $\href{url}{x}$: a link every browser follows, around the formula
        link_open, link_close, notes = link_around(body, notes)
    math = f'<math xmlns="http://www.w3.org/1998/Math/MathML"{attrs}>{to_string(body)}</math>'
    mathml = link_open + math + link_close
    glyphs = text_of(body, phantoms=True)
    return Converted(mathml, tuple(equations), tuple(defined), text, glyphs, tuple(notes))


def _subequations(tokens: list[Tok]) -> tuple[list[Tok], bool]:
    """amsmath's subequations around the formula's environment: the tokens without it, and
    whether it was there (its equations are then numbered 1a, 1b, ...)."""
    text = "".join(t.text for t in tokens if t.kind != "space")
    opening, closing = "\\begin{subequations}", "\\end{subequations}"
    if not (text.startswith(opening) and text.endswith(closing)):
        if opening in text or closing in text:
            raise MathError("subequations must hold the whole formula: $$\\begin{subequations}…$$")
        return tokens, False
    words = [index for index, token in enumerate(tokens) if token.kind != "space"]
    count = 3 + len("subequations")  # \begin, {, the name's letters, }
    return tokens[words[count - 1] + 1 : words[len(words) - count]], True


def _word(text: str) -> list[Tok]:
    return [Tok("char", char, 0) for char in text]


def _breaks_lines(tokens: list[Tok]) -> bool:
    """Whether `\\\\` ends a line outside any group, environment or physics matrix."""
    depth, index = 0, 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "{" or token.is_cmd("\\begin", "\\left"):
            depth += 1
        elif token.kind == "}" or token.is_cmd("\\end", "\\right"):
            depth -= 1
        elif depth == 0 and token.is_cmd("\\\\"):
            return True
        index = rows_end(tokens, index)
    return False


def _independence_idiom(tokens: list[Tok]) -> list[Tok]:
    """\\perp\\!\\!\\!\\perp, the usual TeX for ⫫: browsers ignore negative spaces."""
    if "\\perp" not in {token.text for token in tokens}:
        return tokens
    text = "".join("P" if t.is_cmd("\\perp") else "!" if t.is_cmd("\\!") else "." for t in tokens)
    result, index = [], 0
    for match in re.finditer(r"P!{2,4}P", text):
        result.extend(tokens[index : match.start()])
        result.append(Tok("char", "⫫", tokens[match.start()].offset))
        index = match.end()
    result.extend(tokens[index:])
    return result


def _number(body: Node, items: list[Node], parser: Parser) -> tuple[Node, list[EquationMark]]:
    """Give a display formula its number column when LaTeX would number it."""
    whole = [node for node in items if node.tag != "mspace"]
    if len(parser.outer_tables) == 1 and len(whole) == 1 and whole[0] is parser.outer_tables[0][0]:
        node, table = parser.outer_tables[0]
        merged = _merge([parser.marks, *table.marks])
        if node.tag == "mtable" and table.base == "multline":  # one number, on the last line
            last = _mark(merged, table.numbered)
            if last is None:
                return body, []
            marks: list[EquationMark | None] = [None] * (len(table.rows) - 1) + [last]
            return _with_numbers(node, marks), [last]
        if node.tag == "mtable" and table.numbers_rows:
            marks = [_mark(m, table.numbered) for m in table.marks]
            if table.base == "subnumcases":  # numbered 1a, 1b, ... as in subequations
                marks = [replace(m, subequation=True) if m else None for m in marks]
            if not any(marks):
                return body, []
            return _with_numbers(node, marks), [m for m in marks if m is not None]
        mark = _mark(merged, table.numbered)
    else:
        mark = _mark(parser.marks, False)
    if mark is None:
        return body, []
    single = Node("mtable", [Node("mtr", [Node("mtd", [body]).set(**{"class": "tex-c"})])])
    single.set(**{"class": "tex-gather"}, displaystyle="true")
    return _with_numbers(single, [mark]), [mark]


def _merge(all_marks: list[RowMarks]) -> RowMarks:
    merged = RowMarks()
    for marks in all_marks:
        merged.tag = merged.tag or marks.tag
        merged.tag_starred = merged.tag_starred or marks.tag_starred
        merged.label = merged.label or marks.label
        merged.notag = merged.notag or marks.notag
    return merged


def _mark(marks: RowMarks, numbered: bool) -> EquationMark | None:
    if marks.tag is not None:
        return EquationMark(marks.tag, marks.label, marks.tag_starred)
    if marks.notag or not (numbered or marks.label):
        return None
    return EquationMark(None, marks.label)


def _with_numbers(table: Node, marks: list[EquationMark | None]) -> Node:
    """The table with a number cell at the right of each row and its twin at the left.

    The twin holds the same text, hidden, so that the formula stays centred on the page
    as LaTeX centres it, whatever the numbers' widths.
    """
    counter = 0
    for mtr, mark in zip(table.children, marks, strict=True):
        if mark is None:
            pad = number = ""
        else:
            pad = f"\ue000pad\ue001{counter}\ue002"
            number = f"\ue000num\ue001{counter}\ue002"
            counter += 1
        twin = Node("mtd", [raw(pad)]).set(**{"class": "tex-eqno-pad", "aria-hidden": "true"})
        twin.attrs["data-pagefind-ignore"] = ""  # search and screen readers see one number
        mtr.children.insert(0, twin)
        mtr.children.append(Node("mtd", [raw(number)]).set(**{"class": "tex-eqno"}))
    classes = table.attrs.get("class", "")
    table.attrs["class"] = f"{classes} tex-numbered".strip()
    return table
