"""Plain TeX's forms MathJax reads: \\root…\\of, \\buildrel, \\matrix{…\\cr…}, \\raise, sizes,
\\mathchoice, \\vcenter, \\pmb, \\skew, \\verb, amsmath's named limits and \\idotsint."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


def test_sizes_set_the_rest_of_their_group() -> None:
    html = mathml(r"{\Large x} y")
    assert '<mstyle mathsize="1.44em"><mi>x</mi></mstyle></mrow><mi>y</mi>' in html


def test_raise_and_lower_move_their_box() -> None:
    html = mathml(r"\raise2pt\hbox{x} \lower{3pt}{y}")
    assert '<mpadded voffset="2pt"><mtext>x</mtext></mpadded>' in html
    assert '<mpadded voffset="-3pt"><mrow><mi>y</mi></mrow></mpadded>' in html
    with pytest.raises(MathError, match="needs a length"):
        mathml(r"\raise{up}{x}")


def test_raise_without_a_length_says_where_and_what_to_write() -> None:
    with pytest.raises(
        MathError, match=r"\\lower needs a length after it, such as 1em, 2pt"
    ) as caught:
        convert(r"x + \lower \hbox{y}", display=False)
    assert caught.value.offset == 4  # the file:line of the error points at \lower


def test_root_of_and_buildrel_over() -> None:
    assert "<mroot><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow><mn>3</mn></mroot>" in mathml(
        r"\root 3 \of {x+1}"
    )
    assert "<mover><mo>=</mo><mtext>def</mtext></mover>" in mathml(
        r"a \buildrel \text{def} \over = b"
    )
    assert "<mroot><mi>x</mi><mn>3</mn></mroot>" in mathml(r"\sqrt[\uproot{2}\leftroot{1}3]{x}")


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\matrix{a & b \cr c & d}", '<mtable class="tex-matrix"><mtr><mtd class="tex-c">'),
        (r"\pmatrix{a \cr b}", 'form="prefix">(</mo><mtable class="tex-matrix">'),
        (r"\cases{1 & x > 0 \cr 0 & x \le 0}", 'form="prefix">{</mo><mtable'),
        (r"\eqalign{a &= b \cr c &= d}", '<mtable class="tex-align" displaystyle="true">'),
        (r"\displaylines{a \cr b}", '<mtable class="tex-gather" displaystyle="true">'),
    ],
)
def test_plain_arrays_are_their_amsmath_environments(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


def test_mathchoice_takes_the_form_for_where_it_stands() -> None:
    assert "<mi>D</mi>" in mathml(r"\mathchoice{D}{T}{S}{U}")
    assert "<mi>T</mi>" in mathml(r"\mathchoice{D}{T}{S}{U}", display=False)


def test_vcenter_pmb_skew_and_verb() -> None:
    assert '<mtable class="tex-vcenter"><mtr><mtd><mi>x</mi></mtd></mtr></mtable>' in mathml(
        r"\vcenter{x}"
    )
    assert '<mrow class="tex-pmb"><mi>x</mi></mrow>' in mathml(r"\pmb{x}")
    assert '<mover accent="true"><mi>A</mi><mo stretchy="false">ˆ</mo></mover>' in mathml(
        r"\skew{3}{\hat}{A}"
    )
    assert '<mtext class="tex-verb">x^2\u00a0+\u00a0y</mtext>' in mathml(r"\verb|x^2 + y|")


def test_named_limits_draw_their_marks_and_take_limits_below() -> None:
    assert '<munder><mrow><mrow class="tex-overline"><mi>lim</mi></mrow></mrow>' in mathml(
        r"\varlimsup_{n} a_n"
    )
    assert '<mi>lim</mi><mo stretchy="true">←</mo></munder>' in mathml(r"\varprojlim_{k} A")
    assert '<munder><mo movablelimits="true" lspace="0" rspace="0">inj lim</mo>' in mathml(
        r"\injlim_{k} A"
    )


def test_idotsint_is_two_integrals_and_dots_with_side_scripts() -> None:
    html = mathml(r"\idotsint_V f")
    assert '<msub><mrow><mo largeop="true">∫</mo><mo lspace="0" rspace="0">⋯</mo>' in html


def test_mathjax_base_extras_render() -> None:
    assert "<mi>ℒ</mi>" in mathml(r"{\scr L}") and "<mi>𝔤</mi>" in mathml(r"{\frak g}")
    assert "<mo>∉</mo>" in mathml(r"x \centernot\in A") and "≠" in mathml(r"\centernot{=}")
    assert '<mstyle mathcolor="#ff0000">' in mathml(r"\color[rgb]{1,0,0}{x}")
    assert '<mstyle mathcolor="#808080">' in mathml(r"\color[gray]{0.5} x")
    rule = '<mspace width="1em" height="1ex" depth="0.5ex" class="tex-rule"></mspace>'
    assert rule in mathml(r"\Rule{1em}{1ex}{0.5ex}")
    assert '<mrow class="important"><mi>x</mi></mrow>' in mathml(r"\class{important}{x}")
    assert '<mrow id="here"><mi>x</mi></mrow>' in mathml(r"\cssId{here}{x}")
    with pytest.raises(MathError, match="a name of letters"):
        mathml(r"\class{tex-box}{x}")
    with pytest.raises(MathError, match="Lemma reads rgb, RGB, gray and HTML"):
        mathml(r"\color[cmyk]{0,1,1,0}{x}")


def test_text_laps_and_spreadlines() -> None:
    assert '<mrow class="tex-llap"><mtext>x</mtext></mrow>' in mathml(r"\textllap{x}")
    spread = mathml(
        r"\begin{spreadlines}{1em} \begin{gathered} a \\ b \end{gathered}\end{spreadlines}"
    )
    assert '<mtable class="tex-gather" displaystyle="true">' in spread


def test_tex_and_latex_logos_as_mathjax_sets_them() -> None:
    latex = convert(r"\LaTeX", display=False).mathml
    assert '<mi mathvariant="normal">L</mi><mspace width="0" class="tex-back-6"></mspace>' in latex
    assert '<mpadded voffset=".21em"><mrow><mstyle displaystyle="false" scriptlevel="1">' in latex
    assert '<mpadded voffset="-.5ex"><mrow><mi mathvariant="normal">E</mi>' in latex
    assert convert(r"\TeX", display=False).text == "TEX"


def test_raisebox_moves_its_text_up_by_its_length() -> None:
    html = mathml(r"a\raisebox{0.25em}{$b$ up}c")
    assert (
        '<mpadded voffset="0.25em"><mrow><mi>b</mi><mtext>\u00a0up</mtext></mrow></mpadded>' in html
    )


def test_katex_logo_is_its_letters_kerned_with_a_small_raised_a() -> None:
    logo = convert(r"\KaTeX", display=False)
    assert logo.text == "KATEX"
    assert '<mpadded voffset=".43ex"><mrow><mstyle displaystyle="false" scriptlevel="1">' in (
        logo.mathml
    )


def test_begingroup_scopes_a_colour_to_its_endgroup() -> None:
    html = mathml(r"\begingroup \color{red} a \endgroup b")
    assert '<mrow><mstyle mathcolor="red"><mi>a</mi></mstyle></mrow><mi>b</mi>' in html


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\begingroup a", "without its \\\\endgroup"),
        (r"a \endgroup", "without its \\\\begingroup"),
    ],
)
def test_an_unpaired_group_command_says_what_is_missing(tex: str, message: str) -> None:
    with pytest.raises(MathError, match=message) as caught:
        mathml(tex)
    assert caught.value.hint is not None


def test_eqalignno_rows_are_aligned_with_their_third_column_as_the_number() -> None:
    converted = convert(
        r"\eqalignno{a &= b & (1) \cr c + d &= e \cr f &= g & (\ast) \cr}", display=True
    )
    assert [mark.tag for mark in converted.equations] == ["(1)", "(∗)"]
    assert all(mark.tag_starred for mark in converted.equations)  # shown as written
    assert 'class="tex-align tex-numbered"' in converted.mathml
    assert converted.mathml.count('<mtd class="tex-r">') == 3


def test_eqalignno_with_a_fourth_column_says_how_to_write_a_row() -> None:
    with pytest.raises(MathError, match=r"\\eqalignno: a row has 4 columns") as caught:
        mathml(r"\eqalignno{a &= b & c & d \cr}")
    assert caught.value.hint is not None


def test_bordermatrix_labels_share_the_entries_table_and_fences_span_the_entries() -> None:
    html = mathml(r"\bordermatrix{ & c & d \cr x & 1 & 2 \cr y & 3 & 4 \cr}")
    assert html.count("<mtable") == 3  # the matrix, and the invisible copy beside each fence
    assert html.count('<mtd rowspan="2" class="tex-fence">') == 2
    assert html.count('<mtr><mtd class="tex-r tex-border-label">') == 2  # x and y, at the left


def test_bordermatrix_without_entries_says_how_to_write_it() -> None:
    with pytest.raises(MathError, match=r"needs a row of column labels and a row of entries"):
        mathml(r"\bordermatrix{a & b}")
