"""`lemma freeze [POST…]`: run posts and write their results into `_freeze/`, to be committed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text

from lemma.cli.console import Console, display_path
from lemma.config import SiteConfig
from lemma.errors import BuildFailed, LemmaError, Problem, did_you_mean
from lemma.freeze import FREEZE_DIR, remove_frozen, write_frozen
from lemma.model import Post
from lemma.pipeline import execution_settings, failure_problem, prepare_posts


def freeze_command(args: argparse.Namespace, config: SiteConfig, console: Console) -> int:
    prepared = prepare_posts(config)
    errors = [p for p in prepared.problems if not p.is_warning]
    if errors:
        raise BuildFailed(errors)
    named: Sequence[str] = args.posts
    posts = (
        _named_posts(config, prepared.posts, named)
        if named
        else [p for p in prepared.posts if (p.front_matter.freeze or config.freeze) != "off"]
    )
    posts = [
        p for p in posts if any(s.executable for s in prepared.snippets.get(p.source_path, ()))
    ]
    if not posts and not named:
        console.info(
            "no post is frozen: set 'freeze: auto' in a post's front matter, "
            'or freeze = "auto" in site.toml'
        )
    from lemma.execute import PostJob, execute_posts

    settings = execution_settings(config)
    with console.progress("freezing") as progress:
        progress.start(len(posts))
        runs = execute_posts(
            [PostJob(p.source_path, prepared.snippets[p.source_path]) for p in posts],
            settings,
            progress.post_done,
        )
    failures: list[Problem] = []
    written = []
    for post in posts:
        run = runs[post.source_path]
        if run.failure is not None:
            failures.append(failure_problem(post, run.failure))
            continue
        folder = write_frozen(
            config.root, run, prepared.snippets[post.source_path], settings.figures.folder
        )
        written.append(display_path(folder))
    removed = [] if named else remove_frozen(config.root, [p.source_path for p in posts])
    console.problems([p for p in prepared.problems if p.is_warning] + failures)
    for path in written:
        console.info(f"froze {path}/")
    for path in removed:
        console.info(f"removed {path}/ (its post is no longer frozen)")
    executed = sum(1 for r in runs.values() if not r.from_cache)
    style = "red" if failures else "green"
    console.info(
        Text(
            f"froze {len(written)} post{'s' if len(written) != 1 else ''} into {FREEZE_DIR}/: "
            f"{executed} executed, {len(runs) - executed} from cache, {len(failures)} failed",
            style=style,
        )
    )
    return 1 if failures else 0


def _named_posts(config: SiteConfig, posts: Sequence[Post], names: Sequence[str]) -> list[Post]:
    """The posts named on the command line, as paths from here or from the site's root."""
    by_path = {p.source_path: p for p in posts}
    found: dict[str, Post] = {}
    for name in names:
        candidates = [Path(name).resolve(), (config.root / name).resolve()]
        match = None
        for candidate in candidates:
            try:
                relative = candidate.relative_to(config.root).as_posix()
            except ValueError:
                continue
            match = match or by_path.get(relative)
        if match is None:
            hint = did_you_mean(name, by_path) or "name a file under posts/, e.g. posts/my-post.md"
            raise LemmaError(f"no post {name!r} in {display_path(config.root)}", hint=hint)
        found[match.source_path] = match
    return list(found.values())
