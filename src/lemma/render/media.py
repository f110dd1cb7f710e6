"""The files a post shows and links to: images and files beside the post, copied into media/
under content-addressed names; site-absolute ones, looked up in static/; and images and embeds
the pages' Content-Security-Policy would block, warned about."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.csp import blocked_in_html
from lemma.errors import Problem
from lemma.model import Asset, SourceLocation
from lemma.render.attachments import ATTACHMENT, attachment_url
from lemma.render.body import BodyContext, body_context, new_error
from lemma.render.body_math import html_block_math
from lemma.render.pelican_links import pelican_target
from lemma.render.static import STATIC_DIR

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def add_media_rules(md: MarkdownIt) -> None:
    md.add_render_rule("image", _render_image)
    md.add_render_rule("html_block", _render_html)
    md.add_render_rule("html_inline", _render_html)


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = body_context(env)
    src = str(token.attrGet("src") or "")
    found = len(context.problems) if context is not None else 0
    resolved = pelican_target(src, token, context) if context is not None else src
    if resolved is None:
        pass  # no page for it: said
    elif context is not None and src.startswith(ATTACHMENT):  # a notebook cell's own image
        token.attrSet("src", attachment_url(src, context.at(token.meta.get("line")), context))
    elif context is not None and resolved and not SCHEME.match(resolved):
        src = resolved
        where = context.at(token.meta.get("line"))
        path = unquote(urlsplit(src).path)
        if src.startswith("/"):
            token.attrSet("src", static_file_url(path, where, context, "image"))
        else:
            token.attrSet("src", local_file_url(path, where, context, "image"))
    elif context is not None and context.policy and context.policy.blocks("img-src", src):
        context.problems.append(_blocked("image", src, "img-src", context, token.meta.get("line")))
    if context is not None and new_error(context, found):
        # Marked in place, so that a --keep-going build shows where the picture is missing.
        message = escape(context.problems[-1].message)
        return f'<span class="missing-media" title="{message}">[{message}]</span>'
    dropped = token.meta.get("insecure_attrs")  # `{width=50%}`: what the attrs plugin left out
    if context is not None and dropped:
        names = ", ".join(f"'{name}'" for name in dropped)
        context.problems.append(
            Problem(
                f"image attribute {names} of '{src}' is ignored",
                context.at(token.meta.get("line")),
                hint="an image keeps only its {#id} and {.class}: the pages allow no inline "
                "style; size the image file, or give it a class your theme's CSS styles",
                is_warning=True,
            )
        )
    token.attrSet("loading", "lazy")
    return str(self.image(tokens, idx, options, env))


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = body_context(env)
    if context is not None and context.policy is not None:
        line = token.map[0] if token.map else token.meta.get("line")
        for tag, url, directive in blocked_in_html(token.content, context.policy):
            context.problems.append(_blocked(f"<{tag}>", url, directive, context, line))
    if token.type == "html_block":
        return html_block_math(token, env)  # MathJax typesets the math of raw HTML too
    return token.content


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


def resolve_image(path: str, where: SourceLocation, context: BodyContext) -> str:
    """The URL of a picture named in front matter (`image:`), copied like any image."""
    if SCHEME.match(path):
        return path
    if path.startswith("/"):
        return static_file_url(path, where, context, "image")
    return local_file_url(path, where, context, "image")


def relative_to_root(path: str, context: BodyContext) -> str:
    folder = posixpath.dirname(context.post.source_path)
    return posixpath.normpath(posixpath.join(folder, path))


def local_file_url(path: str, where: SourceLocation, context: BodyContext, kind: str) -> str:
    """Copy a file the post links to into media/ under a content-addressed name."""
    target = relative_to_root(path, context)
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


def static_file_url(path: str, where: SourceLocation, context: BodyContext, kind: str) -> str:
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
