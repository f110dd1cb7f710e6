"""\\big, \\Big, \\bigg and \\Bigg: the heights TeX gives a delimiter, and how the page draws them.

Chromium makes a stretchy operator's box as wide as the widest size its font has of it: 0.63 em
for "(" in STIX Two Math, whose size for \\big is 0.38 em wide, so \\bigl( x \\bigr) stood 1.23
times as wide as MathJax draws it. The math font subset offers each of DELIMITERS' sizes as the
alternates of one feature (FEATURE, alternate n for the n-th of SIZES: the variant nearest that
tall, the one Chromium stretched to at 20 px, whose glyphs' bounds it rounds out), and the page
asks for that glyph, unstretched, by the class `css_class` names (templates/assets/style.css),
in every browser. Other delimiters (|, /, arrows) still stretch to SIZES.

Shared by the math renderer (`render/texmath`) and the math font's own process
(`render/mathfont.py`), which must not import the render stage: a module of its own, outside it.
"""

from __future__ import annotations

# \big … \Bigg: LaTeX asks for 1, 1.5, 2 and 2.5 times 1.2 struts and gets the delimiters of
# Computer Modern that reach them, 1.2, 1.8, 2.4 and 3 em tall (MathJax draws the same). Chromium
# takes the first of STIX Two Math's sizes that reaches the size asked for (a parenthesis comes
# 1.27, 1.69, 1.96, 2.22, 2.43, 2.67, 2.91 em tall; a bar is built to the size): these ask for
# the nearest to LaTeX's. MathJax's own requests (2.047 and 2.470 em for \bigg and \Bigg, before
# it rounds them up to its glyphs) drew \Bigg( 2.65 em tall.
SIZES = {"big": 1.2, "Big": 1.623, "bigg": 2.4, "Bigg": 2.9}  # in em
FEATURE = "cv09"  # a character-variant tag STIX Two Math does not use
# Each has more sizes than SIZES in STIX Two Math, all centred on the math axis, as TeX centres a
# delimiter (drawn as text, they sit where the font puts them). / and \ are not: their sizes
# rise with their height, so they still stretch, each in a box 1.34 em wide.
DELIMITERS = "()[]{}⟨⟩⌈⌉⌊⌋"


def css_class(size: str) -> str:
    """The class of an <mo> drawn at `size` (a key of SIZES): the theme picks its alternate."""
    return f"tex-big-{list(SIZES).index(size) + 1}"
