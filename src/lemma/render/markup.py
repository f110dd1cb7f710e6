"""A post's Markdown body to HTML: math as MathML, highlighted snippets, outputs, checked links."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from lemma.csp import ContentPolicy, blocked_in_html
from lemma.errors import Problem
from lemma.load.bibliography import Bibliography
from lemma.load.conventions import EXCERPT_KEYS
from lemma.load.notebooks import cell_location, outputs_in_cells
from lemma.load.shortcodes import find_post, post_reference
from lemma.model import POST_SUFFIXES, Asset, Post, PostRun, Snippet, SourceLocation
from lemma.parse import markdown, parse_body
from lemma.parse.labels import is_labelled_equation
from lemma.parse.mathsyntax import math_in_html
from lemma.render.attachments import ATTACHMENT, attachment_url
from lemma.render.blocks import add_block_rules
from lemma.render.captions import add_caption_rules
from lemma.render.charts import ChartScripts
from lemma.render.citations import CitationState, references_html
from lemma.render.crossrefs import number_targets, numbered_snippet
from lemma.render.inline_math import glue_math_tokens, has_math, inline_html, inline_text
from lemma.render.mathml import (
    MathError,
    PostMath,
    dollars_in_a_sentence_display,
    plan_equation_numbers,
    tex_to_mathml,
)
from lemma.render.outputs import outputs_for_template, shown_outputs
from lemma.render.pelican_links import UnknownForm, pelican_href
from lemma.render.references import (
    WritingState,
    add_reference_rules,
    equation_number_html,
    writing_state,
)
from lemma.render.roles import add_role_rules
from lemma.render.sidenotes import add_sidenote_rule, collect_notes
from lemma.render.static import STATIC_DIR
from lemma.render.styles import PageStyles
from lemma.render.sweeps import heavy_sweep_warning, sweep_view
from lemma.render.texmath.numbering import reference_markup
from lemma.reuse.figures import FigureStore

SnippetRenderer = Callable[[Mapping[str, Any]], str]
_UNCLOSED_ENVIRONMENT = re.compile(r"\\begin\{[A-Za-z]+\*?\}")
_EMPTY_EQUATION_LINK = re.compile(r'<a href="#([^"]+)"></a>')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass
class BodyContext:
    """What rendering one post's body needs, and what it finds (problems, media to copy)."""

    post: Post
    snippets: Mapping[int, Snippet]  # by fence line in the .md file
    run: PostRun | None
    root: Path
    post_urls: Mapping[str, str]  # source path ("posts/x.md") -> site-absolute URL
    slugs: frozenset[str]
    url: Callable[[str], str]
    render_snippet: SnippetRenderer
    figures: FigureStore
    bibliography: Bibliography | None = None
    # Posts left out of this build, by source path and by slug -> "a draft", "a future post ..."
    unpublished: Mapping[str, str] = field(default_factory=dict)
    unpublished_slugs: Mapping[str, str] = field(default_factory=dict)
    policy: ContentPolicy | None = None  # to warn about images and embeds browsers would block
    problems: list[Problem] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    math: PostMath = field(default_factory=PostMath)  # site.toml's macros, then the post's own
    charts: ChartScripts | None = None  # the chart libraries the page loads
    styles: PageStyles | None = None  # the CSS of its rich HTML outputs

    def at(self, body_line_index: int | None) -> SourceLocation:
        line = self.post.body_line + body_line_index if body_line_index is not None else 0
        return SourceLocation(self.post.source_path, line)


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    toc: tuple[tuple[int, str, str], ...]  # (level, id, text) of h2/h3 headings
    words: int
    problems: tuple[Problem, ...]
    assets: tuple[Asset, ...]
    scripts: tuple[tuple[str, bool], ...] = ()  # (output path, is module) the page loads
    stylesheet: str | None = None  # output path of the CSS of its rich HTML outputs
    math_chars: str = ""  # the characters its formulas show, sorted (for the math font subset)
    image_url: str | None = None  # the front matter's `image`, for link previews
    title_html: str = ""  # the title, its formulas as MathML (`inline_math`)
    excerpt_html: str = ""  # the excerpt, likewise


def render_body(context: BodyContext, tokens: Sequence[Token] | None = None) -> RenderedBody:
    tokens = list(tokens) if tokens is not None else parse_body(context.post.body)
    _mark_inline_lines(tokens)
    glue_math_tokens(tokens)  # "$x$," never wraps before its comma
    md = _markdown_for_render()
    where = SourceLocation(context.post.source_path, context.post.body_line)
    targets, problems = number_targets(tokens, tuple(context.snippets.values()), where)
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
        html += references_html(citations)
    # A note is rendered twice (beside its reference and in the list): report its mistakes once.
    context.problems.extend(dict.fromkeys(writing.problems))
    html = _astral_as_references(_resolve_references(html, context))
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
    )


