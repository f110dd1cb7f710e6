"""Material for MkDocs' icon shortcodes (`parse.emoji`): SVG files of its theme, which Lemma does
not ship. Each shows nothing (its raw name would read as a typo) and is a warning at its line
that says what to write instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem
from lemma.render.references import writing_state


def add_icon_rules(md: MarkdownIt) -> None:
    md.add_render_rule("mkdocs_icon", _render_icon)


def _render_icon(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    state = writing_state(env)
    if not state.in_post:  # a fragment (a snippet's Markdown output): as written
        return str(escape(token.content))
    state.problems.append(
        Problem(
            f"Material's icon {token.content} is an SVG of its theme, which Lemma does not "
            "ship; left out",
            state.at(token),
            hint="write an emoji instead (:white_check_mark:, :heart:, :star:, ...), or put the "
            "SVG in static/ and show it as an image: ![check](/icons/check.svg)",
            is_warning=True,
        )
    )
    return ""
