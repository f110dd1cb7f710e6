"""Pelican's link forms as the links Lemma resolves.

Pelican writes `{static}/images/x.png`, `{attach}x.png`, `{filename}/other-post.md`, `{index}`,
`{tag}name` and `{category}name` (and, before 3.5, `|filename|/other-post.md`). A leading `/`
after the form means Pelican's content folder, which is Lemma's `posts/`; a file it names that is
not there is looked up in `static/`, where the README says files linked site-absolutely go.
A `{filename}` link names a post the way every tag that names a post does (`pelican_post`, then
`post_names.find_post`), and a file beside the posts when no post is there.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from lemma.errors import Problem
from lemma.render.body import BodyContext
from lemma.render.post_names import POSTS_DIR, PostReference
from lemma.slugs import tag_slug

_FORM = re.compile(r"^(?:\{(?P<curly>[a-z]+)\}|\|(?P<bar>[a-z]+)\|)(?P<rest>.*)$", re.DOTALL)
_FILE_FORMS = ("static", "attach")
_TAG_FORMS = ("tag", "category")


class UnknownForm(ValueError):
    """A Pelican form Lemma has no page for ({author}); the message says so."""


def pelican_post(href: str) -> PostReference | None:
    """The post a `{filename}` (or `|filename|`) link may name (`href` already URL-unquoted);
    None for any other link."""
    match = _FORM.match(href)
    if match is None or (match["curly"] or match["bar"]) != "filename":
        return None
    path, tail = _split_tail(match["rest"])
    return PostReference("filename", path, tail, href)


def pelican_target(href: str, token: Token, context: BodyContext) -> str | None:
    """`href` with Pelican's {static}, {filename}, ... forms made into links Lemma resolves;
    None for a form Lemma has no page for, said at its line."""
    try:
        found = pelican_href(unquote(href), context.post.source_path, context.root)
    except UnknownForm as exc:
        where = context.at(token.meta.get("line"))
        context.problems.append(Problem(str(exc), where, hint="link to a post or a tag instead"))
        return None
    return href if found is None else found


def pelican_href(href: str, post_source: str, root: Path) -> str | None:
    """The link Lemma resolves in place of Pelican's `href` (already URL-unquoted), seen from the
    post at `post_source`; None when `href` is no Pelican form."""
    match = _FORM.match(href)
    if match is None:
        return None
    form = match["curly"] or match["bar"]
    rest = match["rest"]
    if form == "filename":  # a file beside the posts (a post was looked for first)
        return _file_href(rest, post_source, None)
    if form in _FILE_FORMS:
        return _file_href(rest, post_source, root)
    if form in _TAG_FORMS:
        return f"/tags/{tag_slug(rest)}/" if rest else "/tags/"
    if form == "index":
        return "/" + rest.lstrip("/")
    raise UnknownForm(f"Pelican's {{{form}}} links have no page in Lemma")


def _split_tail(rest: str) -> tuple[str, str]:
    """(path, tail) of what follows a form; the tail is a #fragment or ?query, as written."""
    split = len(rest) - len(rest.lstrip("/")) + len(re.split(r"[#?]", rest.lstrip("/"))[0])
    return rest[:split], rest[split:]


def _file_href(rest: str, post_source: str, root: Path | None) -> str:
    """`rest` relative to the post; one under the content folder (`/x`) is looked for there,
    and when `root` is given and it is not there, in static/ (as a site-absolute link)."""
    path, tail = _split_tail(rest)
    if not path.startswith("/"):
        return rest  # relative to the post, as Lemma reads any link
    in_content = posixpath.normpath(POSTS_DIR + path)
    if root is not None and not (root / in_content).is_file():
        return rest  # site-absolute: looked up in static/
    folder = posixpath.dirname(post_source)
    return posixpath.relpath(in_content, folder) + tail
