"""An image alone in its paragraph with a title, `![alt](x.png "Caption")`, is a figure whose
caption is the title, read as inline Markdown (how Hugo's `{{< figure >}}` shortcode arrives
here); a MyST ```{figure} (`parse.directives`) with a `:name:` has its number before its
caption: "Figure 1: …", and so have a named ```{list-table} (`parse.myst_blocks`) and a
table's `: Caption {#tbl-x}` (`parse.table_captions`): "Table 1: …"; a subfigure's or
subtable's caption is led by its letter, "(a) …" (`parse.figures`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import escape

from lemma.render.references import writing_state


def add_caption_rules(md: MarkdownIt) -> None:
    """After the other paragraph rules: the closing one is wrapped, not replaced."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    paragraph_close = renderer.rules["paragraph_close"]

    def render_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        caption = _caption(tokens, idx)
        if caption is None:
            return str(self.renderToken(tokens, idx, options, env))
        return '<figure class="lemma-figure">\n'

    def render_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        html = str(paragraph_close(tokens, idx, options, env))
        caption = _caption(tokens, idx - 2)
        if caption is None:
            return html
        # Inline Markdown, as Hugo's figure shortcode reads its caption: bold, code, math, links.
        shown = md.renderInline(caption, env).strip()
        return html.replace("</p>", f"\n<figcaption>{shown}</figcaption>\n</figure>")

    md.add_render_rule("paragraph_open", render_open)
    md.add_render_rule("paragraph_close", render_close)
    md.add_render_rule("figure_caption_open", _render_caption_open)
    md.add_render_rule("table_caption_open", _render_caption_open)


def _render_caption_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    tag = tokens[idx].tag  # figcaption, or a table's caption
    letter = tokens[idx].meta.get("letter")
    if letter is not None:  # a subfigure or subtable of Quarto's figure or table div
        return f"<{tag}>({escape(letter)}) "
    target = writing_state(env).targets.get(tokens[idx].meta.get("label", ""))
    if target is None:
        return f"<{tag}>"
    caption = tokens[idx + 1].content
    return f"<{tag}>{escape(target.name)}{': ' if caption else ''}"


def _caption(tokens: Sequence[Token], idx: int) -> str | None:
    """The caption when tokens[idx] opens a visible paragraph holding only a titled image."""
    if idx < 0 or idx + 2 >= len(tokens) or tokens[idx].type != "paragraph_open":
        return None
    if tokens[idx].hidden or tokens[idx + 2].type != "paragraph_close":
        return None
    children = [c for c in tokens[idx + 1].children or [] if c.content.strip() or c.type != "text"]
    if len(children) != 1 or children[0].type != "image":
        return None
    title = str(children[0].attrGet("title") or "").strip()
    return title or None
