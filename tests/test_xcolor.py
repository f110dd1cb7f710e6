"""xcolor's mixes (red!50, red!30!blue) as the #rrggbb LaTeX computes, wherever a colour goes."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str) -> str:
    return convert(tex, display=False).mathml


def test_a_percentage_mixes_the_colour_with_white() -> None:
    assert 'mathcolor="#ff8080"' in mathml(r"\color{red!50} x")


def test_two_colours_mix_by_the_percentage_of_the_first() -> None:
    assert 'mathcolor="#4d00b3"' in mathml(r"\textcolor{red!30!blue}{x}")


def test_mixes_colour_cells_and_boxes_with_text_kept_readable() -> None:
    cell = mathml(r"\begin{array}{c} \cellcolor{blue!10} a \end{array}")
    assert 'class="tex-c tex-on-light" mathbackground="#e6e6ff"' in cell
    assert 'mathbackground="#ccffcc"' in mathml(r"\colorbox{green!20}{x}")


@pytest.mark.parametrize("spec", ["red!x", "teal!120", "crimson!20"])
def test_a_mix_lemma_cannot_compute_names_the_base_colours(spec: str) -> None:
    with pytest.raises(MathError, match=r"Lemma mixes xcolor's base colours") as caught:
        mathml(rf"\color{{{spec}}} x")
    assert caught.value.hint is not None and "red!30!blue" in caught.value.hint
