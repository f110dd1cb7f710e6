"""Math in a post's body as MathML: the render rules of its formulas, TeX left unclosed shown as
text with a warning, and \\eqref and \\ref made links once every equation has its number."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import unescape as html_unescape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem
from lemma.parse.labels import is_labelled_equation
from lemma.parse.mathsyntax import math_in_html
from lemma.render.body import BodyContext, body_context
from lemma.render.mathml import (
    MathError,
    MathNote,
    dollars_in_a_sentence_display,
    tex_to_mathml,
)
from lemma.render.references import equation_number_html, writing_state
from lemma.render.texmath.numbering import reference_markup

_UNCLOSED_ENVIRONMENT = re.compile(r"\\begin\{[A-Za-z]+\*?\}")
_EMPTY_EQUATION_LINK = re.compile(r'<a href="#([^"]+)"></a>')


def add_math_rules(md: MarkdownIt) -> None:
    for name in ("math_inline", "math_inline_double"):
        md.add_render_rule(name, _render_inline_math)
    for name in ("math_block", "math_block_label", "amsmath"):
        md.add_render_rule(name, _render_block_math)
    md.add_render_rule("math_reference", _render_reference)
    md.add_render_rule("text", _render_text)


def resolve_references(html: str, context: BodyContext) -> str:
    """\\eqref and \ref as links, once every equation of the post has its number."""
    body = context.post.body

    def line_of(text: str) -> int | None:
        found = body.find(text)
        return body.count("\n", 0, found) if found >= 0 else None

    def missing(label: str) -> None:
        line = line_of("{" + label + "}")  # \eqref{x}, or MyST's {eq}`x`
        context.problems.append(
            Problem(
                f"math: a reference to equation '{label}', but no equation has "
                f"\\label{{{label}}} or :label: {label}",
                context.at(line if line is not None else line_of(f"`{label}`")),
                hint="label the equation: \\label{" + label + "} inside its $$ … $$, "
                ":label: " + label + " in a {math} directive, or {#eq-…} after its closing $$",
                is_warning=True,
            )
        )

    for label in context.math.equations.duplicates:
        context.problems.append(
            Problem(
                f"math: \\label{{{label}}} is used by two equations; references go to the first",
                context.at(line_of("\\label{" + label + "}")),
                is_warning=True,
            )
        )
    html = _EMPTY_EQUATION_LINK.sub(lambda m: _equation_link(m, context, line_of), html)
    return context.math.equations.resolve(html, missing)


def _equation_link(
    match: re.Match[str], context: BodyContext, line_of: Callable[[str], int | None]
) -> str:
    """MyST's `[](#eq-label)`: a link with no text reads as the equation's number, "(1)"."""
    label = html_unescape(match.group(1))
    if label in context.math.equations.labels:
        return reference_markup(label)
    context.problems.append(
        Problem(
            f"a link with no text, to #{label}, shows nothing",
            context.at(line_of(f"](#{label})")),
            hint=f"write its text, [Section 2](#{label}), or refer to an equation by its label",
            is_warning=True,
        )
    )
    return match.group(0)


def html_block_math(token: Token, env: Any) -> str:
    """An HTML block with its formulas typeset, as MathJax would (a hidden `<div>` of
    `\\newcommand`s defines them for the rest of the post and shows nothing)."""
    html, parts, position = token.content, [], 0
    first_line = token.map[0] if token.map else None
    for start, end, math in math_in_html(html):
        parts.append(html[position:start])
        if first_line is not None:
            math.meta["line"] = first_line + html.count("\n", 0, start)
        if math.type == "math_reference":
            parts.append(reference_markup(math.content, math.markup))
        else:
            display = math.type == "math_inline_double"
            body = _math_html(math.content, display, math, env)
            parts.append(f'<span class="math-display">{body}</span>' if display and body else body)
        position = end
    parts.append(html[position:])
    return "".join(parts)


def _math_html(
    tex: str, display: bool, token: Token, env: Any, *, block_line: int | None = None
) -> str:
    context = body_context(env)
    notes: list[MathNote] = []
    try:
        if context is None:
            return tex_to_mathml(tex, display=display)
        html = context.math.to_mathml(tex, display=display, notes=notes)
        for note in notes:
            line = block_line if block_line is not None else token.meta.get("line")
            if line is not None and note.offset is not None:
                line += tex.count("\n", 0, note.offset)
            context.problems.append(
                Problem(f"math: {note.message}", context.at(line), hint=note.hint, is_warning=True)
            )
        return html
    except MathError as exc:
        if context is not None:
            line = block_line if block_line is not None else token.meta.get("line")
            if line is not None and exc.offset is not None:
                line += tex.count("\n", 0, exc.offset)
            context.problems.append(
                Problem(
                    f"math: cannot convert: {exc}; shown as TeX",
                    context.at(line),
                    hint=exc.hint or "check the formula; the page shows its TeX in its place",
                    is_warning=True,
                )
            )
        # Hugo's doubled \\( shows as \( around the TeX as read (unescaped), not as $…$
        delimiter = {"\\(": ("\\(", "\\)"), "\\[": ("\\[", "\\]")}.get(
            token.markup.replace("\\\\", "\\")
        )
        opening, closing = delimiter or (("$$", "$$") if display else ("$", "$"))
        tag = "pre" if block_line is not None else "code"
        return (
            f'<{tag} class="math-fallback" title="This formula could not be rendered">'
            f"{escape(opening + tex.strip() + closing)}</{tag}>"
        )


def _render_inline_math(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    context = body_context(env)
    dollars_display = context is not None and dollars_in_a_sentence_display(context.post)
    display = token.type == "math_inline_double" or (dollars_display and token.markup == "$$")
    return _math_html(token.content, display, token, env)


def _render_block_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A display formula; a labelled one in a sentence (`$$ … $$ {#eq-x}` inline) is a span."""
    token = tokens[idx]
    line = token.map[0] if token.map else None
    body = _math_html(token.content, True, token, env, block_line=line)
    context = body_context(env)
    if context is not None and is_labelled_equation(token):
        # keeps LaTeX's numbers after it; \eqref and {eq} work
        context.math.equations.add(token.info, anchor=token.info)
    tag, end = ("div", "\n") if token.block else ("span", "")
    if token.type == "math_block_label" and token.info:
        number = equation_number_html(writing_state(env), token.info)
        return (
            f'<{tag} class="math-display math-display--numbered" id="{escape(token.info)}">'
            f"{body}{number}</{tag}>{end}"
        )
    return f'<{tag} class="math-display">{body}</{tag}>{end}'


