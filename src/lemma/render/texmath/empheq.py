"""The empheq package (MathJax loads it by itself): an amsmath environment with something at its
left or right spanning all its rows, \\begin{empheq}[left=L \\empheqlbrace]{align} … \\end{empheq};
and the cell beside a table's rows that it and the cases package's numcases use (`side_cell`).

The inner environment is read as itself (numbered as it would be); what stands beside it is one
more cell spanning its rows, whose \\empheqlbrace and kin grow to their height.
"""

from __future__ import annotations

import copy

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, phantom, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, tokenize

_FENCES = {
    "\\empheqlbrace": ("{", "open"),
    "\\empheqrbrace": ("}", "close"),
    "\\empheqlbrack": ("[", "open"),
    "\\empheqrbrack": ("]", "close"),
    "\\empheqlparen": ("(", "open"),
    "\\empheqrparen": (")", "close"),
    "\\empheqlvert": ("|", "open"),
    "\\empheqrvert": ("|", "close"),
    "\\empheqlVert": ("‖", "open"),
    "\\empheqrVert": ("‖", "close"),
    "\\empheqlangle": ("⟨", "open"),
    "\\empheqrangle": ("⟩", "close"),
}


def _fence(parser: Parser, token: Tok) -> Node:
    char, kind = _FENCES[token.text]
    form = "prefix" if kind == "open" else "postfix"
    return leaf("mo", char, kind, stretchy="true", fence="true", form=form)


def empheq(parser: Parser, token: Tok) -> Node:
    """The empheq environment after its \\begin{empheq}."""
    options = parser.group_tokens(token, optional=True) or []
    inner = parser.text_argument(token)
    body: list[Tok] = []
    depth = 0
    while True:
        following = parser.next()
        if following is None:
            raise MathError("\\begin{empheq} without its \\end{empheq}", token.offset)
        if following.is_cmd("\\begin"):
            depth += 1
        elif following.is_cmd("\\end"):
            if depth == 0:
                if parser.text_argument(following) != "empheq":
                    raise MathError("\\begin{empheq} is closed by another \\end", following.offset)
                break
            depth -= 1
        body.append(following)
    sides = _sides(parser, options, token)
    begin = tokenize(rf"\begin{{{inner}}}", token.offset)
    end = tokenize(rf"\end{{{inner}}}", token.offset)
    nodes = parser.sub_parse([*begin, *body, *end])
    table = nodes[0] if len(nodes) == 1 else None
    if table is None or table.tag != "mtable":
        raise MathError(f"empheq holds an amsmath environment such as align, not {inner}")
    rows = copy.deepcopy(table)
    if "left" in sides:
        table = side_cell(table, [sides["left"]], at_left=True, rows=rows)
    if "right" in sides:
        table = side_cell(table, [sides["right"]], at_left=False, rows=rows)
    return table


def _sides(parser: Parser, options: list[Tok], token: Tok) -> dict[str, Node]:
    """left=… and right=… of the options, converted (box=… and others are named)."""
    sides: dict[str, Node] = {}
    parts: list[list[Tok]] = [[]]
    depth = 0
    for item in options:
        depth += {"{": 1, "}": -1}.get(item.kind, 0)
        if depth == 0 and item.kind == "char" and item.text == ",":
            parts.append([])
        else:
            parts[-1].append(item)
    for part in parts:
        text = "".join(t.text for t in part).strip()
        if not text:
            continue
        key, equals, _ = text.partition("=")
        key = key.strip()
        if not equals or key not in ("left", "right"):
            raise MathError(
                f"\\begin{{empheq}}[{text}]: Lemma reads left= and right=", token.offset
            )
        start = next(i for i, t in enumerate(part) if t.kind == "char" and t.text == "=") + 1
        value = part[start:]
        if len(value) >= 2 and value[0].kind == "{" and value[-1].kind == "}":
            value = value[1:-1]
        sides[key] = row(parser.sub_parse(value))
    return sides


def side_cell(table: Node, content: list[Node], *, at_left: bool, rows: Node | None = None) -> Node:
    """The table with one more cell beside its rows, spanning them all, centred on them. A
    phantom of the rows (`rows`, or the table as it is), of no width, makes the cell as tall as
    they are: its stretchy fences (a brace) grow to their height."""
    ghost = copy.deepcopy(rows if rows is not None else table)
    strut = Node("mpadded", [phantom([ghost])]).set(width="0")
    flat = [part for node in content for part in (_unwrapped(node))]  # the strut's siblings
    inner = [*flat, strut] if at_left else [strut, *flat]
    side = "tex-r" if at_left else "tex-l"
    cell = Node("mtd", [Node("mrow", inner)]).set(**{"class": f"{side} tex-numcases"})
    cell.set(rowspan=str(len(table.children)))
    if table.children:
        first = table.children[0].children
        first.insert(0 if at_left else len(first), cell)
    return table


def _unwrapped(node: Node) -> list[Node]:
    return node.children if node.tag == "mrow" and not node.attrs and node.raw is None else [node]


def empheq_commands() -> dict[str, Handler]:
    return dict.fromkeys(_FENCES, _fence)
