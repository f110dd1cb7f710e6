"""`build_site(config) -> BuildReport`: load, parse, execute, render and write, in that order."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from lemma.config import SiteConfig, build_now
from lemma.errors import BuildFailed, ConfigError, LemmaError, OutputError, Problem, code_frame
from lemma.imports import imports_beyond_stdlib
from lemma.load import load_posts
from lemma.load.bibliography import Bibliography, load_bibliographies
from lemma.load.notebooks import in_cells
from lemma.load.other_tools import posts_elsewhere, settings_note
from lemma.load.publication import next_change, select_published, why_unpublished
from lemma.memos import Memos, memos_in, open_memo_file
from lemma.missing_modules import missing_module_hint
from lemma.model import (
    Error,
    Page,
    Post,
    PostRun,
    Site,
    Snippet,
    SnippetOptions,
    SourceLocation,
)
from lemma.parse import BodyParses, extract_snippets, parse_body
from lemma.parse.options import apply_option_mapping
from lemma.render import PostBodies, render_site
from lemma.render.attachments import ATTACHMENTS_DIR
from lemma.render.citations import cited_text
from lemma.render.crossrefs import Target, number_targets
from lemma.render.mathfont import OUTPUT_PATH as MATH_FONT_PATH
from lemma.render.mathfont import MathFontJob
from lemma.render.notebook import Notebooks, notebook_paths
from lemma.render.outputs import heavy_figure_warnings
from lemma.render.redirects import redirect_pages
from lemma.reuse.figures import FigureStore
from lemma.reuse.last_build import FRESH_NS, Outcome, forget, inputs_digest, save_record
from lemma.reuse.memo import memo_key, text_digest
from lemma.spool import Spool
from lemma.write import Staging, build_lock, check_output_dir
from lemma.write.pagefind import unavailable_reason as search_unavailable
from lemma.write.search import SearchIndex

if TYPE_CHECKING:
    from lemma.execute import ExecutionSettings

_YOUNG_THRESHOLD = 50_000  # allocations between two collections of young objects (`build_site`)


@dataclass(frozen=True, slots=True)
class BuildReport:
    posts: int  # posts in the site (or checked)
    pages_written: int
    executed: int  # posts whose snippets ran
    from_cache: int
    failed: int
    problems: tuple[Problem, ...]  # warnings, and with --keep-going the errors that were shown
    post_times: tuple[tuple[str, float], ...] = ()  # (source path, seconds) of executed posts
    duration_s: float = 0.0
    runs: Mapping[str, PostRun] = field(default_factory=dict)
    frozen: int = 0  # posts whose results came from _freeze/ (not counted in from_cache)
    left_out: str | None = None  # how many posts were not published, and why

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_warning)


def check_cache_dir(cache_dir: Path) -> None:
    """A cache folder that is not one (a file in its place, or in place of its folders) is
    reported, never deleted: it may not be Lemma's."""
    for path in (cache_dir, cache_dir / "entries", cache_dir / "figures"):
        if path.exists() and not path.is_dir():
            raise OutputError(
                f"the cache is damaged: {path.name} is a file, not a folder",
                SourceLocation(path.relative_to(cache_dir.parent).as_posix()),
                hint=f"delete {cache_dir.name}/: it only saves time and the next build remakes it",
            )


@dataclass(frozen=True, slots=True)
class Prepared:
    """Posts loaded and their snippets extracted, with every problem found so far."""

    posts: tuple[Post, ...]
    snippets: Mapping[str, tuple[Snippet, ...]]
    problems: tuple[Problem, ...]


