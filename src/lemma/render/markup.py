"""A post's Markdown body to HTML: the one markdown-it renderer with Lemma's render rules (each in
the module of its concept), run over the post's tokens, and what the page shows beside the body
(its table of contents, its title and excerpt with their formulas)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem
from lemma.load.conventions import EXCERPT_KEYS
from lemma.model import SourceLocation
from lemma.parse import markdown, parse_body
from lemma.render.blocks import add_block_rules
from lemma.render.body import BodyContext, RenderedBody
from lemma.render.body_math import add_math_rules, resolve_references
from lemma.render.captions import add_caption_rules
from lemma.render.citations import CitationState, place_references
from lemma.render.crossrefs import heading_text, number_targets, section_numbers
from lemma.render.icons import add_icon_rules
from lemma.render.inline_code import add_inline_code_rule
from lemma.render.inline_math import glue_math_tokens, inline_html, inline_text
from lemma.render.links import add_link_rule
from lemma.render.mathml import dollars_in_a_sentence_display, plan_equation_numbers
from lemma.render.media import add_media_rules, resolve_image
from lemma.render.references import WritingState, add_reference_rules
from lemma.render.roles import add_role_rules
from lemma.render.sidenotes import add_sidenote_rule, collect_notes
from lemma.render.snippets import add_snippet_rule


def render_body(context: BodyContext, tokens: Sequence[Token] | None = None) -> RenderedBody:
    tokens = list(tokens) if tokens is not None else parse_body(context.post.body)
    _mark_inline_lines(tokens)
    glue_math_tokens(tokens)  # "$x$," never wraps before its comma
    md = _markdown_for_render()
    where = SourceLocation(context.post.source_path, context.post.body_line)
    targets, problems = number_targets(tokens, tuple(context.snippets.values()), where)
    if context.post.front_matter.extra.get("number-sections") is True:
        _number_headings(tokens)
    # {#eq-…} equations share LaTeX's counter: (1) \begin{equation}, (2) $$ … $$ {#eq-x}, ...
    planned = plan_equation_numbers(
        tokens, context.math.macros, dollars_display=dollars_in_a_sentence_display(context.post)
    )
    targets = {
        label: replace(target, number=planned[label]) if label in planned else target
        for label, target in targets.items()
    }
    citations = CitationState(context.bibliography) if context.bibliography else None
    writing = WritingState(where, targets, citations, problems, in_post=True)
    env = {"lemma": context, "lemma_writing": writing}
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    writing.sidenotes = collect_notes(
        tokens, lambda children: str(renderer.renderInline(children, md.options, env))
    )
    html = md.renderer.render(tokens, md.options, env)
    # A paragraph of \newcommand's alone (Jupyter's habit: `$\newcommand{\R}{\mathbb{R}}$` atop a
    # cell) shows nothing; its empty <p> would still take a line's margin.
    html = _EMPTY_PARAGRAPH.sub("", html)
    if citations is not None:
        html = place_references(html, citations)
    # A note is rendered twice (beside its reference and in the list): report its mistakes once.
    context.problems.extend(dict.fromkeys(writing.problems))
    html = _astral_as_references(resolve_references(html, context))
    words = len(re.findall(r"\w+", context.post.body))
    image = context.post.front_matter.image
    image_url = None
    if image:
        line = context.post.front_matter.key_lines.get("image", 1)
        image_url = resolve_image(image, SourceLocation(context.post.source_path, line), context)
    scripts = context.charts.page_scripts() if context.charts else ()
    stylesheet = context.styles.stylesheet() if context.styles else None
    title_html = _inline_math_html(context, context.post.front_matter.title, "title")
    excerpt_html = _inline_math_html(context, context.post.excerpt, "excerpt")
    return RenderedBody(
        html,
        _toc(tokens),
        words,
        tuple(context.problems),
        tuple(context.assets.values()),
        scripts,
        stylesheet,
        "".join(sorted(context.math.chars)),
        image_url,
        title_html,
        excerpt_html,
        inline_text(context.post.front_matter.title),
        inline_text(context.post.excerpt),
    )


def _inline_math_html(context: BodyContext, text: str, key: str) -> str:
    """A title or excerpt as HTML with MathML; a formula that cannot be read is a warning at
    its front matter key (an excerpt from the first paragraph was warned about there)."""
    html, unread = inline_html(text, lambda tex: context.math.to_mathml(tex, display=False))
    lines = context.post.front_matter.key_lines
    keys = ("title",) if key == "title" else EXCERPT_KEYS
    line = next((lines[k] for k in keys if k in lines), 0)
    for tex in unread if line else ():
        context.problems.append(
            Problem(
                f"math: the {key} has a formula that cannot be read: ${tex}$",
                SourceLocation(context.post.source_path, line),
                hint="it is shown as written; check the TeX, or write \\$ for a dollar sign",
                is_warning=True,
            )
        )
    return html


_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


_RAW_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _astral_as_references(html: str) -> str:
    """Characters beyond U+FFFF (𝐱, 𝔼, emoji) as character references, which browsers, feed
    readers and the search index show as the characters themselves.

    Python stores a string at the width of its widest character: one 𝐱 in a formula made a whole
    body 4 bytes a character, and at 2,000 posts the bodies held 215 MB instead of about 110.
    The text of <script> and <style> is left alone: references are not read there.
    """
    if _ASTRAL.search(html) is None:
        return html

    def references(text: str) -> str:
        return _ASTRAL.sub(lambda m: f"&#x{ord(m.group()):X};", text)

    parts, start = [], 0
    for raw in _RAW_TEXT.finditer(html):
        parts += [references(html[start : raw.start()]), raw.group()]
        start = raw.end()
    parts.append(references(html[start:]))
    return "".join(parts)


def _mark_inline_lines(tokens: Sequence[Token]) -> None:
    """Each inline token's line: its paragraph's first, and one more after each line break."""
    for token in tokens:
        if token.type == "inline" and token.map is not None:
            line = token.map[0]
            for child in token.children or []:
                child.meta["line"] = line
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type != "code_inline":  # a code span's line breaks became spaces
                    line += child.content.count("\n")


def _number_headings(tokens: Sequence[Token]) -> None:
    """Quarto's `number-sections: true`: each numbered heading led by its number, "2.1", the
    number `@sec-` references give (marked once: the tokens may be rendered again)."""
    for index, number in section_numbers(tokens).items():
        inline = tokens[index + 1]
        if "section_number" in inline.meta or inline.children is None:
            continue
        inline.meta["section_number"] = number
        lead = Token("html_inline", "", 0)
        lead.content = f'<span class="header-section-number">{escape(number)}</span> '
        inline.children.insert(0, lead)


def _toc(tokens: Sequence[Token]) -> tuple[tuple[int, str, str], ...]:
    """The h2 and h3 headings, but those inside a tab, which may be hidden, and Quarto's
    `{.unlisted}` ones."""
    entries = []
    tabs = 0
    for index, token in enumerate(tokens):
        if token.type in ("div_open", "div_close"):
            kind = getattr(token.meta.get("block"), "kind", "")
            tabs += token.nesting if kind == "tab" else 0
        unlisted = "unlisted" in str(token.attrGet("class") or "").split()
        if token.type == "heading_open" and token.tag in ("h2", "h3") and not (tabs or unlisted):
            text = heading_text(tokens[index + 1])
            if "section_number" in tokens[index + 1].meta:
                text = f"{tokens[index + 1].meta['section_number']} {text}"
            entries.append((int(token.tag[1]), str(token.attrGet("id") or ""), text))
    return tuple(entries)


@cache
def _markdown_for_render() -> MarkdownIt:
    md = markdown()
    add_snippet_rule(md)
    add_math_rules(md)
    add_link_rule(md)
    add_media_rules(md)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    add_block_rules(md)
    add_reference_rules(md)
    add_sidenote_rule(md)
    add_caption_rules(md)
    add_role_rules(md)
    add_icon_rules(md)
    add_inline_code_rule(md)  # Material's `#!python code`
    return md


def _render_cell_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # markdown-it aligns cells with style="text-align:…", which the pages' CSP forbids.
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style", None)
        token.attrSet("class", f"align-{style.removeprefix('text-align:')}")
    return str(self.renderToken(tokens, idx, options, env))
