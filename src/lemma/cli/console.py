"""Terminal output of the `lemma` commands: problems, execution progress and summaries (rich).

`cli` decides what to print; these are its helpers. On a terminal they use colour, a live progress
bar and clickable links; otherwise (CI logs, pipes) they write plain lines that read well in a log.
`NO_COLOR` turns colour off; `quiet` keeps only errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, TextIO

from rich.console import Console as RichConsole
from rich.text import Text

from lemma.errors import Problem
from lemma.model import PostRun

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

SLOWEST_SHOWN = 3


def format_problem(problem: Problem) -> list[str]:
    """`path:line:col: message (hint)`, then the code frame or traceback indented under it."""
    label = problem.label
    where = f"{problem.location}: " if problem.location else ""
    hint = f" ({problem.hint})" if problem.hint else ""
    lines = [f"{where}{label}{problem.message}{hint}"]
    if problem.detail:
        lines += [f"    {line}" for line in problem.detail.splitlines()]
    return lines


def display_path(path: Path, cwd: Path | None = None) -> str:
    """`path` relative to the working folder when it lies inside it, else absolute."""
    cwd = (cwd or Path.cwd()).resolve()
    path = path.resolve()
    if path == cwd:
        return "."
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else str(path)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a command did, for its closing lines."""

    verb: str  # "built" or "checked"
    posts: int
    pages_written: int | None  # None when the command writes no pages
    executed: int
    from_cache: int
    failed: int
    post_times: tuple[tuple[str, float], ...]  # (source path, seconds), slowest first
    duration_s: float
    errors: int = 0
    warnings: int = 0
    frozen: int = 0  # taken from _freeze/; shown only when some were
    untracked: tuple[tuple[str, str], ...] = ()  # (source path, why its run is not cached)


