"""Execution of posts' snippets: cache lookups, then one isolated child process per post.

`execute_posts` is the stage the pipeline calls. Each post runs in a fork of a server that has
numpy and matplotlib imported already when the posts may need them (`scheduler`), in a scratch
working folder, with its snippets sharing one namespace (`worker`, `runner`). Figures are files
in the cache's figure store, named by the hash of their bytes: `lemma.reuse.figures.FigureStore`
says where.

A figure a snippet saves with `plt.savefig("x.png")` is not lost: the file lands in the scratch
folder (removed afterwards), and the figure, still open at the end of the snippet, appears in
the page like any other.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lemma.execute import protocol
from lemma.model import Error, Output, PostRun, Snippet, SnippetResult, SourceLocation, Stream
from lemma.reuse.cache import CacheStore, Manifest, cache_key
from lemma.reuse.figures import FigureStore

if TYPE_CHECKING:
    from lemma.execute.scheduler import ChildSettings, Finished

__all__ = [
    "ExecutionSettings",
    "PostJob",
    "execute_posts",
    "relocate_results",
    "start_engine_for",
]


@dataclass(frozen=True, slots=True)
class ExecutionSettings:
    root: Path  # absolute; files snippets read are recorded relative to it
    cache_dir: Path  # ROOT/.lemma-cache; figures live in cache_dir/"figures"
    output_dir: Path  # snippets can never write into it
    jobs: int  # posts run at once; 0 = os.cpu_count()
    memory_limit_mb: int  # per post's process; 0 = a quarter of physical memory
    use_cache: bool
    cache_url: str = ""  # a shared store behind the local cache (reuse/shared.py)
    cache_options: Mapping[str, Any] = field(default_factory=dict)
    lookup_only: bool = False  # `lemma build --no-execute`: a post not stored fails, never runs
    refresh_cache: bool = False  # run every post, then store its run (a fresh `lemma check`)

    @property
    def figures(self) -> FigureStore:
        return FigureStore.in_cache(self.cache_dir)


@dataclass(frozen=True, slots=True)
class PostJob:
    source_path: str  # "posts/x.md", relative to the root
    snippets: tuple[Snippet, ...]  # all of the post's snippets; only executable ones run


def execute_posts(
    posts: Sequence[PostJob],
    settings: ExecutionSettings,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_running: Callable[[Sequence[str]], None] | None = None,
) -> dict[str, PostRun]:
    """Run every post's executable snippets (or take them from the cache); one PostRun per post.

    The cache's runs are reported first; then `on_running` is given the source paths of the
    posts that will run, before the first starts (never when none does).
    """
    store = CacheStore(settings.cache_dir, settings.root) if settings.use_cache else None
    shared = None
    if store is not None and settings.cache_url:
        from lemma.reuse.shared import SharedStore

        shared = SharedStore(settings.cache_url, settings.cache_options)
    runs: dict[str, PostRun] = {}
    keys: dict[str, str] = {}
    by_path = {job.source_path: job for job in posts}
    to_run: list[tuple[str, Sequence[Snippet]]] = []

    def done(run: PostRun) -> None:
        runs[run.source_path] = run
        if on_post_done is not None:
            on_post_done(run)

    for job in posts:
        executable = [s for s in job.snippets if s.executable]
        if not executable:
            done(PostRun(job.source_path, (), 0.0))
            continue
        if store is not None:
            key = keys[job.source_path] = cache_key(job.source_path, job.snippets)
            cached = None if settings.refresh_cache else _load(store, key, job)
            pull = cached is None and not settings.refresh_cache and shared is not None
            if pull and shared is not None and shared.pull(key, store):
                cached = _load(store, key, job)  # checked like a local entry
            if cached is not None:
                done(cached)
                continue
        to_run.append((job.source_path, executable))

    def finished(source_path: str, report: Finished) -> None:
        run = PostRun(
            source_path,
            tuple(report.results),
            report.duration_s,
            from_cache=False,
            failure=report.failure,
            files_read=report.files_read,
            untracked=report.untracked,
        )
        # Failed runs are never cached, nor runs that used what Lemma cannot track.
        if store is not None and run.failure is None and not run.untracked:
            manifest = Manifest(
                files=run.files_read,
                distributions=store.distributions_for(report.modules),
                figures=protocol.figure_names(run.results),
            )
            payload = _payload(run, by_path[source_path])
            store.save(keys[source_path], payload, manifest, source_path)
            if shared is not None:
                shared.push(keys[source_path], store, manifest.figures)
        done(run)

    if settings.lookup_only:
        for source_path, pending in to_run:
            where = SourceLocation(source_path, pending[0].location.line)
            message = (
                "no stored results for this code (--no-execute runs nothing): "
                "run the shard builds first, or build without --no-execute"
            )
            done(PostRun(source_path, (), 0.0, failure=Error("", message, "", where)))
        to_run = []
    if to_run:
        # The engine (the fork server, its workers) is imported only when a post runs: a
        # build that takes every run from the cache, a prose edit say, never needs it.
        from lemma.execute.scheduler import run_children

        if on_running is not None:
            on_running([source_path for source_path, _ in to_run])
        run_children(to_run, _child_settings(settings), finished)
    return {job.source_path: runs[job.source_path] for job in posts}


def start_engine_for(
    source_path: str,
    snippets: Sequence[Snippet],
    settings: ExecutionSettings,
    *,
    numeric: bool = True,
) -> bool:
    """Start the engine now, without waiting for it, unless the local cache holds an entry for
    this post's code; True when it was started (`start_engine`)."""
    if settings.use_cache and not settings.refresh_cache:
        store = CacheStore(settings.cache_dir, settings.root)
        if store.holds(cache_key(source_path, snippets)):
            return False
    start_engine(settings.jobs, numeric=numeric)
    return True


