"""The braket package: Dirac's brackets and sets, bars separating what they hold."""

from __future__ import annotations

from lemma.render.texmath import convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


def test_bra_and_ket_are_their_brackets_and_bar() -> None:
    html = mathml(r"\bra{\phi} \ket{\psi}")
    assert '<mo stretchy="false">⟨</mo><mrow><mi>ϕ</mi></mrow><mo stretchy="false">|</mo>' in html
    assert '<mo stretchy="false">|</mo><mrow><mi>ψ</mi></mrow><mo stretchy="false">⟩</mo>' in html


def test_braket_bars_keep_the_size_of_the_brackets() -> None:
    html = mathml(r"\braket{\phi | A | \psi}")
    assert html.count('<mo stretchy="false" lspace="0" rspace="0">|</mo>') == 2
    assert '<mo stretchy="false">⟨</mo><mi>ϕ</mi>' in html and "⟩</mo>" in html
    assert '<mo stretchy="false" lspace="0" rspace="0">‖</mo>' in mathml(r"\braket{a || b}")


def test_capital_braket_grows_with_its_content_bars_too() -> None:
    html = mathml(r"\Braket{\frac{a}{b} | \psi}")
    assert '<mo stretchy="true" fence="true" form="prefix">⟨</mo><mfrac>' in html
    assert 'symmetric="true" lspace="0.2222em" rspace="0.2222em">|</mo>' in html


def test_set_separates_at_its_first_bar_only() -> None:
    html = mathml(r"\Set{x \in \mathbb{R} | |x| < \frac{1}{2}}")
    assert html.count('symmetric="true"') == 1  # the first bar grows; |x| keeps its bars
    assert '<mspace width="0.1667em"></mspace><mi>x</mi>' in html  # \Set's thin space inside
    plain = mathml(r"\set{x | x > 0}")
    assert (
        '<mo stretchy="false">{</mo><mi>x</mi><mo stretchy="false" lspace="0" rspace="0">|' in plain
    )


def test_a_bar_inside_braces_is_not_a_separator() -> None:
    html = mathml(r"\Braket{a {|} b}")
    assert 'symmetric="true"' not in html
