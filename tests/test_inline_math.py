"""Math in titles and excerpts read as text."""

from __future__ import annotations

import pytest

from lemma.render.inline_math import formula_text, inline_text


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
        # a minus in a script (U+2212 in the MathML) has its script form: it read "x^(−1)"
        (r"$x^{-1}$ and $\ce{SO4^2-}$ and $\pu{890 kJ mol-1}$", "x⁻¹ and SO₄²⁻ and 890 kJ mol⁻¹"),
    ],
)
def test_a_formula_read_as_text_keeps_the_spaces_it_shows(title: str, text: str) -> None:
    # <title>, descriptions and feeds read formulas as text: "a+b=c" and "amodb" read badly.
    assert inline_text(title) == text


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (r"The estimate $\hat\mu_n$", "The estimate \u03bc\u0302\u2099"),  # μ̂ₙ
        (r"$\tilde x + \vec v - \bar y$", "x\u0303 + v\u20d7 \u2212 y\u0304"),  # x̃ + v⃗ − ȳ
        (r"$\dot q$, $\ddot q$, $\check a$", "q\u0307, q\u0308, a\u030c"),  # q̇, q̈, ǎ
    ],
)
def test_an_accent_reads_as_the_letter_it_sits_on(title: str, text: str) -> None:
    # The converter draws \hat with U+02C6, which read "μ^ˆₙ" in titles and descriptions.
    assert inline_text(title) == text


def test_a_matrix_reads_row_by_row() -> None:
    assert inline_text(r"$\begin{pmatrix}1 & 2\\ 3 & 4\end{pmatrix}$") == "(1 2; 3 4)"


def test_an_equation_number_reads_once() -> None:
    # A numbered row has a hidden twin of its number, which keeps the formula centred.
    row = '<mtr><mtd aria-hidden="true">(1)</mtd><mtd><mi>a</mi></mtd><mtd>(1)</mtd></mtr>'
    assert formula_text(f"<math><mtable>{row}</mtable></math>") == "a (1)"


def test_a_phantom_reads_as_nothing() -> None:
    assert inline_text(r"Pad $x\phantom{yy}$ here") == "Pad x here"


def test_a_backward_space_reads_as_nothing() -> None:
    assert inline_text(r"$\int\!\!\int f$") == "∫∫f"
