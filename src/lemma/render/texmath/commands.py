"""The commands that take arguments: fractions, roots, fonts, text, delimiters, colour."""

from __future__ import annotations

import re

from lemma import big_delimiters
from lemma.render.texmath.accents import over_and_under
from lemma.render.texmath.alphabets import styled
from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, phantom, raw, row, text_of
from lemma.render.texmath.parser import Handler, Parser, function, operator, tighten_script
from lemma.render.texmath.spacing import space
from lemma.render.texmath.symbols import char_kind, symbol
from lemma.render.texmath.text import TEXT_STYLES, plain_text, split_dollars, text_argument
from lemma.render.texmath.tokens import Tok
from lemma.render.texmath.xcolor import is_mix, mix_colour

_FONTS = TEXT_STYLES | {
    "\\mathbf": "bold",
    "\\mathbfit": "bold-italic",
    "\\boldsymbol": "bold-symbol",
    "\\bm": "bold-symbol",
    "\\mathit": "italic",
    "\\mathbb": "double-struck",
    "\\Bbb": "double-struck",
    "\\mathds": "double-struck",  # dsfont's 𝟙 (indicator functions)
    "\\mathbbm": "double-struck",  # bbm's
    "\\mathbold": "bold-italic",  # fixmath's
    "\\mathcal": "script",
    "\\mathscr": "script",
    "\\mathfrak": "fraktur",
    "\\mathsf": "sans-serif",
    "\\mathtt": "monospace",
    "\\mathrm": "normal",
    "\\mathup": "normal",
    # MathJax's unicode-math names
    "\\mathbfup": "bold",
    "\\mathsfup": "sans-serif",
    "\\mathsfit": "sans-serif-italic",
    "\\mathbfsf": "bold-sans-serif",
    "\\mathbfsfup": "bold-sans-serif",
    "\\mathbfsfit": "sans-serif-bold-italic",
    "\\mathbffrak": "bold-fraktur",
    "\\mathbfscr": "bold-script",
    "\\mathbfcal": "bold-script",
    "\\symrm": "normal",
    "\\symup": "normal",
    "\\symbf": "bold",
    "\\symbfup": "bold",
    "\\symit": "italic",
    "\\symbfit": "bold-italic",
    "\\symbb": "double-struck",
    "\\symfrak": "fraktur",
    "\\symbffrak": "bold-fraktur",
    "\\symscr": "script",
    "\\symbfscr": "bold-script",
    "\\symcal": "script",
    "\\symbfcal": "bold-script",
    "\\symsf": "sans-serif",
    "\\symsfup": "sans-serif",
    "\\symsfit": "sans-serif-italic",
    "\\symbfsf": "bold-sans-serif",
    "\\symbfsfup": "bold-sans-serif",
    "\\symbfsfit": "sans-serif-bold-italic",
    "\\symtt": "monospace",
}
_SPACES = {
    "\\,": "0.1667em",
    "\\thinspace": "0.1667em",
    "\\:": "0.2222em",
    "\\>": "0.2222em",
    "\\medspace": "0.2222em",
    "\\;": "0.2778em",
    "\\thickspace": "0.2778em",
    "\\enspace": "0.5em",
    "\\ ": "0.25em",
    "\\quad": "1em",
    "\\qquad": "2em",
    "\\!": "-0.1667em",
    "\\negthinspace": "-0.1667em",
    "\\negmedspace": "-0.2222em",
    "\\negthickspace": "-0.2778em",
}
_NEGATED = dict(zip("=∈≤≥<>⊂⊃⊆⊇∼≡≈∣∥∃≅≃∋", "≠∉≰≱≮≯⊄⊅⊈⊉≁≢≉∤∦∄≇≄∌", strict=True))
_COLOR = re.compile(r"^(?:[A-Za-z]+|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6})$")


def _fence(char: str, kind: str, **attrs: str) -> Node:
    return leaf("mo", char, kind, **{"stretchy": "true", "fence": "true", **attrs})


def _sqrt(parser: Parser, token: Tok) -> Node:
    index = parser.optional_argument(token)
    body = parser.argument(token)
    return Node("msqrt", [body]) if index is None else Node("mroot", [body, index])


def _font(parser: Parser, token: Tok) -> Node:
    style = _FONTS[token.text]
    if style.startswith("text"):
        return text_argument(parser, token, style)
    node = parser.argument(token)
    restyle(node, style)
    return node


