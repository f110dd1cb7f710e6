"""pymdownx's inline marks: ==mark==, ^^insert^^, ++keys++ and CriticMarkup (`parse.marks`)."""

from __future__ import annotations

from lemma.parse import markdown
from lemma.parse.marks import key_name


def html(text: str) -> str:
    return markdown().render(text)


def test_mark_and_insert_wrap_their_markdown() -> None:
    assert html("==the **rate**==") == "<p><mark>the <strong>rate</strong></mark></p>\n"
    assert html("^^new^^ and 2^10^") == "<p><ins>new</ins> and 2<sup>10</sup></p>\n"


def test_a_mark_needs_text_against_its_markers() -> None:
    assert html("a == b == c") == "<p>a == b == c</p>\n"
    assert html("x ^^ y ^^") == "<p>x ^^ y ^^</p>\n"


def test_keys_are_named_as_on_the_keyboard() -> None:
    rendered = html('Press ++ctrl+alt+del++ or ++cmd+"My Key"++.')
    assert '<kbd class="keys"><kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd></kbd>' in rendered
    assert "<kbd>My Key</kbd>" in rendered
    assert key_name("pg-up") == "Page Up" and key_name("unknownkey") == "unknownkey"


def test_plus_signs_that_are_no_keys_stay_text() -> None:
    assert html("C++ and C++") == "<p>C++ and C++</p>\n"


def test_critic_markup_shows_additions_deletions_and_comments() -> None:
    rendered = html("{++ add ++}{-- cut --}{~~old~>new~~}{== look ==}{>> why? <<}")
    assert '<ins class="critic"> add </ins>' in rendered
    assert '<del class="critic"> cut </del>' in rendered
    assert '<del class="critic">old</del><ins class="critic">new</ins>' in rendered
    assert '<mark class="critic"> look </mark>' in rendered
    assert '<span class="critic critic-comment"> why? </span>' in rendered


def test_marks_in_code_stay_as_written() -> None:
    assert html("`==x==` and `++c++`") == "<p><code>==x==</code> and <code>++c++</code></p>\n"


def test_marks_inside_words_are_text() -> None:
    assert html("x==1 and y==2") == "<p>x==1 and y==2</p>\n"
    assert html("a++b++ c") == "<p>a++b++ c</p>\n"
