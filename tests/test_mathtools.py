"""mathtools as MathJax reads it: paired delimiters, laps, small matrices, multlined, cases*..."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


ABS = r"\DeclarePairedDelimiter\abs{\lvert}{\rvert}"


def test_paired_delimiter_keeps_its_size_unless_starred_or_sized() -> None:
    plain = mathml(ABS + r"\abs{\frac{a}{b}}")
    assert plain.count('<mo stretchy="false" lspace="0" rspace="0">|</mo>') == 2
    starred = mathml(ABS + r"\abs*{\frac{a}{b}}")
    assert '<mo stretchy="true" fence="true" form="prefix">|</mo><mfrac>' in starred
    assert 'form="postfix">|</mo>' in starred
    sized = mathml(ABS + r"\abs[\Big]{x}")
    assert sized.count('minsize="1.623em"') == 2


def test_paired_delimiter_is_defined_for_the_rest_of_the_post() -> None:
    converted = convert(ABS, display=True)
    assert converted.mathml == "" and [m.name for m in converted.defined] == ["\\abs"]
    later = convert(r"\abs*{x}", display=True, macros=converted.defined).mathml
    assert 'form="prefix">|</mo><mi>x</mi>' in later


def test_paired_delimiter_x_puts_the_size_where_delimsize_is() -> None:
    define = r"\DeclarePairedDelimiterX\inner[2]{\langle}{\rangle}{#1 \delimsize\vert #2}"
    assert '<mo stretchy="true" fence="true" symmetric="true">|</mo>' in mathml(
        define + r"\inner*{\frac ab}{c}"
    )
    assert '<mi>a</mi><mo stretchy="false">|</mo><mi>b</mi>' in mathml(define + r"\inner{a}{b}")


def test_paired_delimiter_size_must_be_a_big_command() -> None:
    with pytest.raises(MathError, match=r"\\abs\[…\] takes a size"):
        mathml(ABS + r"\abs[x]{y}")


def test_laps_take_no_width_and_are_moved_by_the_theme() -> None:
    html = mathml(r"\mathclap{x} \mathllap{y} \mathrlap{z} \rlap{w}")
    assert '<mpadded width="0"><mrow class="tex-clap"><mi>x</mi></mrow></mpadded>' in html
    assert '<mpadded width="0"><mrow class="tex-llap"><mi>y</mi></mrow></mpadded>' in html
    assert '<mpadded width="0"><mi>z</mi></mpadded>' in html
    assert '<mpadded width="0"><mi>w</mi></mpadded>' in html


def test_clap_under_a_sum_lets_a_long_limit_stick_out() -> None:
    html = mathml(r"\sum_{\mathclap{1 \le i \le n}} x_i")
    assert '<munder><mo largeop="true" movablelimits="true"' in html
    assert '<mpadded width="0"><mrow class="tex-clap">' in html


@pytest.mark.parametrize(
    ("name", "fence"),
    [("psmallmatrix", "("), ("bsmallmatrix", "["), ("Bsmallmatrix", "{"), ("vsmallmatrix", "|")],
)
def test_small_matrices_with_delimiters_are_in_script_size(name: str, fence: str) -> None:
    html = mathml(rf"\begin{{{name}}} a & b \\ c & d \end{{{name}}}")
    small = '<mtable class="tex-matrix tex-smallmatrix" scriptlevel="1">'
    assert f'form="prefix">{fence}</mo>{small}' in html


def test_starred_matrix_aligns_its_columns_and_does_not_show_the_option() -> None:
    html = mathml(r"\begin{pmatrix*}[r] 1 & -1 \\ -10 & 2 \end{pmatrix*}")
    assert html.count('class="tex-r"') == 4 and "<mi>r</mi>" not in html


def test_starred_cases_set_the_second_column_as_text() -> None:
    html = mathml(r"\begin{cases*} 1 & if $x > 0$ \\ 0 & otherwise \end{cases*}")
    assert "<mtext>if\u00a0</mtext><mrow><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow>" in html
    assert "<mtext>otherwise</mtext>" in html


def test_multline_rows_shoved_left_and_right() -> None:
    html = mathml(
        r"\begin{multline*} a \\ \shoveleft{b} \\ \shoveright{c} \\ d \\ e \end{multline*}"
    )
    classes = [part.split('"')[0] for part in html.split('<mtd class="')[1:]]
    assert classes == [
        "tex-l tex-wide",
        "tex-l tex-wide",
        "tex-r tex-wide",
        "tex-c tex-wide",
        "tex-r tex-wide",
    ]


def test_multlined_is_as_wide_as_its_lines() -> None:
    html = mathml(r"x = \begin{multlined}[t] a + b \\ + c \\ + d \end{multlined}")
    assert "tex-wide" not in html and "tex-multline" not in html
    assert [p.split('"')[0] for p in html.split('<mtd class="')[1:]] == ["tex-l", "tex-c", "tex-r"]


def test_lgathered_and_rgathered_align_their_lines() -> None:
    assert mathml(r"\begin{lgathered} a \\ bb \end{lgathered}").count('class="tex-l"') == 2
    assert mathml(r"\begin{rgathered} a \\ bb \end{rgathered}").count('class="tex-r"') == 2


def test_move_eq_left_starts_the_row_left_of_the_alignment() -> None:
    html = mathml(r"\begin{align*} \MoveEqLeft a + b \\ &= c \end{align*}")
    assert '<mtd class="tex-r"><mrow><mspace width="2em"></mspace></mrow>' in html
    assert '<mrow class="tex-moveleft-2"><mi>a</mi>' in html
    assert 'class="tex-moveleft-3"' in mathml(
        r"\begin{align*} \MoveEqLeft[3] a \\ &= c \end{align*}"
    )


def test_prescript_sets_scripts_before_the_base() -> None:
    html = mathml(r"\prescript{14}{2}{\mathrm{C}}")
    assert '<mmultiscripts><mi mathvariant="normal">C</mi><mrow></mrow><mrow></mrow>' in html
    assert "<mprescripts></mprescripts><mn>2</mn><mn>14</mn></mmultiscripts>" in html


def test_splitfrac_is_two_lines_flush_left_then_right() -> None:
    html = mathml(r"\frac{\splitfrac{a+b}{+c}}{d}")
    assert '<mtable class="tex-splitfrac" displaystyle="false"><mtr><mtd class="tex-l">' in html
    assert '<mtd class="tex-r"><mrow><mspace width="1em"></mspace>' in html


def test_adjustlimits_gives_both_operators_each_others_height() -> None:
    html = mathml(r"\adjustlimits\lim_{n\to\infty} \sup_{m} a")
    assert html.count("<munder>") == 2 and html.count('<mphantom data-pagefind-ignore="">') == 4
    with pytest.raises(MathError, match="two operators"):
        mathml(r"\adjustlimits\lim_{n} x")


def test_smashoperator_laps_the_limits() -> None:
    html = mathml(r"\smashoperator{\sum_{1 \le i \le n}} x_i")
    assert '<munder><mo largeop="true"' in html and 'class="tex-clap"' in html


def test_mathmakebox_places_its_content_in_a_box_of_that_width() -> None:
    assert '<mpadded width="3em"><mi>x</mi></mpadded>' in mathml(r"\mathmakebox[3em][l]{x}")
    centred = mathml(r"\mathmakebox[4em]{x}")
    assert '<mpadded width="4em"><mspace width="2em"></mspace><mpadded width="0">' in centred
    with pytest.raises(MathError, match="l, c or r"):
        mathml(r"\mathmakebox[4em][q]{x}")


def test_cramped_is_a_class_for_the_theme() -> None:
    assert '<mrow class="tex-cramped"><msup>' in mathml(r"\cramped{x^2}")


def test_xalignat_is_numbered_pairs_spread_as_align() -> None:
    html = mathml(r"\begin{xalignat}{2} a &= b & c &= d \end{xalignat}")
    assert "tex-numbered" in html and "tex-gap" in html


def test_sideset_puts_scripts_at_the_operators_corners_and_keeps_its_limits() -> None:
    html = mathml(r"\sideset{}{'}\sum_{n < k} a_n")
    assert (
        '<munder><mmultiscripts movablelimits="true"><mo largeop="true" movablelimits="true">∑'
        in html
    )
    assert (
        '<mo class="tex-prime">′</mo><mprescripts></mprescripts><mrow></mrow><mrow></mrow>' in html
    )
    corners = mathml(r"\sideset{_a^b}{_c^d}\prod")
    assert "<mi>c</mi><mi>d</mi><mprescripts></mprescripts><mi>a</mi><mi>b</mi>" in corners


def test_two_relations_in_a_row_have_no_space_between_them() -> None:
    assert '<mo rspace="0">∶</mo><mo lspace="0">=</mo>' in mathml(r"x \vcentcolon= y")


def test_paired_delimiter_xpp_puts_its_words_before_and_after_the_pair() -> None:
    define = r"\DeclarePairedDelimiterXPP\Prob[1]{\mathbb{P}}{(}{)}{}{#1}"
    html = mathml(define + r"\Prob*{\frac{A}{B}}")
    assert '<mi>ℙ</mi><mrow><mo stretchy="true" fence="true" form="prefix">(</mo><mfrac>' in html


def test_definecolor_names_a_colour_for_the_rest_of_the_post() -> None:
    defined = convert(r"\definecolor{leaf}{HTML}{00AA00}", display=True).defined
    html = convert(r"\textcolor{leaf}{y} \colorbox{leaf}{z}", display=True, macros=defined).mathml
    assert '<mstyle mathcolor="#00AA00">' in html and 'mathbackground="#00AA00"' in html
    assert '<mstyle mathcolor="red">' in mathml(r"\color{red} x")  # other names as they are


def test_vdotswithin_is_as_wide_as_its_spaced_relation() -> None:
    html = mathml(r"\begin{align*} a &= b \\ &\vdotswithin{=} \end{align*}")
    assert '<munder accentunder="true"><mo lspace="0" rspace="0">⋮</mo><mpadded' in html
    assert (
        '<mphantom data-pagefind-ignore=""><mrow><mspace width="0.2778em"></mspace><mo>=</mo>'
        in html
    )


def test_newline_ends_a_line_as_a_double_backslash_does() -> None:
    assert mathml(r"a \newline b") == mathml(r"a \\ b")


def test_aboxed_frames_both_sides_of_the_alignment_point() -> None:
    html = convert(
        r"\begin{align*} \Aboxed{a + b &= c} \\ d &= e \end{align*}", display=True
    ).mathml
    left = html.index('<mrow class="tex-aboxed-l"><mrow><mi>a</mi>')
    right = html.index('<mrow class="tex-aboxed-r"><mrow><mrow></mrow><mo>=</mo><mi>c</mi>')
    assert left < html.index('<mtd class="tex-l">') < right  # one half in each cell


def test_tag_forms_and_options_are_read_and_warned_of() -> None:
    assert convert(r"\newtagform{b}[\textbf]{[}{]} x", display=True).notes == ()
    (note,) = convert(r"\usetagform{b} x", display=True).notes
    assert "keep LaTeX's (1) form" in note.message
    (note,) = convert(r"\mathtoolsset{showonlyrefs} x", display=True).notes
    assert "showonlyrefs" in note.message and note.hint is not None
