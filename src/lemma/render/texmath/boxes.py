"""Boxes MathJax draws around or across a formula: \\fbox, \\colorbox, \\fcolorbox, \\bbox,
\\enclose, \\cancelto, \\sout, and its \\unicode{…} and \\rule.

MathML Core has no menclose and the pages allow no inline style: a box is an mrow with the
theme's classes (borders, padding, strokes drawn as background gradients) and MathML's own
mathcolor and mathbackground. A border of another colour than the text's takes its colour from
mathcolor, and the theme gives the content back the text's colour.
"""

from __future__ import annotations

import re

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok
from lemma.render.texmath.xcolor import is_mix, mix_colour

_COLOR = re.compile(r"^(?:[A-Za-z]+|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6})$")
_LENGTH = re.compile(r"^(\d*\.?\d+)(px|pt|em|ex)$")
_PX_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "ex": 7.0}
# \enclose's notations the theme draws, as classes; radical is a root.
_NOTATIONS = {
    "box": "tex-box",
    "roundedbox": "tex-box tex-rounded",
    "circle": "tex-box tex-circle",
    "left": "tex-border-left",
    "right": "tex-border-right",
    "top": "tex-border-top",
    "bottom": "tex-border-bottom",
    "actuarial": "tex-border-top tex-border-right",
    "madruwb": "tex-border-bottom tex-border-right",
    "updiagonalstrike": "tex-cancel",
    "downdiagonalstrike": "tex-bcancel",
    "horizontalstrike": "tex-hstrike",
    "verticalstrike": "tex-vstrike",
}
_BORDER_STYLES = frozenset(("solid", "dashed", "dotted", "double"))
# Grounds light enough that text on them must be dark in the dark theme too (and grounds dark
# enough for light text in the light theme): the named colours authors use, and any #rrggbb.
_LIGHT_NAMES = frozenset(
    (
        *("yellow", "white", "cyan", "aqua", "lime", "pink", "orange", "gold", "khaki", "beige"),
        *("ivory", "lavender", "silver", "wheat", "greenyellow", "yellowgreen", "lightgray"),
        *("lightgrey", "lightblue", "lightgreen", "lightyellow", "lightpink", "lightcyan"),
        *("lemonchiffon", "honeydew", "mintcream", "aquamarine", "palegreen", "skyblue"),
    )
)
_DARK_NAMES = frozenset(
    ("black", "blue", "navy", "darkblue", "purple", "maroon", "darkgreen", "indigo", "brown")
)


def _color(text: str, command: Tok) -> str:
    text = text.strip()
    if is_mix(text):
        return mix_colour(text, command.text, command.offset)
    if not _COLOR.match(text):
        raise MathError(f"{command.text}{{{text}}}: write a colour name or #rrggbb", command.offset)
    return text


def ground(color: str) -> dict[str, str]:
    """mathbackground, and the class that keeps text readable on it in both themes."""
    name = color.lower()
    if name.startswith("#"):
        digits = name[1:] if len(name) == 7 else "".join(c * 2 for c in name[1:])
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140
        ink = "tex-on-light" if light else "tex-on-dark"
    else:
        ink = (
            "tex-on-light" if name in _LIGHT_NAMES else "tex-on-dark" if name in _DARK_NAMES else ""
        )
    return {"mathbackground": color, **({"ink": ink} if ink else {})}


def _text_body(parser: Parser, token: Tok) -> Node:
    body = parser.commands["\\text"](parser, Tok("cmd", "\\text", token.offset))
    return body if body is not None else Node("mrow")


def _boxed(children: list[Node], classes: str, **attrs: str) -> Node:
    ink = attrs.pop("ink", "")
    classes = f"{classes} {ink}".strip()
    node = Node("mrow", children, kind="ord")
    return node.set(**{"class": classes}, **attrs) if classes else node.set(**attrs)


def _fbox(parser: Parser, token: Tok) -> Node:
    """\\fbox{text} and \\framebox[width][pos]{text}: text in a thin frame."""
    if token.text == "\\framebox":
        parser.group_tokens(token, optional=True)
        parser.group_tokens(token, optional=True)
    return _boxed([_text_body(parser, token)], "tex-box tex-pad-text")


def _colorbox(parser: Parser, token: Tok) -> Node:
    """\\colorbox{colour}{text}, \\fcolorbox{frame}{colour}{text}: text on a coloured ground."""
    frame = _color(parser.text_argument(token), token) if token.text == "\\fcolorbox" else None
    colour = ground(_color(parser.text_argument(token), token))
    body = _text_body(parser, token)
    if frame is None:
        return _boxed([body], "tex-pad-text", **colour)
    inner = _boxed([body], "tex-ink")
    return _boxed([inner], "tex-box tex-pad-text", **colour, mathcolor=frame)


def _bbox(parser: Parser, token: Tok) -> Node:
    """MathJax's \\bbox[colour,padding,border:2px solid red]{x}."""
    options = parser.group_tokens(token, optional=True) or []
    body = parser.argument(token)
    text = "".join(t.text if t.kind != "space" else " " for t in options)
    classes: list[str] = []
    attrs: dict[str, str] = {}
    frame: str | None = None
    for option in (part.strip() for part in text.split(",")):
        if not option:
            continue
        if option.startswith("border:"):
            classes.append("tex-box")
            for word in option.removeprefix("border:").split():
                if _LENGTH.match(word):
                    classes.append(f"tex-border-{_steps(word, token, most=4)}px")
                elif word in _BORDER_STYLES:
                    classes.append(f"tex-border-{word}")
                else:
                    frame = _color(word, token)
        elif _LENGTH.match(option):
            classes.append(f"tex-pad-{_steps(option, token, most=20)}")
        elif _COLOR.match(option):
            attrs.update(ground(option))
        else:
            raise MathError(f"\\bbox[{option}]: Lemma reads a colour, a padding and a border")
    if frame is not None:
        body, attrs["mathcolor"] = _boxed([body], "tex-ink"), frame
    return _boxed([body], " ".join(classes), **attrs)


