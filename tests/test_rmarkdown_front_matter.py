"""blogdown's, distill's and bookdown's front matter read as Lemma's keys: `output:` formats and
their options, `preview`, `csl`, and inline R where a value should be."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from lemma.errors import LemmaError
from lemma.load import load_post
from lemma.model import Post

UTC = ZoneInfo("UTC")


def loaded(front: str, path: str = "posts/x.Rmd") -> tuple[Post, list[str]]:
    text = f"---\ntitle: R\ndate: 2024-03-01\n{front}---\n\nText.\n"
    post, warnings = load_post(path, text.encode(), UTC)
    return post, [f"{w.location}: {w.message}" for w in warnings]


def test_blogdown_html_page_toc_and_number_sections() -> None:
    post, warnings = loaded(
        "output:\n  blogdown::html_page:\n    toc: true\n    number_sections: true\n"
        "link-citations: true\n"
    )
    assert post.front_matter.toc is True
    assert post.front_matter.extra["number-sections"] is True
    assert warnings == []


def test_distill_article_code_folding_preview_and_authors() -> None:
    post, warnings = loaded(
        "description: A DESCRIPTION.\nauthor:\n  - name: Grace Hopper\n    url: https://x.org\n"
        "    affiliation: Navy\n  - name: Alan Turing\npreview: preview.png\n"
        "citation_url: https://x.org/p/\noutput:\n  distill::distill_article:\n"
        "    toc: true\n    code_folding: true\n    self_contained: false\n"
    )
    front = post.front_matter
    assert front.author == "Grace Hopper and Alan Turing"
    assert front.image == "preview.png" and front.excerpt == "A DESCRIPTION."
    assert front.execute == {"code-fold": True} and front.toc is True
    assert warnings == [
        "posts/x.Rmd:16: front matter: output option 'self_contained: false' of "
        "distill::distill_article is not one Lemma honours; it is ignored",
        "posts/x.Rmd:11: front matter: 'citation_url' is not a key Lemma uses; templates can "
        "read it as post.extra['citation_url']",
    ]


def test_bookdown_formats_number_sections_unless_told_not_to() -> None:
    numbered, warnings = loaded("output: bookdown::html_document2\n")
    assert numbered.front_matter.extra["number-sections"] is True and warnings == []
    plain, _ = loaded("output:\n  bookdown::html_document2:\n    number_sections: false\n")
    assert plain.front_matter.extra["number-sections"] is False


def test_csl_is_a_warning_naming_citation_style() -> None:
    _, warnings = loaded("csl: apa.csl\n")
    assert warnings == [
        "posts/x.Rmd:4: front matter: csl 'apa.csl' is not read: Lemma formats citations in "
        "its own styles"
    ]


def test_inline_r_date_is_an_error_and_another_value_a_warning() -> None:
    with pytest.raises(LemmaError) as caught:
        load_post("posts/x.Rmd", b'---\ntitle: R\ndate: "`r Sys.Date()`"\n---\n\nText.\n', UTC)
    assert "'date' is inline R code (`r Sys.Date()`)" in caught.value.problem.message
    assert caught.value.problem.location is not None
    assert caught.value.problem.location.line == 3
    _, warnings = loaded('subtitle: "`r params$who`"\n')
    assert warnings == [
        "posts/x.Rmd:4: front matter: 'subtitle' is inline R code (`r params$who`), which "
        "Lemma cannot run; it is kept as written"
    ]
