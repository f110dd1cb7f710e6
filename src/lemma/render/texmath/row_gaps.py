"""\\\\[4pt] after a row: the extra space below it, read as a length in em.

LaTeX's array (matrices, cases, array) deepens the row's strut by it, which environments'
strut does. amsmath's align, gather, multline and their inner forms add it below the row
(\\noalign{\\vskip 4pt}), a negative length taking space away: `below_row` does that here.
"""

from __future__ import annotations

import re

from lemma.render.texmath.nodes import Node
from lemma.render.texmath.tokens import Tok

# TeX's units in em, at TeX's 10 pt: \\[4pt] is 0.4 em.
_UNITS = {"em": 1.0, "ex": 0.431, "pt": 0.1, "px": 0.1, "mm": 0.2845, "cm": 2.845}
_UNITS |= {"in": 7.227, "mu": 1 / 18}
_LENGTH = re.compile(r"(-?(?:\d+\.?\d*|\.\d+))(em|ex|pt|px|mm|cm|in|mu)")
# amsmath's \jot, 3 pt, alone or times a factor (\\[2\jot], \\[-\jot]).
_JOT = re.compile(r"(-?(?:\d+\.?\d*|\.\d+)?)\\jot")
_JOT_EM = 0.3

# The theme's padding above and below an align or gather cell (math mtd in style.css): rows
# of an align stand 2 × 0.25 em apart, all a negative length can take away.
_CELL_PADDING = 0.25
CLOSER = "tex-closer"  # the row's class when a negative length takes that padding away
# Chromium sets this much more below any munder: the UnderbarExtraDescender of Lemma's math
# font (STIX Two Math's 68/1000 em), which the under-accent's height leaves out.
_EXTRA_DESCENDER = 0.068


def gap_em(tokens: list[Tok]) -> float:
    """The length of \\\\[…] in em (\\\\[4pt], \\\\[\\jot]); 0 for one Lemma does not read."""
    text = "".join(t.text for t in tokens if t.kind != "space")
    if jot := _JOT.fullmatch(text):
        factor = jot.group(1)
        return _JOT_EM * float(factor + "1" if factor in ("", "-") else factor)
    found = _LENGTH.fullmatch(text)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else 0.0


def below_row(content: Node, gap: float) -> Node:
    """A cell's content with `gap` em more below it: an empty under-accent that tall, which
    MathML sets right under the content's depth, so the space adds to the deepest cell's (a
    gap under the font's extra descender, 0.068 em, gets that).
    A negative gap leaves 2 × 0.25 em + gap of the padding the row's CLOSER class removes: the
    rows come closer, as in LaTeX, but stop where they would touch."""
    extra = gap if gap > 0 else max(2 * _CELL_PADDING + gap, 0.0)
    if extra == 0:
        return content
    space = Node("mspace").set(height=f"{max(extra - _EXTRA_DESCENDER, 0.0):.4g}em")
    return Node("munder", [content, space]).set(accentunder="true")
