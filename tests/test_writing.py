"""Writing mathematics through the CLI: citations, theorems, proofs, callouts, cross-references.

One fixture site (tests/fixtures/writing) holds a post in each spelling: Quarto's, GitHub's and
MyST's, and a numeric-style post citing from CSL JSON. It is built once by `lemma build`.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_support import FIXTURES, SiteDir, assert_ok


@dataclass(frozen=True)
class Built:
    site: SiteDir

    def body(self, slug: str) -> str:
        """The post's body, math replaced by <math/> so that text assertions stay readable."""
        html = self.site.page(f"posts/{slug}/index.html")
        body = html[
            html.index('<div class="post-body">') : html.index('<footer class="post-footer"')
        ]
        return re.sub(r"<math.*?</math>", "<math/>", body, flags=re.DOTALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("writing") / "site"
    shutil.copytree(FIXTURES / "writing", root)
    site = SiteDir(root)
    assert_ok(site.build())
    yield Built(site)


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", markup)).strip())


def test_bracketed_citations_are_author_year_links_to_their_references(built: Built) -> None:
    body = built.body("quarto")
    assert "Convexity (Boyd and Vandenberghe 2004, p. 33) makes" in text_of(body)
    assert '<a class="cite" href="#ref-boyd04"' in body
    assert "(see Gödel 1931; Boyd and Vandenberghe 2004)" in text_of(body)


def test_prose_and_year_only_citations(built: Built) -> None:
    text = text_of(built.body("quarto"))
    assert "Kingma and Ba (2014) build on it" in text
    assert "long ago (1931)." in text


def test_same_authors_and_year_get_letters(built: Built) -> None:
    assert "(Nesterov 1983a; Nesterov 1983b)" in text_of(built.body("quarto"))


def test_references_section_lists_cited_works_sorted_with_doi_and_url_links(built: Built) -> None:
    body = built.body("quarto")
    references = body[body.index('<section class="references"') :]
    assert ">References</h2>" in references
    order = re.findall(r'<li id="ref-([\w-]+)"', references)
    assert order == ["boyd04", "goedel31", "kingma14", "nesterov83a", "nesterov83b"]
    assert '<a href="https://doi.org/10.1017/CBO9780511804441">' in references
    assert '<a href="https://arxiv.org/abs/1412.6980">' in references
    assert "Cambridge University Press" in references  # a @string macro, expanded
    assert "Kurt Gödel" in text_of(references)  # {\"o} decoded


def test_numeric_style_from_csl_json_numbers_in_citation_order(built: Built) -> None:
    body = built.body("numeric")
    text = text_of(body)
    assert "Stochastic approximation [1] underlies SGD [2, sec. 4; 1]." in text
    assert "As Bottou et al. [2] explain" in text
    references = body[body.index('<section class="references"') :]
    assert re.findall(r'<li id="ref-([\w-]+)"', references) == ["robbins51", "bottou18"]
    assert '<a href="https://doi.org/10.1214/aoms/1177729586">' in references
    assert "Herbert Robbins and Sutton Monro" in text_of(references)


def test_theorems_are_numbered_per_kind_with_their_names(built: Built) -> None:
    body = built.body("quarto")
    text = text_of(body)
    assert "Lemma 1. The chord" in text
    assert "Theorem 1 (Global minima). Every local minimum" in text
    assert "Definition 1. A function is convex" in text
    assert "Theorem 2. Another theorem, referred to as 2." in text
    assert '<div class="theorem theorem-thm" id="thm-global">' in body
    # the name is the theorem's, not a section of the post
    assert 'id="global-minima"' not in body


def test_proof_ends_with_a_tombstone(built: Built) -> None:
    body = built.body("quarto")
    proof = body[body.index('<div class="proof">') :]
    proof = proof[: proof.index("</div>")]
    assert text_of(proof) == "Proof. Combine Lemma 1 with the definition. ∎"
    assert 'aria-label="End of proof"' in proof


def test_cross_references_link_with_word_and_number(built: Built) -> None:
    body = built.body("quarto")
    links = dict(re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', body))
    assert links["thm-global"] == "Theorem 1"
    assert links["lem-chord"] == "Lemma 1"
    assert links["eq-loss"] == "Equation 1"
    assert links["eq-ridge"] == "Equation 2"
    assert links["fig-loss"] == "Figure 1"
    assert links["sec-proofs"] == "Section 2"
    for target in ("thm-global", "lem-chord", "eq-loss", "eq-ridge", "fig-loss", "sec-proofs"):
        assert f'id="{target}"' in body


def test_labelled_equations_show_their_number(built: Built) -> None:
    body = built.body("quarto")
    assert re.search(r'id="eq-loss"><math/><span class="equation-number">\(1\)</span>', body)
    assert re.search(r'id="eq-ridge"><math/><span class="equation-number">\(2\)</span>', body)


def test_labelled_figure_is_numbered_under_the_figure(built: Built) -> None:
    body = built.body("quarto")
    assert '<div id="fig-loss" class="lemma-snippet' in body
    assert "<figcaption>Figure 1: The loss along a line.</figcaption>" in body


def test_quarto_callouts_with_title_and_collapse(built: Built) -> None:
    body = built.body("quarto")
    assert re.search(
        r'<div class="callout callout-warning" role="note" aria-labelledby="(callout-\d+-title)">'
        r'\s*<p class="callout-title" id="\1">Mind the step size</p>',
        body,
    )
    assert re.search(
        r'<details class="callout callout-tip">\s*<summary class="callout-title">A folded tip',
        body,
    )


def test_github_alerts_and_myst_directives_give_the_same_callouts(built: Built) -> None:
    body = built.body("github-myst")
    titles = re.findall(
        r'<div class="callout callout-(\w+)"[^>]*>\s*<p class="callout-title"[^>]*>([^<]+)', body
    )
    assert titles == [
        ("note", "Note"),
        ("caution", "Caution"),
        ("tip", "Tip"),
        ("note", "A named admonition"),
        ("important", "Important"),
    ]
    text = text_of(body)
    assert "GitHub's note, with bold text." in text
    assert "[!NOTE]" not in text
    assert '<div class="warning">' in body  # pandoc's `::: warning`


def test_at_signs_that_are_not_citations_stay_text(built: Built) -> None:
    text = text_of(built.body("github-myst"))
    assert "someone@example.org" in text
    assert "@decorator stays text here" in text


def test_feed_carries_citations_and_references_without_sidenote_copies(built: Built) -> None:
    feed = html.unescape(built.site.page("feed.xml"))
    entry = feed[feed.index("<title>Quarto spelling</title>") :]
    entry = entry[: entry.index("</entry>")]
    assert '<a class="cite" href="https://example.org/posts/quarto/#ref-boyd04"' in entry
    assert "Theorem 1" in entry
    assert 'class="sidenote"' not in entry
    assert entry.count("Sidenotes hold remarks") == 1  # in the footnotes list only


def test_two_builds_give_the_same_bytes(built: Built, tmp_path: Path) -> None:
    again = SiteDir(tmp_path / "site")
    shutil.copytree(FIXTURES / "writing", again.root)
    assert_ok(again.build())
    for slug in ("quarto", "github-myst", "numeric"):
        assert again.page(f"posts/{slug}/index.html") == built.site.page(f"posts/{slug}/index.html")


def test_notebook_download_carries_citations_numbers_and_references(built: Built) -> None:
    notebook = json.loads(built.site.page("posts/quarto/quarto.ipynb"))
    markdown = "\n".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    page = "https://example.org/posts/quarto/"
    assert f'<a class="cite" href="{page}#ref-boyd04">Boyd and Vandenberghe 2004</a>' in markdown
    assert f'<a href="{page}#thm-global">Theorem 1</a>' in markdown
    assert "**Theorem 1 (Global minima).**" in markdown
    assert "*Proof.*" in markdown and "∎" in markdown
    assert "\\tag{1} $$" in markdown and "{#eq-loss}" not in markdown
    assert "**Mind the step size**" in markdown
    assert ":::" not in markdown and "[@" not in markdown
    last = "".join(notebook["cells"][-1]["source"])
    assert last.startswith("## References")
    assert "Convex Optimization" in last