def prepare_posts(
    config: SiteConfig,
    memos: Memos | None = None,
    parses: BodyParses | None = None,
    on_snippets: Callable[[Post, tuple[Snippet, ...]], None] | None = None,
) -> Prepared:
    """Load the posts and extract their snippets; the memos answer for unchanged posts.

    Each post's snippets are extracted as soon as it is loaded, and `on_snippets` sees them
    then, while the other posts still load (`EarlyStart`).
    """
    memos = memos if memos is not None else Memos()
    parses = parses if parses is not None else BodyParses()
    site_defaults = SnippetOptions(svg_limit_kb=config.figure_svg_limit_kb)
    defaults_problems: list[Problem] = []
    try:
        site_defaults, defaults_problems = apply_option_mapping(
            site_defaults, config.execute, SourceLocation("site.toml")
        )
    except LemmaError as exc:
        defaults_problems = [exc.problem]
    extracted: dict[str, tuple[tuple[Snippet, ...], Sequence[Problem]] | Problem] = {}

    def extract(post: Post) -> None:
        try:
            defaults, warnings = _post_defaults(post, site_defaults)
        except LemmaError as exc:
            extracted[post.source_path] = exc.problem
            return
        key = memo_key(post.source_path, text_digest(post.body), post.body_line, defaults)
        found = memos.snippets.get(key)
        if found is None:
            found = extract_snippets(post, defaults, parses.tokens(post.body, post.source_path))
            memos.snippets.keep(key, found)
        extracted[post.source_path] = (found[0], [*warnings, *found[1]])
        if on_snippets is not None:
            on_snippets(post, found[0])

    loaded = load_posts(
        config.posts_dir.parent, config.zone, memos.loaded, parses, extract, config.output_dir
    )
    problems = list(loaded.problems)
    problems.extend(defaults_problems)
    snippets: dict[str, tuple[Snippet, ...]] = {}
    posts = []
    for post in loaded.posts:
        result = extracted[post.source_path]
        if isinstance(result, Problem):
            problems.append(result)
            continue
        found, snippet_problems = result
        problems.extend(snippet_problems)
        snippets[post.source_path] = found
        posts.append(post)
    return Prepared(tuple(posts), snippets, tuple(problems))


def _post_defaults(
    post: Post, site_defaults: SnippetOptions
) -> tuple[SnippetOptions, list[Problem]]:
    """The site's snippet options with the post's `execute:` front matter applied, and warnings
    about the Quarto options there that Lemma ignores."""
    defaults = site_defaults
    warnings: list[Problem] = []
    lines = post.front_matter.key_lines
    for key, value in post.front_matter.execute.items():
        # Each option at its own line: `execute:` may span several.
        line = lines.get(f"execute.{key}", lines.get("execute", 1))
        where = SourceLocation(post.source_path, line)
        defaults, ignored = apply_option_mapping(defaults, {key: value}, where)
        warnings.extend(ignored)
    return defaults, warnings


class EarlyStart:
    """Starts the execution engine (the fork server: numpy and matplotlib imported, about a
    second) at the first post whose snippets must run, so that its start overlaps the loading
    of the other posts instead of following it. A server started without numpy (that post's
    code imports only the standard library: `lemma/imports.py`) is started again with it at the
    first later post whose code may need it, still while the posts load.

    A post counts when it has executable snippets, is in the build, is neither frozen nor a
    notebook with stored outputs, and the local cache has no entry for its code: a fully cached
    build never starts the engine. An entry that turns out stale (a changed data file) only
    means the engine starts later, when the post is run. Shards, --no-execute and a shared
    cache decide later too.
    """

    def __init__(self, config: SiteConfig, include_drafts: bool) -> None:
        self.config = config
        self.include_drafts = include_drafts
        try:
            self.now = build_now()
        except ConfigError:
            self.now = datetime.now(UTC)  # reported where the build decides what to publish
        self.settings: ExecutionSettings | None = None
        self.started = False
        self.numeric = False  # started with numpy and matplotlib

    def __call__(self, post: Post, snippets: tuple[Snippet, ...]) -> None:
        if self.numeric or not any(s.executable for s in snippets):
            return
        config, matter = self.config, post.front_matter
        if config.no_execute or config.shard is not None or config.cache_url:
            return
        if not self.include_drafts and (matter.draft or matter.date > self.now):
            return
        if post.stored_results is not None or (matter.freeze or config.freeze) != "off":
            return
        numeric = imports_beyond_stdlib(s.code for s in snippets if s.executable)
        if self.started and not numeric:
            return  # the server started serves this post as it is
        from lemma.execute import start_engine_for

        self.settings = self.settings or execution_settings(config)
        if start_engine_for(post.source_path, snippets, self.settings, numeric=numeric):
            self.started, self.numeric = True, numeric


