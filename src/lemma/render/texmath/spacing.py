"""TeX's spaces between atoms that browsers set otherwise: beside operator names and large
operators, none around a sign (a binary operator with nothing to combine), none between two
relations in a row; and spaces written as lengths, negative ones (\\!, \\kern-2pt) included."""

from __future__ import annotations

import itertools

from lemma.render.texmath.nodes import Node

THIN_SPACE = "0.1667em"
# MathML Core has no negative <mspace> (browsers set it as 0): a backward space is the theme's
# negative margin, in whole mu (1/18 em) up to 1 em, a class each (the pages allow no style).
_LARGEST_BACK_MU = 18
_EM_PER_UNIT = {"em": 1.0, "mu": 1 / 18, "ex": 0.43, "pt": 0.1, "px": 1 / 16}
_SPACED_AFTER = frozenset(("ord", "func", "funclimits", ""))
# A binary operator is one between these (TeX's rules 5 and 6); "" is a fraction, a root, ...
_BINARY_NEEDS_BEFORE = frozenset(("ord", "close", "inner", ""))
_BINARY_CANNOT_PRECEDE = frozenset(("rel", "close", "punct", None))
# The atoms a large operator keeps a thin space beside (TeX's table; "" is a fraction, a root...).
_THIN_BESIDE_OPERATOR = frozenset(
    ("ord", "op", "close", "inner", "func", "funclimits", "limits", "")
)
# The elements whose first child is an operator they embellish (MathML Core's rule)
_EMBELLISHING = frozenset(("msub", "msup", "msubsup", "munder", "mover", "munderover"))


def space(width: str) -> Node:
    """A space of `width` (a CSS length, em, ex, pt, px or mu): backwards when negative."""
    if not width.startswith("-"):
        return Node("mspace").set(width=width)
    number, unit = float(width[1:-2]), width[-2:]
    mu = min(_LARGEST_BACK_MU, max(1, round(number * _EM_PER_UNIT.get(unit, 1.0) * 18)))
    return Node("mspace", kind="back").set(width="0", **{"class": f"tex-back-{mu}"})


def space_operators(items: list[Node]) -> list[Node]:
    """TeX's thin space around an operator name next to an ordinary atom (sin x, but sin(x))."""
    _mark_unary(items)
    _join_relations(items)
    spaced: list[Node] = []
    for index, node in enumerate(items):
        is_function = node.kind in ("func", "funclimits")
        previous = items[index - 1] if index else None
        following = items[index + 1] if index + 1 < len(items) else None
        if is_function and previous is not None and _atom(previous) in ("ord", "close"):
            spaced.append(Node("mspace").set(width=THIN_SPACE))
        spaced.append(node)
        if is_function and following is not None and _atom(following) in _SPACED_AFTER:
            spaced.append(Node("mspace").set(width=THIN_SPACE))
        if node.kind == "op":
            _space_large_operator(node, items[:index], items[index + 1 :])
    return spaced


def _join_relations(items: list[Node]) -> None:
    """TeX puts no space between a relation and a relation, a punctuation mark or a closing after
    it, or an opening before it (\\vcentcolon=, <\\!=, \\stackrel{d}{=}, and (=)): browsers
    give a relation its space on both sides wherever it stands, a visible gap before the comma."""
    atoms = [item for item in items if item.tag != "mspace"]
    for first, second in itertools.pairwise(atoms):
        before = _core_operator(first) if first.kind == "rel" else None
        if before is not None and second.kind in ("rel", "punct", "close"):
            before.attrs["rspace"] = "0"
        after = _core_operator(second) if second.kind == "rel" else None
        if after is not None and first.kind in ("rel", "open"):
            after.attrs["lspace"] = "0"


def bare_ends(items: list[Node]) -> None:
    """A relation that opens or closes a whole formula takes no space on that side, as in TeX
    (where $\\sim$ denotes, $x \\le$, $= 3$): browsers give it its space on both sides wherever it
    stands. Only the formula's own ends: a cell of an alignment starts with amsmath's {} before
    its relation, and a group decides its spaces with its neighbours."""
    atoms = [item for item in items if item.tag != "mspace"]
    if not atoms:
        return
    first = _core_operator(atoms[0]) if atoms[0].kind == "rel" else None
    if first is not None:
        first.attrs["lspace"] = "0"
    last = _core_operator(atoms[-1]) if atoms[-1].kind == "rel" else None
    if last is not None:
        last.attrs["rspace"] = "0"


def _core_operator(node: Node) -> Node | None:
    """The <mo> whose spaces a relation takes: itself, or the base under or over which a
    \\stackrel or \\overset writes (MathML's embellished operator); None for any other."""
    while node.tag in _EMBELLISHING and node.children:
        node = node.children[0]
    return node if node.tag == "mo" else None


def _mark_unary(items: list[Node]) -> None:
    """TeX's rule for a binary operator with nothing to combine: at the start or the end, after
    an opening, a relation, an operator, a punctuation mark or another binary operator, or
    before a relation, a closing or a punctuation mark, it is an ordinary atom, set tight: (-1),
    x = -y, [-a, b]. Browsers space an operator that is not first in its row as binary: ( − 1)."""
    atoms = [item for item in items if item.tag != "mspace"]  # glue is not an atom
    for index, node in enumerate(atoms):
        if node.kind != "bin" or node.tag != "mo" or "lspace" in node.attrs:
            continue
        previous = _atom(atoms[index - 1]) if index else None
        following = _atom(atoms[index + 1]) if index + 1 < len(atoms) else None
        if previous in _BINARY_NEEDS_BEFORE and following not in _BINARY_CANNOT_PRECEDE:
            continue
        node.kind = "ord"
        node.set(lspace="0", rspace="0")


def _space_large_operator(node: Node, before: list[Node], after: list[Node]) -> None:
    """TeX's spaces around ∑, ∫, ...: a thin space beside an ordinary atom, an operator or an
    inner group only; none at the formula's start, after an opening, or where a relation or
    binary operator brings its own (browsers put 1/6 em on each side, always: "= ∑" got 0.45 em)."""
    core = node
    while core.tag in ("msub", "msup", "msubsup", "munder", "mover", "munderover"):
        core = core.children[0]
    if core.tag != "mo" or "lspace" in core.attrs:
        return
    atoms_before = [item for item in before if item.tag != "mspace"]
    atoms_after = [item for item in after if item.tag != "mspace"]
    previous = _atom(atoms_before[-1]) if atoms_before else None
    following = _atom(atoms_after[0]) if atoms_after else None
    core.set(
        lspace=THIN_SPACE if previous in _THIN_BESIDE_OPERATOR else "0",
        rspace=THIN_SPACE if following in _THIN_BESIDE_OPERATOR | {"bin"} else "0",
    )


def _atom(node: Node) -> str:
    """The node's kind as TeX's spacing sees it: \\| and \\vert are ordinary atoms in TeX, as
    | is ("fence" marks them for stretching and \\braket); only \\lvert, \\left| ... open."""
    return "ord" if node.kind == "fence" else node.kind
