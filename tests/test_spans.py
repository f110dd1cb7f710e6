"""\\multicolumn cells across columns and \\cline rules under some columns of an array."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str) -> str:
    return convert(tex, display=True).mathml


def cell_classes(row: str) -> list[str]:
    return [cell.split('"')[1] for cell in row.split("<mtd")[1:]]


def test_multicolumn_spans_its_columns_with_its_own_alignment() -> None:
    html = mathml(r"\begin{array}{lr} \multicolumn{2}{c}{x} \\ a & b \end{array}")
    assert '<mtd class="tex-c" columnspan="2"><mrow><mrow><mi>x</mi>' in html


def test_multicolumn_header_under_hline_draws_its_own_rules() -> None:
    tex = r"\begin{array}{c|c|c} \hline \multicolumn{2}{|c|}{x} & y \\ \hline a & b & c \end{array}"
    rows = mathml(tex).split("<mtr")[1:]
    assert rows[0].startswith(' class="tex-hline"')
    # the rule after the span is the span's: the cell after it draws none
    assert cell_classes(rows[0]) == ["tex-c tex-vline tex-vline-last", "tex-c"]
    assert cell_classes(rows[1]) == ["tex-c", "tex-c tex-vline", "tex-c tex-vline"]


def test_multicolumn_in_a_matrix_row() -> None:
    html = mathml(r"\begin{bmatrix} a + b & c \\ \multicolumn{2}{c}{\vdots} \end{bmatrix}")
    assert '<mtd class="tex-c" columnspan="2"><mrow><mrow><mi>⋮</mi>' in html


def test_multicolumn_across_at_text_spans_the_text_column_too() -> None:
    html = mathml(r"\begin{array}{r@{.}l} 3 & 14 \\ \multicolumn{2}{c}{\pi} \end{array}")
    assert '<mtd class="tex-c" columnspan="3">' in html


def test_cline_rules_only_its_columns() -> None:
    html = mathml(r"\begin{array}{ccc} a & b & c \\ \cline{2-3} d & e & f \\ \cline{1} \end{array}")
    rows = html.split("<mtr")[1:]
    assert cell_classes(rows[1]) == ["tex-c tex-cline-below", "tex-c tex-cline", "tex-c tex-cline"]


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\multicolumn{x}", r"\\multicolumn\{x\}: its first argument is how many columns"),
        (r"\multicolumn{2}{cc}{a}", r"\\multicolumn\{2\}\{cc\}: its second argument is one column"),
        (r"a & \multicolumn{2} \\", r"\\multicolumn is missing an argument"),
        (r"a & x \multicolumn{1}{c}{y}", r"\\multicolumn begins its cell"),
        (r"a \\ \cline{x} b", r"\\cline\{x\}: its argument is the columns the rule spans"),
        (r"a \\ \cline{3-2} b", r"\\cline\{3-2\}"),
    ],
)
def test_malformed_span_or_cline_says_how_to_write_it(tex: str, message: str) -> None:
    with pytest.raises(MathError, match=message) as caught:
        mathml(r"\begin{array}{cc}" + tex + r"\end{array}")
    assert caught.value.hint is not None and caught.value.offset is not None


def test_multicolumn_and_cline_outside_an_array_say_where_they_go() -> None:
    with pytest.raises(MathError, match=r"\\multicolumn stands at the start of a cell"):
        mathml(r"\multicolumn{2}{c}{a}")
    with pytest.raises(MathError, match=r"\\cline stands at the start of a row"):
        mathml(r"x \cline{1-2}")
