"""How an environment's cells sit in their columns: \\hfill, flalign's spread to the margins."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str) -> str:
    return convert(tex, display=True).mathml


def test_hfill_pushes_a_cell_to_the_other_side() -> None:
    html = mathml(r"\begin{array}{c} \hfill x \\ yyy \\ z \hfill \\ \hfill w \hfill \end{array}")
    cells = html.split("<mtd")[1:]
    assert [cell.split('"')[1] for cell in cells] == ["tex-r", "tex-c", "tex-l", "tex-c"]


def test_hfill_outside_a_table_is_nothing() -> None:
    assert '<mi>a</mi><mspace width="0"></mspace><mi>b</mi>' in mathml(r"a \hfill b")


def test_flalign_fills_the_space_between_its_pairs_and_after_a_lone_pair() -> None:
    html = mathml(r"\begin{flalign*} a &= b & c &= d \\ e &= f \end{flalign*}")
    assert 'class="tex-align tex-flalign"' in html
    rows = html.split("<mtr>")[1:]
    assert all(r.count('<mtd class="tex-fill tex-fill-1">') == 1 for r in rows)
    assert rows[1].count("<mtd></mtd>") == 2  # the short row keeps the filler's column
    lone = mathml(r"\begin{flalign*} x &= y \end{flalign*}")
    assert lone.endswith('<mtd class="tex-fill tex-fill-1"></mtd></mtr></mtable></math>')


def test_array_reads_dashed_rules_repeats_and_empty_at_groups() -> None:
    html = mathml(r"\begin{array}{@{}*{2}{c}:c@{}} a & b & c \end{array}")
    cells = [cell.split('"')[1] for cell in html.split("<mtd")[1:]]
    assert cells == ["tex-c tex-tight-l", "tex-c", "tex-c tex-vline tex-vdashed tex-tight-r"]


def test_an_array_spec_lemma_cannot_read_says_what_it_reads() -> None:
    with pytest.raises(MathError, match=r"unknown column type 'x' \(write l, c, r, \| or :"):
        mathml(r"\begin{array}{cx} a \end{array}")
    with pytest.raises(MathError, match=r"'@' takes a braced argument"):
        mathml(r"\begin{array}{c@c} a \end{array}")


def test_at_text_is_a_cell_between_its_columns_without_padding() -> None:
    html = mathml(r"\begin{array}{r@{.}l} 3 & 14 \\ 2 \end{array}")
    rows = html.split("<mtr>")[1:]
    cells = [cell.split('"')[1] for cell in rows[0].split("<mtd")[1:]]
    assert cells == ["tex-r tex-tight-r", "tex-c tex-tight-l tex-tight-r", "tex-l tex-tight-l"]
    assert '<mo lspace="0" rspace="0">.</mo>' in rows[0]
    assert rows[1].count("<mtd") == 2  # a short row keeps the text after its last cell


def test_at_text_keeps_its_spaces_and_commands() -> None:
    html = mathml(r"\begin{array}{c@{\quad\text{or}\quad}c} a & b \end{array}")
    assert html.count("<mtd") == 3 and "<mtext>or</mtext>" in html


def test_p_column_is_left_aligned_with_a_note() -> None:
    converted = convert(r"\begin{array}{p{2cm}c} a & b \end{array}", display=True)
    assert '<mtd class="tex-l"><mrow><mi>a</mi>' in converted.mathml
    assert [note.message.split(":")[0] for note in converted.notes] == ["array column p{2cm}"]


def test_intertext_out_of_its_place_says_where_it_goes() -> None:
    with pytest.raises(MathError, match=r"at the start of a row, right after \\\\") as caught:
        mathml(r"\begin{align} a &= b \intertext{so} \\ c &= d \end{align}")
    assert caught.value.offset == 21 and caught.value.hint is not None
