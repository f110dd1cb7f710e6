"""Front matter as Hugo, Zola, Hexo, Eleventy and Obsidian write it, reshaped into the keys
`conventions.py` reads: Hugo's `[params]`, Zola's `[taxonomies]`, Hexo's nested categories,
Eleventy's collection tag (in an Eleventy blog only: `blog_tools.py`) and its ways of keeping a
page out, Obsidian's `#tags`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lemma.blog_tools import BlogTools
from lemma.load.rmarkdown_front_matter import RMARKDOWN_KEYS

# Eleventy's collection tags (eleventy-base-blog's `posts`, its docs' `post`): they make the
# `collections.posts` list the blog's index is drawn from, and name no topic. Elsewhere (Hugo,
# Jekyll) `posts` is a tag like any other.
ELEVENTY_COLLECTION_TAGS = ("post", "posts")
# Keys of these tools that need nothing from Lemma: accepted without a word, kept for templates.
# Zola's `[extra]` is the page's own data for templates; Hexo's `mathjax: true` switched MathJax
# on (Lemma typesets every formula); `eleventyNavigation` builds Eleventy's menus; Hugo's
# `[params]` is read key by key (`tool_front_matter`). R Markdown's keys are read by
# rmarkdown_front_matter.py.
TOOL_SILENT_KEYS = (
    "extra",
    "mathjax",
    "eleventyNavigation",
    "taxonomies",
    "params",
    *RMARKDOWN_KEYS,
)
# Eleventy's keys that keep a page out of the blog's lists: read as a draft, as Pelican's
# `Status: hidden` is (`publication.is_draft`).
ELEVENTY_HIDDEN_KEYS = ("eleventyExcludeFromCollections",)


def tool_front_matter(raw: Mapping[str, Any], tools: BlogTools) -> Mapping[str, Any]:
    """`raw` with these tools' shapes read as Lemma's keys, in a blog made with `tools`; the keys
    as written stay for templates."""
    read = dict(raw)
    params = raw.get("params")
    if isinstance(params, dict):
        # Hugo 0.123 and later want a page's own fields under [params] (`author`, a theme's
        # `ShowToc` or `cover`); its `.Params` holds them beside the top level's, which win.
        for key, value in params.items():
            if isinstance(key, str) and key not in read:
                read[key] = value
    taxonomies = raw.get("taxonomies")
    if isinstance(taxonomies, dict):  # Zola: [taxonomies] tags = [...], categories = [...]
        for key in ("tags", "categories"):
            if key in taxonomies and raw.get(key) in (None, "", []):
                read[key] = taxonomies[key]
    if isinstance(read.get("categories"), list):
        read["categories"] = _flattened(read["categories"])
    tags = read.get("tags")
    collection = ELEVENTY_COLLECTION_TAGS if tools.eleventy else ()
    if isinstance(tags, list):
        read["tags"] = [t for t in map(_without_hash, tags) if t not in collection]
    elif isinstance(tags, str) and tags.strip() in collection:
        read["tags"] = []
    return read


def _flattened(categories: list[Any]) -> list[Any]:
    """Hexo's hierarchies (`- [Diary, PlayStation]`: PlayStation under Diary) as their names, each
    once: Lemma's tags have no levels."""
    found: list[Any] = []
    for item in categories:
        for name in item if isinstance(item, list) else [item]:
            if name not in found:
                found.append(name)
    return found


def _without_hash(tag: Any) -> Any:
    """Obsidian's `#math` (quoted in YAML, where `#` starts a comment) is the tag `math`."""
    return tag.strip().removeprefix("#") if isinstance(tag, str) else tag
