"""What rendering one post's body takes and gives: `BodyContext` and `RenderedBody`.

The context travels in markdown-it's `env` under "lemma", so that each render rule finds the post
it is in; a fragment rendered without a post (a snippet's `_repr_markdown_`) has none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lemma.csp import ContentPolicy
from lemma.errors import Problem
from lemma.load.bibliography import Bibliography
from lemma.model import Asset, Post, PostRun, Snippet, SourceLocation
from lemma.render.charts import ChartScripts
from lemma.render.mathml import PostMath
from lemma.render.styles import PageStyles
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo

SnippetRenderer = Callable[[Mapping[str, Any]], str]


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
    highlights: Memo[str] | None = None  # snippets' highlighted code, kept from build to build

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
    # The title and the excerpt with their formulas as plain text ("O(n²)"): for the lists, the
    # links to a post and its page's description, made once with the body, not on every build.
    title_text: str = ""
    excerpt_text: str = ""


def body_context(env: Mapping[str, Any]) -> BodyContext | None:
    """The post a render rule is rendering; None in a fragment rendered without one."""
    context = env.get("lemma")
    return context if isinstance(context, BodyContext) else None


def new_error(context: BodyContext, found: int) -> bool:
    """Whether an error (not a warning) was reported since there were `found` problems."""
    return any(not p.is_warning for p in context.problems[found:])
