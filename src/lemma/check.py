"""`lemma check` and `lemma check --drift`: every post's snippets run (drafts too) and every
body rendered, as a build does, without writing the site (`check_site`); or every post run
afresh and compared with its baseline (`drift_site`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from lemma.config import SiteConfig
from lemma.errors import Problem
from lemma.load.notebooks import in_cells
from lemma.model import PostRun, Site, SourceLocation
from lemma.pipeline import (
    Assembly,
    BuildReport,
    EarlyStart,
    Prepared,
    cited_posts,
    failure_problem,
    prepare_posts,
    report_of,
    run_snippets,
)
from lemma.render import PostBodies, RenderMemo
from lemma.render.listings import RenderedPost
from lemma.reuse.figures import FigureStore

if TYPE_CHECKING:
    from lemma.freeze.drift import Drift


def check_site(
    config: SiteConfig,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
) -> BuildReport:
    """Execute every snippet of every post, drafts included, and render each post's body, without
    writing the site: a broken link, an unknown reference or a missing image fails a check as it
    fails a build."""
    started = time.perf_counter()
    prepared = prepare_posts(config, on_snippets=EarlyStart(config, include_drafts=True))
    problems = list(prepared.problems)
    runs, frozen_problems = run_snippets(
        config, prepared.posts, prepared.snippets, on_post_done, on_execute_start
    )
    problems += frozen_problems
    problems += _body_problems(config, prepared, runs)
    problems = in_cells(problems, prepared.posts)
    if config.strict:
        problems = [p.as_error() for p in problems]
    by_path = {p.source_path: p for p in prepared.posts}
    failures = tuple(
        failure_problem(by_path[path], run.failure)
        for path, run in sorted(runs.items())
        if run.failure
    )
    failures = tuple(in_cells(failures, prepared.posts))
    assembly = Assembly(Site((), ()), len(prepared.posts), runs, failures, tuple(problems))
    return report_of(assembly, 0, started)


def _body_problems(
    config: SiteConfig, prepared: Prepared, runs: Mapping[str, PostRun]
) -> list[Problem]:
    """What rendering each post's body finds (links, references, images, math), as a build does."""
    posts, bibliographies, problems = cited_posts(config, prepared.posts, prepared.snippets)
    figures = FigureStore.in_cache(config.cache_dir)
    bodies = PostBodies(config, posts, prepared.snippets, figures, RenderMemo(), bibliographies)
    for post in posts:
        made = bodies.rendered(post, runs.get(post.source_path))
        problems += made.body.problems if isinstance(made, RenderedPost) else [made]
    return problems


def drift_site(
    config: SiteConfig,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
) -> tuple[BuildReport, dict[str, list[Drift]]]:
    """Run every post afresh (no cache, no frozen results) and compare it with its baseline.

    The baseline is the post's frozen results, else the last results the cache holds for the
    same code. Every drift beyond tolerance is an error at its snippet's line.
    """
    from lemma.freeze import FREEZE_DIR
    from lemma.freeze.drift import cached_baseline, compare_run, frozen_baseline

    started = time.perf_counter()
    prepared = prepare_posts(config)
    baselines = {}
    for post in prepared.posts:
        snippets = prepared.snippets[post.source_path]
        if any(s.executable for s in snippets):
            found = frozen_baseline(config.root, post.source_path, snippets)
            found = found or cached_baseline(config.cache_dir, post.source_path, snippets)
            if found is not None:
                baselines[post.source_path] = found
    fresh = replace(config, use_cache=False)
    runs, _ = run_snippets(
        fresh, prepared.posts, prepared.snippets, on_post_done, on_execute_start, use_frozen=False
    )
    by_path = {p.source_path: p for p in prepared.posts}
    failures = tuple(
        failure_problem(by_path[path], run.failure)
        for path, run in sorted(runs.items())
        if run.failure
    )
    problems = list(prepared.problems)
    figures = FigureStore.in_cache(config.cache_dir).read
    drifts: dict[str, list[Drift]] = {}
    for path, run in sorted(runs.items()):
        baseline = baselines.get(path)
        if run.failure is not None:
            continue
        if baseline is None:
            problems.append(
                Problem(
                    "no earlier outputs to compare with",
                    SourceLocation(path),
                    hint=f"freeze it (lemma freeze {path}) or build it once",
                    is_warning=True,
                )
            )
            continue
        changed = compare_run(baseline, run, prepared.snippets[path], figures)
        if changed:
            drifts[path] = changed
        for drift in changed:
            problems.append(
                Problem(
                    f"output changed since {baseline.source}: {drift.summary}",
                    drift.location,
                    hint=f"if the new output is right: lemma freeze {path}"
                    if baseline.source.startswith(FREEZE_DIR)
                    else "if the new output is right, the next 'lemma build' records it",
                    detail=drift.changed_lines or None,
                )
            )
    if config.strict:
        problems = [p.as_error() for p in problems]
    assembly = Assembly(Site((), ()), len(prepared.posts), runs, failures, tuple(problems))
    return report_of(assembly, 0, started), drifts
