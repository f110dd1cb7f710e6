"""Older and lower-level spellings MathJax accepts and posts keep: \\bf, \\cal, \\mathrel, \\kern.

- Font switches (`{\\bf x}`, `\\cal L`) style the rest of their group, as in plain TeX.
- `\\mathop`, `\\mathbin`, `\\mathrel`, ... give their argument a TeX class: its spacing (and an
  operator's limits) follow, whatever the characters inside would have had.
- `\\kern`, `\\mkern`, `\\hskip`, `\\mspace` are spaces of a length written after them.
- MathJax's `\\require{…}` is read and left out; the cancel package's strokes are the theme's.
- `\\char"41` (and `\\char65`, `\\char'101`, ``\\char`A``) is the character of that code;
  `\\moveleft`/`\\moveright` shift a box by a space before it, taken back after it.
"""

from __future__ import annotations

import re

from lemma.render.texmath.commands import restyle
from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, phantom, strut_box, text_of
from lemma.render.texmath.parser import Handler, Parser, function
from lemma.render.texmath.spacing import space
from lemma.render.texmath.tokens import Tok

_SWITCHES = {
    "\\bf": "bold",
    "\\rm": "normal",
    "\\it": "italic",
    "\\cal": "script",
    "\\sf": "sans-serif",
    "\\tt": "monospace",
    "\\mit": "italic",
    "\\scr": "script",
    "\\frak": "fraktur",
}
# TeX's spaces around an atom of each class (thin, medium, thick: 3, 4, 5 mu).
_CLASS_SPACE = {"bin": "0.2222em", "rel": "0.2778em"}
_CLASSES = {
    "\\mathbin": "bin",
    "\\mathrel": "rel",
    "\\mathord": "ord",
    "\\mathpunct": "punct",
    "\\mathopen": "open",
    "\\mathclose": "close",
    "\\mathinner": "inner",
}
_LENGTH = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:em|ex|pt|px|mu)")
_UNIT_LETTERS = frozenset("emxptu")


def _switch(parser: Parser, token: Tok) -> Node:
    nodes = parser.parse_rest()
    for node in nodes:
        restyle(node, _SWITCHES[token.text])
    return Node("mrow", nodes)


def _math_class(parser: Parser, token: Tok) -> Node:
    """The argument as one atom of the class: its own operators lose their spacing, and the
    class's spacing goes around the whole (`\\mathrel{:=}` is one relation)."""
    kind = _CLASSES[token.text]
    inner = parser.argument(token)
    _unspaced(inner)
    space = _CLASS_SPACE.get(kind, "0")
    if space == "0":
        return Node("mrow", [inner], kind=kind)
    gap = Node("mspace").set(width=space)
    return Node("mrow", [gap, inner, Node("mspace").set(width=space)], kind=kind)


def _mathop(parser: Parser, token: Tok) -> Node:
    """\\mathop{\\mathrm{sgn}}: an operator name whose limits go below in display math."""
    inner = parser.argument(token)
    name = text_of(inner).replace("\u2009", " ")
    if name and all(char.isalpha() or char == " " for char in name):
        return function(name, limits=True)
    if inner.tag == "mo":
        inner.attrs.update(movablelimits="true", largeop="true")
        inner.kind = "op"
        return inner
    _unspaced(inner)
    return Node("mrow", [inner], kind="limits")


def _unspaced(node: Node) -> None:
    if node.tag == "mo":
        node.attrs.pop("lspace", None)
        node.attrs.pop("rspace", None)
        node.attrs.update(lspace="0", rspace="0")
    for child in node.children:
        _unspaced(child)


def _kern(parser: Parser, token: Tok) -> Node:
    """\\kern1em, \\mkern3mu, \\mspace{3mu}, \\hskip 2pt (its stretch, `plus 1fil`, left out)."""
    length = read_length(parser, token)
    if token.text == "\\hskip":
        _skip_glue(parser)
    return space(length)


def read_length(parser: Parser, token: Tok) -> str:
    """The length written after `token`, {2pt} or 2pt, as CSS (mu in em): \\kern, \\raise."""
    parser.skip_spaces()
    following = parser.peek()
    if following is not None and following.kind == "{":
        length = parser.text_argument(token).replace(" ", "")
    else:
        length = _unbraced_length(parser)
    if not _LENGTH.fullmatch(length):
        shown = repr(length) if length else "nothing"
        raise MathError(
            f"{token.text} needs a length after it, such as 1em, 2pt or 3mu, not {shown}",
            token.offset,
        )
    return f"{float(length[:-2]) / 18:.4f}em" if length.endswith("mu") else length


def _unbraced_length(parser: Parser) -> str:
    """2pt, -.5em: the characters of a length, up to its unit (TeX reads no further)."""
    chars: list[str] = []
    while (token := parser.peek()) is not None and token.kind == "char":
        char = token.text
        if char.isdigit() or char in ".-" or (char in _UNIT_LETTERS and len(chars) > 0):
            chars.append(char)
            parser.position += 1
            if _LENGTH.fullmatch("".join(chars)):
                break
        else:
            break
    return "".join(chars)