def _captions_typeset(view: dict[str, Any], context: BodyContext) -> dict[str, Any]:
    """A snippet's figure and table captions with their formulas as MathML ("The logistic curve
    $\\sigma(x)$"): Markup the template shows as it is."""

    def typeset(caption: object) -> object:
        if not isinstance(caption, str) or not has_math(caption):
            return caption
        html, _ = inline_html(caption, lambda tex: context.math.to_mathml(tex, display=False))
        return Markup(html)  # escaped by inline_html; the MathML is Lemma's own

    def outputs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [item | {"caption": typeset(item.get("caption"))} for item in items]

    variants = [v | {"outputs": outputs(v["outputs"])} for v in view.get("variants", [])]
    return view | {
        "outputs": outputs(view.get("outputs", [])),
        "variants": variants,
        "table_caption": typeset(view.get("table_caption")),
    }


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


def _resolve_references(html: str, context: BodyContext) -> str:
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


def render_markdown_fragment(text: str) -> str:
    """Markdown from a snippet's `_repr_markdown_`: no snippets, links left as written."""
    md = _markdown_for_render()
    tokens = parse_body(text)
    glue_math_tokens(tokens)
    return str(md.renderer.render(tokens, md.options, {}))


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


def _toc(tokens: Sequence[Token]) -> tuple[tuple[int, str, str], ...]:
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            text = _heading_text(tokens[index + 1])
            entries.append((int(token.tag[1]), str(token.attrGet("id") or ""), text))
    return tuple(entries)


def _heading_text(inline: Token) -> str:
    """A heading as the contents list shows it: its words, and its formulas as text
    ("The $\\lambda$-calculus" reads "The λ-calculus", as in the browser tab)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(inline_text(f"${child.content}$"))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


@cache
def _markdown_for_render() -> MarkdownIt:
    md = markdown()
    md.add_render_rule("fence", _render_fence)
    for name in ("math_inline", "math_inline_double"):
        md.add_render_rule(name, _render_inline_math)
    for name in ("math_block", "math_block_label", "amsmath"):
        md.add_render_rule(name, _render_block_math)
    md.add_render_rule("math_reference", _render_reference)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("html_block", _render_html)
    md.add_render_rule("html_inline", _render_html)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    add_block_rules(md)
    add_reference_rules(md)
    add_sidenote_rule(md)
    add_caption_rules(md)
    add_role_rules(md)
    return md


def _context(env: Mapping[str, Any]) -> BodyContext | None:
    context = env.get("lemma")
    return context if isinstance(context, BodyContext) else None


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = _context(env)
    if context is None or token.map is None:
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
        context.charts,
        context.styles,
    )
    if snippet.options.echo_fenced:
        view |= _fenced_code(token, snippet.language)
    target = writing_state(env).targets.get(snippet.options.label or "")
    if target is not None:
        view = numbered_snippet(view, target)
    html = context.render_snippet(_captions_typeset(view, context))
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


def snippet_view(
    snippet: Snippet,
    result: Any,
    url: Callable[[str], str],
    figures: FigureStore,
    assets: dict[str, Asset],
    charts: ChartScripts | None = None,
    styles: PageStyles | None = None,
) -> dict[str, Any]:
    """The `snippet` variable of partials/snippet.html."""
    from lemma.render.highlight import highlight_code, language_label

    options = snippet.options
    show_outputs = options.output and result is not None

    def view(outputs: Sequence[Any]) -> list[dict[str, Any]]:
        return (
            outputs_for_template(
                shown_outputs(outputs, options),
                url,
                figures,
                assets,
                render_markdown_fragment,
                charts,
                snippet.location,
                styles,
            )
            if show_outputs
            else []
        )

    variants = (
        [
            {"label": label, "outputs": view(outputs)}
            for label, outputs in (result.variants if result else ())
        ]
        if show_outputs
        else []
    )
    return {
        "language": snippet.language,
        "language_label": language_label(snippet.language),
        "code_html": Markup(highlight_code(snippet.code, snippet.language)),
        "code_text": snippet.code,
        "echo": options.echo,
        "code_fold": options.code_fold,
        "executed": result is not None,
        "location": str(snippet.location),
        "outputs": view(result.outputs) if result is not None else [],
        "variants": variants,
        "label": options.label or "",
        "table_caption": options.tbl_cap or "",
    } | sweep_view(options.sweeps)


def _math_html(
    tex: str, display: bool, token: Token, env: Any, *, block_line: int | None = None
) -> str:
    context = _context(env)
    try:
        if context is None:
            return tex_to_mathml(tex, display=display)
        return context.math.to_mathml(tex, display=display)
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
    context = _context(env)
    dollars_display = context is not None and dollars_in_a_sentence_display(context.post)
    display = token.type == "math_inline_double" or (dollars_display and token.markup == "$$")
    return _math_html(token.content, display, token, env)


def _render_block_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A display formula; a labelled one in a sentence (`$$ … $$ {#eq-x}` inline) is a span."""
    token = tokens[idx]
    line = token.map[0] if token.map else None
    body = _math_html(token.content, True, token, env, block_line=line)
    context = _context(env)
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
    context = _context(env)
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
    context = _context(env)
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


