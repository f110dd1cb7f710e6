"""Broken inputs in other tools' conventions are reported in the author's terms, at their place.

A parser's own words ("found character '\\t' that cannot start any token", "Expecting value",
"Illegal character") stay out of the message line; the library's text is only a detail under it.
Built through the real CLI with --keep-going, so every problem shows at once.
"""

from __future__ import annotations

from collections.abc import Callable

from site_support import NO_SEARCH, Result, SiteDir, error_line, post, warning_line

BASE = NO_SEARCH + 'base_url = "https://example.org/"\n'

BROKEN = {
    # Hugo: TOML front matter whose title's quote is never closed
    "posts/hugo.md": '+++\ntitle = "Unclosed\ndate = 2025-01-02\n+++\n\nBody.\n',
    # Hugo again: YAML habits inside TOML
    "posts/hugo-colon.md": '+++\ntitle = "Fine"\ndate: 2025-01-02\n+++\n\nBody.\n',
    # Jekyll: a list indented with a tab
    "posts/2025-01-02-jekyll.md": "---\ntitle: Tabbed\ntags:\n\t- a\n---\n\nBody.\n",
    # Jekyll: an unquoted colon in a title
    "posts/2025-01-03-colon.md": "---\ntitle: Part 1: the start\n---\n\nBody.\n",
    # Jekyll: TeX in a double-quoted title, where \p is no YAML escape
    "posts/2025-01-04-pi.md": '---\ntitle: "Estimating $\\pi$"\n---\n\nBody.\n',
    # Hugo: TeX in a double-quoted TOML title, where \a is no TOML escape
    "posts/hugo-alpha.md": '+++\ntitle = "Greek $\\alpha$"\ndate = 2025-01-02\n+++\n\nBody.\n',
    # Jupyter: a trailing comma left by a hand edit
    "posts/notebook.ipynb": (
        '{"cells": [\n  {"cell_type": "markdown", "source": ["# T"]},\n  ]\n}\n'
    ),
    # Pelican: a header key with no value
    "posts/pelican.md": "Title:\nDate: 2025-01-02 10:20\n\nBody.\n",
    # BibTeX: a field without its closing brace, cited by a post
    "posts/cites.md": post("Cites", "2025-01-02", "See [@knuth].\n", bibliography="refs.bib"),
    "posts/refs.bib": "@book{knuth,\n  title = {TAOCP,\n  year = 1968,\n}\n\n@misc{x, title={A}}\n",
}

LIBRARY_WORDS = (
    "Illegal character",
    "Expected '='",
    "cannot start any token",
    "found unknown escape character",
    "mapping values are not allowed",
    "Expecting value",
    "Unescaped",
    "syntax error",
    "'}' expected",
)


def message_lines(result: Result) -> list[str]:
    """The problem lines themselves, without the indented details under them."""
    return [line for line in result.stderr.splitlines() if line and not line.startswith(" ")]


def test_broken_front_matter_notebook_and_bibtex_are_said_in_the_authors_terms(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"site.toml": BASE, **BROKEN, "posts/fine.md": post("Fine")})
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    assert "Traceback" not in result.stderr
    error_line(result, "posts/hugo.md", 2, "invalid TOML: a quoted value is not closed")
    hugo = error_line(result, "posts/hugo-colon.md", 3, "a key without '=': TOML writes key =")
    assert "key: value is YAML" in hugo
    tab = error_line(result, "posts/2025-01-02-jekyll.md", 4, "a tab in the indentation")
    assert "replace the tab with spaces" in tab
    colon = error_line(result, "posts/2025-01-03-colon.md", 2, "a ': ' inside a value")
    assert 'quote values that contain ": "' in colon
    pi = error_line(result, "posts/2025-01-04-pi.md", 2, "a backslash inside double quotes")
    assert "use single quotes" in pi
    alpha = error_line(result, "posts/hugo-alpha.md", 2, "a backslash inside double quotes")
    assert "title = '... $\\alpha$ ...'" in alpha
    error_line(result, "posts/notebook.ipynb", 3, "the notebook's JSON is broken here")
    error_line(result, "posts/pelican.md", 1, "'title' is empty (write it as Title: My post)")
    error_line(result, "posts/refs.bib", 1, "BibTeX: an entry is not closed where it should be")
    lines = message_lines(result)
    for words in LIBRARY_WORDS:
        assert not [line for line in lines if words in line], f"{words!r} reached:\n{result}"
    # The broken bibliography is said once, at its own line; its citation adds no second error
    assert not [line for line in lines if line.startswith("posts/cites.md")], str(result)
    assert "Illegal character" in result.stderr  # the library's words: a detail, under the line
    assert (site.out / "posts/fine/index.html").is_file()


def test_a_broken_site_toml_is_said_in_the_authors_terms(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"site.toml": 'title = "My blog\n', "posts/a.md": post("A")})
    result = site.build()
    assert result.code == 1, str(result)
    (line,) = message_lines(result)
    assert line.startswith("site.toml:1:")
    assert 'invalid TOML: a quoted value is not closed on its line (end it with ")' in line


def test_tex_that_yaml_or_toml_reads_as_escapes_is_a_warning_at_the_formula(
    make_site: Callable[..., SiteDir],
) -> None:
    # These parse: \a, \t and \n are escapes in double quotes, so the title would show "lpha",
    # "heta" and "abla" (as Jekyll and Hugo show them). Doubled backslashes and single quotes
    # are right, and stay quiet.
    site = make_site(
        {
            "site.toml": BASE,
            "posts/2025-01-02-jekyll.md": (
                '---\ntitle: "The $\\alpha$-divergence"\nsummary: "$\\nabla f$"\n---\n\nBody.\n'
            ),
            "posts/hugo.md": (
                '+++\ndate = 2025-01-03\ntitle = "Angles $\\theta$ and $\\nabla f$"\n+++\n\nB.\n'
            ),
            "posts/2025-01-04-right.md": (
                "---\ntitle: 'The $\\alpha$-divergence'\n"
                'summary: "Its $\\\\nabla f$, and \\t outside a formula"\n---\n\nBody.\n'
            ),
        }
    )
    result = site.build()
    assert result.code == 0, str(result)
    alpha = warning_line(result, "posts/2025-01-02-jekyll.md", 2, "YAML reads the \\a of \\alpha")
    assert alpha.startswith("posts/2025-01-02-jekyll.md:2:14:"), alpha  # at the backslash
    assert "shows 'lpha'" in alpha and "use single quotes" in alpha
    warning_line(result, "posts/2025-01-02-jekyll.md", 3, "\\n of \\nabla as a line break")
    theta = warning_line(result, "posts/hugo.md", 3, "TOML reads the \\t of \\theta as a tab")
    assert "title = '... $\\theta$ ...'" in theta
    assert "posts/2025-01-04-right.md" not in result.stderr, str(result)
    assert result.stderr.count("reads the") == 3, str(result)  # one per value
    strict = site.build("--strict")
    assert strict.code == 1, str(strict)