def run_snippets(
    config: SiteConfig,
    posts: Sequence[Post],
    snippets: Mapping[str, Sequence[Snippet]],
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
    *,
    use_frozen: bool = True,
    on_running: Callable[[Sequence[str]], None] | None = None,
) -> tuple[dict[str, PostRun], tuple[Problem, ...]]:
    """Execute the posts that have executable snippets (imports the engine only when needed).

    Frozen posts whose code is unchanged are taken from `_freeze/` (unless `use_frozen` is
    false: `lemma check --drift`). `on_execute_start(total)` is called first with the number of
    posts to execute (for progress), counting those the cache will answer for; `on_running`
    as in `execute_posts`. Returns the runs, and warnings about stale frozen posts.
    """
    # A notebook that shows its stored outputs runs nothing: its run is what it saved (an R or
    # Julia notebook's too, though none of its cells is Python).
    stored = {
        p.source_path: PostRun(p.source_path, p.stored_results, 0.0, from_cache=True)
        for p in posts
        if p.stored_results is not None
    }
    to_execute = [
        p
        for p in posts
        if p.source_path not in stored
        and any(s.executable for s in snippets.get(p.source_path, ()))
    ]
    frozen_runs: Mapping[str, PostRun] = dict(stored)
    problems: tuple[Problem, ...] = ()
    if to_execute:
        check_cache_dir(config.cache_dir)
    if use_frozen and to_execute:
        modes = [(p.source_path, p.front_matter.freeze or config.freeze) for p in to_execute]
        if any(mode != "off" for _, mode in modes):
            from lemma.freeze import use_frozen as take_frozen

            use = take_frozen(
                config.root,
                FigureStore.in_cache(config.cache_dir).folder,
                [(path, mode, snippets[path]) for path, mode in modes],
                in_ci=config.in_ci,
            )
            frozen_runs, problems = {**stored, **use.runs}, use.problems
            to_execute = [p for p in to_execute if p.source_path not in frozen_runs]
    if config.shard is not None:
        to_execute = shard_share(to_execute, *config.shard)
    if on_execute_start is not None:
        on_execute_start(len(to_execute))
    if not to_execute:
        return dict(frozen_runs), problems
    from lemma.execute import PostJob, execute_posts

    settings = execution_settings(config)
    runs = execute_posts(
        [PostJob(p.source_path, tuple(snippets[p.source_path])) for p in to_execute],
        settings,
        on_post_done,
        on_running,
    )
    return {**frozen_runs, **runs}, problems


def shard_share(posts: Sequence[Post], shard: int, shards: int) -> list[Post]:
    """The posts of shard `shard` (1-based) among `shards` (`lemma build --shard K/N`): a round
    robin by path, the same on every machine."""
    ordered = sorted(posts, key=lambda p: p.source_path)
    return [p for i, p in enumerate(ordered) if i % shards == shard - 1]


def execution_settings(config: SiteConfig) -> ExecutionSettings:
    from lemma.execute import ExecutionSettings

    return ExecutionSettings(
        root=config.root,
        cache_dir=config.cache_dir,
        output_dir=config.output_dir,
        jobs=config.jobs,
        memory_limit_mb=config.memory_limit_mb,
        use_cache=config.use_cache,
        cache_url=config.cache_url,
        cache_options=config.cache_options,
        lookup_only=config.no_execute,
        refresh_cache=config.refresh_cache,
    )


def failure_problem(post: Post, error: Error) -> Problem:
    """A failed snippet as a Problem at its line in the .md file, with a code frame."""
    location = error.location or SourceLocation(post.source_path)
    if error.kind in ("timeout", "crash", "unexpected-success") or not error.ename:
        message = error.evalue
    else:
        message = f"{error.ename}: {error.evalue}" if error.evalue else error.ename
    source = "\n" * (post.body_line - 1) + post.body
    frame = code_frame(source, location.line, column=location.column)
    if location.line < post.body_line:  # the front matter is not in `source`
        frame = ""
    detail = "\n".join(part for part in (frame, error.traceback.rstrip()) if part)
    hint = missing_module_hint(error.evalue) if error.ename == "ModuleNotFoundError" else None
    return Problem(message, location, hint=hint, detail=detail or None)


@dataclass(frozen=True, slots=True)
class Assembly:
    """A site rendered in memory, with what happened on the way."""

    site: Site
    posts: int
    runs: Mapping[str, PostRun]
    failures: tuple[Problem, ...]  # snippets that failed, one per post
    problems: tuple[Problem, ...]  # everything else: errors and warnings
    left_out: str | None = None  # how many posts were not published, and why
    due_next: datetime | None = None  # when the next post goes public or expires

    @property
    def blocking(self) -> list[Problem]:
        """What stops a build from writing, failures last: errors first, then warnings."""
        return [p for p in self.problems if not p.is_warning] + list(self.failures)


