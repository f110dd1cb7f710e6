"""Over and under a base: MathJax's parens, brackets and harpoons, \\overunderset, x-arrows."""

from __future__ import annotations

import pytest

from lemma.render.texmath import convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


@pytest.mark.parametrize(
    ("tex", "mark", "tag"),
    [
        (r"\overparen{ab}", "⏜", "mover"),
        (r"\underparen{ab}", "⏝", "munder"),
        (r"\overarc{AB}", "⏜", "mover"),
        (r"\overbracket{ab}", "⎴", "mover"),
        (r"\underbracket[1pt][4pt]{ab}", "⎵", "munder"),
        (r"\overleftharpoon{AB}", "↼", "mover"),
        (r"\overrightharpoon{AB}", "⇀", "mover"),
        (r"\underleftrightarrow{AB}", "↔", "munder"),
    ],
)
def test_wide_marks_stretch_over_or_under_their_base(tex: str, mark: str, tag: str) -> None:
    html = mathml(tex)
    assert f'<mo stretchy="true">{mark}</mo></{tag}>' in html
    assert "[" not in html  # the bracket's optional sizes are not shown


def test_brackets_take_a_label_as_braces_do() -> None:
    html = mathml(r"\underbracket{a + b}_{\text{terms}}")
    assert html.startswith(
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><munder><munder'
    )


def test_overunderset_puts_both_around_the_base() -> None:
    html = mathml(r"x \overunderset{a}{b}{=} y")  # between atoms: its spaces are its own
    assert "<munderover><mo>=</mo><mi>b</mi><mi>a</mi></munderover>" in html


@pytest.mark.parametrize(
    ("tex", "arrow"),
    [
        (r"\xrightharpoonup{k}", "⇀"),
        (r"\xleftharpoondown{k}", "↽"),
        (r"\xlongequal{\text{def}}", "="),
        (r"\xrightarrow{\text{def}}", "⟶"),
        (r"\xhookleftarrow{k}", "↩"),
        (r"\xtwoheadrightarrow{k}", "↠"),
        (r"\xtwoheadleftarrow{k}", "↞"),
    ],
)
def test_extensible_arrows_stretch_under_their_label(tex: str, arrow: str) -> None:
    arrow_between = mathml(f"A {tex} B")  # alone, the formula's ends would set its spaces
    assert f'<mover><mo stretchy="true">{arrow}</mo><mrow><mspace width="0.4em">' in arrow_between


def test_a_pair_of_arrows_both_stretch_under_the_label() -> None:
    html = mathml(r"A \xrightleftharpoons[k_2]{k_1} B")
    assert '<munder><munderover><mo stretchy="true">⇀</mo><mo stretchy="true">↽</mo>' in html
    tofrom = '<munderover><mo stretchy="true">⟶</mo><mo stretchy="true">⟵</mo>'
    assert tofrom in mathml(r"A \xtofrom{f} B")


def test_katex_accents_overrightarrow_utilde_underbar() -> None:
    html = convert(r"\Overrightarrow{AB} \utilde{AB} \underbar{X}", display=True).mathml
    assert '<mo stretchy="true">⇒</mo></mover>' in html
    assert (
        '<munder accentunder="true"><mrow><mi>A</mi><mi>B</mi></mrow><mo stretchy="true">˜</mo>'
        in html
    )
    assert '<munder accentunder="true"><mi>X</mi><mo stretchy="true">_</mo></munder>' in html
