"""mhchem's \\ce and \\pu: each formula reads as the TeX mhchem writes for it, and a post that
uses them builds without a warning."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from lemma.render.texmath import convert
from lemma.render.texmath.errors import MathError
from site_support import SiteDir, assert_ok, post


def mathml(tex: str, display: bool = False) -> str:
    return convert(tex, display=display).mathml


@pytest.mark.parametrize(
    ("mhchem", "written_out"),
    [
        (r"\ce{H2O}", r"\mathrm{H}_{2}\mathrm{O}"),
        (r"\ce{C6H12O6}", r"\mathrm{C}_{6}\mathrm{H}_{12}\mathrm{O}_{6}"),
        (
            r"\ce{2H2 + O2 -> 2H2O}",
            r"2\,\mathrm{H}_{2} + \mathrm{O}_{2} \longrightarrow 2\,\mathrm{H}_{2}\mathrm{O}",
        ),
        (r"\ce{2 H2O}", r"2\,\mathrm{H}_{2}\mathrm{O}"),
        (r"\ce{1/2O2}", r"\tfrac{1}{2}\,\mathrm{O}_{2}"),
        (r"\ce{n H2O}", r"n\,\mathrm{H}_{2}\mathrm{O}"),
        (r"\ce{nH2O}", r"n\,\mathrm{H}_{2}\mathrm{O}"),
        # charges: after ^, braced or not, or a sign ending the formula
        (r"\ce{SO4^2-}", r"\mathrm{S}\mathrm{O}_{4}^{2{-}}"),
        (r"\ce{SO4^{2-}}", r"\mathrm{S}\mathrm{O}_{4}^{2{-}}"),
        (r"\ce{NH4+}", r"\mathrm{N}\mathrm{H}_{4}^{{+}}"),
        (r"\ce{Na+ + Cl-}", r"\mathrm{Na}^{{+}} + \mathrm{Cl}^{{-}}"),
        (r"\ce{e-}", r"\mathrm{e}^{{-}}"),
        (
            r"\ce{Cu^{2+} + 2e- -> Cu}",
            r"\mathrm{Cu}^{2{+}} + 2\,\mathrm{e}^{{-}} \longrightarrow \mathrm{Cu}",
        ),
        (r"\ce{(NaPO3)_x}", r"(\mathrm{Na}\mathrm{P}\mathrm{O}_{3})_{x}"),
        (r"\ce{Fe(CN)_{$\frac{6}{2}$}}", r"\mathrm{Fe}(\mathrm{C}\mathrm{N})_{{\frac{6}{2}}}"),
        (r"\ce{[Cu(NH3)4]^2+}", r"[\mathrm{Cu}(\mathrm{N}\mathrm{H}_{3})_{4}]^{2{+}}"),
        (r"\ce{Fe^{II}}", r"\mathrm{Fe}^{\mathrm{II}}"),
        (r"\ce{Fe^{3+}(aq)}", r"\mathrm{Fe}^{3{+}}(\mathrm{aq})"),
        # isotopes, addition compounds, bonds
        (r"\ce{^{227}_{90}Th}", r"{}^{227}_{90}\mathrm{Th}"),
        (r"\ce{CuSO4*5H2O}", r"\mathrm{Cu}\mathrm{S}\mathrm{O}_{4}\cdot 5\mathrm{H}_{2}\mathrm{O}"),
        (r"\ce{CuSO4.5H2O}", r"\mathrm{Cu}\mathrm{S}\mathrm{O}_{4}\cdot 5\mathrm{H}_{2}\mathrm{O}"),
        (r"\ce{CH3-CH3}", r"\mathrm{C}\mathrm{H}_{3}{-}\mathrm{C}\mathrm{H}_{3}"),
        (r"\ce{CH2=CH2}", r"\mathrm{C}\mathrm{H}_{2}{=}\mathrm{C}\mathrm{H}_{2}"),
        (r"\ce{HC#CH}", r"\mathrm{H}\mathrm{C}{\equiv}\mathrm{C}\mathrm{H}"),
        # arrows, with labels read as \ce, words as text, $…$ as math
        (
            r"\ce{N2 + 3H2 <=> 2NH3}",
            r"\mathrm{N}_{2} + 3\,\mathrm{H}_{2} \rightleftharpoons 2\,\mathrm{N}\mathrm{H}_{3}",
        ),
        (
            r"\ce{A <- B <-> C <--> D}",
            r"\mathrm{A} \longleftarrow \mathrm{B} \longleftrightarrow \mathrm{C}"
            r" \rightleftarrows \mathrm{D}",
        ),
        (r"\ce{A->B}", r"\mathrm{A} \longrightarrow \mathrm{B}"),
        (r"\ce{A ->[heat] B}", r"\mathrm{A} \xrightarrow{\text{heat}} \mathrm{B}"),
        (
            r"\ce{A ->[H2O][cat.] B}",
            r"\mathrm{A} \xrightarrow[\text{cat.}]{\mathrm{H}_{2}\mathrm{O}} \mathrm{B}",
        ),
        (r"\ce{A ->[$T > 800$] B}", r"\mathrm{A} \xrightarrow{T > 800} \mathrm{B}"),
        (r"\ce{A <=>[K_1] B}", r"\mathrm{A} \xrightleftharpoons{\mathrm{K}_{1}} \mathrm{B}"),
        # gas and precipitate
        (r"\ce{CO2 ^ + H2O}", r"\mathrm{C}\mathrm{O}_{2} \uparrow + \mathrm{H}_{2}\mathrm{O}"),
        (
            r"\ce{AgCl v + NaNO3}",
            r"\mathrm{Ag}\mathrm{Cl} \downarrow + \mathrm{Na}\mathrm{N}\mathrm{O}_{3}",
        ),
        # units
        (r"\pu{123 kJ mol-1}", r"123\ \mathrm{kJ}\,\mathrm{mol}^{-1}"),
        (r"\pu{1.2e3 m/s2}", r"1.2\cdot 10^{3}\ \mathrm{m}/\mathrm{s}^{2}"),
        (r"\pu{kJ/mol}", r"\mathrm{kJ}/\mathrm{mol}"),
    ],
)
def test_formula_reads_as_the_tex_mhchem_writes(mhchem: str, written_out: str) -> None:
    assert mathml(mhchem) == mathml(written_out)


def test_a_formula_inside_other_math_keeps_its_place() -> None:
    assert mathml(r"K = \frac{[\ce{H3O+}][\ce{OH-}]}{[\ce{H2O}]}") == mathml(
        r"K = \frac{[{\mathrm{H}_{3}\mathrm{O}^{{+}}}][{\mathrm{O}\mathrm{H}^{{-}}}]}"
        r"{[{\mathrm{H}_{2}\mathrm{O}}]}"
    )


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\ce{A ->[heat B}", "never closed"),
        (r"\ce{SO4^}", "nothing after it"),
        (r"\ce{Cu]}", "nothing opened"),
        (r"\ce", "missing its argument"),
    ],
)
def test_a_mistake_names_what_is_wrong(tex: str, message: str) -> None:
    with pytest.raises(MathError, match=re.escape(message)):
        convert(tex, display=False)


def test_a_chemistry_post_builds_without_warnings(make_site: Callable[..., SiteDir]) -> None:
    body = (
        "Methane burns: $\\require{mhchem}\\ce{CH4 + 2O2 -> CO2 + 2H2O}$, releasing "
        "$\\pu{890 kJ mol-1}$.\n\n$$\\ce{Fe^{3+} + e- <=> Fe^{2+}}$$\n"
    )
    site = make_site({"posts/combustion.md": post(title="Combustion", body=body)})
    result = site.build()
    assert_ok(result)
    assert "warning" not in result.stdout + result.stderr
    page = site.page("posts/combustion/index.html")
    assert "math-fallback" not in page
    # CH4: upright C and H, the 4 a subscript; the arrows; the electron's charge a superscript
    assert '<msub><mi mathvariant="normal">H</mi><mrow><mn>4</mn></mrow></msub>' in page
    assert "⟶" in page and "⇌" in page
    assert re.search(r'<msup><mi mathvariant="normal">e</mi><mrow><mrow><mo[^>]*>−</mo>', page)
