"""Math in titles and excerpts read as text."""

from __future__ import annotations

from lemma.render.inline_math import inline_text


def test_a_formula_that_only_defines_macros_reads_as_nothing() -> None:
    # A post's first paragraph often ends with its \newcommand lines: its excerpt must not crash.
    assert inline_text(r"Every construct. $\newcommand{\half}{\frac{1}{2}}$") == "Every construct. "


def test_formulas_read_as_text() -> None:
    assert inline_text(r"The $\lambda$-calculus of $O(n^2)$") == "The λ-calculus of O(n²)"