def _skip_glue(parser: Parser) -> None:
    """`plus 1fil minus 2pt` after an \\hskip's length: stretch that a formula never uses."""
    words = ("plus", "minus")
    while True:
        parser.skip_spaces()
        start = parser.position
        text = ""
        while (
            (token := parser.peek()) is not None and token.kind == "char" and token.text.isalpha()
        ):
            text += token.text
            parser.position += 1
            if text in words:
                break
        if text not in words:
            parser.position = start
            return
        parser.skip_spaces()
        while (token := parser.peek()) is not None and token.kind == "char":
            if not (token.text.isalnum() or token.text in ".-"):
                break
            parser.position += 1  # 1fil, 2pt, -.5em


def _mathstrut(parser: Parser, token: Tok) -> Node:
    """\\mathstrut: the height and depth of a parenthesis, no width."""
    ghost = phantom([leaf("mo", "(", "open", stretchy="false")])
    return Node("mpadded", [ghost]).set(width="0")


def _strut(parser: Parser, token: Tok) -> Node:
    """\\strut: LaTeX's strut box, 0.84 em high and 0.36 em deep (a parenthesis is 0.74 and
    0.20 em in STIX Two Math, which \\strut was: x\\strut stood 0.82 times MathJax's height)."""
    return strut_box()


def _mathnormal(parser: Parser, token: Tok) -> Node:
    return parser.argument(token)  # math italic is how letters are shown already


def _cancel(parser: Parser, token: Tok) -> Node:
    """The cancel package's strokes (MathJax loads it by itself): a line drawn by the theme over
    the argument's box (tex-cancel /, tex-bcancel \\, tex-xcancel both), as MathML Core has no
    menclose."""
    kind = token.text[1:]
    return Node("mrow", [parser.argument(token)], kind="ord").set(**{"class": f"tex-{kind}"})


def _require(parser: Parser, token: Tok) -> None:
    """MathJax's \\require{cancel} loads an extension: Lemma has no extensions to load, and a
    command the extension would have brought is still named if Lemma lacks it."""
    parser.text_argument(token)
    return None


def _char(parser: Parser, token: Tok) -> Node:
    """\\char"41, \\char65, \\char'101, \\char`A: the character of that code, as a
    character written in the formula is (a letter an <mi>, a sign an <mo>)."""
    parser.skip_spaces()
    first = parser.peek()
    radix, digits = 10, "0123456789"
    if first is not None and first.kind == "char" and first.text in "\"'`":
        parser.position += 1
        if first.text == "`":
            quoted = parser.next()
            if quoted is None:
                raise MathError("\\char` needs a character after it", token.offset)
            code = ord(quoted.text[-1]) if quoted.kind == "cmd" else ord(quoted.text)
            return parser.character(Tok("char", chr(code), token.offset))
        radix, digits = (16, "0123456789ABCDEF") if first.text == '"' else (8, "01234567")
    number = ""
    while (following := parser.peek()) is not None and following.kind == "char":
        if following.text not in digits:
            break
        number += following.text
        parser.position += 1
    if not number or int(number, radix) > 0x10FFFF:
        raise MathError(
            f"\\char{first.text if first is not None and radix != 10 else ''}{number}: "
            "not a character code",
            token.offset,
            hint='write the code in decimal (\\char65), hexadecimal (\\char"41) or octal'
            " (\\char'101)",
        )
    return parser.character(Tok("char", chr(int(number, radix)), token.offset))


def _move(parser: Parser, token: Tok) -> Node:
    """\\moveright 2pt\\hbox{x}, \\moveleft: the box moved by a space before it, taken back
    after it, as MathJax sets it (TeX moves a box of a vertical list; a formula has its line)."""
    length = read_length(parser, token)
    parser.skip_spaces()
    box = parser.parse_atom() if parser.peek() is not None else None
    if box is None:
        raise MathError(f"{token.text} needs a box after its length", token.offset)
    back = length[1:] if length.startswith("-") else "-" + length
    if token.text == "\\moveleft":
        length, back = back, length
    return Node("mrow", [space(length), box, space(back)])


def plain_tex_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(_SWITCHES, _switch)
    table.update(dict.fromkeys(_CLASSES, _math_class))
    table["\\mathop"] = _mathop
    table.update(dict.fromkeys(("\\kern", "\\mkern", "\\hskip", "\\mskip", "\\mspace"), _kern))
    table["\\strut"], table["\\mathstrut"] = _strut, _mathstrut
    table["\\mathnormal"] = table["\\symnormal"] = _mathnormal
    table["\\require"] = _require
    table.update(dict.fromkeys(("\\cancel", "\\bcancel", "\\xcancel"), _cancel))
    table["\\char"] = _char
    table["\\moveleft"] = table["\\moveright"] = _move
    return table