def restyle(node: Node, style: str) -> None:
    """Letters and digits of `node` in the style (\\mathbf: bold, ...), in place."""
    if node.tag in ("mi", "mn") and node.text is not None:
        if style == "normal":
            if node.tag == "mi" and len(node.text) == 1:
                node.set(mathvariant="normal")
            return
        upright = node.tag == "mn" or node.attrs.get("mathvariant") == "normal"  # Γ, ∇, \\mathrm
        if style == "bold-symbol":  # \\boldsymbol: bold, italic only what was italic
            style = "bold" if upright else "bold-italic"
        node.text = styled(node.text, "bold" if node.tag == "mn" and "bold" in style else style)
        node.attrs.pop("mathvariant", None)
    for child in node.children:
        restyle(child, style)


def _operatorname(parser: Parser, token: Tok) -> Node:
    following = parser.peek()
    starred = following is not None and following.kind == "char" and following.text == "*"
    if starred:
        parser.position += 1
    starred = starred or token.text == "\\operatornamewithlimits"  # KaTeX's \operatorname*
    name = _name_text(parser.argument(token)).replace("\u2009", " ")
    return function(name, limits=starred)


def _name_text(node: Node) -> str:
    """An operator's name as one word: a space written in it (arg\\,max) stays a space."""
    if node.tag == "mspace":
        return "" if node.kind == "back" else " "
    if node.text is not None:
        return node.text
    return "".join(_name_text(child) for child in node.children)


def _space(parser: Parser, token: Tok) -> Node:
    return space(_SPACES[token.text])


def _hspace(parser: Parser, token: Tok) -> Node:
    following = parser.peek()
    if following is not None and following.kind == "char" and following.text == "*":
        parser.position += 1  # \\hspace*: kept at a line's start, which a formula never breaks
    length = parser.text_argument(token).replace(" ", "")
    if not re.fullmatch(r"-?\d*\.?\d+(em|ex|pt|px|mu)", length):
        raise MathError(f"\\hspace{{{length}}}: write a length such as 1em", token.offset)
    if length.endswith("mu"):
        length = f"{float(length[:-2]) / 18:.4f}em"
    return space(length)


def delimiter(parser: Parser, token: Tok) -> tuple[str, str] | None:
    """The delimiter after \\left, \\right, \\big...: (character, kind), or None for '.'."""
    parser.skip_spaces()
    found = parser.next()
    if found is None:
        raise MathError(f"{token.text} needs a delimiter after it", token.offset)
    if found.kind == "char":
        if found.text == ".":
            return None
        return found.text, char_kind(found.text)
    if found.kind == "cmd" and (entry := symbol(found.text)) is not None:
        return entry.char, entry.kind
    raise MathError(f"{token.text} needs a delimiter, not {found.text}", token.offset)


def _left(parser: Parser, token: Tok) -> Node:
    opening = delimiter(parser, token)
    inner = parser.parse_list(lambda t: t.is_cmd("\\right"))
    closer = parser.next()
    if closer is None:
        raise MathError("\\left without its \\right", token.offset)
    closing = delimiter(parser, closer)
    # Around letters, digits and signs the delimiters keep their own size, as Chromium draws
    # them: a stretchy one's box is as wide as its widest size (0.63 em for "(" in STIX Two
    # Math, whose own is 0.36), so \left( x \right) stood 1.35 times as wide as MathJax's.
    stretchy = {"stretchy": "false"} if _one_line(inner) else {}
    children = []
    if opening is not None:
        children.append(_fence(opening[0], "open", form="prefix", **stretchy))
    children.extend(inner)
    if closing is not None:
        children.append(_fence(closing[0], "close", form="postfix", **stretchy))
    return Node("mrow", children, kind="inner")


_ONE_LINE = frozenset(("mi", "mn", "mtext"))


def _one_line(nodes: list[Node]) -> bool:
    """Letters, digits, text, spaces and operators other than large ones, nothing above or
    below them: no taller than a delimiter's own glyph, which no stretching would grow."""
    for node in nodes:
        if node.tag == "mo":
            sized = "stretchy" in node.attrs or "largeop" in node.attrs or "minsize" in node.attrs
            if sized or node.kind == "op":
                return False
        elif node.tag == "mspace":
            if "height" in node.attrs or "depth" in node.attrs:
                return False
        elif node.tag in ("mrow", "mstyle"):
            if "displaystyle" in node.attrs or "scriptlevel" in node.attrs or node.raw:
                return False
            if not _one_line(node.children):
                return False
        elif node.tag not in _ONE_LINE:
            return False
    return True