def start_engine(jobs: int, *, numeric: bool = True, warm_up: bool = True) -> None:
    """Start the engine for `jobs` posts at once (0: one per CPU) now, without waiting for it;
    with `numeric`, its server imports numpy and matplotlib; without `warm_up`, it does not draw
    a figure first (`worker._warm_up`). The posts' run starts it again with numpy if it has none
    and a post may need it."""
    from lemma.execute.scheduler import start_server

    start_server(_jobs(jobs), numeric=numeric, warm_up=warm_up)


def _jobs(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def _child_settings(settings: ExecutionSettings) -> ChildSettings:
    jobs = _jobs(settings.jobs)
    memory_limit_mb = settings.memory_limit_mb
    if memory_limit_mb <= 0:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
            memory_limit_mb = max(256, total // 4 // (1024 * 1024))
        except (ValueError, OSError, AttributeError):
            memory_limit_mb = 0
    from lemma.execute.scheduler import ChildSettings

    return ChildSettings(
        root=settings.root.resolve(),
        cache_dir=settings.cache_dir.resolve(),
        output_dir=settings.output_dir.resolve(),
        jobs=jobs,
        memory_limit_mb=memory_limit_mb,
    )


def _payload(run: PostRun, job: PostJob) -> dict[str, Any]:
    return {
        "duration_s": run.duration_s,
        "results": [protocol.encode_result(result) for result in run.results],
        "files_read": protocol.encode_files(run.files_read),
        # where each snippet started, so that a hit after a prose edit can move line numbers
        "lines": {str(s.index): s.location.line for s in job.snippets if s.executable},
    }


def _load(store: CacheStore, key: str, job: PostJob) -> PostRun | None:
    payload = store.load(key)
    if payload is None:
        return None
    try:
        results = tuple(protocol.decode_result(r) for r in protocol.get_list(payload, "results"))
        files = protocol.decode_files(payload.get("files_read"))
        duration_s = protocol.get_float(payload, "duration_s")
        old_lines = protocol.as_object(payload.get("lines"))
    except protocol.ProtocolError:
        return None
    if not all(store.figures.holds(name) for name in protocol.figure_names(results)):
        return None  # a name the store never gave (an edited entry): never look it up
    results = relocate_results(results, job.source_path, job.snippets, old_lines)
    return PostRun(job.source_path, results, duration_s, from_cache=True, files_read=files)


def relocate_results(
    results: tuple[SnippetResult, ...],
    source_path: str,
    snippets: Sequence[Snippet],
    old_lines: Mapping[str, object],
) -> tuple[SnippetResult, ...]:
    """Stored results with their .md line numbers moved to where their snippets now start.

    `old_lines` maps a snippet's index (as text) to the line it started on when it ran: a prose
    edit above a snippet moves it without re-executing it.
    """
    moves = []
    for snippet in snippets:
        old = old_lines.get(str(snippet.index))
        if snippet.executable and isinstance(old, int) and old != snippet.location.line:
            moves.append((old, old + len(snippet.code.splitlines()), snippet.location.line - old))
    if not moves:
        return results
    return tuple(_moved(result, source_path, moves) for result in results)


_Moves = Sequence[tuple[int, int, int]]  # (first old line, end old line, shift)


def _moved(result: SnippetResult, path: str, moves: _Moves) -> SnippetResult:
    """The result with its .md line numbers shifted to where its snippets now are."""
    pattern = re.compile(rf'("{re.escape(path)}", line |{re.escape(path)}:)(\d+)')

    def line(number: int) -> int:
        shifts = (shift for first, end, shift in moves if first <= number < end)
        return number + next(shifts, 0)

    def text(value: str) -> str:
        return pattern.sub(lambda m: f"{m.group(1)}{line(int(m.group(2)))}", value)

    def output(item: Output) -> Output:
        if isinstance(item, Error):
            location = item.location
            if location is not None and location.path == path:
                location = location.at_line(line(location.line), location.column)
            return replace(
                item, evalue=text(item.evalue), traceback=text(item.traceback), location=location
            )
        if isinstance(item, Stream):
            return Stream(item.name, text(item.text))
        return item

    return SnippetResult(
        result.snippet_index,
        tuple(output(o) for o in result.outputs),
        result.duration_s,
        tuple((label, tuple(output(o) for o in outs)) for label, outs in result.variants),
    )
