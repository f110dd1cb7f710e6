"""TeX to MathML Core: constructs real posts use, macros, numbering, errors naming commands."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert, macro_from_text
from lemma.render.texmath.numbering import EquationRegistry, reference_markup


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


def test_display_sum_takes_limits_that_move_inline() -> None:
    html = mathml(r"\sum_{i=1}^n x_i")
    assert '<munderover><mo largeop="true" movablelimits="true"' in html


def test_integral_keeps_its_scripts_at_the_side() -> None:
    assert "<msubsup><mo" in mathml(r"\int_0^1 f")


def test_align_cells_are_classed_not_columnaligned() -> None:
    html = mathml(r"\begin{align*} a &= b \\ c + d &= e \end{align*}")
    assert "columnalign" not in html
    assert html.count('class="tex-r"') == 2 and html.count('class="tex-l"') == 2


def test_align_spaces_its_pairs_and_alignat_leaves_it_to_the_author() -> None:
    pairs = r"a &= b & c &= d \\ e &= f & g &= h"
    assert mathml(r"\begin{align*}" + pairs + r"\end{align*}").count("tex-gap") == 2
    for name in ("alignat*", "alignedat"):
        assert "tex-gap" not in mathml(rf"\begin{{{name}}}{{2}}{pairs}\end{{{name}}}")


def test_a_prime_in_a_superscript_asks_for_the_script_form_however_it_is_written() -> None:
    for tex in (r"f'", r"f^\prime", r"f^{\prime}", r"y_i'", r"f'^2"):
        assert 'class="tex-prime">′<' in mathml(tex, display=False), tex
    assert "tex-prime" not in mathml(r"\prime", display=False)  # beside, not raised: as drawn


def test_scripts_and_limits_set_relations_and_operators_tight_as_tex_script_style() -> None:
    tight = '<mo lspace="0" rspace="0">'
    assert f"<mi>i</mi>{tight}=</mo><mn>1</mn>" in mathml(r"\sum_{i=1}^n x_i")
    assert 'stretchy="false" lspace="0" rspace="0">→</mo>' in mathml(r"\lim_{x \to 0} f")
    assert f"{tight}+</mo>" in mathml(r"\overset{a+b}{=}")
    assert "<mo>=</mo>" in mathml(r"x_1 = 2")  # on the line: spaced
    assert '<mo lspace="0.2222em" rspace="0.2222em">mod</mo>' in mathml(r"x_{a \bmod b}")


def test_nabla_is_upright_as_in_tex_and_partial_keeps_its_italic() -> None:
    html = mathml(r"\nabla_\theta f = \partial_x f", display=False)
    assert '<mi mathvariant="normal">∇</mi>' in html and "<mi>∂</mi>" in html


def test_an_operator_name_keeps_the_space_written_in_it() -> None:
    assert ">arg max</mo>" in mathml(r"\operatorname*{arg\,max}_x f")
    assert "<mi>rank</mi>" in mathml(r"\operatorname{rank} A")


def test_large_operators_are_spaced_by_their_neighbours_as_in_tex() -> None:
    at_start = mathml(r"\sum_i x_i", display=False)
    assert 'lspace="0" rspace="0.1667em">∑' in at_start
    assert 'lspace="0" rspace="0">∑' in mathml(r"a = \sum_i (x_i)")  # after =, before (
    assert 'lspace="0.1667em" rspace="0.1667em">∫' in mathml(r"\frac12 \int_0^1 g")


def test_fraction_parts_are_tight_in_text_style_and_spaced_in_display() -> None:
    tight, spaced = '<mo lspace="0" rspace="0">+</mo>', "<mo>+</mo>"
    assert tight in mathml(r"\frac{n+1}{2}", display=False)
    assert spaced in mathml(r"\frac{n+1}{2}") and tight not in mathml(r"\frac{n+1}{2}")
    assert tight in mathml(r"\tfrac{n+1}{2}") and spaced in mathml(r"\dfrac{n+1}{2}", display=False)
    nested = mathml(r"\frac{\frac{a+b}{2}}{c+d}")  # the inner fraction is in text style
    assert nested.count(tight) == 1 and nested.count(spaced) == 1
    assert tight in mathml(r"\begin{pmatrix} \frac{a+b}{2} \end{pmatrix}")  # cells: text style


def test_only_a_long_inline_formula_is_marked_to_scroll_in_its_own_box() -> None:
    long = r"\mathcal{L}(\theta) = \sum_{i=1}^{n} y_i \log \sigma(w^\top x_i + b) + \lambda"
    assert mathml(long, display=False).startswith(
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline" class="tex-long">'
    )
    assert 'class="tex-long"' not in mathml(r"\operatorname{tr}(A) = \sum_i a_{ii}", display=False)
    assert 'class="tex-long"' not in mathml(long)  # display math scrolls in its box already


def test_plain_parentheses_never_stretch_but_left_right_do() -> None:
    assert '<mo stretchy="false">(</mo>' in mathml(r"f(\frac{a}{b})")
    assert 'stretchy="true" fence="true" form="prefix">(' in mathml(r"\left(\frac{a}{b}\right)")


def test_left_dot_and_right_bar() -> None:
    html = mathml(r"\left. \frac{df}{dx} \right|_{x=0}")
    assert 'form="postfix">|</mo>' in html and 'form="prefix"' not in html


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\mathbb{R}", "ℝ"),
        (r"\mathcal{L}", "ℒ"),
        (r"\mathfrak{g}", "𝔤"),
        (r"\mathbf{x}", "𝐱"),
        (r"\boldsymbol{\alpha}", "𝜶"),
        (r"a \not\in B", "∉"),
        (r"a \not= b", "≠"),
        (r"X \perp\!\!\!\perp Y", "⫫"),
        (r"\arg z", "<mi>arg</mi>"),
        (r"\color{red} x", 'mathcolor="red"'),
        (r"\textcolor{blue}{y}", 'mathcolor="blue"'),
        (r"\operatorname*{arg\,max}_x f", '<munder><mo movablelimits="true"'),
        (r"\xrightarrow[b]{a}", "<munderover>"),
        (r"\hat{y}", '<mover accent="true"><mi>y</mi><mo stretchy="false">ˆ</mo>'),
        (r"\tilde{x}", '<mover accent="true"><mi>x</mi><mo stretchy="false">˜</mo>'),
    ],
)
def test_commands_real_posts_use(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


@pytest.mark.parametrize(
    "environment",
    [
        "equation",
        "equation*",
        "align",
        "aligned",
        "gather",
        "gathered",
        "multline",
        "split",
        "cases",
        "matrix",
        "pmatrix",
        "bmatrix",
        "Bmatrix",
        "vmatrix",
        "Vmatrix",
        "smallmatrix",
    ],
)
def test_environments_become_tables(environment: str) -> None:
    assert "<mtable" in mathml(f"\\begin{{{environment}}} a & b \\\\ c & d \\end{{{environment}}}")


def test_array_column_spec_and_rules() -> None:
    html = mathml(r"\begin{array}{c|l} a & b \\ \hline c & d \end{array}")
    assert 'class="tex-l tex-vline"' in html and 'class="tex-hline"' in html


def test_macros_defined_in_a_formula_are_returned_for_the_rest_of_the_post() -> None:
    first = convert(
        r"\newcommand{\norm}[1]{\lVert #1 \rVert} \DeclareMathOperator{\tr}{tr}", display=False
    )
    second = convert(r"\norm{x} + \tr A", display=False, macros=first.defined)
    assert "‖" in second.mathml and "<mi>tr</mi>" in second.mathml


def test_def_and_site_macro_with_parameters() -> None:
    site = (macro_from_text("tp", "{#1}^{\\top}"),)
    assert "⊤" in convert(r"\tp{A}", display=False, macros=site).mathml
    assert "<mfrac>" in convert(r"\def\half{\frac12} \half", display=False).mathml


def test_align_rows_are_numbered_in_order_with_tag_notag_and_label() -> None:
    registry = EquationRegistry()
    converted = convert(
        r"\begin{align} a &= b \label{one} \\ c &= d \notag \\ e &= f \tag{*} \end{align}",
        display=True,
    )
    html = registry.number(converted.mathml, converted.equations)
    assert '<mtext id="eq-one">(1)</mtext>' in html and "<mtext>(*)</mtext>" in html
    refs = registry.resolve(reference_markup("one") + reference_markup("one", "ref"), print)
    assert refs == '<a class="eqref" href="#eq-one">(1)</a><a class="eqref" href="#eq-one">1</a>'


def test_unknown_label_is_reported_and_shown_as_question_marks() -> None:
    missing: list[str] = []
    html = EquationRegistry().resolve(reference_markup("nope"), missing.append)
    assert missing == ["nope"] and "(??)" in html


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"\notacommand{x}", r"unknown command \notacommand"),
        ("a & b", "alignment '&'"),
        (r"\begin{foo} x \end{foo}", "unknown environment {foo}"),
        (r"\begin{align} x", r"without its \end{align}"),
        (r"\newcommand{\loop}{\loop} \loop", "expands without end"),
        (r"\frac{a}", r"\frac is missing its argument"),
    ],
)
def test_unconvertible_tex_names_the_command(tex: str, reason: str) -> None:
    with pytest.raises(MathError, match=reason.replace("\\", "\\\\").replace("{", "\\{")):
        convert(tex, display=True)


def test_line_breaks_in_a_plain_display_formula_become_centred_lines() -> None:
    html = mathml(r"a = b \\ c = d")
    assert html.count("<mtr>") == 2 and 'class="tex-gather"' in html


def test_text_may_hold_math_between_dollars() -> None:
    html = mathml(r"\text{for all $x > 0$, } f", display=False)
    assert "<mtext>for all\u00a0</mtext>" in html and "<mn>0</mn>" in html


def test_plain_relations_carry_no_stretch_attributes() -> None:
    assert "<mo>=</mo>" in mathml("a = b")


def test_wide_accents_are_spacing_characters_chromium_stretches_along_the_line() -> None:
    # U+0303 and U+030C are not on MathML Core's list of horizontal operators.
    assert '<mrow><mi>x</mi><mi>y</mi><mi>z</mi></mrow><mo stretchy="true">ˆ</mo>' in mathml(
        r"\widehat{xyz}"
    )
    assert '<mo stretchy="true">˜</mo></mover>' in mathml(r"\widetilde{abc}")
    assert '<mo stretchy="true">→</mo></mover>' in mathml(r"\overrightarrow{AB}")
    for combining in ("\u0302", "\u0303"):
        assert combining not in mathml(r"\widehat{a} \widetilde{b}")


def test_overline_is_a_rule_over_the_whole_base_not_a_glyph() -> None:
    html = mathml(r"\overline{x+y}^2")
    assert '<msup><mrow class="tex-overline"><mrow><mi>x</mi><mo>+</mo><mi>y</mi></mrow>' in html
    assert "‾" not in html and "<mover" not in html


UNARY = '<mo lspace="0" rspace="0">−</mo>'
BINARY = "<mo>−</mo>"


@pytest.mark.parametrize(
    ("tex", "unary", "binary"),
    [
        ("(-1)^n", 1, 0),  # after an opening
        ("x = -y", 1, 0),  # after a relation
        ("[-a, -b]", 2, 0),  # after an opening, after a comma
        (r"\left[ -\log p(x) \right] = -\sum_x p", 2, 0),  # first in \left...\right, after =
        ("a - b", 0, 1),  # between two atoms: binary
        ("f(x) - -y", 1, 1),  # the second of two in a row
        ("a -", 1, 0),  # at the end
        (r"x^2 - \frac{1}{2}", 0, 1),  # after a script, before a fraction
        (r"\sin -x", 1, 0),  # after an operator name
        # \| and \vert are ordinary atoms in TeX, as | is: a norm's closing bar takes a binary
        # minus after it (||Xw - y||^2_2 - lambda), and so does an opening one, as TeX sets it
        (r"\|Xw - y\|_2^2 - \lambda\|w\|_1", 0, 2),
        (r"\vert x \vert - 1", 0, 1),
        (r"\| - x\|", 0, 1),
        (r"\lVert -x \rVert", 1, 0),  # after \lVert, an opening
    ],
)
def test_a_minus_with_nothing_to_combine_is_set_tight_as_tex_sets_it(
    tex: str, unary: int, binary: int
) -> None:
    html = mathml(tex, display=False)
    assert (html.count(UNARY), html.count(BINARY)) == (unary, binary), html


def test_a_norm_is_spaced_as_tex_spaces_its_bars() -> None:
    # TeX's thin space between an operator name or a large operator and an ordinary atom
    for tex in (r"\log\|x\|", r"\sum \|x_i\|", r"\|x\| \sin y"):
        assert '="0.1667em"' in mathml(tex, display=False), tex  # a space or an rspace


def test_a_unary_minus_before_a_large_operator_keeps_tex_thin_space() -> None:
    html = mathml(r"= -\sum_x p")
    assert UNARY + '<munder><mo largeop="true" movablelimits="true" lspace="0.1667em"' in html


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\mathds{1}_A", "<mn>𝟙</mn>"),  # dsfont's indicator
        (r"\mathbbm{1}", "<mn>𝟙</mn>"),
        (r"\mathds{E}", "<mi>𝔼</mi>"),
        (r"\mathbold{x}", "<mi>𝒙</mi>"),
    ],
)
def test_font_packages_commands_style_their_argument(tex: str, expected: str) -> None:
    """\\mathds{1} was read as a symbol (ℂ, from a comment of the symbol table) before its 1."""
    html = mathml(tex, display=False)
    assert expected in html and "ℂ" not in html


def test_intertext_is_an_unnumbered_row_of_prose_across_the_alignment() -> None:
    converted = convert(
        r"\begin{align} a &= b \\ \intertext{so, for $x > 0$,} c &= d \end{align}", display=True
    )
    assert '<mtd class="tex-l tex-intertext" columnspan="2"><mrow><mrow><mtext>so, for' in (
        converted.mathml
    )
    assert "<mo>&gt;</mo>" in converted.mathml  # its $x > 0$ is math
    assert len(converted.equations) == 2  # (1) and (2): the prose row has no number
    with pytest.raises(MathError, match=r"\\intertext belongs in align, not in gather"):
        convert(r"\begin{gather} a \\ \intertext{no} b \end{gather}", display=True)


def test_subequations_number_their_rows_under_one_number() -> None:
    registry = EquationRegistry()
    tex = r"\begin{subequations}\begin{align} a &= b \label{first} \\ c &= d \end{align}"
    converted = convert(tex + r"\end{subequations}", display=True)
    html = registry.number(converted.mathml, converted.equations)
    assert '<mtext id="eq-first">(1a)</mtext>' in html and "<mtext>(1b)</mtext>" in html
    after = convert(r"\begin{equation} e \end{equation}", display=True)
    assert "(2)" in registry.number(after.mathml, after.equations)
    with pytest.raises(MathError, match="subequations must hold the whole formula"):
        convert(r"a \begin{subequations} b \end{subequations}", display=True)


def test_newenvironment_wraps_its_body_for_the_rest_of_the_post() -> None:
    define = r"\newenvironment{mat}{\left[\begin{matrix}}{\end{matrix}\right]}"
    converted = convert(define, display=True)
    assert converted.mathml == "" and [m.name for m in converted.defined] == ["{mat}"]
    html = convert(r"\begin{mat} a & b \end{mat}", display=True, macros=converted.defined).mathml
    assert 'form="prefix">[</mo><mtable class="tex-matrix">' in html
    with_argument = r"\newenvironment{sys}[1]{#1\left\{\begin{aligned}}{\end{aligned}\right.}"
    html = mathml(with_argument + r"\begin{sys}{S:} x &= 1 \end{sys}")
    colon = '<mo lspace="0.2778em" rspace="0.2778em">:</mo>'
    assert f'<mi>S</mi>{colon}<mrow><mo stretchy="true" fence="true" form="prefix">{{' in html


def test_not_at_the_end_of_a_formula_is_a_warning_not_a_crash() -> None:
    with pytest.raises(MathError, match=r"\\not needs a symbol"):
        convert(r"x \not", display=True)


def test_hdashline_is_a_dashed_rule_between_rows() -> None:
    html = mathml(
        r"\begin{array}{cc} a & b \\ \hdashline c & d \\ \hline e & f \\ \hdashline \end{array}"
    )
    assert '<mtr class="tex-hline tex-dashed"><mtd class="tex-c"><mrow><mi>c</mi>' in html
    assert (
        '<mtr class="tex-hline tex-hline-below tex-dashed-below"><mtd class="tex-c"><mrow><mi>e'
        in html
    )


def test_numcases_number_each_row_beside_one_brace() -> None:
    registry = EquationRegistry()
    tex = r"\begin{numcases}{f(x) =} 1 & for $x > 0$ \\ 0 & otherwise \label{zero} \end{numcases}"
    converted = convert(tex, display=True)
    html = registry.number(converted.mathml, converted.equations)
    assert '<mtd class="tex-r tex-numcases" rowspan="2"><mrow><mi>f</mi>' in html
    assert "<mtext>for\u00a0</mtext><mrow><mi>x</mi>" in html  # the condition is text
    assert "<mtext>otherwise</mtext>" in html  # the \label is the row's, not the text's
    assert "<mtext>(1)</mtext>" in html and '<mtext id="eq-zero">(2)</mtext>' in html
    sub = convert(
        r"\begin{subnumcases}{g =} a & if $b$ \\ c & else \end{subnumcases}", display=True
    )
    assert "(3b)" in registry.number(sub.mathml, sub.equations)


def test_phantoms_are_left_out_of_the_reading_text_but_kept_for_the_font() -> None:
    converted = convert(r"a + \phantom{b} + \hphantom{c} + \vphantom{d}", display=False)
    assert converted.text == "a+++"
    assert set("bcd") <= set(converted.glyphs)  # the subset font still draws their boxes
    assert converted.mathml.count('<mphantom data-pagefind-ignore="">') == 3  # nor does search


def test_numcases_rows_are_read_once() -> None:
    tex = r"\begin{numcases}{f(x) =} 1 & for $x > 0$ \\ 0 & otherwise \end{numcases}"
    assert convert(tex, display=True).text.count("otherwise") == 1


def test_smash_with_a_side_keeps_the_other() -> None:
    html = mathml(r"\sqrt{\smash[b]{y}} \smash[t]{y} \smash{y}")
    assert '<mpadded depth="0"><mi>y</mi></mpadded>' in html
    assert '<mpadded height="0"><mi>y</mi></mpadded>' in html
    assert '<mpadded height="0" depth="0"><mi>y</mi></mpadded>' in html


def test_hspace_star_pod_and_operatornamewithlimits() -> None:
    assert '<mi>a</mi><mspace width="1em"></mspace><mi>b</mi>' in mathml(r"a\hspace*{1em}b")
    assert '<mspace width="0.4444em"></mspace><mo stretchy="false">(</mo><mi>n</mi>' in mathml(
        r"x \pod{n}"
    )
    assert mathml(r"\operatornamewithlimits{argmax}_x") == mathml(r"\operatorname*{argmax}_x")


def test_katex_definitions_gdef_edef_and_global_def_are_def() -> None:
    converted = convert(
        r"\gdef\sq#1{#1^2} \global\def\one{1} \edef\two{2} \sq{y} \one \two", display=False
    )
    assert converted.text == "y212"
    assert [macro.name for macro in converted.defined] == ["\\sq", "\\one", "\\two"]


@pytest.mark.parametrize(
    "tex",
    [
        r"\begin{aligned} a &= b \\ &= c \end{aligned} \tag{A}",
        r"\begin{split} a &= b \end{split} \tag{A}",
        r"\tag{A} \begin{gathered} a \\ b \end{gathered}",
    ],
)
def test_a_tag_after_an_inner_environment_numbers_the_formula(tex: str) -> None:
    converted = convert(tex, display=True)
    assert [mark.tag for mark in converted.equations] == ["A"]
    assert "tex-eqno" in converted.mathml


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\boldsymbol{\Gamma}", "𝚪"),  # capital Greek stays upright, as in LaTeX and MathJax
        (r"\bm{\nabla}", "𝛁"),
        (r"\boldsymbol{\mathrm{d}x}", "𝐝𝒙"),
        (r"\mathbfit{\Gamma}", "𝜞"),  # asked for italic: italic
    ],
)
def test_boldsymbol_keeps_upright_symbols_upright(tex: str, expected: str) -> None:
    assert convert(tex, display=False).text == expected


def test_a_typed_colon_is_a_relation_and_colon_is_punctuation() -> None:
    # TeX (and MathJax, KaTeX): {x : x > 0} has a relation's spaces, f\colon A a comma's
    spaced = '<mo lspace="0.2778em" rspace="0.2778em">:</mo>'
    assert spaced in mathml(r"\{x : x > 0\}")
    assert "<mi>f</mi><mo>:</mo><mi>A</mi>" in mathml(r"f \colon A")
    assert '<mo lspace="0.2778em" rspace="0">:</mo><mo lspace="0">=</mo>' in mathml("a := b")
    assert '<mi>i</mi><mo lspace="0" rspace="0">:</mo><mi>j</mi>' in mathml("x_{i:j}")


def test_a_display_integrals_lower_limit_is_marked_for_the_theme() -> None:
    # Only in display style, where Chromium tucks the limit under the integral's slant.
    display = convert(r"\int_\Omega f + \sum_i x_i", display=True).mathml
    assert display.count('class="tex-int-sub"') == 1
    assert 'class="tex-int-sub"' not in convert(r"\int_\Omega f", display=False).mathml
    assert 'class="tex-int-sub"' not in convert(r"\frac{\int_0 f}{2}", display=True).mathml


def test_a_rows_extra_space_deepens_its_strut_in_matrices_and_cases() -> None:
    deeper = convert(r"\begin{cases} a & b \\[4pt] c & d \end{cases}", display=True).mathml
    assert deeper.count('depth="0.76em"') == 2 and deeper.count('depth="0.36em"') == 2
    # A length Lemma does not read is left out, as before.
    unread = convert(r"\begin{pmatrix} a \\[\jot] b \end{pmatrix}", display=True).mathml
    assert 'depth="0.36em"' in unread


@pytest.mark.parametrize(
    "tex",
    [
        r"\begin{align} a &= b \\[4pt] c &= d \end{align}",
        r"\begin{align*} a &= b \\[0.4em] c &= d \end{align*}",
        r"\begin{aligned} a &= b \\[4pt] c &= d \end{aligned}",
        r"\begin{gather} a = b \\[4pt] c = d \end{gather}",
        r"\begin{gather*} a = b \\[4pt] c = d \end{gather*}",
        r"\begin{gathered} a = b \\[4pt] c = d \end{gathered}",
        r"\begin{split} a &= b \\[4pt] c &= d \end{split}",
        r"\begin{multline} a + b \\[4pt] c + d \end{multline}",
        r"\begin{alignat}{1} a &= b \\[4pt] c &= d \end{alignat}",
        r"\begin{eqnarray} a &=& b \\[4pt] c &=& d \end{eqnarray}",
    ],
)
def test_a_rows_extra_space_goes_below_it_in_align_and_gather(tex: str) -> None:
    """Each cell of the row before \\\\[4pt] has an empty under-accent below it (0.4 em less the
    font's 0.068 em extra descender); the next row none."""
    mathml = convert(tex, display=True).mathml
    first, second = mathml.split("</mtr>")[:2]
    cells = first.count('<mtd class="tex-') - first.count("tex-eqno")
    assert first.count('<munder accentunder="true">') == cells > 0, first
    assert first.count('<mspace height="0.332em"></mspace></munder>') == cells, first
    assert "<munder" not in second and "tex-closer" not in mathml


def test_a_negative_row_space_brings_align_rows_closer_but_not_over() -> None:
    closer = convert(r"\begin{aligned} a &= b \\[-2pt] c &= d \end{aligned}", display=True)
    first = closer.mathml.split("</mtr>")[0]
    assert '<mtr class="tex-closer">' in first and 'height="0.232em"' in first  # 0.5 - 0.2 em
    touching = convert(r"\begin{aligned} a &= b \\[-1cm] c &= d \end{aligned}", display=True)
    assert "tex-closer" in touching.mathml and "<munder" not in touching.mathml
    ruled = convert(r"\begin{array}{c} a \\ \hline c \\[-1pt] d \end{array}", display=True)
    assert "tex-closer" not in ruled.mathml  # an array's strut takes no negative length


def test_big_delimiters_are_the_fonts_sizes_and_other_characters_stretch() -> None:
    """\\bigl( is the math font's glyph for that size (a class the theme maps to a font feature),
    unstretched: a stretchy one's box in Chromium is as wide as the font's widest size."""
    html = convert(r"\bigl( x \Bigr] \biggl\langle \Biggr\rfloor", display=True).mathml
    for n, char in enumerate("(]⟨⌋", start=1):
        assert f'stretchy="false" class="tex-big-{n}">{char}</mo>' in html, html
    bar = convert(r"\bigl| x", display=True).mathml
    assert 'stretchy="true" symmetric="true" minsize="1.2em" maxsize="1.2em">|' in bar, bar


@pytest.mark.parametrize(
    ("jot", "length"),
    [(r"\jot", "3pt"), (r"2\jot", "6pt"), (r"-\jot", "-3pt"), (r"0.5\jot", "1.5pt")],
)
def test_a_rows_space_of_jot_is_amsmaths_3pt(jot: str, length: str) -> None:
    # \\[\jot] was read as no space at all.
    def aligned(gap: str) -> str:
        tex = rf"\begin{{aligned}} a &= b \\[{gap}] c &= d \end{{aligned}}"
        return convert(tex, display=True).mathml

    assert aligned(jot) == aligned(length) != aligned("0pt")


def test_left_and_right_stretch_only_around_more_than_one_line() -> None:
    """Around letters and signs \\left( keeps its own glyph (stretchy="false"), whose box is its
    own width; around a fraction, scripts, a large operator or \\middle it stretches."""
    plain = convert(r"\left( x + \text{if } y \right)", display=True).mathml
    assert plain.count('stretchy="false" fence="true"') == 2 and 'stretchy="true"' not in plain
    for tall in (r"\frac{a}{b}", "x^2", r"\sum y", r"x \middle| y", r"\rule{1pt}{2em}"):
        mathml = convert(rf"\left( {tall} \right)", display=True).mathml
        assert mathml.count('stretchy="true" fence="true" form=') == 2, (tall, mathml)


def test_a_relation_takes_no_space_before_punctuation_or_a_closing_nor_after_an_opening() -> None:
    stacked = mathml(r"a \stackrel{d}{=}, b")
    assert '<mover><mo rspace="0">=</mo><mi>d</mi></mover><mo>,</mo>' in stacked
    assert '<mo rspace="0">=</mo><mo>,</mo>' in mathml("a =, b")
    assert '<mo stretchy="false">(</mo><mo lspace="0" rspace="0">=</mo>' in mathml("(=)")
    assert "<mi>a</mi><mo>=</mo><mi>b</mi>" in mathml("a = b")  # TeX's thick spaces


def test_a_relation_at_either_end_of_a_formula_takes_no_space_on_that_side() -> None:
    assert '<mo lspace="0" rspace="0">∼</mo>' in mathml(r"\sim")  # "where $\sim$ denotes"
    assert '<mo stretchy="false">)</mo><mo rspace="0">≤</mo></mrow>' in mathml(r"f(x) \le")
    assert '<mrow><mo lspace="0">=</mo><mn>3</mn></mrow>' in mathml("= 3")
    assert '<mover><mo lspace="0">=</mo><mi>d</mi></mover>' in mathml(r"\stackrel{d}{=} X")
    aligned = mathml(r"\begin{aligned} a &= b \\ &= c \end{aligned}")
    assert "lspace" not in aligned and "rspace" not in aligned  # a cell's {} before its =
