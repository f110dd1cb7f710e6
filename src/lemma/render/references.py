"""The `@…` of a post rendered: cross-references and citations, and numbered equations.

`WritingState` is what one post's rendering knows (its numbered targets, its bibliography)
and finds (problems at file:line, callouts counted); it travels in the markdown-it `env`, so
that fragments rendered without a post (a snippet's `_repr_markdown_`) show `@x` as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem, did_you_mean
from lemma.load.bibliography import Reference
from lemma.model import SourceLocation
from lemma.parse.citations import CiteItem
from lemma.render.citations import (
    REFERENCES_PLACE,
    REFERENCES_PLACE_UNDER_HEADING,
    CitationState,
    citation_html,
)
from lemma.render.crossrefs import Target, is_reference, reference_html, unknown_reference


@dataclass
class WritingState:
    """What rendering one post's theorems, callouts and references needs and counts."""

    where: SourceLocation  # the post, at its body's first line
    targets: Mapping[str, Target] = field(default_factory=dict)
    citations: CitationState | None = None
    problems: list[Problem] = field(default_factory=list)
    callouts: int = 0
    sidenotes: dict[int, str] = field(default_factory=dict)  # footnote id -> inline HTML
    in_post: bool = False  # False for fragments: leave `@x` as written

    def at(self, token: Token) -> SourceLocation:
        line = token.meta.get("line")
        return self.where.at_line(self.where.line + line) if line is not None else self.where


def writing_state(env: Mapping[str, Any]) -> WritingState:
    state = env.get("lemma_writing")
    return state if isinstance(state, WritingState) else WritingState(SourceLocation(""))


# ```{bibliography} options that change nothing here: `:filter: docname in docnames`, Jupyter
# Book's habit, asks for the works this post cites, which is what Lemma lists.
_QUIET_BIBLIOGRAPHY_OPTIONS = ("filter", "all")


def add_reference_rules(md: MarkdownIt) -> None:
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("bibliography", _render_bibliography)


def _render_bibliography(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Where sphinxcontrib-bibtex's ```{bibliography} puts the References (`:all:` lists the
    works not cited too); without a bibliography it is a warning at its line."""
    token, state = tokens[idx], writing_state(env)
    if not state.in_post:
        return ""
    where = state.where.at_line(state.where.line + (token.map[0] if token.map else 0))
    if state.citations is None:
        state.problems.append(
            Problem(
                "a {bibliography} directive, but the post has no bibliography; it shows nothing",
                where,
                hint="name the .bib file (Jupyter Book's bibtex_bibfiles) in the front matter, "
                "'bibliography: references.bib', or once for the site in site.toml",
                is_warning=True,
            )
        )
        return ""
    given: dict[str, str] = token.meta.get("options", {})
    state.citations.lists_all = state.citations.lists_all or "all" in given
    option_lines: dict[str, int] = token.meta.get("option_lines", {})
    for option in given:
        if option not in _QUIET_BIBLIOGRAPHY_OPTIONS:
            state.problems.append(
                Problem(
                    f"{{bibliography}} option ':{option}:' has no meaning in Lemma and is ignored",
                    where.at_line(where.line + option_lines.get(option, 0)),
                    hint="choose the style with 'citation-style: numeric' in the front matter "
                    "or site.toml",
                    is_warning=True,
                )
            )
    under_heading = idx > 0 and tokens[idx - 1].type == "heading_close"
    return (REFERENCES_PLACE_UNDER_HEADING if under_heading else REFERENCES_PLACE) + "\n"


def _render_citation(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    state = writing_state(env)
    items: tuple[CiteItem, ...] = token.meta["items"]
    bracketed: bool = token.meta["bracketed"]
    if not state.in_post:
        return str(escape(token.content))
    role = "role" in token.meta  # {cite:t}: a citation, whatever the post cites
    if not bracketed and not role and not is_reference(items[0].key) and state.citations is None:
        return str(escape(token.content))  # "@name" in a post that cites nothing: plain text
    parts: list[str] = []
    pending: list[tuple[CiteItem, Reference]] = []

    def flush() -> None:
        if pending and state.citations is not None:
            parts.append(citation_html(state.citations, pending, bracketed=bracketed))
        pending.clear()

    for item in items:
        if is_reference(item.key):
            flush()
            parts.append(_reference(state, token, item))
            continue
        reference = _cited(state, token, item.key)
        if reference is None:
            return str(escape(token.content))
        pending.append((item, reference))
    flush()
    return "; ".join(parts)


def _reference(state: WritingState, token: Token, item: CiteItem) -> str:
    target = state.targets.get(item.key)
    if target is None:
        state.problems.append(unknown_reference(item.key, state.targets, state.at(token)))
        return str(escape("@" + item.key))
    prefix = f"{escape(item.prefix)} " if item.prefix else ""
    suffix = f", {escape(item.suffix)}" if item.suffix else ""
    return prefix + reference_html(target, number_only=item.suppress_author) + suffix


def _cited(state: WritingState, token: Token, key: str) -> Reference | None:
    if state.citations is None:
        role = token.meta.get("role")  # {cite:p}: Jupyter Book named its files in _config.yml
        state.problems.append(
            Problem(
                f"citation '@{key}' but the post has no bibliography",
                state.at(token),
                hint="add 'bibliography: refs.bib' to the front matter or to site.toml, "
                + (
                    "where Jupyter Book's bibtex_bibfiles go"
                    if role
                    else "or write \\@ for a literal @"
                ),
            )
        )
        return None
    bibliography = state.citations.bibliography
    reference = bibliography.find(key)
    if reference is None and bibliography.unread:
        # The file's own error says what is wrong with it; one more here would only mislead.
        return None
    if reference is None:
        hint = did_you_mean(key, bibliography.keys) or "write \\@ for a literal @"
        state.problems.append(Problem(f"unknown citation key '@{key}'", state.at(token), hint=hint))
    return reference


def equation_number_html(state: WritingState, label: str) -> str:
    """The "(1)" beside an equation labelled {#eq-…}; "" when it has no number.

    Its number is planned with LaTeX's (`texmath.plan_equation_numbers`): one counter a post.
    """
    target = state.targets.get(label)
    if target is None:
        return ""
    return f'<span class="equation-number">({escape(target.number)})</span>'
