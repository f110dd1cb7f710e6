"""Redirect pages: an old address of a post (`aliases`, `permalink`, ...) leads to the post."""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence

from markupsafe import escape

from lemma.config import SiteConfig
from lemma.errors import Problem
from lemma.model import Page, Post, SourceLocation
from lemma.render.inline_math import inline_text

_REDIRECT_KEYS = ("aliases", "redirect_from", "permalink", "url")


def redirect_output_path(address: str) -> str:
    """`2016/01/28/post/` and `old-post` become folders with an index.html; `old.html` stays."""
    if posixpath.splitext(address)[1].lower() in (".html", ".htm"):
        return address
    return address.rstrip("/") + "/index.html"


def redirect_pages(
    config: SiteConfig, posts: Sequence[Post], taken: Collection[str]
) -> tuple[list[Page], list[Problem]]:
    """One small page per old address; an address that is already a page is an error."""
    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    for post in posts:
        fm = post.front_matter
        line = next((fm.key_lines[k] for k in _REDIRECT_KEYS if k in fm.key_lines), 1)
        where = SourceLocation(post.source_path, line)
        for address in fm.redirects:
            output_path = redirect_output_path(address)
            if output_path == f"{post.url_path}index.html":
                continue  # the old address is the new one: nothing to redirect
            if output_path in taken or output_path in pages:
                problems.append(
                    Problem(
                        f"old address '/{address}' is already a page of the site",
                        where,
                        hint="remove it from the front matter, or give the other page another one",
                    )
                )
                continue
            pages[output_path] = Page(output_path, _redirect_html(config, post))
    return list(pages.values()), problems


def _redirect_html(config: SiteConfig, post: Post) -> bytes:
    target = escape(config.url(post.url_path))
    title = escape(inline_text(post.front_matter.title))
    html = (
        "<!doctype html>\n"
        f'<html lang="{escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p>This post has moved: <a href="{target}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    )
    return html.encode("utf-8")
