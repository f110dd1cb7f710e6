"""\\big, \\Big, \\bigg and \\Bigg: the heights TeX gives a delimiter, and how the page draws them.

Chromium makes a stretchy operator's box as wide as the widest size its font has of it: 0.63 em
for "(" in STIX Two Math, whose size for \\big is 0.38 em wide, so \\bigl( x \\bigr) stood 1.23
times as wide as MathJax draws it. The math font subset offers each of DELIMITERS' sizes as the
alternates of one feature (FEATURE, alternate n for the n-th of SIZES: the variant nearest that
tall, the one Chromium stretched to at 20 px, whose glyphs' bounds it rounds out), and the page
asks for that glyph, unstretched, by the class `css_class` names (templates/assets/style.css),
in every browser. Other delimiters (|, /, arrows) still stretch to SIZES.
"""

from __future__ import annotations

SIZES = {"big": 1.2, "Big": 1.623, "bigg": 2.4, "Bigg": 2.9}  # in em, as before
FEATURE = "cv09"  # a character-variant tag STIX Two Math does not use
DELIMITERS = "()[]{}⟨⟩⌈⌉⌊⌋"


def css_class(size: str) -> str:
    """The class of an <mo> drawn at `size` (a key of SIZES): the theme picks its alternate."""
    return f"tex-big-{list(SIZES).index(size) + 1}"
