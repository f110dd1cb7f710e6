"""TeX to MathML at build time; what cannot be converted faithfully raises MathError."""

from __future__ import annotations

import pytest

from lemma.render.mathml import MathError, PostMath, site_macros, tex_to_mathml


def test_inline_formula_becomes_inline_mathml() -> None:
    html = tex_to_mathml("x^2", display=False)
    assert html.startswith("<math")
    assert 'display="inline"' in html
    assert "<msup>" in html


def test_display_formula_becomes_block_mathml() -> None:
    html = tex_to_mathml(r"\frac{1}{2}", display=True)
    assert 'display="block"' in html
    assert "<mfrac>" in html


def test_align_environment_becomes_a_table() -> None:
    html = tex_to_mathml("\\begin{align}a &= b \\\\ c &= d\\end{align}", display=True)
    assert "<mtable" in html


def test_aligned_is_rewritten_to_an_environment_that_renders() -> None:
    html = tex_to_mathml("\\begin{aligned}a &= b \\\\ c &= d\\end{aligned}", display=True)
    assert "<mtable" in html
    assert "aligned" not in html


def test_unicode_symbols_in_tex_are_kept() -> None:
    assert "∂" in tex_to_mathml("∂L", display=False)


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"\notacommand{x}", r"unknown command \notacommand"),
        ("a & b", "alignment '&'"),
        ("   ", "empty formula"),
    ],
)
def test_unconvertible_tex_raises_with_a_reason(tex: str, reason: str) -> None:
    with pytest.raises(MathError, match=reason.replace("\\", "\\\\")):
        tex_to_mathml(tex, display=False)


def test_unbalanced_environment_raises() -> None:
    with pytest.raises(MathError):
        tex_to_mathml("\\begin{foo} x", display=True)


def test_site_macros_take_mathjax_shapes_with_an_optional_first_argument() -> None:
    """A MathJax config's `tex: {macros: {...}}` pastes into [macros] as it is."""
    macros = site_macros(
        {"R": "\\mathbb{R}", "tp": ["{#1}^{\\top}", 1], "E": ["\\mathbb{E}_{#1}[#2]", 2, "x"]}
    )
    math = PostMath(macros)
    assert "<msub><mi>𝔼</mi><mrow><mi>x</mi></mrow></msub>" in math.to_mathml(
        "\\E{f}", display=False
    )
    assert "<mi>θ</mi>" in math.to_mathml("\\E[\\theta]{f}", display=False)
    assert "⊤" in math.to_mathml("\\tp{A} \\in \\R", display=False)
