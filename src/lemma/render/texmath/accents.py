"""What goes over or under a base: accents, \\overline, braces, \\overset, labelled arrows."""

from __future__ import annotations

from lemma.render.texmath.nodes import Node, leaf
from lemma.render.texmath.parser import Handler, Parser, tighten_script
from lemma.render.texmath.tokens import Tok

# accent command -> (character, stretches with its base, goes below). A stretchy accent is a
# spacing character that Chromium stretches along the line (MathML Core's list: U+0303 and
# U+030C are not on it); the site's font gives it the MATH variants of its combining twin.
# \vec is TeX's small vector arrow, about a letter wide: the combining U+20D7, whose ink lies
# left of its zero advance; the theme's tex-vec gives it a box as wide as that ink. \dddot and
# \ddddot are combining marks too (U+20DB, U+20DC), boxed alike (tex-dddot, tex-ddddot).
_ACCENTS = {
    "\\hat": ("ˆ", False, False),
    "\\widehat": ("ˆ", True, False),
    "\\check": ("ˇ", False, False),
    "\\widecheck": ("ˇ", True, False),
    "\\tilde": ("˜", False, False),
    "\\widetilde": ("˜", True, False),
    "\\bar": ("¯", False, False),
    "\\underline": ("_", True, True),
    "\\vec": ("\u20d7", False, False),
    "\\overrightarrow": ("→", True, False),
    "\\overleftarrow": ("←", True, False),
    "\\overleftrightarrow": ("↔", True, False),
    "\\underrightarrow": ("→", True, True),
    "\\underleftarrow": ("←", True, True),
    "\\dot": ("˙", False, False),
    "\\ddot": ("¨", False, False),
    "\\dddot": ("\u20db", False, False),
    "\\ddddot": ("\u20dc", False, False),
    "\\breve": ("˘", False, False),
    "\\acute": ("´", False, False),
    "\\grave": ("`", False, False),
    "\\mathring": ("˚", False, False),
    "\\overbrace": ("⏞", True, False),
    "\\underbrace": ("⏟", True, True),
    "\\overparen": ("⏜", True, False),
    "\\underparen": ("⏝", True, True),
    "\\overarc": ("⏜", True, False),
    "\\overbracket": ("⎴", True, False),
    "\\underbracket": ("⎵", True, True),
    "\\overleftharpoon": ("↼", True, False),
    "\\overrightharpoon": ("⇀", True, False),
    "\\underleftrightarrow": ("↔", True, True),
    # KaTeX's
    "\\Overrightarrow": ("⇒", True, False),
    "\\utilde": ("˜", True, True),
    "\\underbar": ("_", True, True),
}
# Braces and brackets take a label as limits (\underbrace{…}_{n}); mathtools' brackets first
# take a rule thickness and height ([0.5pt][5pt]), which Lemma leaves to the font.
_LABELLED = frozenset(("\\overbrace", "\\underbrace", "\\overbracket", "\\underbracket"))
# The combining marks drawn left of a zero advance, and the theme's class that boxes their ink.
_INK_BOXED = {"\\vec": "tex-vec", "\\dddot": "tex-dddot", "\\ddddot": "tex-ddddot"}
# Arrows under (and over) a label, stretched to it: the site's font gives each long arrow, ↠, ↞
# and = an assembly (mathfont.ARROW_PIECES), and has the hooks', harpoons' and ⇒'s own.
_ARROWS = {
    "\\xrightarrow": "⟶",
    "\\xleftarrow": "⟵",
    "\\xRightarrow": "⇒",
    "\\xLeftarrow": "⇐",
    "\\xleftrightarrow": "⟷",
    "\\xLeftrightarrow": "⇔",
    "\\xmapsto": "⟼",
    "\\xhookrightarrow": "↪",
    "\\xhookleftarrow": "↩",
    "\\xrightharpoonup": "⇀",
    "\\xrightharpoondown": "⇁",
    "\\xleftharpoonup": "↼",
    "\\xleftharpoondown": "↽",
    "\\xtwoheadrightarrow": "↠",  # extpfeil's
    "\\xtwoheadleftarrow": "↞",
    "\\xlongequal": "=",
}
# Pairs of arrows, one over the other, both as long as the label (the font has no long ⇌, ⇄).
_PAIRS = {
    "\\xrightleftharpoons": ("⇀", "↽"),
    "\\xleftrightharpoons": ("↼", "⇁"),
    "\\xtofrom": ("⟶", "⟵"),
}


def _overline(parser: Parser, token: Tok) -> Node:
    """A rule over the whole base: a border (the theme's tex-overline), which spans the base
    exactly, where a stretched glyph is drawn through tall letters or only over part of it."""
    base = parser.argument(token)
    return Node("mrow", [base], kind="ord").set(**{"class": "tex-overline"})


def _accent(parser: Parser, token: Tok) -> Node:
    char, stretchy, below = _ACCENTS[token.text]
    if token.text.endswith("bracket"):
        parser.group_tokens(token, optional=True)
        parser.group_tokens(token, optional=True)
    base = parser.argument(token)
    mark = leaf("mo", char, stretchy="true" if stretchy else "false")
    if token.text in _INK_BOXED:
        mark.set(**{"class": _INK_BOXED[token.text]})
    if below:
        node = Node("munder", [base, mark]).set(accentunder="true")
    else:
        node = Node("mover", [base, mark]).set(accent="true")
    node.kind = "limits" if token.text in _LABELLED else base.kind or "ord"
    return node


def _xarrow(parser: Parser, token: Tok) -> Node:
    below = parser.optional_argument(token)
    above = parser.argument(token)
    if token.text in _PAIRS:
        top, bottom = (leaf("mo", char, stretchy="true") for char in _PAIRS[token.text])
        # both arrows stretch to the label (MathML stretches every stretchy child of munderover)
        pair = Node("munderover", [top, bottom, _padded(above)], kind="rel")
        return pair if below is None else Node("munder", [pair, _padded(below)], kind="rel")
    arrow = leaf("mo", _ARROWS[token.text], "rel", stretchy="true")
    if below is None:
        return Node("mover", [arrow, _padded(above)], kind="rel")
    return Node("munderover", [arrow, _padded(below), _padded(above)], kind="rel")


def _padded(node: Node) -> Node:
    tighten_script(node)  # a label is in script style
    pad = Node("mspace").set(width="0.4em")
    return Node("mrow", [pad, node, Node("mspace").set(width="0.4em")])


def _over_under(tag: str) -> Handler:
    def handle(parser: Parser, token: Tok) -> Node:
        script = tighten_script(parser.argument(token))
        base = parser.argument(token)
        kind = {"\\stackrel": "rel", "\\stackbin": "bin"}.get(token.text, base.kind)
        return Node(tag, [base, script], kind=kind)

    return handle


def _overunderset(parser: Parser, token: Tok) -> Node:
    """\\overunderset{over}{under}{base}: both at once."""
    over = tighten_script(parser.argument(token))
    under = tighten_script(parser.argument(token))
    base = parser.argument(token)
    return Node("munderover", [base, under, over], kind=base.kind)


def over_and_under() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(_ACCENTS, _accent)
    table["\\overline"] = _overline
    table.update(dict.fromkeys((*_ARROWS, *_PAIRS), _xarrow))
    table["\\overset"] = _over_under("mover")
    table["\\overunderset"] = _overunderset
    table["\\stackbin"] = _over_under("mover")
    table["\\stackrel"] = _over_under("mover")
    table["\\underset"] = _over_under("munder")
    return table
