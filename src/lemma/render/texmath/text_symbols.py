"""Characters named by packages MathJax loads: textcomp's \\textxxx, upgreek's upright letters,
and the text-mode names (\\textbackslash, \\space) that work in math and in \\text alike."""

from __future__ import annotations

from lemma.render.texmath.nodes import Node, leaf
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, tokenize

# upgreek: \upalpha ... \Upomega, upright as TeX's capitals are.
_UPGREEK_NAMES = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu"
    " xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
    " Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_UPGREEK_CHARS = "αβγδϵεζηθϑικλμνξοπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ"
UPRIGHT_GREEK = {
    ("\\up" + name if name[0].islower() else "\\Up" + name.lower()): char
    for name, char in zip(_UPGREEK_NAMES.split(), _UPGREEK_CHARS, strict=True)
}

# textcomp (and LaTeX's own text symbols): set as text, in math and in \text.
TEXT_CHARACTERS = {
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textasteriskcentered": "*",
    "textbackslash": "\\",
    "textbar": "|",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textbullet": "•",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "textellipsis": "…",
    "textemdash": "—",
    "textendash": "–",
    "textexclamdown": "¡",
    "textgreater": ">",
    "textless": "<",
    "textordfeminine": "ª",
    "textordmasculine": "º",
    "textparagraph": "¶",
    "textperiodcentered": "·",
    "textquestiondown": "¿",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textsection": "§",
    "textunderscore": "_",
    "textvisiblespace": "␣",
    "textacutedbl": "˝",
    "textasciiacute": "´",
    "textasciibreve": "˘",
    "textasciicaron": "ˇ",
    "textasciidieresis": "¨",
    "textasciimacron": "¯",
    "textcent": "¢",
    "textcurrency": "¤",
    "textdollar": "$",
    "texteuro": "€",
    "textflorin": "ƒ",
    "textlira": "₤",
    "textsterling": "£",
    "textyen": "¥",
    "textcircledP": "℗",
    "textcopyright": "©",
    "textregistered": "®",
    "textservicemark": "℠",
    "texttrademark": "™",
    "textbardbl": "‖",
    "textbigcircle": "◯",
    "textbrokenbar": "¦",
    "textestimated": "℮",
    "textmusicalnote": "♪",
    "textnumero": "№",
    "textopenbullet": "◦",
    "textpertenthousand": "‱",
    "textperthousand": "‰",
    "textrecipe": "℞",
    "textreferencemark": "※",
    "textlangle": "⟨",
    "textrangle": "⟩",
    "textlbrackdbl": "⟦",
    "textrbrackdbl": "⟧",
    "textcelsius": "℃",
    "textdegree": "°",
    "textdiv": "÷",
    "textdownarrow": "↓",
    "textfractionsolidus": "⁄",
    "textleftarrow": "←",
    "textlnot": "¬",
    "textmho": "℧",
    "textminus": "−",
    "textmu": "µ",
    "textohm": "Ω",
    "textonehalf": "½",
    "textonequarter": "¼",
    "textonesuperior": "¹",
    "textpm": "±",
    "textrightarrow": "→",
    "textsurd": "√",
    "textthreequarters": "¾",
    "textthreesuperior": "³",
    "texttimes": "×",
    "texttwosuperior": "²",
    "textuparrow": "↑",
    "textborn": "*",
    "textdied": "†",
    "textmarried": "⚭",
    "textdivorced": "⚮",
    "space": "\u00a0",
    "nobreakspace": "\u00a0",
    # LaTeX's letters and signs of text (\\text{Erd\\H{o}s, \\ss}); KaTeX takes some in math too
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "i": "ı",
    "j": "ȷ",
    "l": "ł",
    "L": "Ł",
    "dag": "†",
    "ddag": "‡",
    "copyright": "©",
}
TEXT_CHARACTERS = {"\\" + name: char for name, char in TEXT_CHARACTERS.items()}


def _upright(parser: Parser, token: Tok) -> Node:
    return leaf("mi", UPRIGHT_GREEK[token.text], "ord", mathvariant="normal")


def _text_character(parser: Parser, token: Tok) -> Node:
    return leaf("mtext", TEXT_CHARACTERS[token.text], "ord")


def _circled_character(text: str) -> str | None:
    """The one character of Unicode's circled letters and numbers (ⓐ, Ⓐ, ⓪, ① to ⑳)."""
    if len(text) == 1 and "a" <= text <= "z":
        return chr(0x24D0 + ord(text) - ord("a"))
    if len(text) == 1 and "A" <= text <= "Z":
        return chr(0x24B6 + ord(text) - ord("A"))
    if text == "0":
        return "\u24ea"
    if text.isdigit() and 1 <= int(text) <= 20:
        return chr(0x2460 + int(text) - 1)
    return None


def _textcircled(parser: Parser, token: Tok) -> Node:
    """textcomp's \\textcircled{a}: the circled character where Unicode has one (the math
    font draws it), else the text in \\enclose's circle."""
    text = parser.text_argument(token)
    circled = _circled_character(text)
    if circled is not None:
        return leaf("mtext", circled, "ord")
    drawn = tokenize(f"\\enclose{{circle}}{{\\text{{{text}}}}}", token.offset)
    return Node("mrow", parser.sub_parse(drawn), kind="ord")


def text_symbol_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(UPRIGHT_GREEK, _upright)
    table.update(dict.fromkeys(TEXT_CHARACTERS, _text_character))
    table["\\textcircled"] = _textcircled
    return table
