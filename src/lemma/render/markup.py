"""A post's Markdown body to HTML: math as MathML, highlighted snippets, outputs, checked links."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from lemma.errors import LemmaError, Problem
from lemma.load.bibliography import Bibliography
from lemma.model import Asset, Post, PostRun, Snippet, SourceLocation
from lemma.parse import markdown, parse_body
from lemma.render.blocks import add_block_rules
from lemma.render.citations import CitationState, references_html
from lemma.render.crossrefs import number_targets
from lemma.render.mathml import MathError, tex_to_mathml
from lemma.render.outputs import outputs_for_template
from lemma.render.references import (
    WritingState,
    add_reference_rules,
    equation_number_html,
    writing_state,
)

SnippetRenderer = Callable[[Mapping[str, Any]], str]
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
    figure_source: Callable[[str], str]  # figure file name -> absolute path of its bytes
    bibliography: Bibliography | None = None
    # Posts left out of this build, by source path and by slug -> "a draft", "a future post ..."
    unpublished: Mapping[str, str] = field(default_factory=dict)
    unpublished_slugs: Mapping[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)

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
    image_url: str | None = None  # the front matter's `image`, for link previews


def render_body(context: BodyContext, tokens: Sequence[Token] | None = None) -> RenderedBody:
    tokens = list(tokens) if tokens is not None else parse_body(context.post.body)
    _mark_inline_lines(tokens)
    md = _markdown_for_render()
    where = SourceLocation(context.post.source_path, context.post.body_line)
    targets, problems = number_targets(tokens, tuple(context.snippets.values()), where)
    citations = CitationState(context.bibliography) if context.bibliography else None
    writing = WritingState(where, targets, citations, problems, in_post=True)
    html = md.renderer.render(tokens, md.options, {"lemma": context, "lemma_writing": writing})
    if citations is not None:
        html += references_html(citations)
    context.problems.extend(writing.problems)
    words = len(re.findall(r"\w+", context.post.body))
    image = context.post.front_matter.image
    image_url = None
    if image:
        line = context.post.front_matter.key_lines.get("image", 1)
        image_url = resolve_image(image, SourceLocation(context.post.source_path, line), context)
    return RenderedBody(
        html,
        _toc(tokens),
        words,
        tuple(context.problems),
        tuple(context.assets.values()),
        image_url,
    )


def render_markdown_fragment(text: str) -> str:
    """Markdown from a snippet's `_repr_markdown_`: no snippets, links left as written."""
    md = _markdown_for_render()
    return str(md.renderer.render(parse_body(text), md.options, {}))


def _mark_inline_lines(tokens: Sequence[Token]) -> None:
    for token in tokens:
        if token.type == "inline" and token.map is not None:
            for child in token.children or []:
                child.meta["line"] = token.map[0]


def _toc(tokens: Sequence[Token]) -> tuple[tuple[int, str, str], ...]:
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            text = re.sub(r"[*_`]|\$", "", tokens[index + 1].content).strip()
            entries.append((int(token.tag[1]), str(token.attrGet("id") or ""), text))
    return tuple(entries)


@cache
def _markdown_for_render() -> MarkdownIt:
    md = markdown()
    md.add_render_rule("fence", _render_fence)
    for name in ("math_inline", "math_inline_double"):
        md.add_render_rule(name, _render_inline_math)
    for name in ("math_block", "math_block_label", "amsmath"):
        md.add_render_rule(name, _render_block_math)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    add_block_rules(md)
    add_reference_rules(md)
    return md


def _context(env: Mapping[str, Any]) -> BodyContext | None:
    context = env.get("lemma")
    return context if isinstance(context, BodyContext) else None


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = _context(env)
    if context is None or token.map is None:
        from lemma.parse import fence_language
        from lemma.render.highlight import highlight_code

        return highlight_code(token.content, fence_language(token.info))
    snippet = context.snippets.get(context.post.body_line + token.map[0])
    if snippet is None:  # cannot happen: snippets come from the same tokens
        return f"<pre><code>{escape(token.content)}</code></pre>"
    result = context.run.result_for(snippet.index) if context.run else None
    view = snippet_view(snippet, result, context.url, context.figure_source, context.assets)
    target = writing_state(env).targets.get(snippet.options.label or "")
    if target is not None:
        view = numbered_figures(view, target.name)
    return context.render_snippet(view)


def numbered_figures(view: dict[str, Any], name: str) -> dict[str, Any]:
    """A snippet labelled fig-…: its id, and "Figure 1: caption" under its figures."""

    def caption(output: dict[str, Any]) -> dict[str, Any]:
        if output["kind"] != "image":
            return output
        text = f"{name}: {output['caption']}" if output.get("caption") else name
        return output | {"caption": text}

    outputs = [caption(o) for o in view["outputs"]]
    variants = [v | {"outputs": [caption(o) for o in v["outputs"]]} for v in view["variants"]]
    return view | {"outputs": outputs, "variants": variants}


