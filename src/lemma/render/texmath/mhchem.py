"""The mhchem package's \\ce and \\pu, as MathJax's and KaTeX's mhchem extensions have them
(sites load it in their configuration, or with \\require{mhchem}): chemical formulas, equations
and physical units, written as chemists type them.

    \\ce{2H2 + O2 -> 2H2O}      \\ce{SO4^2-}      \\ce{Fe^{3+}(aq)}      \\ce{CuSO4*5H2O}
    \\ce{N2 + 3H2 <=> 2NH3}     \\ce{A ->[\\Delta][cat.] B}      \\ce{^{227}_{90}Th}
    \\pu{123 kJ mol-1}          \\pu{1.2e3 m/s2}

Each is rewritten into the TeX mhchem would write (element symbols upright, a number after an
atom or a bracket a subscript, a sign ending a formula its charge, arrows with their labels),
then read again like any formula. A word of lower-case letters is text, a lone lower-case
letter a variable, `$…$` inside is math as written. The rest of mhchem's grammar (bonds beyond
- = #, Kröger-Vink, orbital labels) is kept as written.
"""

from __future__ import annotations

import re

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, tokenize

# Arrows, longest first: the command drawn plain, and the one that takes labels.
_ARROWS = {
    "<-->": ("\\rightleftarrows", None),
    "<=>>": ("\\rightleftharpoons", "\\xrightleftharpoons"),
    "<<=>": ("\\rightleftharpoons", "\\xrightleftharpoons"),
    "<=>": ("\\rightleftharpoons", "\\xrightleftharpoons"),
    "<->": ("\\longleftrightarrow", "\\xleftrightarrow"),
    "->": ("\\longrightarrow", "\\xrightarrow"),
    "<-": ("\\longleftarrow", "\\xleftarrow"),
}
_ARROW = re.compile("|".join(re.escape(arrow) for arrow in _ARROWS))
# Pieces that stand alone between spaces: operators, gas (^) and precipitate (v).
_ALONE = {"+": "+", "=": "=", "^": "\\uparrow", "(^)": "\\uparrow", "v": "\\downarrow"}
_ALONE |= {"(v)": "\\downarrow", "*": "\\cdot", ".": "\\cdot"}
_WORDS = ("formula", "text", "math")  # pieces with a space between them when side by side
# A coefficient before a formula (2H2O, nH2O) or an electron (2e-).
_COEFFICIENT = re.compile(r"(\d+/\d+|\d+(?:\.\d+)?|[a-z])(?=[A-Z(\[\\$^_]|e(?![a-z]))")
_SYMBOL = re.compile(r"[A-Z][a-z]*|[a-z]+")
_CHARGE = re.compile(r"\d*[+-]+")
_BONDS = {"-": "{-}", "=": "{=}", "#": "{\\equiv}"}
_NUMBER = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:e([+-]?\d+))?")
_UNIT_POWER = re.compile(r"([^\d+^-]+)\^?(-?\d+)?")


def mhchem_commands() -> dict[str, Handler]:
    return {"\\ce": _ce, "\\pu": _pu}


def _ce(parser: Parser, token: Tok) -> Node:
    return _reparsed(parser, token, chemistry(_source(parser, token), token.offset))


def _pu(parser: Parser, token: Tok) -> Node:
    return _reparsed(parser, token, units(_source(parser, token)))


def _reparsed(parser: Parser, token: Tok, tex: str) -> Node:
    tokens = [Tok(t.kind, t.text, token.offset) for t in tokenize(tex)]
    return row(parser.sub_parse(tokens))


def _source(parser: Parser, token: Tok) -> str:
    """The argument as it was typed (runs of spaces as one)."""
    tokens = parser.group_tokens(token) or []
    parts: list[str] = []
    for index, item in enumerate(tokens):
        parts.append(" " if item.kind == "space" else item.text)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if item.kind == "cmd" and following is not None and following.text[:1].isalpha():
            parts.append(" ")  # \alpha x: the command's name ends before the letter
    return "".join(parts).strip()


def chemistry(text: str, offset: int = 0) -> str:
    """The TeX mhchem writes for `text`, the argument of \\ce."""
    out: list[str] = []
    previous = ""
    for piece in _pieces(text, offset):
        tex, kind = _piece(piece, offset)
        if previous == "number" and kind == "formula":
            out.append("\\,")  # 2 H2O: a coefficient, set close
        elif previous in _WORDS and kind in _WORDS:
            out.append("\\ ")  # two formulas or words: the space between them
        out.append(tex)
        previous = kind
    return " ".join(out)


