"""The math of a post as it renders: macros in force, equation numbers, MathML for each formula."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from lemma.model import RMARKDOWN_SUFFIXES, FrontMatter, Post
from lemma.parse.labels import is_labelled_equation
from lemma.parse.mathsyntax import math_in_html
from lemma.render.texmath import Converted, Macro, MathError, MathNote, convert, macro_from_text
from lemma.render.texmath.numbering import EquationRegistry

__all__ = [
    "MathError",
    "MathNote",
    "PostMath",
    "dollars_in_a_sentence_display",
    "plan_equation_numbers",
    "post_macros",
    "site_macros",
    "tex_to_mathml",
]

_DISPLAY_TYPES = frozenset(("math_block", "math_block_label", "amsmath", "math_inline_double"))


def site_macros(table: Mapping[str, Any]) -> tuple[Macro, ...]:
    """site.toml's [macros]: `R = '\\mathbb{R}'`, `tp = ['{#1}^\\top', 1]`, or with the
    default of an optional first argument, as MathJax writes it: `f = ['#1(#2)', 2, 'f']`."""
    macros = []
    for name, value in sorted(table.items()):
        if isinstance(value, str):
            macros.append(macro_from_text(name, value))
        else:
            body, params, *default = value
            macros.append(macro_from_text(name, str(body), int(params), *map(str, default)))
    return tuple(macros)


def post_macros(front_matter: FrontMatter) -> tuple[Macro, ...]:
    """The post's own macros: MyST's `math:` front matter key, when it is a mapping."""
    math = front_matter.extra.get("math")
    return site_macros(math) if isinstance(math, Mapping) else ()


@dataclass
class PostMath:
    """One post's math, formula after formula: a macro defined in one applies to the next."""

    macros: tuple[Macro, ...] = ()
    equations: EquationRegistry = field(default_factory=EquationRegistry)
    chars: set[str] = field(default_factory=set)  # every character shown, for the font subset

    def to_mathml(self, tex: str, *, display: bool, notes: list[MathNote] | None = None) -> str:
        """The formula's MathML; what it leaves out is added to `notes` when they are asked for."""
        converted = convert(tex, display=display, macros=self.macros)
        if notes is not None:
            notes.extend(converted.notes)
        if converted.defined:
            known = {macro.name: macro for macro in self.macros}
            known.update({macro.name: macro for macro in converted.defined})
            self.macros = tuple(sorted(known.values(), key=lambda macro: macro.name))
        self.chars.update(converted.glyphs)
        if converted.equations:
            self.chars.update("()0123456789")
        return self.equations.number(converted.mathml, converted.equations)


def tex_to_mathml(tex: str, *, display: bool) -> str:
    """MathML for a formula on its own (a snippet's LaTeX output); raises MathError."""
    converted: Converted = convert(tex, display=display)
    return EquationRegistry().number(converted.mathml, converted.equations)


def dollars_in_a_sentence_display(post: Post) -> bool:
    """Whether `$$…$$` inside a sentence is display math: in Quarto (pandoc) and Jupyter it is;
    a `.md` post follows kramdown, where it is inline (Jekyll math blogs rely on it)."""
    return post.source_path.endswith((".qmd", ".ipynb", *RMARKDOWN_SUFFIXES))


def plan_equation_numbers(
    tokens: Sequence[Token], macros: tuple[Macro, ...], *, dollars_display: bool = False
) -> dict[str, str]:
    """The numbers of equations labelled `{#eq-…}`, counted with LaTeX's numbered ones.

    LaTeX's equations are numbered as the post renders; a `{#eq-…}` label needs its number
    before that (a reference may come first), so this walks the post's math once, in order,
    as rendering will (conversions are cached, so the second pass costs little).
    """
    scratch = PostMath(macros)
    numbers: dict[str, str] = {}
    for token in _math_tokens(tokens):
        if is_labelled_equation(token):
            numbers[token.info] = scratch.equations.add(token.info, anchor=token.info).text
            continue
        try:
            display = token.type in _DISPLAY_TYPES or (dollars_display and token.markup == "$$")
            scratch.to_mathml(token.content, display=display)
        except MathError:
            continue
    return numbers


def _math_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type in _DISPLAY_TYPES or token.type == "math_inline":
            yield token
        if token.type == "html_block":  # its macros count for the formulas after it
            yield from (math for _start, _end, math in math_in_html(token.content))
        if token.children:
            yield from _math_tokens(token.children)
