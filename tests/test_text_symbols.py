"""Characters MathJax's packages name: textcomp, upgreek, gensymb, amssymb extras, accents."""

from __future__ import annotations

import pytest

from lemma.render.mathfont import _font_path
from lemma.render.texmath import convert
from lemma.render.texmath.text_symbols import TEXT_CHARACTERS, UPRIGHT_GREEK


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\Upgamma", '<mi mathvariant="normal">Γ</mi>'),
        (r"\upalpha", '<mi mathvariant="normal">α</mi>'),
        (r"\upvarphi", '<mi mathvariant="normal">φ</mi>'),
        (r"20\celsius", "<mi>℃</mi>"),
        (r"5\micro m", "<mi>µ</mi>"),
        (r"3\,\ohm", '<mi mathvariant="normal">Ω</mi>'),
        (r"\perthousand", "<mi>‰</mi>"),
        (r"\P", "<mi>¶</mi>"),
        (r"\diagup \diagdown", "<mi>╱</mi><mi>╲</mi>"),
        (r"\intop_a^b", "<mo largeop"),
        (r"\hdots", "<mi>…</mi>"),
        (r"x \dblcolon y", "<mo>∷</mo>"),
        (r"x \vcentcolon= y", '<mo rspace="0">∶</mo><mo lspace="0">=</mo>'),
        (r"\left\Arrowvert x \right\Arrowvert", ">‖</mo>"),
        (r"\bigl\arrowvert x \bigr\bracevert", ">⎪</mo>"),
        (r"\textbackslash", "<mtext>\\</mtext>"),
        (r"a\space b", "<mtext>\u00a0</mtext>"),
        (r"a\nobreakspace b", "<mtext>\u00a0</mtext>"),
        (r"\texteuro 5", "<mtext>€</mtext>"),
        (r"\text{\textsection 2}", "<mtext>§2</mtext>"),
    ],
)
def test_package_symbols_are_their_characters(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


def test_text_accents_compose_with_their_letter() -> None:
    assert "<mtext>é è ê ë ñ č ő</mtext>" in mathml(r"\text{\'e \`e \^e \"e \~n \v c \H o}")
    assert "<mtext>Erdős</mtext>" in mathml(r"\text{Erd\H{o}s}")


def test_text_font_commands_nest_inside_text() -> None:
    html = mathml(r"\text{if \textbf{all} \emph{x}}")
    assert "<mtext>if\u00a0</mtext><mtext>𝐚𝐥𝐥</mtext>" in html
    assert "<mtext>𝑥</mtext>" in html


def test_textsc_is_small_capitals_of_the_theme() -> None:
    assert '<mtext class="tex-sc">Lemma</mtext>' in mathml(r"\textsc{Lemma}")


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\mathsfit{x}", "𝘹"),
        (r"\mathbfsfit{A}", "𝘼"),
        (r"\mathbfup{x}", "𝐱"),
        (r"\mathbffrak{A}", "𝕬"),
        (r"\mathbfscr{A}", "𝓐"),
        (r"\symbf{x}", "𝐱"),
        (r"\symbb{R}", "ℝ"),
        (r"\symnormal{x}", "<mi>x</mi>"),
    ],
)
def test_unicode_math_alphabets_mathjax_names(tex: str, expected: str) -> None:
    assert expected in mathml(tex)


def test_every_named_character_is_in_the_math_font() -> None:
    from fontTools.ttLib import TTFont

    cmap = TTFont(_font_path()).getBestCmap()
    chars = set("".join(TEXT_CHARACTERS.values())) | set("".join(UPRIGHT_GREEK.values()))
    chars |= set("℃µΩ‰¶╱╲∷∶⏐‖⎪𝘹𝘼𝕬𝓐")
    assert sorted(char for char in chars if ord(char) not in cmap) == []


def test_text_reads_textmacros_quotes_inline_math_and_references() -> None:
    assert "<mtext>“quoted” and ‘single’ it’s</mtext>" in mathml(
        r"\text{``quoted'' and `single' it's}"
    )
    html = mathml(r"\text{if \(x > 0\) else}")
    assert "<mtext>if\u00a0</mtext><mrow><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow>" in html
    linked = mathml(r"\text{by \eqref{eq:a}}")
    assert "<mtext>by\u00a0</mtext><mtext>\ue000eqref\ue001eq:a\ue002</mtext>" in linked


def test_latex_text_letters_and_signs_are_read_in_text() -> None:
    tex = r"\text{Erd\H{o}s, Gau\ss, \AA{}ngstr\"om, \OE uvre \dag \copyright}"
    # TeX drops the space after a command's name: \dag \copyright is †©
    assert convert(tex, display=False).text == "Erdős, Gauß, Ångström, Œuvre †©"
    assert convert(r"\textmd{a}", display=False).mathml.endswith("<mtext>a</mtext></math>")


def test_textcircled_is_the_circled_character_the_math_font_draws() -> None:
    html = mathml(r"\textcircled{a} \textcircled{B} \textcircled{0} \textcircled{12}")
    assert "<mtext>ⓐ</mtext><mtext>Ⓑ</mtext><mtext>⓪</mtext><mtext>⑫</mtext>" in html
    from fontTools.ttLib import TTFont

    cmap = TTFont(_font_path()).getBestCmap()
    assert all(ord(char) in cmap for char in "ⓐⓩⒶⓏ⓪①⑳")


def test_textcircled_of_longer_text_is_the_text_in_a_circle() -> None:
    assert '<mrow class="tex-box tex-circle"><mtext>ab</mtext></mrow>' in mathml(
        r"\textcircled{ab}"
    )
