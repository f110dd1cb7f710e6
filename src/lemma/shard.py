"""`lemma build --shard K/N`: execute one deterministic share of the posts into the shared cache.

N machines each run `lemma build --shard K/N` against the same `cache_url`; a final
`lemma build --no-execute` renders the site from what they stored, executing nothing. The share
is a round robin over the posts that may need running (executable, not frozen), sorted by path:
the same on every machine, whatever each machine's local cache already holds, so that no post
is left to nobody.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from lemma.config import SiteConfig, build_now
from lemma.errors import ConfigError, LemmaError
from lemma.load.publication import select_published
from lemma.model import PostRun, Site, SourceLocation
from lemma.pipeline import (
    Assembly,
    BuildReport,
    failure_problem,
    prepare_posts,
    report_of,
    run_snippets,
)

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """`"2/4"` -> (2, 4); K counts from 1, as a CI matrix does."""
    match = _SHARD.match(text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise LemmaError(
            f"--shard takes K/N with 1 <= K <= N, not {text!r}",
            hint="e.g. --shard 2/4 for the second of four machines",
        )
    return int(match[1]), int(match[2])


def execute_shard(
    config: SiteConfig,
    on_post_done: Callable[[PostRun], None] | None = None,
    on_execute_start: Callable[[int], None] | None = None,
) -> BuildReport:
    """Execute this shard's posts (those the caches do not hold) and store them; write no site."""
    if not config.cache_url:
        raise ConfigError(
            "--shard stores its results for the final build in a shared cache, and site.toml "
            "sets no cache_url",
            SourceLocation("site.toml"),
            hint='e.g. cache_url = "s3://my-bucket/blog-cache" or "file:///mnt/shared/lemma"',
        )
    from lemma.reuse.shared import SharedStore

    problem = SharedStore(config.cache_url, config.cache_options).check_writable()
    if problem is not None:  # a shard that cannot store its results would run for nothing
        raise ConfigError(
            f"cache_url {config.cache_url!r} cannot be written: {problem}",
            SourceLocation("site.toml"),
            hint="check the URL, cache_options and the machine's credentials",
        )
    started = time.perf_counter()
    prepared = prepare_posts(config)
    posts = list(select_published(prepared.posts, config.include_drafts, build_now()).posts)
    runs, frozen_problems = run_snippets(
        config, posts, prepared.snippets, on_post_done, on_execute_start
    )
    by_path = {p.source_path: p for p in posts}
    failures = tuple(
        failure_problem(by_path[path], run.failure)
        for path, run in sorted(runs.items())
        if run.failure
    )
    problems = (*prepared.problems, *frozen_problems)
    return report_of(Assembly(Site((), ()), len(runs), runs, failures, problems), 0, started)