def cited_posts(
    config: SiteConfig, posts: Sequence[Post], snippets: Mapping[str, Sequence[Snippet]]
) -> tuple[list[Post], dict[str, Bibliography], list[Problem]]:
    """`posts` with their excerpts' citations and cross-references read as the pages show them
    ("see Figure 2", where Quarto's listings show "?@fig-loss"), each post's bibliography, and
    what was wrong in the bibliography files."""
    bibliographies, errors = load_bibliographies(
        config.root, config.bibliography, config.citation_style, list(posts)
    )
    cited = []
    for post in posts:
        numbered = partial(_numbered, post, snippets.get(post.source_path, ()))
        excerpt = cited_text(post.excerpt, bibliographies.get(post.source_path), numbered)
        cited.append(replace(post, excerpt=excerpt))
    return cited, bibliographies, [error.problem for error in errors]


def _numbered(post: Post, snippets: Sequence[Snippet]) -> Mapping[str, Target]:
    """The post's numbered labels, as its body numbers them (its problems are the body's)."""
    where = SourceLocation(post.source_path, post.body_line)
    targets, _ = number_targets(parse_body(post.body), snippets, where)
    return targets


def assemble_site(
    config: SiteConfig,
    memos: Memos | None = None,
    *,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
    spool: Spool | None = None,
    on_html: Callable[[Site], None] | None = None,
) -> Assembly:
    """Load, execute and render the whole site in memory; never raises for content mistakes.

    `memos` are what earlier builds left for this one (`lemma serve` keeps them in memory).
    `on_html` is given the site once its HTML pages are made, before its notebooks and the math
    font (a build starts the search index there).
    """
    memos = memos if memos is not None else Memos()
    parses = BodyParses()  # each post's body is parsed once, by the first stage that needs it
    prepared = prepare_posts(config, memos, parses, EarlyStart(config, config.include_drafts))
    problems = list(prepared.problems)
    if note := settings_note(config.root):  # a blog moved from another tool, no site.toml yet
        problems.append(note)
    now = build_now()
    selection = select_published(prepared.posts, config.include_drafts, now)
    posts, bibliographies, bibliography_problems = cited_posts(
        config, selection.posts, prepared.snippets
    )
    figures = FigureStore.in_cache(config.cache_dir)
    shown = {p.source_path for p in posts}
    unpublished = [
        (p, why_unpublished(p, now)) for p in prepared.posts if p.source_path not in shown
    ]
    bodies = PostBodies(
        config, posts, prepared.snippets, figures, memos.render, bibliographies, unpublished, parses
    )
    notebooks = Notebooks(
        prepared.snippets,
        figures,
        {p.source_path: config.absolute_url(p.url_path) for p in posts},
        memos.notebooks,
        parses,
        bibliographies,
        spool,
    )
    by_path = {p.source_path: p for p in posts}

    def render_then_forget(post: Post, run: PostRun | None) -> None:
        """The post's body, and what its notebook needs of the parse; then the parse goes (at
        500 posts, the parses were half of the builder's memory when kept for the notebooks).
        A post not parsed (its body and notebook in the memo) is left as it is."""
        bodies.rendered(post, run)
        if parses.holds(post.body, post.source_path):
            notebooks.outline(post, run)
            parses.forget(post.body, post.source_path)

    def arrived(run: PostRun) -> None:
        if on_post_done is not None:
            on_post_done(run)
        post = by_path[run.source_path]
        if run.from_cache or run.frozen:
            # The cache's runs come before any post runs: while the engine starts (a code edit
            # waits about 0.2 s for it), not after the run.
            render_then_forget(post, run)
            return
        # While the other posts run; render_site and notebooks.pages find these in memos.
        bodies.rendered(post, run)
        notebooks.made(post, run)  # from the parse, which then goes
        parses.forget(post.body, post.source_path)

    preparing: list[threading.Thread] = []  # templates and lexers, while posts run

    def running(paths: Sequence[str]) -> None:
        languages = {s.language for path in paths for s in prepared.snippets.get(path, ())}
        preparing.append(bodies.start_preparing(languages))

    runs, frozen_problems = run_snippets(
        config, posts, prepared.snippets, arrived, on_execute_start, on_running=running
    )
    for thread in preparing:
        thread.join()
    problems += frozen_problems
    problems += heavy_figure_warnings(runs, prepared.snippets)
    failures = tuple(
        failure_problem(by_path[path], run.failure)
        for path, run in sorted(runs.items())
        if run.failure
    )
    problems += bibliography_problems
    later = notebook_paths(posts, prepared.snippets)
    for post in posts:
        render_then_forget(post, runs.get(post.source_path))
    math_chars = bodies.math_chars(posts, runs)
    # The math font is cut in another process while the pages are assembled and indexed.
    with MathFontJob(math_chars, config.cache_dir) as math_font:
        rendered = render_site(
            config,
            posts,
            prepared.snippets,
            runs,
            figures,
            later,
            memo=memos.render,
            bibliographies=bibliographies,
            unpublished=unpublished,
            parses=parses,
            bodies=bodies,
            spool=spool,
        )
        problems += rendered.problems
        site = rendered.site
        font = [MATH_FONT_PATH] if math_chars else []
        taken = {p.output_path for p in site.pages} | {a.output_path for a in site.assets}
        redirects, redirect_problems = redirect_pages(config, posts, taken | later | set(font))
        problems += redirect_problems
        site = replace(site, pages=(*site.pages, *redirects))
        if on_html is not None:
            on_html(site)  # every HTML page is made: what comes next is not HTML
        notebook_pages = notebooks.pages(posts, runs)
        memos.end_build()
        font_page = [Page(path, math_font.result()) for path in font]
        pages = (*site.pages, *notebook_pages, *font_page)
    site = replace(site, pages=tuple(sorted(pages, key=lambda p: p.output_path)))
    problems = in_cells(problems, prepared.posts)  # a notebook's problems name its cells
    failures = tuple(in_cells(failures, prepared.posts))
    if config.strict:
        problems = [p.as_error() for p in problems]
    due_next = next_change(prepared.posts, now)
    return Assembly(
        site, len(posts), runs, failures, tuple(problems), selection.left_out_line(), due_next
    )


