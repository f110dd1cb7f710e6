"""Python-Markdown's md_in_html (`load.md_in_html`): Markdown inside `<div markdown>`, Material's
grids and `<figure markdown>`."""

from __future__ import annotations

from lemma.load.md_in_html import rewrite_md_in_html
from lemma.parse import parse_body


def rewrite(body: str) -> tuple[str, list[str]]:
    text, problems = rewrite_md_in_html(body, 10, "posts/a.md")
    assert len(text.split("\n")) == len(body.split("\n"))
    return text, [f"{p.location}: {p.message}" for p in problems]


def test_a_div_with_markdown_is_read_as_markdown_with_its_classes() -> None:
    body = '<div class="grid cards" markdown>\n\n-   __One__\n\n</div>\n'
    text, problems = rewrite(body)
    tokens = parse_body(text)
    assert tokens[0].type == "div_open" and tokens[0].meta["attributes"] == {"class": "grid cards"}
    children = [c.type for t in tokens if t.type == "inline" for c in t.children or []]
    assert "strong_open" in children
    assert any(t.type == "bullet_list_open" for t in tokens)
    assert problems == []


def test_nested_divs_close_at_their_own_tags() -> None:
    body = '<div markdown>\n<div class="x" markdown>\n*a*\n</div>\n*b*\n</div>\n'
    text, _ = rewrite(body)
    assert text.split("\n")[:6] == ["::: {}", "::: {.x}", "*a*", ":::", "*b*", ":::"]


def test_a_figure_with_markdown_is_a_captioned_image() -> None:
    body = (
        '<figure markdown="span">\n  ![Loss](loss.png)\n'
        "  <figcaption>It falls</figcaption>\n</figure>\n"
    )
    text, _ = rewrite(body)
    assert text.split("\n")[1] == '![Loss](loss.png "It falls")'
    assert "<figure" not in text and "figcaption" not in text


def test_a_style_attribute_is_left_out_with_a_warning() -> None:
    text, problems = rewrite('<div class="a" style="color: red" markdown>\nx\n</div>\n')
    assert text.startswith("::: {.a}\n")
    assert problems == ["posts/a.md:10: HTML attribute 'style' is left out"]


def test_html_without_markdown_or_in_code_is_left_alone() -> None:
    body = '<div class="x">\n*raw*\n</div>\n\n```html\n<div markdown>\n</div>\n```\n'
    assert rewrite(body)[0] == body


def test_a_closing_tag_not_alone_on_its_line_is_a_warning() -> None:
    body = "<div markdown>\n*a*</div>\n"
    text, problems = rewrite(body)
    assert text == body
    assert problems == [
        "posts/a.md:10: <div markdown> has no </div> alone on a line of its own: its Markdown "
        "is shown as written"
    ]


def test_a_minimal_mistakes_notice_div_is_a_callout() -> None:
    body = (
        'Intro.\n\n<div class="notice--warning" markdown="1">\n#### Careful\n\nThe step.\n'
        '</div>\n\n<div class="notice" markdown="1">\nPlain.\n</div>\n'
    )
    text, problems = rewrite(body)
    lines = text.split("\n")
    assert lines[2:7] == ["::: {.callout-warning}", "#### Careful", "", "The step.", ":::"]
    assert lines[8] == "::: {.callout-note}" and problems == []
