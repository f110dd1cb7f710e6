"""bookdown's theorem chunks and divs in a real build: Quarto's numbered theorems and
unnumbered proofs, with their names and references; a kind Lemma lacks is a warning."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, post, warning_line

THEOREMS = """```{theorem pyth, name="Pythagoras"}
For a right triangle, $a^2 + b^2 = c^2$.
```

```{proof}
Draw the SQUARES.
```

::: {.lemma #small name="A small lemma"}
Small things are **small**.
:::

```{hypothesis}
A HYPOTHESIS.
```

```{theorem, label="second"}
The SECOND theorem.
```

By Theorem \\@ref(thm:pyth), Theorem \\@ref(thm:second) and Lemma \\@ref(lem:small).
"""


def test_theorem_chunks_and_divs_are_numbered_theorems_and_proofs(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/t.Rmd", post("Theorems", body=THEOREMS))
    result = site.build()
    assert_ok(result)
    page = site.page("posts/t/index.html")
    assert '<div class="theorem theorem-thm" id="thm-pyth">' in page
    assert '"theorem-label">Theorem 1</strong> <span class="theorem-name">(Pythagoras)' in page
    assert '<div class="proof">' in page and "Draw the SQUARES." in page
    assert '<div class="theorem theorem-lem" id="lem-small">' in page
    assert '<span class="theorem-name">(A small lemma)</span>' in page
    assert '<div class="proof proof-remark">' in page and "A HYPOTHESIS." in page
    assert '"theorem-label">Theorem 2</strong>' in page and 'id="thm-second"' in page
    assert 'href="#thm-second" data-lemma-card="thm-second">2<' in page
    assert 'href="#lem-small" data-lemma-card="lem-small">1<' in page
    assert "```" not in page and "{theorem" not in page
    warning_line(result, "posts/t.Rmd", 18, "bookdown's hypothesis has no kind in Lemma")
