"""\\mathbb, \\mathcal, \\mathbf, ...: letters as Unicode's mathematical alphanumeric characters.

MathML Core ignores `mathvariant` (except "normal"), so a styled letter has to be its own
code point; the 1D400 block has holes where Unicode already had the letter (ℝ, ℋ, ℭ, ...).
"""

from __future__ import annotations

_LATIN_START = {  # code point of the capital A in each style
    "bold": 0x1D400,
    "italic": 0x1D434,
    "bold-italic": 0x1D468,
    "script": 0x1D49C,
    "bold-script": 0x1D4D0,
    "fraktur": 0x1D504,
    "double-struck": 0x1D538,
    "bold-fraktur": 0x1D56C,
    "sans-serif": 0x1D5A0,
    "bold-sans-serif": 0x1D5D4,
    "sans-serif-italic": 0x1D608,
    "sans-serif-bold-italic": 0x1D63C,
    "monospace": 0x1D670,
}
_DIGIT_START = {
    "bold": 0x1D7CE,
    "double-struck": 0x1D7D8,
    "sans-serif": 0x1D7E2,
    "bold-sans-serif": 0x1D7EC,
    "monospace": 0x1D7F6,
}
_GREEK_START = {"bold": 0x1D6A8, "italic": 0x1D6E2, "bold-italic": 0x1D71C}
_HOLES = {
    ("italic", "h"): "ℎ",
    ("script", "B"): "ℬ",
    ("script", "E"): "ℰ",
    ("script", "F"): "ℱ",
    ("script", "H"): "ℋ",
    ("script", "I"): "ℐ",
    ("script", "L"): "ℒ",
    ("script", "M"): "ℳ",
    ("script", "R"): "ℛ",
    ("script", "e"): "ℯ",
    ("script", "g"): "ℊ",
    ("script", "o"): "ℴ",
    ("fraktur", "C"): "ℭ",
    ("fraktur", "H"): "ℌ",
    ("fraktur", "I"): "ℑ",
    ("fraktur", "R"): "ℜ",
    ("fraktur", "Z"): "ℨ",
    ("double-struck", "C"): "ℂ",
    ("double-struck", "H"): "ℍ",
    ("double-struck", "N"): "ℕ",
    ("double-struck", "P"): "ℙ",
    ("double-struck", "Q"): "ℚ",
    ("double-struck", "R"): "ℝ",
    ("double-struck", "Z"): "ℤ",
}
_GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ∇αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ"

STYLES = frozenset(_LATIN_START) | {"normal"}


def styled(text: str, style: str) -> str:
    """`text` with each letter (and digit, where Unicode has one) in `style`."""
    if style == "normal":
        return text
    return "".join(_styled_char(char, style) for char in text)


def _styled_char(char: str, style: str) -> str:
    if (style, char) in _HOLES:
        return _HOLES[(style, char)]
    if "A" <= char <= "Z" or "a" <= char <= "z":
        index = ord(char) - ord("A") if char <= "Z" else 26 + ord(char) - ord("a")
        return chr(_LATIN_START[style] + index)
    if "0" <= char <= "9" and style in _DIGIT_START:
        return chr(_DIGIT_START[style] + ord(char) - ord("0"))
    greek_style = {
        "bold-sans-serif": "bold",
        "bold-fraktur": "bold",
        "bold-script": "bold",
        "sans-serif-bold-italic": "bold-italic",
        "sans-serif-italic": "italic",
    }.get(style, style)
    if char in _GREEK and greek_style in _GREEK_START:
        return chr(_GREEK_START[greek_style] + _GREEK.index(char))
    return char
