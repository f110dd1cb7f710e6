"""Which post a link names by its name rather than its path: Jekyll's `{% post_url %}`, Hugo's
`{{< ref >}}` and `{{< relref >}}`, Hexo's `{% post_link %}`, Obsidian's `[[wikilinks]]`, Zola's
`@/` links, Jupyter Book's `{doc}` role and Pelican's `{filename}`, all answered by `find_post`.

Load rewrites the tags into links of the form `{post_url}name`, `{ref}name`, `{post_link}name`
and `{wikilink}name` (`load/shortcodes.py`, `load/hexo_tags.py`, `load/obsidian.py`), parse
`{doc}name` (`parse/jupyter_book.py`), since which
posts exist is known only once every post is loaded; `post_reference` reads them back, and
Zola's `[x](@/blog/post.md)` as it is written. Pelican's spellings are read in `pelican_links.py`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass

from lemma.model import POST_SUFFIXES

POSTS_DIR = "posts"  # Hugo's and Pelican's content folder, Jekyll's _posts/
_REFERENCE = re.compile(
    r"^\{(?P<form>post_url|ref|post_link|wikilink|doc)\}(?P<name>[^#]*)(?P<fragment>#.*)?$"
    r"|^@/(?P<zola>[^#]*)(?P<zola_fragment>#.*)?$",
    re.DOTALL,
)
# Each form answered as Jekyll's post_url (a file of posts/, then a post of that name) or as
# Hugo's ref (beside the post, then in posts/, then a post of that name anywhere).
_AS_FORM = {"post_link": "post_url", "wikilink": "ref", "doc": "ref"}


@dataclass(frozen=True, slots=True)
class PostReference:
    form: str  # "post_url" (Jekyll, Hexo), "ref" (Hugo, Obsidian, Zola) or "filename" (Pelican)
    name: str  # the post as the link names it
    fragment: str  # "#part" (or "?query" for Pelican), kept as written; "" for none
    tag: str  # as the author wrote it, for messages: {% post_url x %}, {{< ref "x" >}}, @/x.md


def post_reference(href: str) -> PostReference | None:
    """What a link a `post_url` or `ref` tag became names; None for any other link."""
    match = _REFERENCE.match(href)
    if match is None:
        return None
    if match["zola"] is not None:  # Zola's path from its content/ folder, copied as posts/
        name = match["zola"].strip()
        return PostReference("ref", "/" + name, match["zola_fragment"] or "", f"@/{name}")
    form, name = match["form"], match["name"].strip()
    tags = {
        "post_url": "{% post_url " + name + " %}",
        "post_link": "{% post_link " + name + " %}",
        "wikilink": f"[[{name}]]",
        "doc": f"{{doc}}`{name}`",
    }
    tag = tags.get(form, f'{{{{< ref "{name}" >}}}}')
    return PostReference(_AS_FORM.get(form, form), name, match["fragment"] or "", tag)


def find_post(form: str, name: str, source_path: str, posts: Collection[str]) -> list[str]:
    """The posts (their source paths, among `posts`) that a tag names, seen from the post at
    `source_path`: one when found, none, or several when only an ambiguous name matches.

    Jekyll's `post_url` names a file under `_posts/` without its suffix (`2010-07-21-name`, or
    `/subdir/2010-07-21-name`), and else any post of that name (Jekyll's older rule). Hugo's
    `ref` names a file or a page bundle's folder, with or without suffix: `/x` from the content
    folder (the site's folder or posts/), `x` from the post's folder, then from posts/, then any
    post of that name anywhere. Pelican's `{filename}` names a file exactly, `/x.md` from the
    content folder and `x.md` from the post's folder; here a page bundle's folder (`/x`, `/x/`)
    names its index post too.
    """
    name = name.strip()
    exact = form == "filename"
    if form == "post_url":
        places = [posixpath.join(POSTS_DIR, name.lstrip("/"))]
    elif exact:
        folder = POSTS_DIR if name.startswith("/") else posixpath.dirname(source_path)
        places = [posixpath.join(folder, name.lstrip("/"))]
    elif name.startswith("/"):
        places = [name.lstrip("/"), posixpath.join(POSTS_DIR, name.lstrip("/"))]
    else:
        places = [posixpath.join(posixpath.dirname(source_path), name), f"{POSTS_DIR}/{name}"]
    for place in places:
        found = _post_at(posixpath.normpath(place), posts, any_suffix=not exact)
        if found is not None:
            return [found]
    if exact:
        return []  # Pelican looks nowhere else
    wanted = _stem(posixpath.basename(name.rstrip("/")))
    return sorted(p for p in posts if _stem(_name_of(p)) == wanted)


def near_posts(name: str, posts: Collection[str]) -> list[str]:
    """The posts a name that found none may have meant: named alike but for a date in front
    (Jekyll's `2024-10-02-name.md` named `name`, or the other way), or but for case."""
    wanted = _undated(_stem(posixpath.basename(name.strip().rstrip("/")))).lower()
    return sorted(p for p in posts if _undated(_stem(_name_of(p))).lower() == wanted)


_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def _undated(name: str) -> str:
    return _DATED.sub("", name)


def _post_at(path: str, posts: Collection[str], *, any_suffix: bool) -> str | None:
    """The post at `path`: the file itself (or, with `any_suffix`, with any post suffix), or a
    folder's index post."""
    candidates = [path]
    if any_suffix:
        stem = _stem(path)
        candidates += [stem + s for s in POST_SUFFIXES]
    candidates += [f"{path}/index{s}" for s in POST_SUFFIXES]
    return next((c for c in candidates if c in posts), None)


def _stem(name: str) -> str:
    root, suffix = posixpath.splitext(name)
    return root if suffix in POST_SUFFIXES else name


def _name_of(source_path: str) -> str:
    """A post's name: its file's, or its folder's for an index post (a page bundle)."""
    folder, file = posixpath.split(source_path)
    return posixpath.basename(folder) if _stem(file) == "index" else file
