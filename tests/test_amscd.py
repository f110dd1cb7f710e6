"""amscd's commutative diagrams: objects and arrows in a table, labels beside and above."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert

SQUARE = r"\begin{CD} A @>f>> B \\ @VgVV @VVhV \\ C @= D \end{CD}"


def rows(html: str) -> list[str]:
    return html.split("<mtr>")[1:]


def test_a_square_is_objects_and_arrows_in_alternate_columns() -> None:
    html = convert(SQUARE, display=True).mathml
    top, middle, bottom = rows(html)
    assert top.startswith('<mtd><mi>A</mi></mtd><mtd><munderover><mo stretchy="true">⟶</mo>')
    assert "<mi>f</mi>" in top and top.count("<mtd>") == 3
    assert middle.count('<mo stretchy="true" minsize="2em" symmetric="true">↓</mo>') == 2
    assert middle.count("<mtd><mrow></mrow></mtd>") == 1  # under the arrow, nothing
    assert '<mo stretchy="true">=</mo>' in bottom


def test_vertical_labels_stick_out_beside_their_arrow() -> None:
    html = convert(SQUARE, display=True).mathml
    assert (
        '<mpadded width="0"><mrow class="tex-llap"><mrow><mstyle scriptlevel="1"><mi>g</mi>' in html
    )
    assert '<mspace width="0.2em"></mspace><mstyle scriptlevel="1"><mi>h</mi>' in html


def test_empty_arrow_and_double_line_keep_their_columns() -> None:
    html = convert(r"\begin{CD} A @>>> B @>>> C \\ @. @| @AAA \end{CD}", display=True).mathml
    arrows = rows(html)[1].split("<mtd>")[1:]
    assert len(arrows) == 5 and "‖" in arrows[2] and "↑" in arrows[4]


def test_a_wrong_arrow_says_what_amscd_reads() -> None:
    with pytest.raises(MathError, match="amscd's arrows are"):
        convert(r"\begin{CD} A @x B \end{CD}", display=True)
