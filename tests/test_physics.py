"""The physics package: each command reads as the TeX the package writes for it."""

from __future__ import annotations

import re

import pytest

from lemma.render.texmath import convert
from lemma.render.texmath.errors import MathError


def mathml(tex: str, display: bool = False) -> str:
    return convert(tex, display=display).mathml


@pytest.mark.parametrize(
    ("physics", "written_out"),
    [
        (r"\abs{x}", r"\left\lvert x \right\rvert"),
        (r"\abs*{x}", r"\lvert x \rvert"),
        (r"\norm{\frac{a}{b}}_2", r"\left\lVert \frac{a}{b} \right\rVert_2"),
        (r"\qty(\frac{a}{b})", r"\left( \frac{a}{b} \right)"),
        (r"\qty(f(g(x)))", r"\left( f(g(x)) \right)"),
        (r"\qty[x]", r"\left[ x \right]"),
        (r"\qty{x}", r"\left\{ x \right\}"),
        (r"\qty|x|", r"\left| x \right|"),
        (r"\pqty{x} \bqty{x} \Bqty{x}", r"\left( x \right) \left[ x \right] \left\{ x \right\}"),
        (r"\eval{x^2}_0^1", r"\left. x^2 \right\vert_0^1"),
        (r"\eval(x^2)|_0^1", r"\left( x^2 \right\vert_0^1"),
        (r"\order{x^2}", r"\mathcal{O}\left( x^2 \right)"),
        (r"\comm{A}{B}", r"\left[ A , B \right]"),
        (r"\acomm{A}{B}", r"\left\{ A , B \right\}"),
        (r"\vb{x}", r"\mathbf{x}"),
        (r"\vb*{x}", r"\boldsymbol{x}"),
        (r"\vu{r}", r"\hat{\mathbf{r}}"),
        (r"\va{F}", r"\vec{\mathbf{F}}"),
        (r"\grad f", r"\boldsymbol{\nabla} f"),
        (r"\grad(f+g)", r"\boldsymbol{\nabla}\left( f+g \right)"),
        (r"\curl{\vb{A}}", r"\boldsymbol{\nabla}\times{\mathbf{A}}"),
        (r"\laplacian\phi", r"\nabla^2\phi"),
        (r"\dv{f}{x}", r"\frac{\mathrm{d} f}{\mathrm{d} {x}}"),
        (r"\dv[2]{f}{x}", r"\frac{\mathrm{d}^{2} f}{\mathrm{d} {x}^{2}}"),
        (r"\dv{t}(x+y)", r"\frac{\mathrm{d}}{\mathrm{d} {t}}\left( x+y \right)"),
        (r"\dv*{f}{x}", r"{\mathrm{d} f}/{\mathrm{d} {x}}"),
        (r"\pdv{f}{x}", r"\frac{\partial f}{\partial {x}}"),
        (r"\pdv{f}{x}{y}", r"\frac{\partial^{2} f}{\partial x \partial y}"),
        (r"\fdv{F}{f}", r"\frac{\delta F}{\delta {f}}"),
        (r"\dd[3]{x}", r"\,\mathrm{d}^{3}{x}"),
        (r"\expval{A}", r"\left\langle A \right\rangle"),
        (r"\expval{A}{\psi}", r"\left\langle \psi \middle\vert A \middle\vert \psi \right\rangle"),
        (r"\mel{n}{H}{m}", r"\left\langle n \middle\vert H \middle\vert m \right\rangle"),
        (r"\ip{a}{b}", r"\left\langle a \middle\vert b \right\rangle"),
        (r"\dyad{a}", r"\left\vert a \middle\rangle\middle\langle a \right\vert"),
        (r"\mqty(a & b \\ c & d)", r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"),
        (r"\mqty[1 & 0 \\ 0 & 1]", r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}"),
        (r"\mqty|a & b|", r"\begin{vmatrix} a & b \end{vmatrix}"),
        (r"\smqty(a & b)", r"\left( \begin{smallmatrix} a & b \end{smallmatrix} \right)"),
        (r"\Tr(\rho) + \rank A", r"\operatorname{Tr}(\rho) + \operatorname{rank} A"),
        (r"\var{F}", r"\delta{F}"),
    ],
)
def test_a_physics_command_is_the_tex_it_stands_for(physics: str, written_out: str) -> None:
    assert mathml(physics) == mathml(written_out)
    assert mathml(physics, display=True) == mathml(written_out, display=True)


def test_the_differential_of_an_integral_has_a_thin_space_before_it() -> None:
    html = mathml(r"\int_0^1 f(x) \dd{x}")
    assert '<mspace width="0.1667em"></mspace><mi mathvariant="normal">d</mi>' in html
    assert convert(r"\int_0^1 f(x) \dd{x}", display=False).text.endswith("dx")


def test_what_a_post_defines_wins_over_the_package() -> None:
    defined = mathml(r"\newcommand{\abs}[1]{|#1|} \abs{x}")
    assert defined == mathml(r"|x|")


def test_the_packages_redefinitions_of_standard_commands_are_left_out() -> None:
    assert mathml(r"a \div b") == mathml(r"a ÷ b")  # not the divergence
    assert "ℜ" in mathml(r"\Re z")


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\qty x", r"\qty needs its argument in (…), […], {…} or |…|"),
        (r"\qty(x", r"the (…) of \qty is never closed"),
        (r"\mqty a & b", r"\mqty needs its rows in (…), […], {…} or |…|"),
        (r"\dv{f}{x}{y}", r"\dv takes at most two arguments"),
    ],
)
def test_a_physics_command_written_wrong_says_how(tex: str, message: str) -> None:
    with pytest.raises(MathError, match=re.escape(message)):
        convert(tex, display=False)
