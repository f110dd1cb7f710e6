"""Fractions: \\frac and its kin, amsmath's \\genfrac, and plain TeX's \\over, \\atop, \\choose.

\\over and its kin are infix: they divide the whole group they stand in, so the handler leaves a
marker that `Parser.parse_list` turns into the fraction once the group is read (`infix`).
"""

from __future__ import annotations

import re

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, row, strut_box
from lemma.render.texmath.parser import Handler, Parser, tighten_script
from lemma.render.texmath.symbols import symbol
from lemma.render.texmath.tokens import Tok

# \genfrac's style argument: 0 display ... 3 scriptscript.
_GENFRAC_STYLES = {
    "0": {"displaystyle": "true", "scriptlevel": "0"},
    "1": {"displaystyle": "false", "scriptlevel": "0"},
    "2": {"displaystyle": "false", "scriptlevel": "1"},
    "3": {"displaystyle": "false", "scriptlevel": "2"},
}
# \over and kin: delimiters, and a rule thickness (None: the usual rule; "read": \above's own).
_INFIX = {
    "\\over": ("", "", None),
    "\\atop": ("", "", "0"),
    "\\above": ("", "", "read"),
    "\\choose": ("(", ")", "0"),
    "\\brace": ("{", "}", "0"),
    "\\brack": ("[", "]", "0"),
    "\\overwithdelims": ("read", "read", None),
    "\\atopwithdelims": ("read", "read", "0"),
    "\\abovewithdelims": ("read", "read", "read"),
}
_LENGTH = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:em|ex|pt|px|mu)")


def fence(char: str, kind: str, **attrs: str) -> Node:
    return leaf("mo", char, kind, stretchy="true", fence="true", **attrs)


def _fraction(parser: Parser, parts: list[Node], style: str | None) -> Node:
    # The parts of a fraction in text style (inline, \tfrac, nested) are in script style.
    if style == "false" or (style is None and parser.style == "text"):
        parts = [tighten_script(part) for part in parts]
    return Node("mfrac", parts)


def _parts(parser: Parser, token: Tok) -> list[Node]:
    outer, parser.style = parser.style, "text"
    try:
        return [parser.argument(token), parser.argument(token)]
    finally:
        parser.style = outer


def _delimited(fraction: Node, left: str, right: str) -> Node:
    if not left and not right:
        return fraction
    _takes_delimiters(fraction, left=bool(left), right=bool(right))
    children = [fence(left, "open", form="prefix")] if left else []
    children.append(fraction)
    if right:
        children.append(fence(right, "close", form="postfix"))
    return Node("mrow", children, kind="inner")


def _takes_delimiters(fraction: Node, *, left: bool, right: bool) -> None:
    """TeX puts a fraction between delimiters: the null delimiter space (1.2 pt) that the theme
    pads an mfrac with on each side, unless a delimiter (\\binom's parentheses) stands there."""
    sides = ["tex-delim-l"] * left + ["tex-delim-r"] * right
    fraction.attrs["class"] = " ".join([fraction.attrs.get("class", ""), *sides]).strip()


def frac(style: str | None, *, binom: bool = False) -> Handler:
    def handle(parser: Parser, token: Tok) -> Node:
        fraction = _fraction(parser, _parts(parser, token), style)
        if binom:
            fraction.set(linethickness="0")
            _takes_delimiters(fraction, left=True, right=True)
            fraction = Node("mrow", [fence("(", "open"), fraction, fence(")", "close")])
        if style is not None:
            fraction = Node("mstyle", [fraction]).set(displaystyle=style)
        return fraction

    return handle


def _cfrac(parser: Parser, token: Tok) -> Node:
    """amsmath's \\cfrac[l]{numerator}{denominator}: a display-style fraction whose numerator
    holds a strut, so that a continued fraction's rows stand apart as in LaTeX; [l] or [r] puts
    the numerator at the left or right (MathML's numalign, which Chromium leaves centred)."""
    position = "".join(t.text for t in parser.group_tokens(token, optional=True) or []).strip()
    if position not in ("", "l", "c", "r"):
        raise MathError(f"\\cfrac[{position}]: the position is l, c or r", token.offset)
    numerator, denominator = _parts(parser, token)
    fraction = _fraction(parser, [Node("mrow", [strut_box(), numerator]), denominator], "true")
    if position in ("l", "r"):
        fraction.set(numalign={"l": "left", "r": "right"}[position])
    return Node("mstyle", [fraction]).set(displaystyle="true")