def _render_cell_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # markdown-it aligns cells with style="text-align:…", which the pages' CSP forbids.
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style", None)
        token.attrSet("class", f"align-{style.removeprefix('text-align:')}")
    return str(self.renderToken(tokens, idx, options, env))


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = _context(env)
    href = str(token.attrGet("href") or "")
    found = len(context.problems) if context is not None else 0
    reference = post_reference(unquote(href)) if context is not None else None
    if context is not None and reference is not None:
        resolved = _referenced_post(*reference, token, context)
    else:
        resolved = _pelican(href, token, context) if context is not None else href
    if resolved is None:
        pass  # a Pelican form with no page in Lemma, or a tag naming no post: said
    elif _SCHEME.match(resolved):
        if resolved.startswith(("http:", "https:", "//")):
            token.attrSet("rel", "noopener")
    elif context is not None and resolved and not resolved.startswith("#"):
        token.attrSet("href", _resolve_link(resolved, token, context))
    if context is not None and _new_error(context, found):
        # Marked in place: --keep-going still shows the page.
        token.attrSet("class", "broken-link")
        token.attrSet("title", context.problems[-1].message)
    return str(self.renderToken(tokens, idx, options, env))


def _resolve_link(href: str, token: Token, context: BodyContext) -> str:
    parts = urlsplit(href)
    path = unquote(parts.path)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    where = context.at(token.meta.get("line"))
    target = _relative_to_root(path, context) if path.endswith(POST_SUFFIXES) else ""
    if target in context.post_urls:
        return context.post_urls[target] + fragment
    if target in context.unpublished:
        context.problems.append(_unpublished_link(path, context.unpublished[target], where))
        return href
    if target and not target.endswith(".ipynb"):  # a notebook that is no post is a file
        context.problems.append(
            Problem(f"broken link: no post '{path}'", where, hint="check the file name in posts/")
        )
        return href
    match = re.match(r"^/(?:.*/)?posts/([^/]+)/?$", path)
    if match:
        if match.group(1) in context.unpublished_slugs:
            reason = context.unpublished_slugs[match.group(1)]
            context.problems.append(_unpublished_link(path, reason, where))
            return href
        if match.group(1) not in context.slugs:
            context.problems.append(
                Problem(f"broken link: no post with slug '{match.group(1)}'", where)
            )
            return href
        return context.url(f"posts/{match.group(1)}/") + fragment
    if path.startswith("/"):
        if posixpath.splitext(path)[1].lower() not in ("", ".html", ".htm", ".xml"):
            return _static_file_url(path, where, context, kind="link") + fragment
        return _under_base(href, context)
    return _local_file_url(path, where, context, kind="link") + fragment


def _referenced_post(
    form: str, name: str, fragment: str, token: Token, context: BodyContext
) -> str | None:
    """The link to the post a `{% post_url %}` or `{{< ref >}}` names (published or not: the
    link then says why it is not); None when it names none, said at its line."""
    source = context.post.source_path
    found = find_post(form, name, source, {*context.post_urls, *context.unpublished})
    if len(found) == 1:
        return posixpath.relpath(found[0], posixpath.dirname(source)) + fragment
    tag = "{% post_url " + name + " %}" if form == "post_url" else f'{{{{< ref "{name}" >}}}}'
    if found:
        message = f"broken link: {tag} could be any of {', '.join(found)}"
        hint = "name the post by its path"
    else:
        message, hint = f"broken link: no post for {tag}", "check the file name in posts/"
    context.problems.append(Problem(message, context.at(token.meta.get("line")), hint=hint))
    return None


def _pelican(href: str, token: Token, context: BodyContext) -> str | None:
    """`href` with Pelican's {static}, {filename}, ... forms made into links Lemma resolves;
    None for a form Lemma has no page for, said at its line."""
    try:
        found = pelican_href(unquote(href), context.post.source_path, context.root)
    except UnknownForm as exc:
        where = context.at(token.meta.get("line"))
        context.problems.append(Problem(str(exc), where, hint="link to a post or a tag instead"))
        return None
    return href if found is None else found


def _unpublished_link(path: str, reason: str, where: SourceLocation) -> Problem:
    return Problem(
        f"broken link: '{path}' is {reason}, not published in this build",
        where,
        hint="publish it first, remove the link, or build with --drafts to preview both",
    )


