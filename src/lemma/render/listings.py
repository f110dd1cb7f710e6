"""The pages that list posts: paginated index, tag pages, tag index, archive, search and 404."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from lemma.config import SiteConfig
from lemma.load.material_blog import reading_minutes
from lemma.model import Post
from lemma.render.body import RenderedBody
from lemma.slugs import tag_slug

WORDS_PER_MINUTE = 220


@dataclass(frozen=True, slots=True)
class RenderedPost:
    post: Post
    body: RenderedBody
    has_snippets: bool
    body_key: str  # the memo key of `body`: it stands for the body's HTML in the page's key


def page_meta(
    config: SiteConfig, title: str, description: str, url_path: str, og_type: str
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "canonical_url": config.absolute_url(url_path) if config.has_base_url else None,
        "og_type": og_type,
        "url_path": url_path,
        "image_url": None,
    }


def post_summary(config: SiteConfig, rendered: RenderedPost) -> dict[str, Any]:
    post, fm = rendered.post, rendered.post.front_matter
    return {
        "title": rendered.body.title_text,  # plain text; `title_html` has the formulas as MathML
        "title_html": Markup(rendered.body.title_html or escape(fm.title)),
        "url": config.url(post.url_path),
        "date_iso": fm.date.isoformat(),
        "date_display": display_date(fm.date),
        "excerpt": rendered.body.excerpt_text,
        "excerpt_html": Markup(rendered.body.excerpt_html or escape(post.excerpt)),
        "tags": [{"name": t, "url": config.url(f"tags/{tag_slug(t)}/")} for t in fm.tags],
        "reading_time_min": reading_minutes(fm.extra)
        or max(1, math.ceil(rendered.body.words / WORDS_PER_MINUTE)),
        "pinned": fm.extra.get("pin") is True,  # MkDocs Material's `pin: true`
        "draft": fm.draft,
        "lang": shown_language(config, fm.language),
    }


def shown_language(config: SiteConfig, language: str | None) -> str | None:
    """The post's language when it is not the site's: its title, excerpt and body say so."""
    return language if language and language.lower() != config.language.lower() else None


def display_date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def listing_pages(
    config: SiteConfig, rendered: Sequence[RenderedPost], summaries: Sequence[dict[str, Any]]
) -> list[tuple[str, dict[str, Any], str]]:
    """(template, context, output path) of index pages, tag pages, tag index, archive and 404;
    `summaries` are the `post_summary` of each of `rendered`."""
    # The home page shows pinned posts first (MkDocs Material's `pin: true`), newest first.
    pinned_first = sorted(summaries, key=lambda summary: not summary["pinned"])
    per_page = config.posts_per_page
    count = max(1, math.ceil(len(summaries) / per_page))
    listing: list[tuple[str, dict[str, Any], str]] = []
    for number in range(1, count + 1):
        url_path = "" if number == 1 else f"page/{number}/"
        title = config.title if number == 1 else f"{config.title} — page {number}"
        listing.append(
            (
                "index.html",
                {
                    "page": page_meta(config, title, config.description, url_path, "website"),
                    "posts": pinned_first[(number - 1) * per_page : number * per_page],
                    "pagination": {
                        "page": number,
                        "pages": count,
                        "prev_url": _index_url(config, number - 1) if number > 1 else None,
                        "next_url": _index_url(config, number + 1) if number < count else None,
                    },
                },
                f"{url_path}index.html",
            )
        )
    by_tag: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for item, summary in zip(rendered, summaries, strict=True):
        for tag in item.post.front_matter.tags:
            by_tag.setdefault(tag_slug(tag), (tag, []))[1].append(summary)
    tags: list[dict[str, Any]] = []
    for slug, (name, tagged) in sorted(by_tag.items()):
        url_path = f"tags/{slug}/"
        description = f"{len(tagged)} post{'s' if len(tagged) != 1 else ''} tagged {name}"
        tag_view = {
            "name": name,
            "url": config.url(url_path),
            "posts": tagged,
            "count": len(tagged),
        }
        tags.append(tag_view)
        listing.append(
            (
                "tag.html",
                {
                    "page": page_meta(config, f"Tagged {name}", description, url_path, "website"),
                    "tag": tag_view,
                },
                f"{url_path}index.html",
            )
        )
    listing.append(
        (
            "tags.html",
            {"page": page_meta(config, "Tags", "All tags", "tags/", "website"), "tags": tags},
            "tags/index.html",
        )
    )
    years: dict[int, list[dict[str, Any]]] = {}
    for item, summary in zip(rendered, summaries, strict=True):
        years.setdefault(item.post.front_matter.date.year, []).append(summary)
    listing.append(
        (
            "archive.html",
            {
                "page": page_meta(config, "Archive", "Every post, by year", "archive/", "website"),
                "years": [{"year": y, "posts": p} for y, p in sorted(years.items(), reverse=True)],
            },
            "archive/index.html",
        )
    )
    if config.search:
        search_meta = page_meta(config, "Search", f"Search {config.title}", "search/", "website")
        listing.append(("search.html", {"page": search_meta}, "search/index.html"))
    listing.append(
        (
            "404.html",
            {
                "page": page_meta(
                    config, "Page not found", config.description, "404.html", "website"
                )
            },
            "404.html",
        )
    )
    return listing


def _index_url(config: SiteConfig, number: int) -> str:
    return config.url("" if number == 1 else f"page/{number}/")
