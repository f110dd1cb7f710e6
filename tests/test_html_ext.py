"""MathJax's html extension and KaTeX's \\html… commands: links, classes and CSS on math."""

from __future__ import annotations

import pytest

from lemma.render.texmath import MathError, convert


def test_an_inline_formula_that_is_one_link_goes_inside_an_html_link() -> None:
    converted = convert(r"\href{https://example.org/?a=1&b=2}{x+1}", display=False)
    assert converted.mathml.startswith(
        '<a href="https://example.org/?a=1&amp;b=2" class="math-link">'
    )
    assert converted.mathml.endswith("</math></a>") and " href=" not in converted.mathml[60:]
    assert converted.text == "x+1" and converted.notes == ()  # every browser follows it


def test_a_link_inside_a_formula_is_mathml_s_and_says_where_it_is_followed() -> None:
    for tex, display in ((r"y = \href{https://example.org/}{x}", False), (r"\href{#a}{x}", True)):
        converted = convert(tex, display=display)
        assert '<mrow class="tex-href" href="' in converted.mathml
        (note,) = converted.notes
        assert "not in Chromium" in note.message
        assert note.hint is not None and "[$…$](url)" in note.hint


def test_href_to_something_other_than_a_web_address_is_shown_unlinked() -> None:
    converted = convert(r"\href{javascript:alert(1)}{x}", display=False)
    assert "href=" not in converted.mathml and "<mi>x</mi>" in converted.mathml
    assert "shown unlinked" in converted.notes[0].message


def test_url_is_its_address_in_monospace() -> None:
    html = convert(r"\url{https://example.org/{}}", display=False).mathml
    assert '<a href="https://example.org/{}" class="math-link">' in html
    assert '<mtext class="tex-verb">https://example.org/{}</mtext>' in html


def test_style_keeps_colours_and_warns_of_the_css_it_leaves_out() -> None:
    converted = convert(r"\style{color: red; font-size: 2em}{x}", display=False)
    assert '<mrow mathcolor="red"><mi>x</mi></mrow>' in converted.mathml
    assert "style=" not in converted.mathml  # the pages' Content-Security-Policy forbids it
    (note,) = converted.notes
    assert "'font-size: 2em' is left out" in note.message


def test_style_of_colours_alone_is_no_warning() -> None:
    converted = convert(r"\htmlStyle{background-color:#ff0}{y}", display=False)
    assert 'mathbackground="#ff0"' in converted.mathml and converted.notes == ()


def test_katex_html_class_and_id_are_mathjax_class_and_css_id() -> None:
    assert (
        '<mrow class="note"><mi>x</mi></mrow>'
        in convert(r"\htmlClass{note}{x}", display=False).mathml
    )
    assert '<mrow id="here"><mi>x</mi></mrow>' in convert(r"\htmlId{here}{x}", display=False).mathml
    with pytest.raises(MathError, match="a name of letters"):
        convert(r"\htmlClass{tex-r}{x}", display=False)
