"""Boxes MathJax draws: \\fbox, \\colorbox, \\fcolorbox, \\bbox, \\enclose, \\cancelto, \\sout,
\\unicode, \\rule: classes for the theme and MathML's colours, never an inline style."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def mathml(tex: str, display: bool = True) -> str:
    return convert(tex, display=display).mathml


def test_fbox_frames_its_text() -> None:
    assert '<mrow class="tex-box tex-pad-text"><mtext>text</mtext></mrow>' in mathml(r"\fbox{text}")


def test_colorbox_is_text_on_a_coloured_ground_readable_in_both_themes() -> None:
    html = mathml(r"\colorbox{yellow}{if $x$}")
    ground = '<mrow class="tex-pad-text tex-on-light" mathbackground="yellow">'
    assert f"{ground}<mrow><mtext>if\u00a0</mtext>" in html
    assert 'class="tex-pad-text tex-on-dark" mathbackground="navy"' in mathml(r"\colorbox{navy}{x}")
    assert 'class="tex-pad-text" mathbackground="teal"' in mathml(r"\colorbox{teal}{x}")


def test_fcolorbox_frame_takes_its_colour_and_the_text_keeps_the_texts() -> None:
    html = mathml(r"\fcolorbox{red}{#ffff00}{hi}")
    assert (
        'class="tex-box tex-pad-text tex-on-light" mathbackground="#ffff00" mathcolor="red">'
        in html
    )
    assert '<mrow class="tex-ink"><mtext>hi</mtext></mrow>' in html


def test_bbox_reads_background_padding_and_border() -> None:
    html = mathml(r"\bbox[yellow, 5px, border: 2px dashed blue]{x}")
    assert 'class="tex-pad-5 tex-box tex-border-2px tex-border-dashed tex-on-light"' in html
    assert 'mathbackground="yellow" mathcolor="blue"><mrow class="tex-ink"><mi>x</mi>' in html
    assert '<mrow class="tex-pad-5"><mi>x</mi></mrow>' in mathml(r"\bbox[5px]{x}")
    assert "style" not in html


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\bbox[style:color:red]{x}", "a colour, a padding and a border"),
        (r"\bbox[40px]{x}", "at most 20px"),
        (r"\colorbox{rgb(1,0,0)}{x}", "colour name or #rrggbb"),
    ],
)
def test_boxes_say_what_they_cannot_draw(tex: str, message: str) -> None:
    with pytest.raises(MathError, match=message):
        mathml(tex)


@pytest.mark.parametrize(
    ("notation", "classes"),
    [
        ("box", "tex-box"),
        ("roundedbox", "tex-box tex-rounded"),
        ("circle", "tex-box tex-circle"),
        ("actuarial", "tex-border-top tex-border-right"),
        ("bottom,right", "tex-border-bottom tex-border-right"),
        ("updiagonalstrike", "tex-cancel"),
        ("horizontalstrike", "tex-hstrike"),
    ],
)
def test_enclose_notations_are_the_themes_classes(notation: str, classes: str) -> None:
    assert f'<mrow class="{classes}"><mi>x</mi></mrow>' in mathml(rf"\enclose{{{notation}}}{{x}}")


def test_enclose_radical_is_a_root_and_colours_are_read() -> None:
    html = mathml(r"\enclose{radical}[mathcolor=red]{x}")
    assert '<mrow mathcolor="red"><msqrt><mi>x</mi></msqrt></mrow>' in html


def test_enclose_names_the_notation_it_cannot_draw() -> None:
    with pytest.raises(MathError, match=r"\\enclose\{longdiv\} cannot be drawn"):
        mathml(r"\enclose{longdiv}{x}")
    with pytest.raises(MathError, match="one strike at a time"):
        mathml(r"\enclose{horizontalstrike verticalstrike}{x}")


def test_cancelto_strikes_and_puts_the_value_at_the_top_right() -> None:
    html = mathml(r"\cancelto{0}{x^2}")
    assert '<msup><mrow class="tex-cancel tex-cancelto"><msup><mi>x</mi>' in html
    assert "<mn>0</mn></msup>" in html


def test_sout_strikes_through() -> None:
    assert '<mrow class="tex-hstrike">' in mathml(r"\sout{abc}")


def test_unicode_is_the_character() -> None:
    assert "<mtext>☺</mtext><mtext>☺</mtext>" in mathml(r"\unicode{x263A}\unicode{9786}")
    with pytest.raises(MathError, match="not a character"):
        mathml(r"\unicode{xD800}")


def test_rule_is_a_filled_box_and_a_zero_width_rule_a_strut() -> None:
    html = mathml(r"\rule{1em}{2pt} \rule[-2pt]{0pt}{1em}")
    assert '<mspace width="1em" height="2pt" class="tex-rule"></mspace>' in html
    assert '<mpadded voffset="-2pt"><mspace width="0pt" height="1em"></mspace></mpadded>' in html
