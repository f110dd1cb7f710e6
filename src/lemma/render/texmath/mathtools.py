"""mathtools' commands (MathJax loads the package by itself): laps, \\prescript (and amsmath's
\\sideset, scripts around an operator), \\splitfrac, \\adjustlimits, \\smashoperator,
\\MoveEqLeft, \\shoveleft, \\mathmakebox, \\cramped, \\Aboxed, and its settings (read, with a
warning where they would change the page: \\usetagform, \\mathtoolsset).

Overlaps have no MathML Core element: a lap is an mpadded of no width whose content the theme
moves left by its own width (llap) or half of it (clap), with a CSS transform.
"""

from __future__ import annotations

import copy
import re

from lemma.render.texmath.errors import MathError, MathNote
from lemma.render.texmath.nodes import Node, leaf, phantom, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok

_LAPS = {
    "\\mathllap": "l",
    "\\mathrlap": "r",
    "\\mathclap": "c",
    "\\llap": "l",
    "\\rlap": "r",
    "\\clap": "c",
    "\\crampedllap": "l",
    "\\crampedrlap": "r",
    "\\crampedclap": "c",
    "\\textllap": "l",
    "\\textrlap": "r",
    "\\textclap": "c",
}
_LENGTH = re.compile(r"(-?\d*\.?\d+)(em|ex|pt|px|mu)")
# \MoveEqLeft[n]: the row's first column starts n em left of the others (the theme's classes).
_MOVE_LEFT_EM = frozenset(("1", "2", "3", "4"))


def lap(node: Node, side: str) -> Node:
    """`node` taking no width: it sticks out right (r), left (l) or both ways (c) of its place."""
    if side != "r":
        node = Node("mrow", [node]).set(**{"class": f"tex-{side}lap"})
    return Node("mpadded", [node], kind="ord").set(width="0")


def _lap(parser: Parser, token: Tok) -> Node:
    if token.text.startswith("\\text"):
        body = parser.commands["\\text"](parser, Tok("cmd", "\\text", token.offset))
        return lap(body if body is not None else Node("mrow"), _LAPS[token.text])
    return lap(parser.argument(token), _LAPS[token.text])


def _cramped(parser: Parser, token: Tok) -> Node:
    """\\cramped{x^2}: superscripts set lower, as under a root (CSS math-shift: compact)."""
    parser.group_tokens(token, optional=True)
    return Node("mrow", [parser.argument(token)]).set(**{"class": "tex-cramped"})


def _mathmbox(parser: Parser, token: Tok) -> Node:
    return Node("mrow", [parser.argument(token)])


def _mathmakebox(parser: Parser, token: Tok) -> Node:
    """\\mathmakebox[width][l|c|r]{x}: x in a box of that width, placed as TeX's \\makebox."""
    width = parser.group_tokens(token, optional=True)
    position = parser.group_tokens(token, optional=True)
    body = parser.argument(token)
    if width is None:
        return Node("mrow", [body])
    length = "".join(t.text for t in width).replace(" ", "")
    match = _LENGTH.fullmatch(length)
    if match is None:
        raise MathError(f"{token.text}[{length}]: write a width such as 3em", token.offset)
    number, unit = float(match.group(1)), match.group(2)
    if unit == "mu":
        number, unit = number / 18, "em"
    side = "".join(t.text for t in position or []).strip() or "c"
    if side not in ("l", "c", "r"):
        raise MathError(f"{token.text}: the position is l, c or r, not {side}", token.offset)
    if side == "l":
        children = [body]
    else:
        offset = number if side == "r" else number / 2
        gap = Node("mspace").set(width=f"{offset:g}{unit}")
        children = [gap, lap(body, "l" if side == "r" else "c")]
    return Node("mpadded", children, kind="ord").set(width=f"{number:g}{unit}")


def _prescript(parser: Parser, token: Tok) -> Node:
    """\\prescript{sup}{sub}{base}: scripts before the base (mmultiscripts)."""
    sup, sub, base = (parser.argument(token) for _ in range(3))
    post = [Node("mrow"), Node("mrow")]
    return Node("mmultiscripts", [base, *post, Node("mprescripts"), sub, sup], kind="ord")


def _sideset(parser: Parser, token: Tok) -> Node:
    """amsmath's \\sideset{_a^b}{_c^d}\\sum: scripts at the operator's four corners, its limits
    (\\sum_{n}, after) still below and above it."""
    corners = [_corner_scripts(parser, parser.group_tokens(token) or []) for _ in range(2)]
    parser.skip_spaces()
    base = parser.parse_atom() if parser.peek() is not None else None
    if base is None:
        raise MathError("\\sideset needs an operator after its scripts", token.offset)
    if base.tag == "mo":
        base.set(movablelimits="true")
    (pre_sub, pre_sup), (post_sub, post_sup) = corners
    children = [base, post_sub, post_sup, Node("mprescripts"), pre_sub, pre_sup]
    return Node("mmultiscripts", children, kind=base.kind)