def build_site(
    config: SiteConfig,
    *,
    explicit_out: bool = False,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
    on_swapped: Callable[[], None] | None = None,
) -> BuildReport:
    """Build the site into config.output_dir; raises BuildFailed with every error found.

    `on_swapped` is called once the new site is in place (an interruption after it must not
    say that the previous site is unchanged)."""
    started = time.perf_counter()
    check_output_dir(config.root, config.output_dir, explicit=explicit_out)
    if not config.posts_dir.is_dir():  # before the lock: a folder that is no blog stays as it was
        raise ConfigError(
            "no posts/ folder",
            SourceLocation(str(config.root)),
            hint=posts_elsewhere(config.root) or "create posts/ and add a .md file",
        )
    check_cache_dir(config.cache_dir)
    with build_lock(config.cache_dir), _fewer_collections():
        return _build_locked(config, started, on_post_done, on_execute_start, on_swapped)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, run less often for the build: by default it looks
    through the young objects every 700 allocations, and through everything (the memo file's
    entries, every post) every few thousand collections: 0.4 s of a prose edit at 2,000 posts.
    A build makes little cyclic garbage (its peak memory is the same without any collection),
    so the young threshold is 50,000: 0.05 s."""
    before = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build_locked(
    config: SiteConfig,
    started: float,
    on_post_done: Callable[[PostRun], None] | None,
    on_execute_start: Callable[[int], None] | None,
    on_swapped: Callable[[], None] | None,
) -> BuildReport:
    started_ns = time.time_ns()  # entries used from now on are this build's (reuse/prune.py)
    # What this build reads, taken before it reads it: an edit during the build is not missed.
    inputs = inputs_digest(config, started_ns - FRESH_NS) if config.use_cache else None
    no_search = search_unavailable() if config.search else None
    if no_search:  # a missing optional tool, not a content problem: --strict leaves it a warning
        config = replace(config, search=False)
    from lemma.reuse.prune import prune_cache, prune_folder

    # A second build parses and renders only what changed; --no-cache starts from nothing.
    memo_file = open_memo_file(config) if config.use_cache else None
    memos = memos_in(memo_file) if memo_file else Memos()
    # New notebooks and post pages go to disk as they are made; the write step links them in.
    spool = Spool(config.cache_dir)
    try:
        # Leaving the `with`, Pagefind is stopped first, then a site not swapped in is removed.
        with (
            Staging(config.output_dir) as staging,
            SearchIndex(
                config.cache_dir,
                config.output_dir,
                reuse=config.use_cache,
                part_pages=config.search_part_pages,
            ) as search,
        ):
            staging.made()  # now: the previous site's folders are made in it meanwhile

            def html_made(site: Site) -> None:
                # Indexed from memory while the site is written and its notebooks and the font
                # are made.
                if config.search:
                    search.start(staging.made(), site)
                staging.fill(site)

            assembly = assemble_site(
                config,
                memos,
                on_post_done=on_post_done,
                on_execute_start=on_execute_start,
                spool=spool,
                on_html=html_made,
            )
            if no_search:
                warning = Problem(f"search: no index built: {no_search}", is_warning=True)
                assembly = replace(assembly, problems=(*assembly.problems, warning))
            errors = [p for p in assembly.problems if not p.is_warning]
            # --keep-going writes the site on every content error: a post with a broken link is
            # shown with the link marked, a post that cannot be rendered is left out; the exit
            # code says 1.
            if not config.keep_going and (errors or assembly.failures):
                warnings = [p for p in assembly.problems if p.is_warning]
                raise BuildFailed(errors + list(assembly.failures) + warnings)
            staging.fill(assembly.site)
            if memo_file:
                # While Pagefind indexes. Only a cache: an entry whose page does not reach the
                # output folder (a failed swap) is a miss next time (reuse/codec.py).
                with contextlib.suppress(OSError):
                    memo_file.save()
            finalize = partial(search.finalize, site=assembly.site) if config.search else None
            pages_written = staging.swap(finalize, on_swapped)
        spool.close()  # before the build is recorded: the record covers the cache folder
        if config.use_cache:
            with contextlib.suppress(OSError):  # these only save time: never fail a build for them
                prune_cache(config.cache_dir, started_ns, assembly.runs, config.cache_limit_mb)
                attachments = config.cache_dir / ATTACHMENTS_DIR
                prune_folder(attachments, (a.source for a in assembly.site.assets))
                if config.search:
                    search.record()
        _record(config, started_ns, inputs, assembly, pages_written)
        staging.removed()  # the old site, removed meanwhile on another core
    finally:
        spool.close()
        if memo_file:
            memo_file.close()  # saved above, or not to be saved: a failed build keeps the last
    return report_of(assembly, pages_written, started)


def _record(
    config: SiteConfig, started_ns: int, inputs: str | None, assembly: Assembly, pages: int
) -> None:
    """Record a build the next one can skip when nothing changes; forget it when the next must
    run anyway: a snippet failed, or ran a program or used the network that Lemma cannot see."""
    runs = assembly.runs.values()
    clean = not assembly.failures and not any(not p.is_warning for p in assembly.problems)
    if not clean or config.no_execute or config.shard or any(r.untracked for r in runs):
        forget(config)
        return
    due = assembly.due_next
    outcome = Outcome(
        posts=assembly.posts,
        pages=pages,
        from_cache=sum(
            1 for r in runs if not r.frozen and (r.from_cache or r.results or r.duration_s > 0)
        ),
        frozen=sum(1 for r in runs if r.frozen),
        warnings=assembly.problems,
        left_out=assembly.left_out,
    )
    files = [record for run in runs for record in run.files_read]
    valid_until = None if due is None else int(due.timestamp() * 1e9)
    save_record(config, started_ns, inputs, files, valid_until, outcome)


def report_of(assembly: Assembly, pages_written: int, started: float) -> BuildReport:
    runs = assembly.runs
    # A run with no result that took no time never started (--no-execute, a stale frozen post).
    executed = [
        r
        for r in runs.values()
        if not r.from_cache and not r.frozen and (r.results or r.duration_s > 0)
    ]
    frozen = sum(1 for r in runs.values() if r.frozen)
    return BuildReport(
        posts=assembly.posts,
        pages_written=pages_written,
        executed=len(executed),
        from_cache=sum(1 for r in runs.values() if r.from_cache and not r.frozen),
        frozen=frozen,
        failed=len(assembly.failures),
        problems=assembly.failures + assembly.problems,
        post_times=tuple(
            sorted(((r.source_path, r.duration_s) for r in executed), key=lambda t: -t[1])
        ),
        duration_s=time.perf_counter() - started,
        runs=runs,
        left_out=assembly.left_out,
    )
