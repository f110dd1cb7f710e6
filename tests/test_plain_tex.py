"""Older TeX spellings posts keep: font switches, math classes, kerns, struts."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"{\bf x} + y", "<mi>𝐱</mi></mrow></mrow><mo>+</mo><mi>y</mi>"),  # the group only
        (r"{\cal L}(\theta)", "<mi>ℒ</mi>"),
        (r"\rm d x", '<mi mathvariant="normal">d</mi><mi mathvariant="normal">x</mi>'),
        (r"{\sf A}", "<mi>𝖠</mi>"),
        (r"{\it x}", "<mi>𝑥</mi>"),
    ],
)
def test_font_switches_style_the_rest_of_their_group(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


def test_mathrel_makes_one_relation_of_its_argument() -> None:
    html = mathml(r"x \mathrel{:=} y")
    thick = '<mspace width="0.2778em"></mspace>'
    assert f'{thick}<mrow><mo lspace="0" rspace="0">:</mo><mo lspace="0" rspace="0">=</mo>' in html
    assert f"</mrow>{thick}</mrow><mi>y</mi>" in html
    assert '<mspace width="0.2222em"></mspace><mi>#</mi>' in mathml(r"a \mathbin{\#} b")


def test_mathop_takes_limits_below_in_display_and_beside_inline() -> None:
    html = mathml(r"\mathop{\mathrm{sgn}}_{x} f")
    assert '<munder><mo movablelimits="true" lspace="0" rspace="0">sgn</mo>' in html


@pytest.mark.parametrize(
    ("tex", "width"),
    [
        (r"a\kern1em b", "1em"),
        (r"a\mkern3mu b", "0.1667em"),
        (r"a\mspace{18mu}b", "1.0000em"),
        (r"a \hskip 2pt plus 1fil b", "2pt"),
    ],
)
def test_kerns_are_spaces_of_their_length(tex: str, width: str) -> None:
    html = mathml(tex)
    assert f'<mi>a</mi><mspace width="{width}"></mspace><mi>b</mi>' in html


def test_a_kern_without_a_length_names_the_command() -> None:
    with pytest.raises(MathError, match=r"\\kern needs a length after it, such as 1em") as caught:
        convert(r"a \kern b", display=False)
    assert caught.value.offset == 2


def test_strut_is_latexs_strut_box_and_mathstrut_an_invisible_parenthesis_of_no_width() -> None:
    strut = mathml(r"\strut x")
    assert '<mspace height="0.84em" depth="0.36em"></mspace><mi>x</mi>' in strut, strut
    assert (
        '<mpadded width="0"><mphantom data-pagefind-ignore=""><mo stretchy="false">(</mo>'
        in mathml(r"\mathstrut x")
    )


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\textsf{ab}", "<mtext>𝖺𝖻</mtext>"),
        (r"\texttt{ab}", "<mtext>𝚊𝚋</mtext>"),
        (r"\emph{e}", "<mtext>𝑒</mtext>"),
    ],
)
def test_text_font_commands(tex: str, expected: str) -> None:
    assert expected in mathml(tex, display=False)


def test_mathjax_require_is_left_out() -> None:
    assert mathml(r"\require{mhchem} x", display=False) == mathml("x", display=False)


@pytest.mark.parametrize("name", ["cancel", "bcancel", "xcancel"])
def test_cancel_marks_its_argument_for_the_themes_stroke(name: str) -> None:
    html = mathml(f"\\{name}{{x+1}} - 1", display=False)
    assert f'<mrow class="tex-{name}"><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow></mrow>' in html


@pytest.mark.parametrize(
    ("tex", "mu"),
    [(r"a\!b", 3), (r"a\negthickspace b", 5), (r"a\kern-0.3em b", 5), (r"a\mkern-6mu b", 6)],
)
def test_a_backward_space_is_a_class_of_whole_mu(tex: str, mu: int) -> None:
    # MathML Core sets <mspace width="-…"> as 0: the theme's negative margin moves b back
    html = mathml(tex)
    assert f'<mi>a</mi><mspace width="0" class="tex-back-{mu}"></mspace><mi>b</mi>' in html


def test_char_is_the_character_of_its_code_in_any_radix() -> None:
    html = convert(r"""\char"41 \char66 \char'103 \char`D \char43 x""", display=False).mathml
    assert "<mi>A</mi><mi>B</mi><mi>C</mi><mi>D</mi><mo>+</mo><mi>x</mi>" in html


def test_char_without_a_code_says_how_to_write_one() -> None:
    with pytest.raises(MathError, match=r"\\char\": not a character code") as caught:
        convert(r"""\char"ZZ""", display=False)
    assert caught.value.hint is not None and r"\char65" in caught.value.hint


def test_moveleft_and_moveright_shift_their_box_and_take_the_space_back() -> None:
    html = convert(r"\moveleft 3pt\hbox{x} \moveright 1em \hbox{y}", display=False).mathml
    back = '<mspace width="0" class="tex-back-{}"></mspace>'
    assert f'<mrow>{back.format(5)}<mtext>x</mtext><mspace width="3pt"></mspace></mrow>' in html
    assert f'<mrow><mspace width="1em"></mspace><mtext>y</mtext>{back.format(18)}</mrow>' in html