def _corner_scripts(parser: Parser, tokens: list[Tok]) -> tuple[Node, Node]:
    """The subscript and superscript written as _a^b (either may be missing: an empty mrow)."""
    saved = parser.tokens, parser.position
    parser.tokens, parser.position = tokens, 0
    try:
        found = parser.scripts(Node("mrow"))
        if parser.peek() is not None:
            raise MathError("\\sideset's scripts are written _{…} and ^{…}", tokens[0].offset)
    finally:
        parser.tokens, parser.position = saved
    sub = sup = Node("mrow")
    if found.tag in ("msub", "msubsup"):
        sub = found.children[1]
    if found.tag == "msup":
        sup = found.children[1]
    elif found.tag == "msubsup":
        sup = found.children[2]
    return sub, sup


def _splitfrac(parser: Parser, token: Tok) -> Node:
    """A numerator split over two lines, flush left then flush right, no rule between."""
    first, second = parser.argument(token), parser.argument(token)
    quad = Node("mspace").set(width="1em")
    top = Node("mtd", [Node("mrow", [first, quad])]).set(**{"class": "tex-l"})
    bottom = Node("mtd", [Node("mrow", [copy.deepcopy(quad), second])]).set(**{"class": "tex-r"})
    table = Node("mtable", [Node("mtr", [top]), Node("mtr", [bottom])])
    display = "true" if token.text == "\\splitdfrac" else "false"
    return table.set(**{"class": "tex-splitfrac"}, displaystyle=display)


def _vphantom(node: Node) -> Node:
    return Node("mpadded", [phantom([copy.deepcopy(node)])]).set(width="0")


def _with_height(node: Node, other: Node) -> Node:
    return Node("mrow", [node, _vphantom(other)])


def _adjustlimits(parser: Parser, token: Tok) -> Node:
    """\\adjustlimits\\lim_{n}\\sup_{m}: both limits on one baseline, as each operator and limit
    is as tall and deep as the other's."""
    operators: list[Node] = []
    for _ in range(2):
        parser.skip_spaces()
        if parser.peek() is None:
            raise MathError("\\adjustlimits needs two operators with limits", token.offset)
        atom = parser.parse_atom()
        operators.append(parser.scripts(atom if atom is not None else Node("mrow")))
    first, second = operators
    if first.tag != "munder" or second.tag != "munder":
        raise MathError("\\adjustlimits needs two operators with limits below", token.offset)
    (base1, sub1), (base2, sub2) = first.children, second.children
    first.children = [
        Node("mrow", [base1, _vphantom(base2)]),
        Node("mrow", [sub1, _vphantom(sub2)]),
    ]
    second.children = [
        Node("mrow", [base2, _vphantom(base1)]),
        Node("mrow", [sub2, _vphantom(sub1)]),
    ]
    gap = Node("mspace").set(width="0.1667em")
    return Node("mrow", [first, gap, second], kind="funclimits")  # a thin space after, as \lim


def _smashoperator(parser: Parser, token: Tok) -> Node:
    """\\smashoperator{\\sum_{i \\in S}}: the limits take no width beside the operator."""
    parser.group_tokens(token, optional=True)  # [l], [r], [lr]: both sides, as mathtools' default
    node = parser.argument(token)
    target = node.children[0] if node.tag == "mrow" and len(node.children) == 1 else node
    if target.tag not in ("munder", "mover", "munderover"):
        return node
    base, *scripts = target.children
    target.children = [base, *(lap(script, "c") for script in scripts)]
    return node


def _move_eq_left(parser: Parser, token: Tok) -> Node:
    """\\MoveEqLeft[n] (default 2): an `align` row that starts n em left of the alignment point,
    as mathtools' \\hspace{n em}&\\hspace{-n em}: the cell goes on, moved left by the theme."""
    amount = "".join(t.text for t in parser.group_tokens(token, optional=True) or []).strip()
    amount = amount or "2"
    if amount not in _MOVE_LEFT_EM:
        raise MathError(f"\\MoveEqLeft[{amount}]: Lemma moves by 1, 2, 3 or 4 em", token.offset)
    marker = Tok("cmd", f"\\MoveEqLeft@{amount}", token.offset)
    parser.tokens[parser.position : parser.position] = [Tok("&", "&", token.offset), marker]
    return Node("mspace").set(width=f"{amount}em")  # the first column keeps room for the move


def _moved_left(parser: Parser, token: Tok) -> Node:
    amount = token.text.rsplit("@", 1)[1]
    return Node("mrow", parser.parse_rest()).set(**{"class": f"tex-moveleft-{amount}"})


