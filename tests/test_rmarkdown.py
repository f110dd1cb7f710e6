"""R Markdown's prose in a real build: bookdown's references, equation labels, table captions
and text references as Lemma's cross-references, distill's `<aside>` as a margin note, inline R
as a warning at its line; the lines keep their numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_support import NO_SEARCH, Result, SiteDir, assert_ok, error_line, post, warning_line

BOOKDOWN = """# Introduction {#intro}

Section \\@ref(intro), Figure \\@ref(fig:wave), Table \\@ref(tab:planets), (\\@ref(eq:energy)).

\\begin{equation}
E = mc^2 (\\#eq:energy)
\\end{equation}

(ref:wave-cap) A WAVE-CAPTION "quoted" from a text reference.

```{python wave, fig.cap="(ref:wave-cap)"}
import matplotlib.pyplot as plt
plt.plot([0, 1, 0]); plt.show()
```

| planet | moons |
|---|---|
| Mars | 2 |

Table: (\\#tab:planets) PLANETS-CAPTION.

## Results

See \\@ref(results) and (ref:nowhere). In code: `\\@ref(fig:wave)`. The answer is `r 6 * 7`.

<aside>
A MARGIN-NOTE with **bold** text.
</aside>

Inline <aside>AN-INLINE-ASIDE</aside> here, and `python 1 + 1` stays code.
"""


@pytest.fixture(scope="module")
def bookdown(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteDir, Result]:
    site = SiteDir(tmp_path_factory.mktemp("bookdown"))
    site.write("site.toml", NO_SEARCH)
    site.write("posts/b.Rmd", post("Bookdown", body=BOOKDOWN))
    return site, site.build()


def test_bookdown_references_read_as_numbers(bookdown: tuple[SiteDir, Result]) -> None:
    assert_ok(bookdown[1])
    page = bookdown[0].page("posts/b/index.html")
    assert 'href="#sec-intro" data-lemma-card="sec-intro">1<' in page
    assert 'href="#fig-wave" data-lemma-card="fig-wave">1<' in page
    assert 'href="#tbl-planets" data-lemma-card="tbl-planets">1<' in page
    assert '(<a class="eqref" href="#eq-energy">1</a>)' in page
    assert 'href="#sec-results" data-lemma-card="sec-results">' in page
    assert "\\@ref" not in page.replace("<code>\\@ref(fig:wave)</code>", "")
    assert "(\\#" not in page


def test_text_references_and_table_captions_take_their_place(
    bookdown: tuple[SiteDir, Result],
) -> None:
    page = bookdown[0].page("posts/b/index.html")
    assert "Figure 1: A WAVE-CAPTION &#34;quoted&#34; from a text reference." in page
    assert "(ref:wave-cap)" not in page
    assert "Table 1: PLANETS-CAPTION." in page
    warning_line(bookdown[1], "posts/b.Rmd", 29, "text reference (ref:nowhere) is not defined")


def test_asides_are_margin_notes(bookdown: tuple[SiteDir, Result]) -> None:
    page = bookdown[0].page("posts/b/index.html")
    assert '<div class="margin-note">\n<p>A MARGIN-NOTE with <strong>bold</strong>' in page
    assert '<span class="margin-note">AN-INLINE-ASIDE</span>' in page
    assert "<aside>" not in page.split('class="post-body"')[1].split("</article>")[0]


def test_inline_r_is_a_warning_and_shown_as_code(bookdown: tuple[SiteDir, Result]) -> None:
    page = bookdown[0].page("posts/b/index.html")
    assert "<code>r 6 * 7</code>" in page and "<code>python 1 + 1</code>" in page
    warning_line(bookdown[1], "posts/b.Rmd", 29, "inline R code `r 6 * 7` cannot run")
    assert "python 1 + 1" not in bookdown[1].stderr


def test_an_unknown_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/b.Rmd", post("B", body="Text.\n\nSee Figure \\@ref(fig:missing).\n"))
    result = site.build()
    assert result.code == 1
    error_line(result, "posts/b.Rmd", 8, "fig-missing")


def test_only_r_markdown_posts_are_rewritten(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    body = "<aside>\nAS-WRITTEN\n</aside>\n\nSee \\@ref(fig:x) and `r 1`.\n"
    site.write("posts/m.md", post("M", body=body))
    site.write("posts/r.Rmd", post("R", body=body.replace("\\@ref(fig:x) and ", "")))
    result = site.build()
    assert_ok(result)
    markdown = site.page("posts/m/index.html")
    assert "<aside>" in markdown and "@ref(fig:x)" in markdown
    assert '<div class="margin-note">' in site.page("posts/r/index.html")
    assert "posts/m.md" not in result.stderr and "posts/r.Rmd:10: warning: inline R" in (
        result.stderr
    )