def _middle(parser: Parser, token: Tok) -> Node:
    found = delimiter(parser, token)
    return _fence(found[0] if found else "", "rel", symmetric="true")


def _big(parser: Parser, token: Tok) -> Node | None:
    name = token.text[1:].rstrip("lmr") if token.text[-1] in "lmr" else token.text[1:]
    found = delimiter(parser, token)
    if found is None:
        return Node("mspace").set(width="0")
    kind = {"l": "open", "r": "close", "m": "rel"}.get(token.text[-1], found[1])
    if found[0] in big_delimiters.DELIMITERS:  # the font's own size of it (see there)
        return leaf(
            "mo", found[0], kind, stretchy="false", **{"class": big_delimiters.css_class(name)}
        )
    size = f"{big_delimiters.SIZES[name]}em"
    return leaf("mo", found[0], kind, stretchy="true", symmetric="true", minsize=size, maxsize=size)


def _not(parser: Parser, token: Tok) -> Node:
    parser.skip_spaces()
    target = parser.parse_atom() if parser.peek() is not None else None  # \not at the end
    if target is not None and target.tag == "mrow" and len(target.children) == 1:
        target = target.children[0]  # \centernot{=}
    if target is None or target.text is None:
        raise MathError("\\not needs a symbol after it, as in \\not\\in", token.offset)
    target.text = _NEGATED.get(target.text, target.text + "\u0338")
    return target


def _color(parser: Parser, token: Tok) -> Node:
    model = parser.group_tokens(token, optional=True)
    color = parser.text_argument(token)
    color = colour_from_model("".join(t.text for t in model or []).strip(), color, token)
    if not _COLOR.match(color):
        raise MathError(f"{token.text}{{{color}}}: write a colour name or #rrggbb", token.offset)
    body = parser.parse_rest() if token.text == "\\color" else [parser.argument(token)]
    return Node("mstyle", body).set(mathcolor=color)


def colour_from_model(model: str, spec: str, token: Tok) -> str:
    """\\color[rgb]{1,0,0}, [RGB]{255,0,0}, [gray]{0.5}, [HTML]{FF0000} as #rrggbb; xcolor's
    mixes (red!50) too."""
    if not model and is_mix(spec):
        return mix_colour(spec, token.text, token.offset)
    if not model:
        return spec
    if model == "HTML":
        return "#" + spec
    try:
        parts = [float(part) for part in spec.split(",")]
    except ValueError:
        parts = []
    scale = {"rgb": 1.0, "RGB": 255.0, "gray": 1.0}.get(model)
    count = 1 if model == "gray" else 3
    if scale is None or len(parts) != count or not all(0 <= p <= scale for p in parts):
        raise MathError(f"{token.text}[{model}]{{{spec}}}: Lemma reads rgb, RGB, gray and HTML")
    channels = parts * 3 if model == "gray" else parts
    return "#" + "".join(f"{round(part / scale * 255):02x}" for part in channels)


def _style(parser: Parser, token: Tok) -> Node:
    attrs = {
        "\\displaystyle": {"displaystyle": "true", "scriptlevel": "0"},
        "\\textstyle": {"displaystyle": "false", "scriptlevel": "0"},
        "\\scriptstyle": {"displaystyle": "false", "scriptlevel": "1"},
        "\\scriptscriptstyle": {"displaystyle": "false", "scriptlevel": "2"},
    }[token.text]
    outer, parser.style = parser.style, "display" if token.text == "\\displaystyle" else "text"
    try:
        node = Node("mstyle", parser.parse_rest(), attrs=dict(attrs))
    finally:
        parser.style = outer
    return tighten_script(node) if attrs["scriptlevel"] != "0" else node


def _boxed(parser: Parser, token: Tok) -> Node:
    return Node("mrow", [parser.argument(token)]).set(**{"class": "tex-boxed"})


def _phantom(parser: Parser, token: Tok) -> Node:
    ghost = phantom([parser.argument(token)])
    if token.text == "\\hphantom":
        return Node("mpadded", [ghost]).set(height="0", depth="0")
    if token.text == "\\vphantom":
        return Node("mpadded", [ghost]).set(width="0")
    return ghost


def _smash(parser: Parser, token: Tok) -> Node:
    """\\smash{x}: x of no height and depth; \\smash[t] keeps its depth, \\smash[b] its height."""
    side = "".join(t.text for t in parser.group_tokens(token, optional=True) or []).strip()
    box = Node("mpadded", [parser.argument(token)])
    return box.set(
        **{"t": {"height": "0"}, "b": {"depth": "0"}}.get(side, {"height": "0", "depth": "0"})
    )