def _vdots_within(parser: Parser, token: Tok) -> Node:
    """\\vdotswithin{=}: ⋮ centred where the = stands in the rows above and below it."""
    argument = parser.argument(token)
    space = {"rel": "0.2778em", "bin": "0.2222em"}.get(argument.kind, "0")  # as {}={} spaces it
    gap = Node("mspace").set(width=space)
    spaced = Node("mrow", [gap, argument, Node("mspace").set(width=space)])
    ghost = Node("mpadded", [phantom([spaced])])
    dots = leaf("mo", "⋮", "ord", lspace="0", rspace="0")
    under = Node("munder", [dots, ghost.set(height="0", depth="0")], kind="ord")
    return under.set(accentunder="true")  # the phantom at its full size, not a script's


def _shove(parser: Parser, token: Tok) -> Node:
    """\\shoveleft{…} and \\shoveright{…}: a middle row of multline set flush left or right."""
    parser.marks.shove = "l" if token.text == "\\shoveleft" else "r"
    return parser.argument(token)


def _aboxed(parser: Parser, token: Tok) -> Node:
    """\\Aboxed{a &= b} in an align row: one frame around both sides of the alignment point,
    drawn as two open boxes that meet there, each as tall as the other."""
    tokens = parser.group_tokens(token) or []
    depth, split = 0, None
    for index, item in enumerate(tokens):
        depth += {"{": 1, "}": -1}.get(item.kind, 0)
        if item.kind == "&" and depth == 0:
            split = index
            break
    if split is None:
        return Node("mrow", [row(parser.sub_parse(tokens))]).set(**{"class": "tex-boxed"})
    left, right = tokens[:split], tokens[split + 1 :]
    opening, closing = Tok("{", "{", token.offset), Tok("}", "}", token.offset)
    right_side = Tok("cmd", "\\Aboxed@right", token.offset)
    parser.tokens[parser.position : parser.position] = [
        *(Tok("&", "&", token.offset), right_side),
        *(opening, *left, closing, opening, *right, closing),
    ]
    return _open_box(row(parser.sub_parse(left)), row(parser.sub_parse(right)), "l")


def _aboxed_right(parser: Parser, token: Tok) -> Node:
    left = parser.argument(token)
    empty = [Tok("{", "{", token.offset), Tok("}", "}", token.offset)]  # {}= as amsmath's cells
    right = row(parser.sub_parse([*empty, *(parser.group_tokens(token) or [])]))
    return _open_box(right, left, "r")


def _open_box(content: Node, other: Node, side: str) -> Node:
    return Node("mrow", [content, _vphantom(other)]).set(**{"class": f"tex-aboxed-{side}"})


def _usetagform(parser: Parser, token: Tok) -> None:
    """\\usetagform{name}: tags in the form \\newtagform gave (read, and left out)."""
    name = parser.text_argument(token)
    if name != "default":
        message = f"\\usetagform{{{name}}}: equation numbers keep LaTeX's (1) form"
        hint = "leave \\usetagform out, or write the number you want with \\tag*{[1]}"
        parser.notes.append(MathNote(message, token.offset, hint))
    return None


def _newtagform(parser: Parser, token: Tok) -> None:
    """\\newtagform{name}[inner]{left}{right}: a form only \\usetagform puts to use."""
    parser.text_argument(token)
    parser.group_tokens(token, optional=True)
    parser.group_tokens(token)
    parser.group_tokens(token)
    return None


def _mathtoolsset(parser: Parser, token: Tok) -> None:
    """\\mathtoolsset{showonlyrefs, …}: mathtools' options, which Lemma leaves out."""
    options = parser.text_argument(token)
    if options:
        message = f"\\mathtoolsset{{{options}}}: mathtools' options are left out"
        hint = "every equation is numbered as without them; use \\notag on a line to leave it out"
        parser.notes.append(MathNote(message, token.offset, hint))
    return None


def mathtools_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(_LAPS, _lap)
    table["\\cramped"] = _cramped
    table["\\mathmbox"] = _mathmbox
    table["\\mathmakebox"] = _mathmakebox
    table["\\prescript"] = _prescript
    table["\\sideset"] = _sideset
    table["\\splitfrac"] = table["\\splitdfrac"] = _splitfrac
    table["\\adjustlimits"] = _adjustlimits
    table["\\smashoperator"] = _smashoperator
    table["\\MoveEqLeft"] = _move_eq_left
    for amount in _MOVE_LEFT_EM:
        table[f"\\MoveEqLeft@{amount}"] = _moved_left
    table["\\shoveleft"] = table["\\shoveright"] = _shove
    table["\\vdotswithin"] = table["\\shortvdotswithin"] = _vdots_within
    table["\\Aboxed"] = _aboxed
    table["\\Aboxed@right"] = _aboxed_right
    table["\\usetagform"] = _usetagform
    table["\\newtagform"] = table["\\renewtagform"] = _newtagform
    table["\\mathtoolsset"] = _mathtoolsset
    table["\\crampedsubstack"] = lambda parser, token: parser.commands["\\substack"](parser, token)
    return table