def _steps(length: str, command: Tok, most: int) -> int:
    """A length in whole pixels (the theme's classes), at most `most`."""
    match = _LENGTH.match(length)
    assert match is not None
    pixels = round(float(match.group(1)) * _PX_PER_UNIT[match.group(2)])
    if pixels > most:
        raise MathError(f"{command.text}: Lemma's boxes take at most {most}px, not {length}")
    return pixels


def _enclose(parser: Parser, token: Tok) -> Node:
    """MathJax's \\enclose{notation}[attributes]{x}: the notations the theme can draw."""
    notations = parser.text_argument(token).replace(",", " ").split()
    options = parser.group_tokens(token, optional=True) or []
    body = parser.argument(token)
    attrs: dict[str, str] = {}
    for name, value in re.findall(r'(\w+)\s*=\s*"?([^",]*)"?', "".join(t.text for t in options)):
        if name not in ("mathcolor", "mathbackground"):
            raise MathError(f"\\enclose[{name}=…]: Lemma reads mathcolor and mathbackground")
        attrs[name] = _color(value, token)
    if "radical" in notations:
        notations.remove("radical")
        body = Node("msqrt", [body])
    unknown = [name for name in notations if name not in _NOTATIONS]
    if unknown:
        raise MathError(
            f"\\enclose{{{unknown[0]}}} cannot be drawn; Lemma draws "
            + ", ".join(sorted((*_NOTATIONS, "radical"))),
            token.offset,
        )
    strikes = [name for name in notations if "strike" in name]
    if len(strikes) > 1:  # each is the box's one background: two would hide each other
        raise MathError(f"\\enclose: Lemma draws one strike at a time, not {' and '.join(strikes)}")
    classes = " ".join(dict.fromkeys(" ".join(_NOTATIONS[n] for n in notations).split()))
    return _boxed([body], classes, **attrs) if classes or attrs else body


def _cancelto(parser: Parser, token: Tok) -> Node:
    """\\cancelto{0}{x}: x struck out, the value at the stroke's top right."""
    value = parser.argument(token)
    struck = _boxed([parser.argument(token)], "tex-cancel tex-cancelto")
    return Node("msup", [struck, value], kind="ord")


def _sout(parser: Parser, token: Tok) -> Node:
    return _boxed([parser.argument(token)], "tex-hstrike")


def _unicode(parser: Parser, token: Tok) -> Node:
    """\\unicode{x263A} or \\unicode{9786}: that character (a [font] before it is ignored)."""
    parser.group_tokens(token, optional=True)
    written = parser.text_argument(token)
    number = written.lower().removeprefix("#").removeprefix("0")
    try:
        code = int(number[1:], 16) if number.startswith("x") else int(number or "0")
    except ValueError:
        code = -1
    if not (0x20 <= code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF or 0x7F <= code < 0xA0:
        raise MathError(f"\\unicode{{{written}}}: not a character (write x263A or 9786)")
    return leaf("mtext", chr(code), "ord")


def _rule(parser: Parser, token: Tok) -> Node:
    """\\rule[raise]{width}{height}: a filled box (a strut when the width is 0)."""
    lift = parser.group_tokens(token, optional=True)
    sizes = [parser.text_argument(token).replace(" ", "") for _ in range(2)]
    for size in sizes:
        if not _LENGTH.match(size) and size not in ("0", "0pt"):
            raise MathError(f"\\rule{{{size}}}: write a length such as 1em", token.offset)
    width, height = sizes
    rule = Node("mspace", kind="ord").set(width=width, height=height)
    if width not in ("0", "0pt"):
        rule.set(**{"class": "tex-rule"})
    if lift is None:
        return rule
    shift = "".join(t.text for t in lift).replace(" ", "")
    if not re.fullmatch(r"-?\d*\.?\d+(px|pt|em|ex)", shift):
        raise MathError(f"\\rule[{shift}]: write a length such as 2pt", token.offset)
    return Node("mpadded", [rule], kind="ord").set(voffset=shift)


def _mathjax_rule(parser: Parser, token: Tok) -> Node:
    """MathJax's \\Rule{width}{height}{depth} (filled) and \\Space{…}{…}{…} (empty)."""
    sizes = [parser.text_argument(token).replace(" ", "") for _ in range(3)]
    for size in sizes:
        if not _LENGTH.match(size) and size != "0":
            raise MathError(f"{token.text}{{{size}}}: write a length such as 1em", token.offset)
    width, height, depth = sizes
    space = Node("mspace", kind="ord").set(width=width, height=height, depth=depth)
    return space.set(**{"class": "tex-rule"}) if token.text == "\\Rule" else space


def box_commands() -> dict[str, Handler]:
    return {
        "\\fbox": _fbox,
        "\\framebox": _fbox,
        "\\colorbox": _colorbox,
        "\\fcolorbox": _colorbox,
        "\\bbox": _bbox,
        "\\enclose": _enclose,
        "\\cancelto": _cancelto,
        "\\sout": _sout,
        "\\unicode": _unicode,
        "\\rule": _rule,
        "\\Rule": _mathjax_rule,
        "\\Space": _mathjax_rule,
    }
