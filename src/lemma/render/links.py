"""Where a post's links lead: to a post (by its file, its slug, or a tag that names it), a page
of the site under its base path, or a file the post links to; a link that leads nowhere is an
error at its line, and the link is marked in place."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem
from lemma.model import POST_SUFFIXES, SourceLocation
from lemma.render.body import BodyContext, body_context, new_error
from lemma.render.crossrefs import Target, reference_html
from lemma.render.media import SCHEME, local_file_url, relative_to_root, static_file_url
from lemma.render.pelican_links import pelican_post, pelican_target
from lemma.render.post_names import PostReference, find_post, near_posts, post_reference
from lemma.render.references import writing_state


def add_link_rule(md: MarkdownIt) -> None:
    md.add_render_rule("link_open", _render_link_open)


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context = body_context(env)
    href = str(token.attrGet("href") or "")
    authored = context is not None and not token.attrGet("class")  # no heading permalink
    target = writing_state(env).targets.get(href.removeprefix("#")) if authored else None
    if target is not None:
        return _target_link(target, tokens, idx)
    found = len(context.problems) if context is not None else 0
    written = unquote(href)
    reference = (post_reference(written) or pelican_post(written)) if context is not None else None
    if context is not None and reference is not None:
        resolved = _referenced_post(reference, href, token, context)
    else:
        resolved = pelican_target(href, token, context) if context is not None else href
    if resolved is None:
        pass  # a Pelican form with no page in Lemma, or a tag naming no post: said
    elif SCHEME.match(resolved):
        if resolved.startswith(("http:", "https:", "//")):
            token.attrSet("rel", "noopener")
    elif context is not None and resolved and not resolved.startswith("#"):
        token.attrSet("href", _resolve_link(resolved, token, context))
    dropped = token.meta.get("insecure_attrs")  # `{ target=_blank }`: left out by attrs
    if context is not None and dropped:
        names = ", ".join(f"'{name}'" for name in dropped)
        context.problems.append(
            Problem(
                f"link attribute {names} of '{href}' is ignored",
                context.at(token.meta.get("line")),
                hint="a link keeps only its {#id} and {.class} (MkDocs' { .md-button } is a "
                "button): the pages allow no inline style or script",
                is_warning=True,
            )
        )
    if context is not None and new_error(context, found):
        # Marked in place: --keep-going still shows the page.
        token.attrSet("class", "broken-link")
        token.attrSet("title", context.problems[-1].message)
    return str(self.renderToken(tokens, idx, options, env))


def _target_link(target: Target, tokens: Sequence[Token], idx: int) -> str:
    """MyST's `[text](label)` and `[text](#label)` to a label of the post: a cross-reference,
    with its card; `[](label)` reads as the target's name ("Theorem 1", a heading's text), but
    an equation's empty link is left to read "(1)" (`render.body_math`)."""
    empty = idx + 1 < len(tokens) and tokens[idx + 1].type == "link_close"
    if empty and target.word == "Equation":
        return f'<a href="#{escape(target.label)}">'
    link = reference_html(target, text="")
    opening = link.removesuffix("</a>")
    return opening + (str(escape(target.name or target.label)) if empty else "")


def _resolve_link(href: str, token: Token, context: BodyContext) -> str:
    parts = urlsplit(href)
    path = unquote(parts.path)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    where = context.at(token.meta.get("line"))
    target = relative_to_root(path, context) if path.endswith(POST_SUFFIXES) else ""
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
            return static_file_url(path, where, context, kind="link") + fragment
        return _under_base(href, context)
    return local_file_url(path, where, context, kind="link") + fragment


def _referenced_post(
    reference: PostReference, href: str, token: Token, context: BodyContext
) -> str | None:
    """The link to the post a `{% post_url %}`, `{{< ref >}}` or `{filename}` names (published
    or not: the link then says why it is not); None when it names none, said at its line.

    A `{filename}` that names no post names a file, as in Pelican (or a post that is not there,
    which the link to its file then says).
    """
    source = context.post.source_path
    posts = {*context.post_urls, *context.unpublished}
    found = find_post(reference.form, reference.name, source, posts)
    if len(found) == 1:
        return posixpath.relpath(found[0], posixpath.dirname(source)) + reference.fragment
    if reference.form == "filename":
        return pelican_target(href, token, context)
    if found:
        message = f"broken link: {reference.tag} could be any of {', '.join(found)}"
        hint = "name the post by its path"
    else:
        message = f"broken link: no post for {reference.tag}"
        near = near_posts(reference.name, posts)
        hint = (
            f"did you mean {' or '.join(near)}? name it as its file is named"
            if near
            else "check the file name in posts/"
        )
    context.problems.append(Problem(message, context.at(token.meta.get("line")), hint=hint))
    return None


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