def _mod(parser: Parser, token: Tok) -> Node:
    if token.text == "\\bmod":
        return leaf("mo", "mod", "bin", lspace="0.2222em", rspace="0.2222em")
    argument = parser.argument(token)
    if token.text == "\\pod":  # amsmath's (n) alone, spaced as \\pmod's
        inner = [operator("(", "open"), argument, operator(")", "close")]
        return Node("mrow", [Node("mspace").set(width="0.4444em"), *inner])
    gap = Node("mspace").set(width="0.4444em" if token.text == "\\pmod" else "1em")
    word = leaf("mo", "mod", "ord", lspace="0", rspace="0.3333em")  # amsmath: "(mod\\mkern6mu n)"
    if token.text == "\\pmod":
        inner = [operator("(", "open"), word, argument, operator(")", "close")]
        return Node("mrow", [gap, *inner])
    return Node("mrow", [gap, word, argument])


def _substack(parser: Parser, token: Tok) -> Node:
    tokens = parser.group_tokens(token) or []
    rows: list[list[Tok]] = []
    current: list[Tok] = []
    for item in tokens:
        if item.is_cmd("\\\\"):
            rows.append(current)
            current = []
        else:
            current.append(item)
    rows.append(current)
    table = [Node("mtr", [Node("mtd", [row(parser.sub_parse(line))])]) for line in rows]
    return Node("mtable", table).set(**{"class": "tex-substack"})


def _tag(parser: Parser, token: Tok) -> None:
    marks = parser.marks
    if token.text in ("\\notag", "\\nonumber"):
        marks.notag = True
        return None
    following = parser.peek()
    starred = following is not None and following.kind == "char" and following.text == "*"
    if starred:
        parser.position += 1
    text = _tag_text(parser, parser.group_tokens(token) or [])
    if token.text == "\\label":
        if marks.label is not None:
            raise MathError(f"a second \\label{{{text}}} in one equation", token.offset)
        marks.label = text
    else:
        marks.tag, marks.tag_starred = text, starred
    return None


def _tag_text(parser: Parser, tokens: list[Tok]) -> str:
    """The text of \\tag{...}: plain text, with $...$ parts converted to their characters."""
    return "".join(
        text_of(row(parser.sub_parse(part))) if index % 2 else plain_text(part)
        for index, part in enumerate(split_dollars(tokens))
    )


def _reference(parser: Parser, token: Tok) -> Node:
    label = parser.text_argument(token)
    style = token.text[1:]
    return raw(f"<mtext>\ue000{style}\ue001{label}\ue002</mtext>")


def _reference_without_parentheses(parser: Parser, token: Tok) -> Node:
    """mathtools' \\refeq{label}: the number, as \\ref shows it."""
    return _reference(parser, Tok("cmd", "\\ref", token.offset))


def _ignored(parser: Parser, token: Tok) -> None:
    return None


def commands() -> dict[str, Handler]:
    table: dict[str, Handler] = {
        "\\sqrt": _sqrt,
        "\\operatorname": _operatorname,
        "\\operatornamewithlimits": _operatorname,
        "\\hspace": _hspace,
        "\\left": _left,
        "\\middle": _middle,
        "\\not": _not,
        "\\centernot": _not,
        "\\color": _color,
        "\\textcolor": _color,
        "\\boxed": _boxed,
        "\\phantom": _phantom,
        "\\hphantom": _phantom,
        "\\vphantom": _phantom,
        "\\smash": _smash,
        "\\bmod": _mod,
        "\\pmod": _mod,
        "\\mod": _mod,
        "\\pod": _mod,
        "\\substack": _substack,
        "\\eqref": _reference,
        "\\ref": _reference,
        "\\refeq": _reference_without_parentheses,
        "\\nobreak": _ignored,
        "\\allowbreak": _ignored,
        "\\relax": _ignored,
    }
    for name in ("\\tag", "\\label", "\\notag", "\\nonumber"):
        table[name] = _tag
    for name in ("\\displaystyle", "\\textstyle", "\\scriptstyle", "\\scriptscriptstyle"):
        table[name] = _style
    for size in big_delimiters.SIZES:
        for suffix in ("", "l", "m", "r"):
            table[f"\\{size}{suffix}"] = _big
    table.update(over_and_under())
    table.update(dict.fromkeys(_FONTS, _font))
    table.update(dict.fromkeys(_SPACES, _space))
    return table
