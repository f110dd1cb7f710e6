"""knitr's chunk options in R Markdown posts, in a real build: the header's `key=value` options
and the `#|` lines (dotted names too) as Lemma's snippet options, what Lemma cannot honour as a
warning at the chunk's line, and a mistake in a header as an error at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_support import NO_SEARCH, Result, SiteDir, assert_ok, error_line, post, warning_line

CHUNKS = """```{python, echo=FALSE}
print("NO-ECHO-OUTPUT")
```

```{python hidden, results='hide'}
print("RESULTS-HIDE-OUTPUT")
```

```{python setup, include=FALSE}
value = 41
print("INCLUDE-FALSE-OUTPUT")
```

```{python curve, fig.cap="A CURVE-CAPTION", fig.width=7, out.width='50%'}
import matplotlib.pyplot as plt
plt.plot([0, 1, 4])
plt.show()
```

See Figure \\@ref(fig:curve).

```{python}
#| fig.cap: "A DOTTED-CAPTION"
#| label: dotted
#| results: asis
#| collapse: true
print("**ASIS-" + str(value + 1) + "**")
plt.plot([1, 0]); plt.show()
```

```{python, eval=FALSE, comment=NA}
raise SystemExit("NOT-EVALUATED")
```

```{python, error=TRUE, engine.path="/usr/bin/python3"}
1 / 0
```
"""


def build(tmp_path: Path, body: str, name: str = "posts/k.Rmd") -> tuple[SiteDir, str]:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(name, post("Knitr", body=body))
    return site, site.build("--keep-going").stderr


@pytest.fixture(scope="module")
def chunks(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteDir, Result]:
    site, _ = build(tmp_path_factory.mktemp("chunks"), CHUNKS)
    return site, site.build()


def test_header_options_are_lemma_snippet_options(chunks: tuple[SiteDir, Result]) -> None:
    page = chunks[0].page("posts/k/index.html")
    assert "NO-ECHO-OUTPUT" in page and "print(&quot;NO-ECHO" not in page
    assert "RESULTS-HIDE-OUTPUT" in page and "RESULTS-HIDE-OUTPUT\n</pre>" not in page
    assert "INCLUDE-FALSE-OUTPUT" not in page and "value = 41" not in page
    assert "Figure 1: A CURVE-CAPTION" in page
    assert 'href="#fig-curve"' in page and 'id="fig-curve"' in page
    assert "NOT-EVALUATED" in page and "ZeroDivisionError" in page


def test_hash_pipe_lines_take_knitr_names_and_label_a_figure(
    chunks: tuple[SiteDir, Result],
) -> None:
    page = chunks[0].page("posts/k/index.html")
    assert "<strong>ASIS-42</strong>" in page
    assert "Figure 2: A DOTTED-CAPTION" in page and 'id="fig-dotted"' in page


def test_options_lemma_cannot_honour_are_warnings_at_the_chunk_line(
    chunks: tuple[SiteDir, Result],
) -> None:
    result = chunks[1]
    warning_line(result, "posts/k.Rmd", 19, "knitr option 'fig.width=7'")
    warning_line(result, "posts/k.Rmd", 19, "knitr option 'out.width='50%''")
    warning_line(result, "posts/k.Rmd", 31, "knitr option 'collapse: true'")
    warning_line(result, "posts/k.Rmd", 40, "knitr option 'engine.path=")
    assert "comment" not in result.stderr


def test_an_unclosed_header_is_an_error_at_its_line(tmp_path: Path) -> None:
    site, _ = build(tmp_path, "Text.\n\n```{python, echo=FALSE\nprint(1)\n```\n")
    result = site.build()
    assert result.code == 1
    error_line(result, "posts/k.Rmd", 8, "the chunk header {python, echo=FALSE is not closed")


def test_a_bad_value_is_an_error_in_knitr_terms(tmp_path: Path) -> None:
    site, _ = build(tmp_path, '```{python, echo="maybe"}\nprint(1)\n```\n')
    result = site.build()
    assert result.code == 1
    line = error_line(result, "posts/k.Rmd", 6, "knitr option 'echo' takes TRUE or FALSE")
    assert "echo=FALSE" in line


def test_a_value_that_is_r_code_is_a_warning(tmp_path: Path) -> None:
    site, _ = build(tmp_path, "```{python, echo=params$show}\nprint(1)\n```\n")
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/k.Rmd", 6, "'echo=params$show' is R code, which Lemma cannot run")


def test_results_takes_knitrs_values(tmp_path: Path) -> None:
    site, _ = build(tmp_path, "```{python, results='verbose'}\nprint(1)\n```\n")
    result = site.build()
    error_line(result, "posts/k.Rmd", 6, "knitr option 'results' takes 'markup'")


def test_an_r_chunk_is_not_run_and_include_false_shows_nothing(tmp_path: Path) -> None:
    body = "```{r setup, include=FALSE}\nR_SETUP\n```\n\n```{r plot}\nR_SHOWN\n```\n"
    site, _ = build(tmp_path, body)
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/k.Rmd", 6, "R Markdown's {r} chunk is not run")
    page = site.page("posts/k/index.html")
    assert "R_SETUP" not in page and "R_SHOWN" in page


def test_a_knitr_header_means_the_same_in_a_markdown_post(tmp_path: Path) -> None:
    body = "```{python, echo=FALSE}\nprint('MD-OUTPUT')\n```\n\n```{python}\n#| fig.cap: x\n```\n"
    site, stderr = build(tmp_path, body, "posts/k.md")
    page = site.page("posts/k/index.html")
    assert "MD-OUTPUT\n</pre>" in page and "print" not in page
    assert "unknown snippet option 'fig.cap'" in stderr  # `#|` lines are Quarto's there


def test_every_other_engine_is_shown_not_run_with_a_warning(tmp_path: Path) -> None:
    body = "```{stan model}\nparameters { real mu; }\n```\n\n```{css, echo=FALSE}\np {}\n```\n"
    site, _ = build(tmp_path, body)
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/k.Rmd", 6, "R Markdown's {stan} chunk is not run")
    warning_line(result, "posts/k.Rmd", 10, "R Markdown's {css} chunk is not run")
    assert "MyST" not in result.stderr and "parameters" in site.page("posts/k/index.html")


def test_hash_pipe_options_are_named_as_written_and_null_caption_is_none(tmp_path: Path) -> None:
    body = (
        "```{python, fig.cap=NULL}\nprint('NULL-CAPTION')\n```\n\n"
        "```{python}\n#| fig-width: 6\nprint(2)\n```\n"
    )
    site, _ = build(tmp_path, body)
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/k.Rmd", 11, "knitr option 'fig-width: 6'")
    assert "NULL" not in site.page("posts/k/index.html").replace("NULL-CAPTION", "")


def test_hash_pipe_lines_in_rs_syntax_are_read_as_the_header_is(tmp_path: Path) -> None:
    body = (
        '```{python}\n#| wave, echo = FALSE,\n#| fig.cap = "A LONG long\n#| CAPTION.",\n'
        "#| fig.width = 10\nimport matplotlib.pyplot as plt\nplt.plot([1, 0]); plt.show()\n```\n"
    )
    site, _ = build(tmp_path, body)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/k/index.html")
    assert "Figure 1: A LONG long CAPTION." in page and 'id="fig-wave"' in page
    assert "matplotlib" not in page
    warning_line(result, "posts/k.Rmd", 7, "knitr option 'fig.width=10'")
