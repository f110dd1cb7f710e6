"""amscd's commutative diagrams (MathJax loads the package by itself): \\begin{CD}…\\end{CD}.

A row of objects and horizontal arrows (A @>f>> B), or a row of vertical arrows (@VgVV @AAhA),
each an mtable row: objects and vertical arrows in the even columns, horizontal arrows in the
odd ones. A vertical arrow's labels stick out at its sides (laps) so that it stays under its
object; a horizontal arrow is a long arrow (⟶), longer under a long label.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.mathtools import lap
from lemma.render.texmath.nodes import Node, leaf, row
from lemma.render.texmath.parser import Parser, tighten_script
from lemma.render.texmath.tokens import Tok

_HORIZONTAL = {">": "⟶", "<": "⟵", "=": "="}
_VERTICAL = {"V": "↓", "A": "↑", "|": "‖"}
# A horizontal arrow's least length (MathJax's harrowsize; amscd's \minCDarrowwidth is 2.5 pc,
# 3 em): without it an unlabelled arrow was the long arrow's own 1.6 em, and a square 0.8 times
# as wide as MathJax draws it.
_LEAST = "2.75em"


@dataclass
class _Item:
    kind: str  # "object", "arrow" (horizontal) or "vertical"
    nodes: list[Node]


def commutative_diagram(parser: Parser, token: Tok) -> Node:
    """The CD environment after its \\begin{CD}, up to its \\end{CD}."""
    rows: list[list[_Item]] = [[]]
    current: list[Tok] = []
    outer, parser.style = parser.style, "text"
    try:
        while True:
            following = parser.next()
            if following is None:
                raise MathError("\\begin{CD} without its \\end{CD}", token.offset)
            if following.is_cmd("\\end"):
                if parser.text_argument(following) != "CD":
                    raise MathError("\\begin{CD} is closed by another \\end", following.offset)
                _flush(parser, rows[-1], current)
                break
            if following.is_cmd("\\\\"):
                _flush(parser, rows[-1], current)
                rows.append([])
                current = []
            elif following.kind == "char" and following.text == "@":
                _flush(parser, rows[-1], current)
                current = []
                rows[-1].append(_arrow(parser, following))
            else:
                current.append(following)
    finally:
        parser.style = outer
    rows = [items for items in rows if items]
    width = max((_columns(items) for items in rows), default=1)
    mtrs = [Node("mtr", _cells(items, width)) for items in rows]
    return Node("mtable", mtrs, kind="ord").set(**{"class": "tex-cd"})


def _flush(parser: Parser, items: list[_Item], tokens: list[Tok]) -> None:
    if any(token.kind != "space" for token in tokens):
        items.append(_Item("object", parser.sub_parse(tokens)))


def _arrow(parser: Parser, at: Tok) -> _Item:
    sign = parser.next()
    if sign is None or sign.kind != "char" or sign.text not in "<>AV=|.":
        raise MathError("amscd's arrows are @>>>, @<<<, @VVV, @AAA, @=, @| or @.", at.offset)
    if sign.text == ".":
        return _Item("vertical", [])
    if sign.text in "=|":
        labels: list[Node] = [Node("mrow"), Node("mrow")]
    else:
        labels = [_label(parser, sign), _label(parser, sign)]
    if sign.text in _HORIZONTAL:
        return _Item("arrow", [_horizontal(_HORIZONTAL[sign.text], *labels)])
    return _Item("vertical", [_vertical(_VERTICAL[sign.text], *labels)])


def _label(parser: Parser, sign: Tok) -> Node:
    """The label up to the next arrow sign (@>f>> has f above and nothing below)."""
    found: list[Tok] = []
    depth = 0
    while (following := parser.next()) is not None:
        depth += {"{": 1, "}": -1}.get(following.kind, 0)
        if depth == 0 and following.kind == "char" and following.text == sign.text:
            return tighten_script(Node("mstyle", parser.sub_parse(found)).set(scriptlevel="1"))
        found.append(following)
    raise MathError(f"the amscd arrow @{sign.text} is never closed", sign.offset)


def _horizontal(char: str, above: Node, below: Node) -> Node:
    """A long arrow with its labels, as long as they are (the site's font stretches ⟶ and =),
    and at least _LEAST: a side without a label holds a space that long (Chromium does not
    stretch an arrow along the line to its minsize)."""
    arrow = leaf("mo", char, "rel", stretchy="true")
    pad = Node("mspace").set(width="0.3em")
    over = Node("mrow", [pad, above, Node("mspace").set(width="0.3em")])
    # The space is at the text's size, not the labels' (scriptlevel 0).
    least = Node("mstyle", [Node("mspace").set(width=_LEAST)]).set(scriptlevel="0")
    if not below.children:
        below = least
    elif not above.children:
        over = least
    return Node("munderover", [arrow, below, over], kind="rel")


def _vertical(char: str, left: Node, right: Node) -> Node:
    arrow = leaf("mo", char, "rel", stretchy="true", minsize="2em", symmetric="true")
    gap = Node("mspace").set(width="0.2em")
    sides = [lap(Node("mrow", [left, gap]), "l"), arrow, lap(Node("mrow", [gap, right]), "r")]
    return Node("mrow", sides, kind="ord")


def _columns(items: list[_Item]) -> int:
    if any(item.kind == "vertical" for item in items):
        return 2 * len(items) - 1
    return len(_horizontal_cells(items))


def _horizontal_cells(items: list[_Item]) -> list[list[Node]]:
    """Objects and arrows alternating, an empty object where two arrows meet."""
    cells: list[list[Node]] = []
    for item in items:
        expects_object = len(cells) % 2 == 0
        if (item.kind == "arrow") == expects_object:  # an arrow where an object goes, or back
            cells.append([])
        cells.append(item.nodes)
    return cells


def _cells(items: list[_Item], width: int) -> list[Node]:
    if any(item.kind == "vertical" for item in items):
        cells: list[list[Node]] = []
        for item in items:
            if cells:
                cells.append([])
            cells.append(item.nodes if item.kind == "vertical" else [])
    else:
        cells = _horizontal_cells(items)
    cells += [[] for _ in range(width - len(cells))]
    return [Node("mtd", [row(nodes) if nodes else Node("mrow")]) for nodes in cells]
