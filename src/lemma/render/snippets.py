"""A snippet in a post's page: its highlighted code and shown outputs, through
partials/snippet.html (`snippet_view` is that partial's `snippet` variable)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from lemma.load.notebooks import cell_location, outputs_in_cells
from lemma.model import Asset, Snippet
from lemma.parse import markdown, parse_body
from lemma.render.body import body_context
from lemma.render.charts import ChartScripts
from lemma.render.crossrefs import numbered_snippet, subfigures
from lemma.render.figure_colours import keeps_colours
from lemma.render.inline_math import glue_math_tokens
from lemma.render.outputs import outputs_for_template, shown_outputs
from lemma.render.references import writing_state
from lemma.render.styles import PageStyles
from lemma.render.sweeps import heavy_sweep_warning, sweep_view
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo

# A whole SVG document in printed text, with the prologue matplotlib writes before it.
_SVG_DOCUMENT = re.compile(
    r"(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE svg[^>]*>\s*)?(<svg\b.*?</svg>)", re.DOTALL
)


def add_snippet_rule(md: MarkdownIt) -> None:
    md.add_render_rule("fence", _render_fence)


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = body_context(env)
    if context is None or token.map is None or "included" in token.meta:
        from lemma.fences import fence_language
        from lemma.render.highlight import highlight_code

        return highlight_code(token.content, fence_language(token.info))
    snippet = context.snippets.get(context.post.body_line + token.map[0])
    if snippet is None:  # cannot happen: snippets come from the same tokens
        return f"<pre><code>{escape(token.content)}</code></pre>"
    result = context.run.result_for(snippet.index) if context.run else None
    cell_lines = context.post.cell_lines
    if cell_lines:  # a notebook's page names its cells, as the build's messages do
        path = snippet.location.path
        snippet = replace(snippet, location=cell_location(snippet.location, cell_lines))
        if result is not None:
            result = replace(
                result,
                outputs=outputs_in_cells(result.outputs, path, cell_lines),
                variants=tuple(
                    (label, outputs_in_cells(outputs, path, cell_lines))
                    for label, outputs in result.variants
                ),
            )
    view = snippet_view(
        snippet,
        result,
        context.url,
        context.figures,
        context.assets,
        _fragment_renderer(self, options),
        context.charts,
        context.styles,
        context.highlights,
    )
    if snippet.options.echo_fenced:
        view |= _fenced_code(token, snippet.language)
    target = writing_state(env).targets.get(snippet.options.label or "")
    if target is not None:
        view = numbered_snippet(view, target)
    caption_html = _caption_renderer(self, options, env, token.map[0])
    html = context.render_snippet(_captions_typeset(view, caption_html))
    if result is not None and result.variants:
        heavy = heavy_sweep_warning(result, html, context.figures, snippet.location)
        if heavy is not None:
            context.problems.append(heavy)
    return html


def _fenced_code(token: Token, language: str) -> dict[str, Any]:
    """`echo: fenced`: the code as the post has it, opening fence and option lines included."""
    from lemma.render.highlight import highlight_fenced

    opening, closing = token.markup + token.info, token.markup
    code_html = highlight_fenced(opening, token.content, closing, language)
    return {"code_html": Markup(code_html), "code_text": f"{opening}\n{token.content}{closing}"}


def _fragment_renderer(renderer: Any, options: Any) -> Callable[[str], str]:
    """Markdown from a snippet's `_repr_markdown_`, rendered by the body's own renderer but
    without a post: no snippets, links left as written."""

    def render(text: str) -> str:
        tokens = parse_body(text)
        glue_math_tokens(tokens)
        return str(renderer.render(tokens, options, {}))

    return render


def snippet_view(
    snippet: Snippet,
    result: Any,
    url: Callable[[str], str],
    figures: FigureStore,
    assets: dict[str, Asset],
    render_markdown: Callable[[str], str],
    charts: ChartScripts | None = None,
    styles: PageStyles | None = None,
    highlights: Memo[str] | None = None,
) -> dict[str, Any]:
    """The `snippet` variable of partials/snippet.html; its code highlighted through
    `highlights` when given."""
    from lemma.render.highlight import highlighted, language_label

    options = snippet.options
    show_outputs = options.output and result is not None

    def view(outputs: Sequence[Any]) -> list[dict[str, Any]]:
        if not show_outputs:
            return []
        views = outputs_for_template(
            shown_outputs(outputs, options),
            url,
            figures,
            assets,
            render_markdown,
            charts,
            snippet.location,
            styles,
        )
        if not options.output_asis:
            return views
        return [_as_markdown(v, render_markdown) for v in _printed_figures(views)]

    variants = (
        [
            {"label": label, "outputs": subfigures(view(outputs), options)}
            for label, outputs in (result.variants if result else ())
        ]
        if show_outputs
        else []
    )
    return {
        "language": snippet.language,
        "language_label": language_label(snippet.language),
        "code_html": Markup(
            highlighted(snippet.code, snippet.language, options.code_line_numbers, highlights)
        ),
        "code_text": snippet.code,
        "echo": options.echo,
        "code_fold": options.code_fold,
        "code_summary": options.code_summary or "Show code",
        "executed": result is not None,
        "location": str(snippet.location),
        "outputs": subfigures(view(result.outputs), options) if result is not None else [],
        "variants": variants,
        "label": options.label or "",
        "table_caption": options.tbl_cap or "",
        "listing_caption": options.lst_cap or "",
        "figure_caption": (options.fig_cap or "") if options.fig_subcap else "",
        "layout_ncol": options.layout_ncol,
        "in_margin": options.column == "margin",
        "asis": options.output_asis,
        "line_numbers": options.code_line_numbers,
    } | sweep_view(options.sweeps)


def _printed_figures(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views with each SVG document the snippet printed shown as a figure: markdown-exec's
    recipe (`plt.savefig(buffer, format="svg"); print(buffer.getvalue())` in an `html="1"`
    block). In the page's text, the SVG's own styles would be refused by the pages' CSP (its
    fills drawn black); as an image they apply. A figure the snippet left open is captured as
    well, and then shown once, from its file; the text around the SVG stays Markdown."""
    captured = any(view["kind"] == "image" for view in views)
    shown: list[dict[str, Any]] = []
    for view in views:
        text = str(view.get("text", ""))
        if view["kind"] != "stream" or view["name"] != "stdout" or "<svg" not in text:
            shown.append(view)
            continue
        position = 0
        for document in _SVG_DOCUMENT.finditer(text):
            if text[position : document.start()].strip():
                shown.append(view | {"text": text[position : document.start()]})
            if not captured:
                shown.append(_printed_figure(document.group(1)))
            position = document.end()
        if text[position:].strip():
            shown.append(view | {"text": text[position:]})
    return shown