def _delimiter_text(tokens: list[Tok], command: Tok) -> str:
    """A delimiter written as an argument: "(", "\\{", "\\langle", "." or nothing."""
    tokens = [t for t in tokens if t.kind != "space"]
    if not tokens or (len(tokens) == 1 and tokens[0].text == "."):
        return ""
    if len(tokens) == 1 and tokens[0].kind == "char":
        return tokens[0].text
    if len(tokens) == 1 and tokens[0].kind == "cmd" and (found := symbol(tokens[0].text)):
        return found.char
    written = "".join(t.text for t in tokens)
    raise MathError(f"{command.text}: {written} is not a delimiter", command.offset)


def _thickness(text: str, command: Tok) -> str | None:
    """A rule thickness: None for the usual rule, else a length MathML reads."""
    text = text.replace(" ", "")
    if not text:
        return None
    if not _LENGTH.fullmatch(text):
        raise MathError(f"{command.text}: the rule is a length such as 0pt, not {text}")
    if text.endswith("mu"):
        return f"{float(text[:-2]) / 18:.4f}em"
    return text


def _genfrac(parser: Parser, token: Tok) -> Node:
    """\\genfrac{left}{right}{thickness}{style}{numerator}{denominator}, amsmath's own."""
    left = _delimiter_text(parser.group_tokens(token) or [], token)
    right = _delimiter_text(parser.group_tokens(token) or [], token)
    thickness = _thickness(parser.text_argument(token), token)
    style = parser.text_argument(token).strip()
    if style and style not in _GENFRAC_STYLES:
        raise MathError(f"\\genfrac: the style is 0, 1, 2 or 3, not {style}", token.offset)
    attrs = _GENFRAC_STYLES.get(style)
    outer = parser.style
    if attrs is not None:
        parser.style = "display" if style == "0" else "text"
    try:
        tight = style in ("1", "2", "3") or (not style and parser.style == "text")
        fraction = _fraction(parser, _parts(parser, token), "false" if tight else "true")
    finally:
        parser.style = outer
    if thickness is not None:
        fraction.set(linethickness=thickness)
    node = _delimited(fraction, left, right)
    return Node("mstyle", [node], attrs=dict(attrs)) if attrs is not None else node


def _infix(parser: Parser, token: Tok) -> Node:
    left, right, thickness = _INFIX[token.text]
    if left == "read":
        left = _delimiter_text([parser.next() or token], token)
        right = _delimiter_text([parser.next() or token], token)
    if thickness == "read":
        parser.skip_spaces()
        length = ""
        while (following := parser.peek()) is not None and following.kind == "char":
            if _LENGTH.fullmatch(length):
                break
            length += following.text
            parser.position += 1
        thickness = _thickness(length, token)
    marker = Node("infix", kind="infix").set(left=left, right=right)
    if thickness is not None:
        marker.set(linethickness=thickness)
    return marker


def infix(parser: Parser, items: list[Node]) -> list[Node]:
    """The group with its \\over (or kin) made a fraction of what stands before and after it."""
    markers = [index for index, node in enumerate(items) if node.tag == "infix"]
    if not markers:
        return items
    if len(markers) > 1:
        raise MathError("two \\over (or \\atop, \\choose) in one group: add braces")
    index = markers[0]
    marker = items[index]
    parts = [row(items[:index]) if index else Node("mrow"), row(items[index + 1 :])]
    fraction = _fraction(parser, parts, None)
    if "linethickness" in marker.attrs:
        fraction.set(linethickness=marker.attrs["linethickness"])
    return [_delimited(fraction, marker.attrs["left"], marker.attrs["right"])]


def fraction_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = {
        "\\frac": frac(None),
        "\\cfrac": _cfrac,
        "\\dfrac": frac("true"),
        "\\tfrac": frac("false"),
        "\\binom": frac(None, binom=True),
        "\\dbinom": frac("true", binom=True),
        "\\tbinom": frac("false", binom=True),
        "\\genfrac": _genfrac,
    }
    table.update(dict.fromkeys(_INFIX, _infix))
    return table
