"""empheq: an amsmath environment with a brace (or anything) beside all its rows."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert
from lemma.render.texmath.numbering import EquationRegistry


def test_a_brace_at_the_left_spans_the_rows_that_keep_their_numbers() -> None:
    registry = EquationRegistry()
    tex = r"\begin{empheq}[left=\empheqlbrace]{align} a &= b \\ c &= d \end{empheq}"
    converted = convert(tex, display=True)
    html = registry.number(converted.mathml, converted.equations)
    side = '<mtd class="tex-r tex-numcases" rowspan="2"><mrow><mo stretchy="true" fence="true"'
    assert side in html and "<mtext>(1)</mtext>" in html and "<mtext>(2)</mtext>" in html


def test_left_and_right_may_hold_more_than_a_fence() -> None:
    options = r"[left={L = \empheqlbrace}, right=\empheqrbrace]"
    tex = r"\begin{empheq}" + options + r"{align*} a &= b \\ c \end{empheq}"
    html = convert(tex, display=True).mathml
    brace = '<mo stretchy="true" fence="true" form="prefix">{</mo>'
    assert f"<mrow><mi>L</mi><mo>=</mo>{brace}" in html
    assert '<mtd class="tex-l tex-numcases" rowspan="2">' in html
    assert 'form="postfix">}</mo></mrow></mtd></mtr>' in html


def test_options_lemma_does_not_draw_are_named() -> None:
    with pytest.raises(MathError, match="Lemma reads left= and right="):
        convert(r"\begin{empheq}[box=\fbox]{align} a \end{empheq}", display=True)