def _printed_figure(svg: str) -> dict[str, Any]:
    data = svg.encode()
    return {
        "kind": "image",
        "src": "data:image/svg+xml;base64," + base64.b64encode(data).decode(),
        "width": None,
        "height": None,
        "alt": "Figure printed by the snippet",
        "caption": None,
        "keep_colours": keeps_colours(data),
    }


def _as_markdown(view: dict[str, Any], render_markdown: Callable[[str], str]) -> dict[str, Any]:
    """Quarto's `output: asis`: what the snippet printed, as Markdown of the post."""
    if view["kind"] != "stream" or view["name"] == "stderr":
        return view
    return {"kind": "markdown", "html": Markup(render_markdown(view["text"]))}


def _caption_renderer(renderer: Any, options: Any, env: Any, line: int) -> Callable[[str], str]:
    """A caption as inline Markdown of the post, as Quarto and knitr read `fig-cap`: emphasis,
    code, links and formulas, by the body's own renderer; a problem is at the snippet's `line`
    (in the body)."""

    def render(caption: str) -> str:
        tokens = markdown().parseInline(caption, env)
        for token in tokens:
            for child in token.children or []:
                child.meta["line"] = line
        glue_math_tokens(tokens)
        return str(renderer.render(tokens, options, env))

    return render


def _captions_typeset(view: dict[str, Any], render: Callable[[str], str]) -> dict[str, Any]:
    """A snippet's figure, table and listing captions as HTML (`_caption_renderer`): "The
    **logistic** curve $\\sigma(x)$". Markup the template shows as it is."""

    def typeset(caption: object) -> object:
        if not isinstance(caption, str):
            return caption
        return Markup(render(caption))  # escaped by markdown-it; the MathML is Lemma's own

    def outputs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [item | {"caption": typeset(item.get("caption"))} for item in items]

    variants = [v | {"outputs": outputs(v["outputs"])} for v in view.get("variants", [])]
    return view | {
        "outputs": outputs(view.get("outputs", [])),
        "variants": variants,
        "table_caption": typeset(view.get("table_caption")),
        "figure_caption": typeset(view.get("figure_caption")),
        "listing_caption": typeset(view.get("listing_caption")),
    }