def _pieces(text: str, offset: int) -> list[str]:
    """`text` split at spaces and around arrows, outside braces, brackets and `$…$`."""
    pieces: list[str] = []
    current: list[str] = []
    depth, math, index = 0, False, 0

    def end() -> None:
        if current:
            pieces.append("".join(current))
            current.clear()

    while index < len(text):
        char = text[index]
        if char == "$":
            math = not math
        elif math:
            pass
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth < 0:
                raise MathError(f"\\ce: a '{char}' that nothing opened", offset)
        elif depth == 0 and char == " ":
            end()
            index += 1
            continue
        elif depth == 0 and (arrow := _ARROW.match(text, index)):
            end()
            _, stop = _labels(text, arrow.end(), offset)  # its [above][below] go with it
            pieces.append(text[index:stop])
            index = stop
            continue
        current.append(char)
        index += 1
    if depth > 0 or math:
        raise MathError("\\ce: a '{', '[' or '$' that is never closed", offset)
    end()
    return pieces


def _labels(text: str, index: int, offset: int) -> tuple[list[str], int]:
    """The [above] and [below] texts that follow an arrow at `index`, and where they end."""
    labels: list[str] = []
    while len(labels) < 2 and index < len(text) and text[index] == "[":
        depth, start = 0, index
        while index < len(text):
            if text[index] == "[":
                depth += 1
            elif text[index] == "]":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if index >= len(text):
            raise MathError("\\ce: an arrow's '[' is never closed", offset)
        labels.append(text[start + 1 : index])
        index += 1
    return labels, index


def _piece(piece: str, offset: int) -> tuple[str, str]:
    """One piece's TeX, and what it is: "operator", "arrow", "number", "math", "text" or
    "formula"."""
    if piece in _ALONE:
        return _ALONE[piece], "operator"
    arrow = _ARROW.match(piece)
    if arrow:
        return _arrow(piece, arrow.group(), offset), "arrow"
    if piece.startswith("$") and piece.endswith("$") and piece.count("$") == 2:
        return f"{{{piece[1:-1]}}}", "math"
    if re.fullmatch(r"[a-z]{2,}\.?", piece):
        return f"\\text{{{piece}}}", "text"  # a word: heat, cat.
    if re.fullmatch(r"\d+(?:\.\d+)?", piece):
        return piece, "number"
    if re.fullmatch(r"\d+/\d+", piece):
        return _fraction(piece), "number"
    if len(piece) == 1 and piece.islower():
        return piece, "number"  # a variable as coefficient: n H2O
    return _formula(piece, offset), "formula"


def _arrow(piece: str, arrow: str, offset: int) -> str:
    plain, labelled = _ARROWS[arrow]
    labels, _ = _labels(piece, len(arrow), offset)
    if not labels or labelled is None:
        return plain
    above = chemistry(labels[0], offset) if labels[0].strip() else ""
    if len(labels) == 1:
        return f"{labelled}{{{above}}}"
    below = chemistry(labels[1], offset) if labels[1].strip() else ""
    return f"{labelled}[{below}]{{{above}}}"


