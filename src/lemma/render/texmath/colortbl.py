"""colortbl's coloured cells (MathJax loads the package by itself): \\cellcolor, \\rowcolor, and
\\columncolor in an array's column spec (>{\\columncolor{yellow}}c): the cell's mathbackground.

\\cellcolor and \\rowcolor leave a marker in their cell, which the environment takes out and
turns into the colour of the cell, or of every cell of the row.
"""

from __future__ import annotations

import re

from lemma.render.texmath.boxes import ground
from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok

Colour = dict[str, str]  # mathbackground, and the class that keeps text readable on it
_COLUMN = re.compile(r">\{\\columncolor(?:\[(\w+)\])?\{([^{}]*)\}\}")


def _mark(parser: Parser, token: Tok) -> Node:
    model = parser.group_tokens(token, optional=True)
    spec = parser.text_argument(token)
    colour = _colour("".join(t.text for t in model or []), spec, token)
    scope = "row" if token.text == "\\rowcolor" else "cell"
    return Node("tex-colour").set(scope=scope, **colour)


def _colour(model: str, spec: str, token: Tok) -> Colour:
    from lemma.render.texmath.commands import colour_from_model

    return ground(colour_from_model(model, spec.strip(), token))


def take_colours(cell: Node) -> tuple[Colour | None, Colour | None]:
    """The cell's colour and its row's, the markers taken out of the cell."""
    found: dict[str, Colour] = {}
    kept = []
    for child in cell.children:
        if child.tag == "tex-colour":
            scope = child.attrs.pop("scope")
            found[scope] = dict(child.attrs)
        else:
            kept.append(child)
    cell.children = kept
    return found.get("cell"), found.get("row")


def column_colours(spec: str) -> tuple[str, list[Colour | None]]:
    """An array's column spec without its >{\\columncolor{…}}, and each column's colour."""
    colours: list[Colour | None] = []
    plain = ""
    pending: Colour | None = None
    index = 0
    while index < len(spec):
        match = _COLUMN.match(spec, index)
        if match is not None:
            token = Tok("cmd", "\\columncolor", 0)
            pending = _colour(match.group(1) or "", match.group(2), token)
            index = match.end()
            continue
        char = spec[index]
        if char in "@pmb" and spec[index + 1 : index + 2] == "{":  # @{text}, p{3cm}: as written
            end = _group_end(spec, index + 1)
            if char != "@":
                colours.append(pending)
                pending = None
            plain += spec[index:end]
            index = end
            continue
        if char == ">":
            raise MathError(f"array column spec '{spec}': Lemma reads >{{\\columncolor{{…}}}} only")
        if char in "lcr":
            colours.append(pending)
            pending = None
        plain += char
        index += 1
    return plain, colours


def _group_end(spec: str, index: int) -> int:
    """The index after the braced group that opens at `index` (the end, when it is not closed)."""
    depth = 0
    for end in range(index, len(spec)):
        depth += {"{": 1, "}": -1}.get(spec[end], 0)
        if depth == 0:
            return end + 1
    return len(spec)


def paint(mtd: Node, colour: Colour | None) -> None:
    if colour is None:
        return
    mtd.set(mathbackground=colour["mathbackground"])
    if "ink" in colour:
        classes = mtd.attrs.get("class", "")
        mtd.attrs["class"] = f"{classes} {colour['ink']}".strip()


def colortbl_commands() -> dict[str, Handler]:
    return {"\\cellcolor": _mark, "\\rowcolor": _mark}