def _render_reference(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return reference_markup(token.content, token.markup)


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    text = str(escape(token.content))
    unclosed = _UNCLOSED_ENVIRONMENT.search(token.content)
    if unclosed is not None:
        return _unclosed_environment(text, unclosed.group(0), token, env)
    if "$$" not in token.content:
        return text
    context = body_context(env)
    if context is not None:  # dollarmath leaves a $$ without its closing $$ as plain text
        context.problems.append(
            Problem(
                "math: '$$' is never closed; shown as text",
                context.at(token.meta.get("line")),
                hint="close the formula with $$, or write \\$ for a literal dollar sign",
                is_warning=True,
            )
        )
    marker = '<code class="math-fallback" title="This formula is never closed">$$</code>'
    return text.replace("$$", marker)


def _unclosed_environment(text: str, opening: str, token: Token, env: Any) -> str:
    """A \\begin{…} whose \\end{…} never comes: a warning, never TeX passed off as prose."""
    context = body_context(env)
    if context is not None:
        context.problems.append(
            Problem(
                f"math: {opening} is never closed; shown as text",
                context.at(token.meta.get("line")),
                hint=f"close it with {opening.replace('begin', 'end')}",
                is_warning=True,
            )
        )
    marker = (
        f'<code class="math-fallback" title="This environment is never closed">{opening}</code>'
    )
    return text.replace(opening, marker)
