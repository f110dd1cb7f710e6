"""Where math starts in prose: kramdown's $$, spaces in $ … $, glued $, \\( \\), \\[ \\], money."""

from __future__ import annotations

import pytest

from lemma.parse import parse_body
from lemma.parse.mathsyntax import math_in_html


def math_tokens(text: str) -> list[tuple[str, str]]:
    found = []
    for token in parse_body(text):
        if token.type in ("math_block", "amsmath"):
            found.append((token.type, token.content.strip()))
        for child in token.children or []:
            if child.type.startswith("math"):
                found.append((child.type, child.content.strip()))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inline $$x^2$$ in a sentence.\n", [("math_inline", "x^2")]),
        ("Spaces $ x_t $ inside.\n", [("math_inline", "x_t")]),
        ("A rate of 0.3$x_1$ glued.\n", [("math_inline", "x_1")]),
        ("MathJax \\(e^x\\) inline.\n", [("math_inline", "e^x")]),
        ("Display\n\\[\nx\n\\]\n", [("math_block", "x")]),
        ("Text\n$$\nx\n$$\nmore\n", [("math_inline_double", "x")]),
        ("It costs $5 and $10.\n", []),
        ("See \\eqref{eq:a}.\n", [("math_reference", "eq:a")]),
    ],
)
def test_math_is_found_where_authors_put_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert math_tokens(text) == expected


def test_bare_environment_in_a_sentence_is_math() -> None:
    assert math_tokens("A matrix \\begin{pmatrix} a \\\\ b \\end{pmatrix} here.\n") == [
        ("math_inline", "\\begin{pmatrix} a \\\\ b \\end{pmatrix}")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hugo \\\\( \\alpha_i \\\\) inline.\n", [("math_inline", "\\alpha_i")]),
        # Markdown unescaped what MathJax got: the TeX is written escaped (ox-hugo, Blackfriday)
        ("Norm \\\\( \\\\|x\\\\|_2 \\\\) has its bars.\n", [("math_inline", "\\|x\\|_2")]),
        ("Sub \\\\( x\\_1 + \\\\{a\\\\} \\\\).\n", [("math_inline", "x_1 + \\{a\\}")]),
        ("Set \\\\(\\\\mathbb{N}\\\\) here.\n", [("math_inline", "\\mathbb{N}")]),
        ("Lines\n\\\\[\na \\\\\\\\ b\\_i\n\\\\]\n", [("math_block", "a \\\\ b_i")]),
        ("Hugo \\\\[ x^2 \\\\] in a line.\n", [("math_inline_double", "x^2")]),
        ("Display\n\\\\[\n\\sum_i a_i\n\\\\]\n", [("math_block", "\\sum_i a_i")]),
        ("A line break \\\\ in prose stays text.\n", []),
    ],
)
def test_hugo_doubled_backslash_delimiters_are_math(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert math_tokens(text) == expected


def test_a_tex_line_break_inside_dollars_and_align_is_left_alone() -> None:
    dollars = "$$\n\\begin{aligned} a &= b \\\\[2pt]\nc &= d \\\\\n\\end{aligned}\n$$\n"
    assert math_tokens(dollars) == [("math_block", dollars[3:-4].strip())]
    align = "\\begin{align}\nx &= 1 \\\\\n\\\\[4pt] y &= 2\n\\end{align}\n"
    assert math_tokens(align) == [("amsmath", align.strip())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Abs $|x| = \\text{$x$ if $x \\ge 0$}$ here.\n",
            [("math_inline", "|x| = \\text{$x$ if $x \\ge 0$}")],
        ),
        (
            "Sets $\\{x \\mid x > 0\\}$ and $y$.\n",
            [("math_inline", "\\{x \\mid x > 0\\}"), ("math_inline", "y")],
        ),
        ("An open brace $x{$ and $y$.\n", [("math_inline", "x{"), ("math_inline", "y")]),
    ],
)
def test_a_dollar_inside_braces_does_not_close_the_formula(
    text: str, expected: list[tuple[str, str]]
) -> None:
    """MathJax and KaTeX count braces: `\\text{… $x$ …}` stays inside its formula."""
    assert math_tokens(text) == expected


def test_math_in_html_skips_tags_comments_and_code() -> None:
    html = '<p title="$t$">Is $x$ <!-- $c$ --> <pre>$p$</pre> <code>$k$</code> \\eqref{e}</p>'
    found = [(math.type, math.content, html[start:end]) for start, end, math in math_in_html(html)]
    assert found == [("math_inline", "x", "$x$"), ("math_reference", "e", "\\eqref{e}")]