def _under_base(href: str, context: BodyContext) -> str:
    """A site-absolute link ("/tags/") under the site's base path when base_url has one."""
    base = context.url("")
    return href if href.startswith(base) else context.url(href)


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = _context(env)
    src = str(token.attrGet("src") or "")
    found = len(context.problems) if context is not None else 0
    resolved = _pelican(src, token, context) if context is not None else src
    if resolved is None:
        pass  # no page for it: said
    elif context is not None and src.startswith(ATTACHMENT):  # a notebook cell's own image
        token.attrSet("src", attachment_url(src, context.at(token.meta.get("line")), context))
    elif context is not None and resolved and not _SCHEME.match(resolved):
        src = resolved
        where = context.at(token.meta.get("line"))
        path = unquote(urlsplit(src).path)
        if src.startswith("/"):
            token.attrSet("src", _static_file_url(path, where, context, "image"))
        else:
            token.attrSet("src", _local_file_url(path, where, context, "image"))
    elif context is not None and context.policy and context.policy.blocks("img-src", src):
        context.problems.append(_blocked("image", src, "img-src", context, token.meta.get("line")))
    if context is not None and _new_error(context, found):
        # Marked in place, so that a --keep-going build shows where the picture is missing.
        message = escape(context.problems[-1].message)
        return f'<span class="missing-media" title="{message}">[{message}]</span>'
    token.attrSet("loading", "lazy")
    return str(self.image(tokens, idx, options, env))


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = _context(env)
    if context is not None and context.policy is not None:
        line = token.map[0] if token.map else token.meta.get("line")
        for tag, url, directive in blocked_in_html(token.content, context.policy):
            context.problems.append(_blocked(f"<{tag}>", url, directive, context, line))
    if token.type == "html_block":
        return _html_block_math(token, env)
    return token.content


def _html_block_math(token: Token, env: Any) -> str:
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


def _blocked(
    what: str, url: str, directive: str, context: BodyContext, line: int | None
) -> Problem:
    if directive == "object-src":
        hint = "use <iframe> or <video>; plugins are never allowed"
    elif directive == "script-src":
        hint = "scripts other than the theme's never run; embed the tool in an <iframe>"
    elif url.startswith("http:"):
        hint = "use its https:// address"
    else:
        origin = re.sub(r"^(\w+://[^/]+).*", r"\1", url)
        hint = f'allow it in site.toml: [csp] {directive} = ["{origin}"]'
    shown = f" {url}" if url else ""
    return Problem(
        f"{what}{shown} will be blocked by the pages' Content-Security-Policy ({directive})",
        context.at(line),
        hint=hint,
        is_warning=True,
    )


def _relative_to_root(path: str, context: BodyContext) -> str:
    folder = posixpath.dirname(context.post.source_path)
    return posixpath.normpath(posixpath.join(folder, path))


def _local_file_url(path: str, where: SourceLocation, context: BodyContext, kind: str) -> str:
    """Copy a file the post links to into media/ under a content-addressed name."""
    target = _relative_to_root(path, context)
    source = (context.root / target).resolve()
    inside = source.is_relative_to(context.root.resolve())
    if target.startswith("../") or not inside or not source.is_file():
        context.problems.append(
            Problem(
                f"missing {kind}: '{path}' does not exist beside the post",
                where,
                hint=(
                    f"put the file at {target}" if inside else "link only to files inside the site"
                ),
            )
        )
        return path
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "-", source.name)
    output_path = f"media/{digest}-{name}"
    context.assets[output_path] = Asset(output_path, str(source))
    return context.url(output_path)


def _new_error(context: BodyContext, found: int) -> bool:
    """Whether an error (not a warning) was reported since there were `found` problems."""
    return any(not p.is_warning for p in context.problems[found:])


def _static_file_url(path: str, where: SourceLocation, context: BodyContext, kind: str) -> str:
    """A site-absolute file ("/images/x.png") must be in static/, which is published as it is."""
    relative = posixpath.normpath(path.lstrip("/"))
    folder = (context.root / STATIC_DIR).resolve()
    source = (folder / relative).resolve()
    if relative.startswith("..") or not source.is_relative_to(folder) or not source.is_file():
        context.problems.append(
            Problem(
                f"missing {kind}: '{path}' is not in {STATIC_DIR}/",
                where,
                hint=f"site-absolute files are looked up in {STATIC_DIR}/: "
                f"put it at {STATIC_DIR}/{relative}, or link to it relative to the post",
            )
        )
        return path
    return context.url(relative)


def resolve_image(path: str, where: SourceLocation, context: BodyContext) -> str:
    """The URL of a picture named in front matter (`image:`), copied like any image."""
    if _SCHEME.match(path):
        return path
    if path.startswith("/"):
        return _static_file_url(path, where, context, "image")
    return _local_file_url(path, where, context, "image")
