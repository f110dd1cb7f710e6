"""The braket package (MathJax loads it by itself): Dirac's \\bra, \\ket, \\braket and \\set.

Each is the TeX the package writes, read again: \\ket{ψ} is {\\vert {ψ} \\rangle}. In \\braket
and \\set a bar at the argument's top level is the separator: it stays the size of the brackets
in the lower-case forms, and grows with them (\\middle) in \\Braket and \\Set, spaced as a
binary operator, as MathJax sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemma.render.texmath.nodes import Node, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, filled, tokenize

_MEDIUM_SPACE = "0.2222em"


@dataclass(frozen=True, slots=True)
class _Shape:
    opening: str  # the delimiters' commands
    closing: str
    stretchy: bool
    bars: int  # how many bars of the argument are separators (the rest are ordinary |)
    spaced: bool = False  # \Set: a thin space inside the braces


_BRAKETS = {
    "\\braket": _Shape("\\langle", "\\rangle", stretchy=False, bars=1_000),
    "\\Braket": _Shape("\\langle", "\\rangle", stretchy=True, bars=1_000),
    "\\set": _Shape("\\{", "\\}", stretchy=False, bars=1),
    "\\Set": _Shape("\\{", "\\}", stretchy=True, bars=1, spaced=True),
}
# \bra, \ket and kin: the package's definitions, #1 and #2 their arguments.
_MACROS = {
    "\\bra": r"{\langle {#1} \vert}",
    "\\ket": r"{\vert {#1} \rangle}",
    "\\Bra": r"{\left\langle {#1} \right\vert}",
    "\\Ket": r"{\left\vert {#1} \right\rangle}",
    "\\ketbra": r"{\vert {#1} \rangle\langle {#2} \vert}",
    "\\Ketbra": r"{\left\vert {#1} \right\rangle\left\langle {#2} \right\vert}",
}


def _macro(parser: Parser, token: Tok) -> Node:
    template = _MACROS[token.text]
    count = max((int(t.text) for t in tokenize(template) if t.kind == "#"), default=0)
    args = [parser.group_tokens(token) or [] for _ in range(count)]
    return row(parser.sub_parse(filled(template, token.offset, *args)))


def _braket(parser: Parser, token: Tok) -> Node:
    shape = _BRAKETS[token.text]
    content = parser.group_tokens(token) or []
    at = token.offset

    def cmd(name: str) -> Tok:
        return Tok("cmd", name, at)

    separated: list[Tok] = []
    depth, bars, index = 0, 0, 0
    while index < len(content):
        item = content[index]
        index += 1
        depth += {"{": 1, "}": -1}.get(item.kind, 0)
        is_bar = (item.kind == "char" and item.text == "|") or item.is_cmd("\\|")
        if not (is_bar and depth == 0 and bars < shape.bars):
            separated.append(item)
            continue
        bars += 1
        double = item.is_cmd("\\|")
        if not double and index < len(content) and content[index].kind == "char":
            double = content[index].text == "|"
            index += double
        bar = cmd("\\Vert" if double else "\\vert")
        separated.extend([cmd("\\middle"), bar] if shape.stretchy else [bar])
    space = [cmd("\\,")] if shape.spaced else []
    if shape.stretchy:
        opening, closing = [cmd("\\left"), cmd(shape.opening)], [cmd("\\right"), cmd(shape.closing)]
    else:
        opening, closing = [cmd(shape.opening)], [cmd(shape.closing)]
    nodes = parser.sub_parse([*opening, *space, *separated, *space, *closing])
    if shape.stretchy:
        for node in nodes[0].children if nodes and nodes[0].tag == "mrow" else []:
            if node.tag == "mo" and node.attrs.get("symmetric") == "true":
                node.set(lspace=_MEDIUM_SPACE, rspace=_MEDIUM_SPACE)  # a binary operator's
    else:
        for node in nodes:
            if node.tag == "mo" and node.text in ("|", "‖") and node.kind == "fence":
                node.kind = "ord"
                node.set(lspace="0", rspace="0")
    return Node("mrow", nodes, kind="inner" if shape.stretchy else "ord")


def braket_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(_MACROS, _macro)
    table.update(dict.fromkeys(_BRAKETS, _braket))
    return table