def _formula(text: str, offset: int) -> str:
    """One formula: a coefficient, then atoms, brackets, scripts, bonds and a charge."""
    out: list[str] = []
    if coefficient := _COEFFICIENT.match(text):
        number = coefficient.group(1)
        out.append(f"{_fraction(number) if '/' in number else number}\\,")
        text = text[coefficient.end() :]
    index, letters = 0, ""
    after_atom = False  # a number here is a subscript

    def flush() -> None:
        nonlocal letters
        # Each element symbol on its own (CH4: the 4 is H's), a run of lower-case letters whole.
        out.extend(f"\\mathrm{{{symbol}}}" for symbol in _SYMBOL.findall(letters))
        letters = ""

    while index < len(text):
        char = text[index]
        rest = text[index:]
        if char.isalpha() and char.isascii():
            letters += char
            after_atom = True
            index += 1
            continue
        flush()
        if char.isdigit():
            digits = re.match(r"\d+", rest)
            assert digits is not None
            run = digits.group()
            tail = text[index + len(run) :]
            if after_atom and (charge := re.fullmatch(r"[+-]+", tail)):
                out.append(f"_{{{run}}}^{{{_sign(charge.group())}}}")  # NH4+
                break
            out.append(f"_{{{run}}}" if after_atom else run)
            index += len(run)
            continue
        if char in "^_":
            script, index = _script(text, index + 1, offset)
            base = "" if out else "{}"  # ^{227}_{90}Th: scripts before the symbol
            out.append(f"{base}{char}{{{script}}}")
            after_atom = False
            continue
        if char in "+-" and re.fullmatch(r"[+-]+", rest) and out:
            out.append(f"^{{{_sign(rest)}}}")  # Na+, Cl-
            break
        if char in _BONDS and index + 1 < len(text):
            out.append(_BONDS[char])
            after_atom = False
            index += 1
            continue
        if char == "*" or (char == "." and re.match(r"\.[\dA-Z(\[]", rest)):
            out.append("\\cdot ")  # CuSO4*5H2O, CuSO4.5H2O
            after_atom = False
            index += 1
            if coefficient := _COEFFICIENT.match(text, index):
                out.append(coefficient.group(1))
                index = coefficient.end()
            continue
        if char in "([":
            out.append(char)
            after_atom = False
            index += 1
            continue
        if char in ")]":
            out.append(char)
            after_atom = True
            index += 1
            continue
        if char == "$":
            end = text.index("$", index + 1)
            out.append(f"{{{text[index + 1 : end]}}}")
            after_atom = True
            index = end + 1
            continue
        if char == "\\":
            name = re.match(r"\\([A-Za-z]+|.)", rest)
            assert name is not None
            out.append(name.group() + " ")
            after_atom = True
            index += len(name.group())
            continue
        out.append(char)
        index += 1
    flush()
    return "".join(out)


def _script(text: str, index: int, offset: int) -> tuple[str, int]:
    """The superscript or subscript that starts at `index`: `{…}`, a charge (`2-`, `+`), a
    run of digits or of letters, or one character; its TeX and where it ends."""
    if index >= len(text):
        raise MathError("\\ce: a '^' or '_' with nothing after it", offset)
    if text[index] == "{":
        depth = 0
        for stop in range(index, len(text)):
            depth += {"{": 1, "}": -1}.get(text[stop], 0)
            if depth == 0:
                return _script_text(text[index + 1 : stop]), stop + 1
        raise MathError("\\ce: a '{' that is never closed", offset)
    if charge := _CHARGE.match(text, index):
        return _sign(charge.group()), charge.end()
    found = re.match(r"\d+|[A-Za-z]+|.", text[index:])
    assert found is not None
    script = found.group()
    upright = script.isalpha() and not (len(script) == 1 and script.islower())  # _x: a variable
    return (f"\\mathrm{{{script}}}" if upright else script), index + len(script)


def _script_text(inner: str) -> str:
    """A braced script: a charge as signs, Roman numerals and words upright, math as written."""
    if re.fullmatch(r"\d*[+-]+", inner):
        return _sign(inner)
    if re.fullmatch(r"[A-Za-z]{2,}|[A-Z]", inner):
        return f"\\mathrm{{{inner}}}"
    return re.sub(r"\$([^$]*)\$", r"{\1}", inner)  # _{$\frac{n}{2}$}: math as written


def _fraction(text: str) -> str:
    numerator, denominator = text.split("/")
    return f"\\tfrac{{{numerator}}}{{{denominator}}}"


def _sign(charge: str) -> str:
    """A charge's signs as TeX draws them: - is a minus sign."""
    return charge.replace("-", "{-}").replace("+", "{+}")


def units(text: str) -> str:
    """The TeX mhchem's \\pu writes for `text`: a number (`1.2e3` as 1.2·10³), then units
    upright, a number after a unit its power (`mol-1`, `s2`)."""
    words = text.split()
    out: list[str] = []
    if words and (number := _NUMBER.fullmatch(words[0])):
        mantissa, exponent = number.groups()
        out.append(mantissa if exponent is None else f"{mantissa}\\cdot 10^{{{exponent}}}")
        words = words[1:]
    if words:
        out.append(("\\ " if out else "") + "\\,".join(_unit(word) for word in words))
    return "".join(out)


def _unit(word: str) -> str:
    """One unit word: `kJ`, `mol-1`, `m/s2`, `kg*m2`."""
    tex: list[str] = []
    for part in re.split(r"([/*.])", word):
        if part == "/":
            tex.append("/")
        elif part in ("*", "."):
            tex.append("\\cdot ")
        elif part:
            match = _UNIT_POWER.fullmatch(part)
            if match is None:
                tex.append(f"\\mathrm{{{part}}}")
                continue
            name, power = match.groups()
            tex.append(f"\\mathrm{{{name}}}" + (f"^{{{power}}}" if power else ""))
    return "".join(tex)
