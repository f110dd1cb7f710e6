"""Fractions: \\genfrac, and plain TeX's infix \\over, \\atop, \\choose, \\above."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert

# A fraction with delimiters of its own: the theme gives it no null delimiter space there.
DELIMITED = ' class="tex-delim-l tex-delim-r"'


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


def test_genfrac_sets_delimiters_rule_and_style() -> None:
    html = mathml(r"\genfrac{(}{)}{0pt}{}{n}{k}")
    assert (
        '<mo stretchy="true" fence="true" form="prefix">(</mo>'
        f'<mfrac linethickness="0pt"{DELIMITED}>' in html
    )
    styled = mathml(r"\genfrac{[}{]}{1pt}{1}{a}{b}")
    assert '<mstyle displaystyle="false" scriptlevel="0"><mrow><mo' in styled
    assert f'<mfrac linethickness="1pt"{DELIMITED}>' in styled
    assert "<mfrac><mi>a</mi>" in mathml(r"\genfrac{}{}{}{0}{a}{b}")  # the usual rule


def test_genfrac_says_what_is_wrong() -> None:
    with pytest.raises(MathError, match="the style is 0, 1, 2 or 3"):
        mathml(r"\genfrac{}{}{}{5}{a}{b}")
    with pytest.raises(MathError, match="is not a delimiter"):
        mathml(r"\genfrac{ab}{}{}{}{a}{b}")


def test_over_divides_its_whole_group() -> None:
    html = mathml(r"x + {a + b \over c}")
    assert "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mi>c</mi></mfrac>" in html
    assert "<mi>x</mi><mo>+</mo>" in html


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"{n \choose k}", f'form="prefix">(</mo><mfrac linethickness="0"{DELIMITED}>'),
        (r"{n \brack k}", f'form="prefix">[</mo><mfrac linethickness="0"{DELIMITED}>'),
        (r"{n \brace k}", f'form="prefix">{{</mo><mfrac linethickness="0"{DELIMITED}>'),
        (r"{a \atop b}", '<mfrac linethickness="0"><mi>a</mi>'),
        (r"{a \above 2pt b}", '<mfrac linethickness="2pt"><mi>a</mi>'),
        (r"{a \overwithdelims[] b}", f'form="prefix">[</mo><mfrac{DELIMITED}><mi>a</mi>'),
    ],
)
def test_infix_fractions_of_plain_tex(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


def test_inline_over_sets_its_parts_tight() -> None:
    assert '<mo lspace="0" rspace="0">+</mo>' in mathml(r"{a + b \over 2}", display=False)


def test_two_overs_in_one_group_ask_for_braces() -> None:
    with pytest.raises(MathError, match="add braces"):
        mathml(r"a \over b \over c")


def test_only_the_sides_with_a_delimiter_are_marked() -> None:
    # TeX's null delimiter space stays on the side \genfrac leaves empty.
    assert '<mfrac class="tex-delim-l">' in mathml(r"\genfrac(.{}{}{a}{b}")
    assert '<mfrac class="tex-delim-r">' in mathml(r"\genfrac{}){}{}{a}{b}")
    assert "<mfrac><mi>a</mi>" in mathml(r"\frac{a}{b}")


def test_cfrac_takes_its_position_and_struts_its_numerator() -> None:
    """amsmath's \\cfrac[l]{1}{2}: [l] is where the numerator goes, not the numerator itself."""
    left = convert(r"\cfrac[l]{1}{2}", display=True).mathml
    assert "[" not in left and '<mfrac numalign="left">' in left
    strut = '<mspace height="0.84em" depth="0.36em"></mspace>'
    assert f"<mrow>{strut}<mn>1</mn></mrow><mn>2</mn>" in left
    nested = convert(r"\cfrac{1}{1+\cfrac{1}{2}}", display=False).mathml
    assert nested.count('<mstyle displaystyle="true"><mfrac>') == 2
    assert nested.count('<mspace height="0.84em"') == 2  # each numerator, no denominator
    with pytest.raises(MathError):
        convert(r"\cfrac[x]{1}{2}", display=True)
