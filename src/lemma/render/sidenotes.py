"""Footnotes as sidenotes: each note is also set beside its reference, for the margin.

The page carries both: the note inline after its reference (`span.sidenote`) and the usual
footnotes list at the end. The theme shows one of the two, never both, by width alone: the
margin on wide screens, the list on phones and in print. No JavaScript is needed, and a
reader of either kind finds the note once (a hidden copy is out of the accessibility tree).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from lemma.render.references import writing_state

InlineRenderer = Callable[[Sequence[Token]], str]
_END = "<!--/sidenote-->"
_SIDENOTE = re.compile(r'<span class="sidenote" .*?' + re.escape(_END), re.DOTALL)


def collect_notes(tokens: Sequence[Token], render_inline: InlineRenderer) -> dict[int, str]:
    """Footnote id -> its text as inline HTML (paragraphs joined, the back-link left out)."""
    notes: dict[int, str] = {}
    current: int | None = None
    parts: list[str] = []
    for token in tokens:
        if token.type == "footnote_open":
            current, parts = int(token.meta["id"]), []
        elif token.type == "footnote_close" and current is not None:
            notes[current] = " ".join(part for part in parts if part)
            current = None
        elif current is not None and token.type == "inline":
            children = [c for c in token.children or [] if c.type != "footnote_anchor"]
            parts.append(render_inline(children).strip())
    return notes


def add_sidenote_rule(md: MarkdownIt) -> None:
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    footnote_ref = renderer.rules["footnote_ref"]

    def render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        reference = str(footnote_ref(tokens, idx, options, env))
        note_id = int(tokens[idx].meta["id"])
        note = writing_state(env).sidenotes.get(note_id)
        if note is None:
            return reference
        # A span, not an aside: the note sits inside the paragraph that refers to it.
        return (
            f'{reference}<span class="sidenote" data-footnote="{note_id + 1}" '
            "data-pagefind-ignore>"
            f'<span class="sidenote-number">{note_id + 1}</span> {note}</span>{_END}'
        )

    md.add_render_rule("footnote_ref", render)


def without_sidenotes(html: str) -> str:
    """The body for feed readers, which show no margin: the notes stay in the list only."""
    return _SIDENOTE.sub("", html)
