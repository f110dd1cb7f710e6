"""colortbl: \\cellcolor, \\rowcolor and \\columncolor as the cell's mathbackground."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str) -> str:
    return convert(tex, display=True).mathml


def test_cell_row_and_column_colours_fill_their_cells() -> None:
    html = mathml(
        r"\begin{array}{>{\columncolor{yellow}}c|c} a & b \\ \rowcolor{lightgray} c & d \\"
        r" e & \cellcolor{navy} f \end{array}"
    )
    assert '<mtd class="tex-c tex-on-light" mathbackground="yellow"><mrow><mi>a</mi>' in html
    assert '<mtd class="tex-c tex-vline"><mrow><mi>b</mi>' in html  # no colour of its own
    assert html.count('mathbackground="lightgray"') == 2  # the whole row
    assert 'class="tex-c tex-vline tex-on-dark" mathbackground="navy"><mrow><mi>f</mi>' in html
    assert "tex-colour" not in html  # the markers are taken out


def test_cellcolor_reads_colour_models() -> None:
    assert 'mathbackground="#FFAA00"' in mathml(
        r"\begin{pmatrix} \cellcolor[HTML]{FFAA00} 1 & 0 \end{pmatrix}"
    )


def test_other_column_decorations_are_named() -> None:
    with pytest.raises(MathError, match=r"Lemma reads >\{\\columncolor"):
        mathml(r"\begin{array}{>{\bfseries}c} a \end{array}")