def snippet_view(
    snippet: Snippet,
    result: Any,
    url: Callable[[str], str],
    figure_source: Callable[[str], str],
    assets: dict[str, Asset],
) -> dict[str, Any]:
    """The `snippet` variable of partials/snippet.html."""
    from lemma.render.highlight import highlight_code, language_label

    options = snippet.options
    show_outputs = options.output and result is not None

    def view(outputs: Sequence[Any]) -> list[dict[str, Any]]:
        return (
            outputs_for_template(outputs, url, figure_source, assets, render_markdown_fragment)
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
        "sweep_name": options.sweep.name if options.sweep else "",
        "default_index": options.sweep.default_index if options.sweep else 0,
        "label": options.label or "",
    }


def _math_html(
    tex: str, display: bool, token: Token, env: Any, *, block_line: int | None = None
) -> str:
    try:
        return tex_to_mathml(tex, display=display)
    except MathError as exc:
        context = _context(env)
        if context is not None:
            line = block_line if block_line is not None else token.meta.get("line")
            context.problems.append(
                Problem(
                    f"math: cannot convert TeX to MathML: {exc}; shown as TeX",
                    context.at(line),
                    hint="check the formula, or use a command latex2mathml supports",
                    is_warning=True,
                )
            )
        delimiter = "$$" if display else "$"
        tag = "pre" if display else "code"
        return (
            f'<{tag} class="math-fallback" title="This formula could not be rendered">'
            f"{escape(delimiter + tex.strip() + delimiter)}</{tag}>"
        )


def _render_inline_math(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    return _math_html(token.content, token.type == "math_inline_double", token, env)


def _render_block_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    line = token.map[0] if token.map else None
    body = _math_html(token.content, True, token, env, block_line=line)
    if token.type == "math_block_label" and token.info:
        number = equation_number_html(writing_state(env), token.info)
        return (
            f'<div class="math-display math-display--numbered" id="{escape(token.info)}">'
            f"{body}{number}</div>\n"
        )
    return f'<div class="math-display">{body}</div>\n'


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    text = str(escape(token.content))
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
    if _SCHEME.match(href):
        if href.startswith(("http:", "https:", "//")):
            token.attrSet("rel", "noopener")
    elif context is not None and href and not href.startswith("#"):
        found = len(context.problems)
        token.attrSet("href", _resolve_link(href, token, context))
        if len(context.problems) > found:  # marked in place: --keep-going still shows the page
            token.attrSet("class", "broken-link")
            token.attrSet("title", context.problems[-1].message)
    return str(self.renderToken(tokens, idx, options, env))


def _resolve_link(href: str, token: Token, context: BodyContext) -> str:
    parts = urlsplit(href)
    path = unquote(parts.path)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    where = context.at(token.meta.get("line"))
    if path.endswith(".md"):
        target = _relative_to_root(path, context)
        if target in context.post_urls:
            return context.post_urls[target] + fragment
        if target in context.unpublished:
            context.problems.append(_unpublished_link(path, context.unpublished[target], where))
            return href
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
    if context is not None and src and not _SCHEME.match(src):
        where = context.at(token.meta.get("line"))
        path = unquote(urlsplit(src).path)
        if src.startswith("/"):
            token.attrSet("src", _static_file_url(path, where, context, "image"))
        else:
            token.attrSet("src", _local_file_url(path, where, context, "image"))
    if context is not None and len(context.problems) > found:
        # Marked in place, so that a --keep-going build shows where the picture is missing.
        message = escape(context.problems[-1].message)
        return f'<span class="missing-media" title="{message}">[{message}]</span>'
    token.attrSet("loading", "lazy")
    return str(self.image(tokens, idx, options, env))


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


STATIC_DIR = "static"  # site-absolute files ("/images/x.png") live here, as in Hugo


def _static_file_url(path: str, where: SourceLocation, context: BodyContext, kind: str) -> str:
    """A site-absolute file ("/images/x.png") from static/, copied to the same path in the site."""
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
    context.assets[relative] = Asset(relative, str(source))
    return context.url(relative)


def resolve_image(path: str, where: SourceLocation, context: BodyContext) -> str:
    """The URL of a picture named in front matter (`image:`), copied like any image."""
    if _SCHEME.match(path):
        return path
    if path.startswith("/"):
        return _static_file_url(path, where, context, "image")
    return _local_file_url(path, where, context, "image")


def raise_first_error(problems: Sequence[Problem]) -> None:
    for problem in problems:
        if not problem.is_warning:
            raise LemmaError(problem.message, problem.location, hint=problem.hint)