def summary_lines(summary: Summary) -> list[str]:
    """A few lines: the counts on one line (greppable in CI logs), then the slowest posts."""
    s = summary
    counts = [] if s.pages_written is None else [f"{s.pages_written} pages written"]
    counts += [f"{s.executed} executed", f"{s.from_cache} from cache"]
    if s.frozen:
        counts.append(f"{s.frozen} frozen")
    counts.append(f"{s.failed} failed")
    if s.errors:
        counts.append(_plural(s.errors, "error"))
    if s.warnings:
        counts.append(_plural(s.warnings, "warning"))
    lines = [f"{s.verb} {_plural(s.posts, 'post')} in {s.duration_s:.2f} s: {', '.join(counts)}"]
    slowest = [f"{path} {seconds:.2f} s" for path, seconds in s.post_times[:SLOWEST_SHOWN]]
    if slowest:
        lines.append(f"slowest: {', '.join(slowest)}")
    if s.verb == "checked" and s.from_cache:
        lines.append(
            f"cached: {_plural(s.from_cache, 'post')} passed from the cache, not run again (their "
            "code and every file they read are unchanged); 'lemma check --no-cache' runs them"
        )
    for path, reason in s.untracked:
        lines.append(
            f"not cached: {path} runs again on every build: {reason} ('#| cache: keep' on the "
            "snippet caches it anyway)"
        )
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Console:
    """Where and how the commands write: colours and live output only on a terminal."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        environ = dict(os.environ if environ is None else environ)
        self.quiet = quiet
        no_color = environ.get("NO_COLOR", "") != ""
        # soft_wrap everywhere: an error line is never cut in two, so editors can follow it.
        self.out = RichConsole(
            file=out or sys.stdout,
            no_color=no_color,
            highlight=False,
            soft_wrap=True,
            _environ=environ,
        )
        self.err = RichConsole(
            file=err or sys.stderr,
            no_color=no_color,
            highlight=False,
            soft_wrap=True,
            _environ=environ,
        )

    @property
    def is_terminal(self) -> bool:
        return self.out.is_terminal

    def info(self, text: str | Text) -> None:
        """A line for the user on stdout; nothing with --quiet."""
        if not self.quiet:
            self.out.print(text, markup=False)

    def log(self, text: str | Text) -> None:
        """A line of a long-running command (serve) on stderr; nothing with --quiet."""
        if not self.quiet:
            self.err.print(text, markup=False)

    def problems(self, problems: Sequence[Problem]) -> None:
        """Every problem on stderr: errors and warnings even with --quiet, notes without it."""
        for problem in problems:
            if problem.is_note and self.quiet:
                continue
            first, *rest = format_problem(problem)
            style = "dim" if problem.is_note else "yellow" if problem.is_warning else "red"
            line = Text(first, style=style)
            if problem.location:
                line.stylize("bold", 0, len(str(problem.location)) + 1)
            self.err.print(line)
            for extra in rest:
                self.err.print(Text(extra, style="dim"), markup=False)

    def error(self, text: str) -> None:
        self.err.print(Text(text, style="bold red"), markup=False)

    def summary(self, summary: Summary) -> None:
        if self.quiet:
            return
        first, *rest = summary_lines(summary)
        style = "red" if summary.failed or summary.errors else "green"
        self.out.print(Text(first, style=style), markup=False)
        for line in rest:
            self.out.print(line, markup=False)

    def link(self, url: str) -> Text:
        """A URL that terminals make clickable (OSC 8 on a terminal, the plain URL elsewhere)."""
        return Text(url, style=f"link {url}" if self.is_terminal else "")

    @contextmanager
    def progress(
        self, noun: str = "executing", *, every_post: bool = False
    ) -> Iterator[ExecutionProgress]:
        """Progress of the posts being executed: a live bar on a terminal, plain lines elsewhere.

        With `every_post` (lemma check), one line per post, cached ones too, and no bar.
        """
        progress = ExecutionProgress(self, noun, every_post=every_post)
        try:
            yield progress
        finally:
            progress.close()


class ExecutionProgress:
    """Receives the pipeline's `on_execute_start` and `on_post_done` callbacks (any thread)."""

    def __init__(self, console: Console, noun: str, *, every_post: bool = False) -> None:
        self.console = console
        self.noun = noun
        self.every_post = every_post
        self.total = 0
        self.done = 0
        self.executed = 0
        self.from_cache = 0
        self.failed = 0
        self._lock = Lock()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        self.total = total
        if self.console.quiet or total == 0:
            return
        if self.console.is_terminal and not self.every_post:
            # Imported only for a live bar: a quiet or piped build does not pay for it.
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn(f"[bold]{self.noun}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                console=self.console.out,
                transient=True,
            )
            self._task = self._bar.add_task(self.noun, total=total, counts=self._counts())
            self._bar.start()
        else:
            self.console.info(f"{_plural(total, 'post')} with snippets: {self._doing()}")

    def post_done(self, run: PostRun) -> None:
        with self._lock:
            self.done += 1
            if run.failure is not None:
                self.failed += 1
            if run.from_cache:
                self.from_cache += 1
            else:
                self.executed += 1
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, completed=self.done, counts=self._counts())
            elif self.every_post or not run.from_cache or run.failure is not None:
                # Plain lines for the posts that ran; cached ones only count, except in a check.
                counter = f"[{self.done:>{len(str(self.total))}}/{self.total}]"
                if run.failure is not None:
                    line = f"failed {run.source_path} in {run.duration_s:.2f} s"
                elif run.from_cache:
                    line = f"cached {run.source_path} (ran in {run.duration_s:.2f} s)"
                else:
                    line = f"ran {run.source_path} in {run.duration_s:.2f} s"
                self.console.info(f"{counter} {line}")

    def _doing(self) -> str:
        # A build runs only what the cache has no results for: say so before the first line.
        if self.noun == "executing" and not self.every_post:
            return "executing those the cache has no results for"
        return f"{self.noun} them"

    def _counts(self) -> str:
        counts = f"{self.executed} executed · {self.from_cache} cached"
        return counts + (f" · [red]{self.failed} failed[/red]" if self.failed else "")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
