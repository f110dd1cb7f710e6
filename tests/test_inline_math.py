"""Math in titles and excerpts read as text."""

from __future__ import annotations

import pytest

from lemma.render.inline_math import inline_text


def test_a_formula_that_only_defines_macros_reads_as_nothing() -> None:
    # A post's first paragraph often ends with its \newcommand lines: its excerpt must not crash.
    assert inline_text(r"Every construct. $\newcommand{\half}{\frac{1}{2}}$") == "Every construct. "


def test_formulas_read_as_text() -> None:
    assert inline_text(r"The $\lambda$-calculus of $O(n^2)$") == "The λ-calculus of O(n²)"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (r"Why $a + b = c$ matters", "Why a + b = c matters"),
        (r"$f(x) = -x$ and $p \in [0, 1]$", "f(x) = −x and p ∈ [0, 1]"),  # a sign stays tight
        (r"Bounds: $\sum_{i=1}^n x_i \le 1$", "Bounds: ∑ᵢ₌₁ⁿxᵢ ≤ 1"),  # a script stays tight
        (r"$a \bmod b$ and $a \equiv b \pmod{n}$", "a mod b and a ≡ b (mod n)"),
        (r"$\frac{n+1}{2}$", "(n+1)/2"),
    ],
)
def test_a_formula_read_as_text_keeps_the_spaces_it_shows(title: str, text: str) -> None:
    # <title>, descriptions and feeds read formulas as text: "a+b=c" and "amodb" read badly.
    assert inline_text(title) == text


def test_a_phantom_reads_as_nothing() -> None:
    assert inline_text(r"Pad $x\phantom{yy}$ here") == "Pad x here"


def test_a_backward_space_reads_as_nothing() -> None:
    assert inline_text(r"$\int\!\!\int f$") == "∫∫f"
