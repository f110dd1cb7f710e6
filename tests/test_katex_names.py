"""KaTeX's own names (\\R, \\argmax, \\Alpha, \\rArr, \\ratio) convert as the TeX they stand for."""

from __future__ import annotations

import pytest

from lemma.render.texmath import convert


def mathml(tex: str) -> str:
    return convert(tex, display=True).mathml


@pytest.mark.parametrize(
    ("katex", "tex"),
    [
        (
            r"\R^n \times \N \times \Z \times \Complex",
            r"\mathbb{R}^n \times \mathbb{N} \times \mathbb{Z} \times \mathbb{C}",
        ),
        (r"\Alpha \Beta \Chi", r"\mathrm{A} \mathrm{B} \mathrm{X}"),
        (r"a \rArr b \lrarr c \uArr", r"a \Rightarrow b \leftrightarrow c \Uparrow"),
        (r"x \isin S \sube T, \empty, \plusmn", r"x \in S \subseteq T, \emptyset, \pm"),
        (r"a \ratio b \colonequals c", r"a \vcentcolon b \coloneqq c"),
        (r"\plim_{n} X_n", r"\operatorname*{plim}_{n} X_n"),
        (r"\tg x + \sh y", r"\operatorname{tg} x + \operatorname{sh} y"),
        (r"\bold{x} + 1", r"\mathbf{x} + 1"),
    ],
)
def test_a_katex_name_is_the_tex_it_stands_for(katex: str, tex: str) -> None:
    assert mathml(katex) == mathml(tex)


def test_argmax_takes_its_limits_below_in_display() -> None:
    html = mathml(r"\argmax_{\theta} L(\theta) + \argmin_x f")
    assert '<munder><mo movablelimits="true" lspace="0" rspace="0">arg max</mo>' in html
    assert ">arg min</mo>" in html
