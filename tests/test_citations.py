"""Citations read as text: an excerpt that cites shows its citations as the page does."""

from __future__ import annotations

import html
import re
from pathlib import Path

from lemma.load.bibliography import Bibliography, Reference
from lemma.render.citations import cited_text
from lemma.render.crossrefs import Target
from site_support import NO_SEARCH, SiteDir, assert_ok

BOYD = Reference("boyd04", ("Boyd", "Vandenberghe"), "2004", "Convex Optimization", "")
KNUTH = Reference("knuth84", ("Knuth",), "1984", "The TeXbook", "")
AUTHOR_YEAR = Bibliography((BOYD, KNUTH), "author-year")


def test_bracketed_and_prose_citations_read_as_the_page_shows_them() -> None:
    text = "As in [see @boyd04, p. 33; @knuth84], and @knuth84 shows, [-@boyd04]."
    assert cited_text(text, AUTHOR_YEAR) == (
        "As in (see Boyd and Vandenberghe 2004, p. 33; Knuth 1984), and Knuth (1984) shows, (2004)."
    )
    numeric = Bibliography((BOYD, KNUTH), "numeric")
    assert cited_text("Known [@knuth84] and [@boyd04].", numeric) == "Known [1] and [2]."


def test_cross_references_read_as_the_body_numbers_them() -> None:
    asked: list[bool] = []

    def numbered() -> dict[str, Target]:
        asked.append(True)
        return {
            "fig-loss": Target("fig-loss", "Figure", "2"),
            "eq-mse": Target("eq-mse", "Equation", "1"),
        }

    text = "As @fig-loss shows, [see @eq-mse] and [-@fig-loss; @Eq-mse, left]."
    assert cited_text(text, None, numbered) == (
        "As Figure 2 shows, see Equation 1 and 2; Equation 1, left."
    )
    assert cited_text("Cited [@knuth84] only.", AUTHOR_YEAR, numbered) == "Cited (Knuth 1984) only."
    assert len(asked) == 1  # the body is parsed for an excerpt that refers, not for the others
    # a label the body does not have, or a reference among citations: left out
    assert cited_text("In [@fig-none], then.", None, numbered) == "In, then."
    assert cited_text("In [@fig-loss; @knuth84].", AUTHOR_YEAR, numbered) == "In."


def test_cross_references_are_left_out_and_unknown_keys_stay_as_written() -> None:
    assert cited_text("Shown in [@fig-loss], then.", AUTHOR_YEAR) == "Shown in, then."
    assert cited_text("Ask @someone or [@nobody].", AUTHOR_YEAR) == "Ask @someone or [@nobody]."
    assert cited_text("Mail a@b.org [@knuth84].", None) == "Mail a@b.org [@knuth84]."


def test_a_post_that_cites_in_its_first_paragraph_has_a_readable_description(
    tmp_path: Path,
) -> None:
    site = _site_with_feed(tmp_path)
    site.write(
        "posts/refs.bib",
        "@book{boyd04,\n  author = {Boyd, Stephen and Vandenberghe, Lieven},\n"
        "  title = {Convex Optimization},\n  publisher = {CUP},\n  year = {2004}\n}\n",
    )
    site.write(
        "posts/2025-01-01-cites.md",
        "---\ntitle: Cites\ndate: 2025-01-01\nbibliography: refs.bib\n---\n\n"
        "Convexity, as in [@boyd04, ch. 3], makes descent work.\n\nMore.\n",
    )
    assert_ok(site.build())
    expected = "Convexity, as in (Boyd and Vandenberghe 2004, ch. 3), makes descent work."
    _assert_shown_as_excerpt(site, "posts/cites/index.html", expected)


def test_a_quarto_description_that_refers_to_a_figure_and_an_equation_names_them(
    tmp_path: Path,
) -> None:
    # Quarto's listings show "?@fig-loss" here; the page numbers them, so the description can.
    site = _site_with_feed(tmp_path)
    site.write(
        "posts/loss/index.qmd",
        "---\ntitle: Loss curves\ndate: 2025-01-01\n"
        'description: "Why the loss in @fig-loss flattens, and what @eq-mse says of it."\n---\n\n'
        "$$\nL = (y - \\hat y)^2\n$$ {#eq-mse}\n\n"
        "```{python}\n#| label: fig-loss\n#| fig-cap: The loss\n"
        "import matplotlib.pyplot as plt\nplt.plot([3, 2, 1.5, 1.4])\nplt.show()\n```\n\n"
        "As @fig-loss shows.\n",
    )
    assert_ok(site.build())
    expected = "Why the loss in Figure 1 flattens, and what Equation 1 says of it."
    _assert_shown_as_excerpt(site, "posts/loss/index.html", expected)


def _site_with_feed(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH + 'base_url = "https://example.org/"\n')
    return site


def _assert_shown_as_excerpt(site: SiteDir, page_path: str, expected: str) -> None:
    """`expected` is the post's description, and its excerpt on the home page and in the feed."""
    page = site.page(page_path)
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert description is not None and html.unescape(description.group(1)) == expected
    assert expected in html.unescape(site.page("index.html"))
    assert expected in html.unescape(site.page("feed.xml"))
