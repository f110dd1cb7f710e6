"""Every page of the site: post bodies, post pages, listings, feeds, and the theme's files."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from lemma.config import SiteConfig
from lemma.errors import LemmaError, Problem, TemplateNotFound
from lemma.load.bibliography import Bibliography
from lemma.model import Asset, KeptPage, Page, Post, PostRun, Site, Snippet, SourceLocation
from lemma.parse import BodyParses
from lemma.render.body import BodyContext, RenderedBody
from lemma.render.charts import ChartScripts
from lemma.render.feeds import (
    FEED_ENTRIES,
    atom_feed,
    no_base_url_warning,
    robots_txt,
    sitemap,
)
from lemma.render.highlight import highlight_key, make_lexers, pygments_css
from lemma.render.jinja import (
    compile_templates,
    content_policy,
    make_environment,
    render_template,
)
from lemma.render.listings import (
    RenderedPost,
    display_date,
    listing_pages,
    page_meta,
    post_summary,
    shown_language,
)
from lemma.render.markup import render_body
from lemma.render.mathfont import OUTPUT_PATH as MATH_FONT_PATH
from lemma.render.mathml import PostMath, post_macros, site_macros
from lemma.render.notebook import colab_url, notebook_output_path, shown_run
from lemma.render.sidenotes import without_sidenotes
from lemma.render.static import static_assets, static_clashes
from lemma.render.styles import PageStyles
from lemma.render.theme import theme_assets
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo, memo_key, text_digest
from lemma.spool import Spool


@dataclass(frozen=True, slots=True)
class RenderMemo:
    """What render reuses from earlier builds, each value by a key of every input it depends on
    (see `lemma.reuse.memo`): a prose edit re-renders one post's body and the pages it shows on.

    Templates are not part of the keys: whoever changes them starts from a new RenderMemo.
    """

    bodies: Memo[RenderedBody] = field(default_factory=Memo)
    pages: Memo[Page | KeptPage] = field(default_factory=Memo)
    environments: Memo[jinja2.Environment] = field(default_factory=Memo)  # by the config
    highlights: Memo[str] = field(default_factory=Memo)  # a snippet's code, its language

    def end_build(self) -> None:
        for memo in (self.bodies, self.pages, self.environments, self.highlights):
            memo.end_build()


class PostBodies:
    """Each post's body rendered once a build, through the memo `bodies`.

    The pipeline renders an executed post's body as soon as its run arrives, while other posts
    still run; `render_site` then finds it in the memo, and renders the others.
    """

    def __init__(
        self,
        config: SiteConfig,
        posts: Sequence[Post],
        snippets: Mapping[str, Sequence[Snippet]],
        figures: FigureStore,
        memo: RenderMemo,
        bibliographies: Mapping[str, Bibliography] | None = None,
        unpublished: Sequence[tuple[Post, str]] = (),
        parses: BodyParses | None = None,
    ) -> None:
        self.config, self.snippets, self.figures, self.memo = config, snippets, figures, memo
        self.bibliographies = bibliographies or {}
        self.parses = parses
        self.env = memo.environments.get_or_make(
            memo_key(config), partial(make_environment, config)
        )
        self.post_urls = {p.source_path: config.url(p.url_path) for p in posts}
        self.slugs = frozenset(p.slug for p in posts)
        self.macros = site_macros(config.macros)
        self.unpublished_paths = {p.source_path: reason for p, reason in unpublished}
        self.unpublished_slugs = {
            p.slug: reason for p, reason in unpublished if p.slug not in self.slugs
        }
        self.policy = content_policy(config)
        self.links_key = memo_key(
            sorted(self.post_urls.items()),
            sorted(self.unpublished_paths.items()),
            self.policy,
            self.macros,
        )
        # What `rendered` gave each post this build, by the very post and run it was given:
        # `math_chars` and `render_site` both ask for every body, and at 2,000 posts the
        # memo keys alone (the repr of each post, its snippets and run) take 0.2 s each time.
        self._given: dict[str, tuple[Post, PostRun | None, RenderedPost | Problem]] = {}

    def rendered(self, post: Post, run: PostRun | None) -> RenderedPost | Problem:
        """The post's body with its run's outputs, from the memo when rendered before.

        When the memo spilled the body (`lemma build`'s), the item holds everything but its HTML,
        which `html` reads back for the one page that shows it: the build does not hold every
        post's HTML until it ends."""
        given = self._given.get(post.source_path)
        if given is not None and given[0] is post and given[1] is run:
            return given[2]
        item = self._rendered(post, run)
        if isinstance(item, RenderedPost) and self.memo.bodies.spilled(item.body_key):
            item = replace(item, body=replace(item.body, html=""))
        self._given[post.source_path] = (post, run, item)
        return item

    def html(self, item: RenderedPost) -> str:
        """The HTML of a body `rendered` gave."""
        if not self.memo.bodies.spilled(item.body_key):
            return item.body.html
        found = self.memo.bodies.get(item.body_key)
        if found is not None:
            return found.html
        post, run, _ = self._given[item.post.source_path]  # it could not be read back: made again
        again = self._rendered(post, run)
        return again.body.html if isinstance(again, RenderedPost) else ""

    def _rendered(self, post: Post, run: PostRun | None) -> RenderedPost | Problem:
        post_snippets = tuple(self.snippets.get(post.source_path, ()))
        bibliography = self.bibliographies.get(post.source_path)
        macros = self.macros + post_macros(post.front_matter)
        key = memo_key(
            post.source_path,
            text_digest(post.body),
            post.body_line,
            post.cell_lines,  # a notebook's errors name its cells
            post_snippets,
            shown_run(run),  # whether it came from the cache, or how long it took, never shows
            self.links_key,
            bibliography,
            macros,
            # The title, the excerpt and every front matter key: the body shows the first two
            # (a description edited alone left the listings stale) and reads some of the rest
            # (`lang`, `toc`, `number-sections`).
            post.front_matter,
            post.excerpt,
        )
        has_snippets = any(s.executable for s in post_snippets)
        cached = self.memo.bodies.get(key)
        # A file the body copies (an image beside the post) may have gone since: made again,
        # the body says so.
        if cached is not None and all(Path(a.source).is_file() for a in cached.assets):
            for snippet in post_snippets:  # its highlighted code stays for its next edit
                numbered = snippet.options.code_line_numbers
                self.memo.highlights.use(highlight_key(snippet.code, snippet.language, numbered))
            return RenderedPost(post, cached, has_snippets, key)
        config = self.config
        context = BodyContext(
            post=post,
            snippets={s.fence_line: s for s in post_snippets},
            run=run,
            root=config.root,
            post_urls=self.post_urls,
            slugs=self.slugs,
            url=config.url,
            render_snippet=self._render_snippet,
            figures=self.figures,
            math=PostMath(macros),
            bibliography=bibliography,
            unpublished=self.unpublished_paths,
            unpublished_slugs=self.unpublished_slugs,
            policy=self.policy,
            highlights=self.memo.highlights,
        )
        context.charts = ChartScripts(
            config.cache_dir, context.assets, context.problems, config.url
        )
        context.styles = PageStyles(config.cache_dir, context.assets)
        try:
            body = render_body(
                context, self.parses.tokens(post.body, post.source_path) if self.parses else None
            )
        except LemmaError as exc:
            return exc.problem
        if not body.problems:
            # A body with problems (a missing image, say) depends on files beside the post,
            # which its key does not cover: the next build, or serve's next rebuild, renders it
            # again and sees the file once it is there.
            self.memo.bodies.keep(key, body)
        return RenderedPost(post, body, has_snippets, key)

    def start_preparing(self, languages: Collection[str]) -> threading.Thread:
        """Compile the site's templates and make the lexers of `languages` on another thread,
        while posts run: the bodies and pages made once their runs are in find them ready (a
        code edit waits about 0.2 s for the fork server, then would compile after the run)."""

        def prepare() -> None:
            compile_templates(self.env)
            make_lexers(languages)

        thread = threading.Thread(target=prepare, name="lemma-prepare", daemon=True)
        thread.start()
        return thread

    def math_chars(self, posts: Sequence[Post], runs: Mapping[str, PostRun]) -> str:
        """The characters the formulas of `posts` show (rendering the bodies not made yet)."""
        items = [self.rendered(post, runs.get(post.source_path)) for post in posts]
        return "".join(item.body.math_chars for item in items if isinstance(item, RenderedPost))

    def _render_snippet(self, view: Mapping[str, Any]) -> str:
        return render_template(self.env, "partials/snippet.html", {"snippet": view}, self.config)


@dataclass(frozen=True, slots=True)
class RenderedSite:
    """What `render_site` made, and what went wrong on the way."""

    site: Site
    problems: tuple[Problem, ...]


def render_site(
    config: SiteConfig,
    posts: Sequence[Post],
    snippets: Mapping[str, Sequence[Snippet]],
    runs: Mapping[str, PostRun],
    figures: FigureStore,
    later: Collection[str] = (),
    memo: RenderMemo | None = None,
    bibliographies: Mapping[str, Bibliography] | None = None,
    unpublished: Sequence[tuple[Post, str]] = (),
    parses: BodyParses | None = None,
    bodies: PostBodies | None = None,
    spool: Spool | None = None,
) -> RenderedSite:
    """Every page of the site but the notebooks and the math font; `posts` are the published
    ones, newest first. `later` are the output paths of the notebooks, made after.

    `unpublished` are the posts left out, each with why ("a draft"), for messages about links.
    `bodies`, when given, was made for the same posts and memo (`PostBodies`). With a `spool`,
    each new post page goes to disk as it is made (spool.py).
    """
    memo = memo if memo is not None else RenderMemo()
    if bodies is None:
        bodies = PostBodies(
            config, posts, snippets, figures, memo, bibliographies, unpublished, parses
        )
    env = bodies.env
    problems: list[Problem] = []
    assets: dict[str, Asset] = dict(theme_assets(config.root))
    rendered: list[RenderedPost] = []
    for post in posts:
        item = bodies.rendered(post, runs.get(post.source_path))
        if isinstance(item, Problem):
            problems.append(item)
            continue
        problems.extend(item.body.problems)
        assets.update({a.output_path: a for a in item.body.assets})
        rendered.append(item)

    pages: list[Page | KeptPage] = [Page("assets/pygments.css", pygments_css().encode())]
    math_chars = "".join(r.body.math_chars for r in rendered)
    summaries = [post_summary(config, item) for item in rendered]  # for its page and the lists
    pages += _post_pages(env, config, rendered, summaries, problems, memo, spool, bodies.html)
    # A listing page is a function of its template and context: most survive a prose edit. Its
    # key names each post's summary by a digest made once, not by the summary itself: the home
    # pages, the archive and the tag pages list every post again (at 2,000 posts, 0.3 s).
    digests = {id(summary): text_digest(repr(summary)) for summary in summaries}
    for name, listing, output_path in listing_pages(config, rendered, summaries):
        page_key = memo_key("listing", name, output_path, repr(_summarised(listing, digests)))
        cached_page = memo.pages.get(page_key)
        if cached_page is not None:
            pages.append(cached_page)
            continue
        try:
            made = _page(env, name, listing, output_path, config)
        except LemmaError as exc:
            problems.append(exc.problem)
            continue
        # The home pages, the archive and each tag's page: 150 pages at 500 posts (3.3 MB).
        page = spool.keep(made.output_path, made.content) if spool is not None else made
        memo.pages.keep(page_key, page)
        pages.append(page)
    # A draft shown by --drafts or `lemma serve` is never announced: no feed, no sitemap.
    announced = [r for r in rendered if not r.post.front_matter.draft]
    # The feed is a function of its newest posts: their bodies' keys cover their front matter,
    # and their HTML is named too (a body with a problem, a missing image say, is made again).
    newest = announced[:FEED_ENTRIES]
    feed_key = memo_key("feed", [(r.body_key, text_digest(r.body.html)) for r in newest])
    feed = memo.pages.get(feed_key)
    if feed is None:
        entries = [(r.post, without_sidenotes(bodies.html(r))) for r in newest]
        feed = Page("feed.xml", atom_feed(config, entries))
        memo.pages.keep(feed_key, feed)
    pages.append(feed)
    drafts = {f"{r.post.url_path}index.html" for r in rendered if r.post.front_matter.draft}
    listed = [p.output_path for p in pages if p.output_path not in drafts]
    if config.has_base_url:  # a sitemap lists absolute addresses only
        pages.append(Page("sitemap.xml", sitemap(config, listed, announced)))
    else:
        problems.append(no_base_url_warning(config))
    pages.append(Page("robots.txt", robots_txt(config)))
    static = static_assets(config.root)
    generated = {p.output_path for p in pages} | set(assets) | set(later)
    if math_chars:
        generated.add(MATH_FONT_PATH)
    problems += static_clashes(static, generated)
    assets.update(static)
    pages.sort(key=lambda p: p.output_path)
    site = Site(tuple(pages), tuple(sorted(assets.values(), key=lambda a: a.output_path)))
    return RenderedSite(site, tuple(problems))


def _summarised(value: object, digests: Mapping[int, str]) -> object:
    """`value` with each post summary in it (known by identity) replaced by its digest."""
    if id(value) in digests:
        return digests[id(value)]
    if isinstance(value, dict):
        return {key: _summarised(item, digests) for key, item in value.items()}
    if isinstance(value, list):
        return [_summarised(item, digests) for item in value]
    if isinstance(value, tuple):
        return tuple(_summarised(item, digests) for item in value)
    return value


def _page(
    env: jinja2.Environment,
    name: str,
    context: Mapping[str, Any],
    output_path: str,
    config: SiteConfig,
) -> Page:
    html = render_template(env, name, context, config)
    return Page(output_path, html.encode("utf-8"))


def _post_pages(
    env: jinja2.Environment,
    config: SiteConfig,
    rendered: Sequence[RenderedPost],
    summaries: Sequence[dict[str, Any]],
    problems: list[Problem],
    memo: RenderMemo,
    spool: Spool | None,
    html: Callable[[RenderedPost], str],
) -> list[Page | KeptPage]:
    pages: list[Page | KeptPage] = []
    for index, (item, summary) in enumerate(zip(rendered, summaries, strict=True)):
        post, fm = item.post, item.post.front_matter
        newer = rendered[index - 1] if index > 0 else None
        older = rendered[index + 1] if index + 1 < len(rendered) else None
        notebook = notebook_output_path(post) if item.has_snippets else None
        view = summary | {
            "date": fm.date,
            "updated_iso": fm.updated.isoformat() if fm.updated else None,
            "updated_display": display_date(fm.updated) if fm.updated else None,
            "author": fm.author or config.author or None,
            "toc": [{"level": lvl, "id": i, "text": t} for lvl, i, t in item.body.toc],
            # `toc: true` or `false` in front matter decides; otherwise long posts get one.
            "show_toc": bool(item.body.toc)
            and (fm.toc or (fm.toc is None and len(item.body.toc) >= 4)),
            "subtitle": fm.subtitle,
            "image_url": item.body.image_url,
            "extra": dict(fm.extra),
            "has_snippets": item.has_snippets,
            "scripts": [{"src": config.url(p), "module": m} for p, m in item.body.scripts],
            "stylesheet": config.url(item.body.stylesheet) if item.body.stylesheet else None,
            "notebook_url": config.url(notebook) if notebook else None,
            "colab_url": colab_url(config.repo_url, notebook) if notebook else None,
        }
        context = {
            "page": page_meta(
                config, item.body.title_text, item.body.excerpt_text, post.url_path, "article"
            )
            | {"image_url": _absolute(config, item.body.image_url)},
            "post": view,
            "prev_post": _link(config, older),
            "next_post": _link(config, newer),
        }
        # A post page is a function of its template and context (its neighbours' links included).
        # The body's HTML is in the context as the key it was made under: a repr of the HTML
        # itself would cost as much as the rest of a warm build.
        template = fm.template or "post.html"
        keyed = context | {"post": view | {"content_html": item.body_key}}
        key = memo_key("post", template, post.url_path, repr(keyed))
        reusable = not item.body.problems  # its body is made again, and so is the page
        cached = memo.pages.get(key) if reusable else None
        if cached is not None:
            pages.append(cached)
            continue
        context["post"] = view | {"content_html": Markup(html(item))}  # read only when made
        try:
            made = _page(env, template, context, f"{post.url_path}index.html", config)
            page = spool.keep(made.output_path, made.content) if spool is not None else made
            if reusable:
                memo.pages.keep(key, page)
            pages.append(page)
        except TemplateNotFound as exc:
            if fm.template and exc.name == fm.template:
                exc = TemplateNotFound(
                    fm.template,
                    f"front matter: template '{fm.template}' not found",
                    SourceLocation(post.source_path, fm.key_lines.get("template", 1)),
                    hint=f"create templates/{fm.template} or remove the 'template' key",
                )
            problems.append(exc.problem)
        except LemmaError as exc:
            problems.append(exc.problem)
    return pages


def _absolute(config: SiteConfig, url: str | None) -> str | None:
    """A site-absolute URL ("/blog/media/x.png") made absolute for link previews (None when
    base_url is not set: a preview needs an absolute address)."""
    if url is None or "://" in url:
        return url
    if not config.has_base_url:
        return None
    return config.absolute_url(url.removeprefix(config.base_path))


def _link(config: SiteConfig, item: RenderedPost | None) -> dict[str, str | None] | None:
    if item is None:
        return None
    return {
        "title": item.body.title_text,
        "title_html": Markup(item.body.title_html or escape(item.post.front_matter.title)),
        "url": config.url(item.post.url_path),
        "lang": shown_language(config, item.post.front_matter.language),
    }
