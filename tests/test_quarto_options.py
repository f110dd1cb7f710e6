"""Quarto posts' snippet options in a real build: quoted and list values, tables, include and
warning, and pandoc's display-only fences, as readers see them and as authors are told."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post, warning_line

FIGURES = """See @fig-waves and @tbl-planets.

```{python}
#| include: false
import warnings
import matplotlib.pyplot as plt
print("SETUP-HIDDEN")
```

```{python}
#| label: fig-waves
#| fig-cap:
#|   - "Sine: up"
#|   - 'Cosine'
#| fig-width: 8
plt.plot([0, 1, 0]); plt.show()
plt.plot([1, 0, 1]); plt.show()
```

```{python}
#| label: "fig-one"
#| fig-cap: "A caption in quotes"
plt.plot([1, 2]); plt.show()
```

```{python}
#| label: tbl-planets
#| tbl-cap: "Planets"
class Table:
    def _repr_html_(self):
        return "<table><tr><td>Mercury</td></tr></table>"
Table()
```

```{python}
#| warning: false
warnings.warn("NOISY-WARNING")
print("KEPT-OUTPUT")
```

```{.python}
raise SystemExit("SHOULD-NOT-RUN")
```

And @fig-one.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteDir, str]]:
    site = SiteDir(tmp_path_factory.mktemp("quarto") / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2025-02-01-waves.qmd", post("Waves", body=FIGURES))
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/2025-02-01-waves.qmd", 20, "Quarto's option 'fig-width'")
    yield site, site.page("posts/waves/index.html")


def test_list_caption_gives_each_figure_its_caption_as_subfigures(
    built: tuple[SiteDir, str],
) -> None:
    _, page = built
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    assert captions == [
        "Figure 1 (a): Sine: up",
        "Figure 1 (b): Cosine",
        "Figure 2: A caption in quotes",
    ]
    links = dict(re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', page))
    assert links == {"fig-waves": "Figure 1", "tbl-planets": "Table 1", "fig-one": "Figure 2"}


def test_labelled_table_is_numbered_with_its_caption_above_it(built: tuple[SiteDir, str]) -> None:
    _, page = built
    table = page[page.index('<div id="tbl-planets"') :]
    caption = table.index('<p class="lemma-table-caption">Table 1: Planets</p>')
    assert caption < table.index("<td>Mercury")


def test_include_false_and_warning_false_hide_what_quarto_hides(
    built: tuple[SiteDir, str],
) -> None:
    _, page = built
    assert "SETUP-HIDDEN" not in page
    assert "import warnings" not in page
    assert "lemma-stderr" not in page  # the warning's text is only in the code
    assert "KEPT-OUTPUT" in page


def test_pandoc_class_fence_is_highlighted_python_and_not_run(built: tuple[SiteDir, str]) -> None:
    _, page = built
    shown = page[page.rindex('data-language="python"') :]
    assert '<span class="lemma-lang">Python</span>' in shown
    assert '<span class="k">raise</span>' in shown
    assert "lemma-output" not in shown.split("</div>\n</div>")[0]


def test_echo_fenced_shows_the_code_with_its_fence_and_option_lines(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = "```{python}\n#| echo: fenced\n#| output: true\n1 + 1\n```\n"
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    code = page[page.index('<div class="highlight">') :]
    code = code[: code.index("</pre>")]
    text = re.sub(r"<[^>]+>", "", code)
    assert text.strip() == "```{python}\n#| echo: fenced\n#| output: true\n1 + 1\n```"
    assert "<pre>2</pre>" in page  # still run, its value shown


def test_unknown_table_reference_and_execute_freeze_are_errors_at_their_lines(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = "```{python}\n#| label: tbl-planets\n1\n```\n\nSee @tbl-planet.\n"
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    site.write("posts/2025-02-02-b.qmd", post("B", execute="\n  warning: false\n  freeze: auto"))
    result = site.build()
    line = error_line(result, "posts/2025-02-01-a.qmd", 11, "unknown cross-reference '@tbl-planet'")
    assert "did you mean 'tbl-planets'?" in line
    line = error_line(result, "posts/2025-02-02-b.qmd", 6, "Quarto's option 'freeze'")
    assert "write freeze: auto at the top level of the front matter" in line


SUBFIGURES = """```{python}
#| label: fig-spectrum
#| fig-cap: "Eigenvalues and the Fiedler vector"
#| fig-subcap:
#|   - "Spectrum"
#|   - "Fiedler vector"
#| layout-ncol: 2
import matplotlib.pyplot as plt
plt.plot([0, 1, 3]); plt.show()
plt.plot([1, 0, 1]); plt.show()
```

@fig-spectrum shows both; @fig-spectrum-2 is the cut, as @fig-waves-1 is a wave.

```{python}
#| label: fig-waves
#| fig-cap: ["Sine", "Cosine"]
plt.plot([0, 1, 0]); plt.show()
plt.plot([1, 0, 1]); plt.show()
```

```{python}
#| column: margin
#| fig-cap: "In the margin"
plt.plot([1, 2]); plt.show()
```

```{python}
#| column: page
print("WIDE")
```
"""


def test_subcaptions_side_by_side_under_one_numbered_caption(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2025-02-01-spectral.qmd", post("Spectral", body=SUBFIGURES))
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/2025-02-01-spectral.qmd", 34, "'column: page' is not supported")
    page = site.page("posts/spectral/index.html")
    snippet = page[page.index('<div id="fig-spectrum"') : page.rindex("shows both")]
    assert '<div class="lemma-outputs lemma-outputs--columns lemma-outputs--columns-2">' in snippet
    assert re.findall(r'<figure id="([\w-]+)"', snippet) == ["fig-spectrum-1", "fig-spectrum-2"]
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", snippet)
    assert captions == ["(a) Spectrum", "(b) Fiedler vector"]
    assert '<p class="lemma-figure-caption">Figure 1: Eigenvalues and the Fiedler vector</p>' in (
        snippet
    )
    links = re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', page)
    assert links == [
        ("fig-spectrum", "Figure 1"),
        ("fig-spectrum-2", "Figure 1 (b)"),
        ("fig-waves-1", "Figure 2 (a)"),
    ]
    assert 'id="fig-waves-1"' in page
    assert "Figure 2 (b): Cosine" in page  # a list of captions keeps its numbered captions
    assert "lemma-snippet--margin" in page
    assert "In the margin" in page


def test_output_asis_prints_markdown_into_the_page(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = (
        "```{python}\n#| output: asis\nprint('**Bold** and $x^2$')\n"
        "import sys; print('RAW-STDERR', file=sys.stderr)\n```\n"
    )
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert "lemma-snippet--asis" in page
    shown = page[page.index('<div class="lemma-output lemma-markdown">') :]
    assert shown.startswith('<div class="lemma-output lemma-markdown"><p><strong>Bold</strong>')
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in shown
    assert "<pre>RAW-STDERR" in page  # stderr stays text


def test_code_summary_names_the_fold(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = (
        '```{python}\n#| code-fold: true\n#| code-summary: "The solver"\nx = 1\n```\n\n'
        "```{python}\n#| code-fold: true\ny = 2\n```\n"
    )
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    result = site.build()
    assert_ok(result)
    assert "code-summary" not in result.stderr  # no longer a warning
    labels = re.findall(
        r'<span class="lemma-fold-label">([^<]*)</span>', site.page("posts/a/index.html")
    )
    assert labels == ["The solver", "Show code"]


def test_a_listing_is_numbered_with_its_caption_above_the_code(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = (
        "```{python}\n#| lst-label: lst-sum\n#| lst-cap: Summing\nprint(sum(range(4)))\n```\n\n"
        "@lst-sum sums; @lst-none does not exist.\n"
    )
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    result = site.build("--keep-going")
    error_line(result, "posts/2025-02-01-a.qmd", 12, "unknown cross-reference '@lst-none'")
    page = site.page("posts/a/index.html")
    snippet = page[page.index('<div id="lst-sum"') :]
    assert snippet.index('<p class="lemma-listing-caption">Listing 1: Summing</p>') < (
        snippet.index('<div class="lemma-code">')
    )
    assert '<a class="xref" href="#lst-sum" data-lemma-card="lst-sum">Listing 1</a>' in page


def test_code_line_numbers_number_each_line_without_ids(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = (
        '```{python}\n#| code-line-numbers: true\ns = """a\nb"""\nprint(s)\n```\n\n'
        "```{python}\n#| code-line-numbers: true\nx = 1\n```\n\n```{python}\ny = 2\n```\n"
    )
    site.write("posts/2025-02-01-a.qmd", post("A", body=body))
    result = site.build()
    assert_ok(result)
    assert "code-line-numbers" not in result.stderr
    page = site.page("posts/a/index.html")
    assert page.count('<div class="lemma-code lemma-code--numbered">') == 2
    first = page[page.index("lemma-code--numbered") :]
    first = first[: first.index("</code>")]
    assert first.count('<span class="line">') == 3  # a string over two lines is split per line
    assert 'id="lemma-line' not in page
    last = page[page.rindex('<div class="lemma-code') :]
    assert '<span class="line">' not in last[: last.index("</code>")]
