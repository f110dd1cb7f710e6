"""Terminal output: problems as `path:line:col`, progress, summaries, TTY versus logs, NO_COLOR."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from lemma.cli.console import Console, Summary, display_path, format_problem, summary_lines
from lemma.errors import Problem
from lemma.model import Error, PostRun, SourceLocation
from site_support import SiteDir, assert_ok, error_line, lemma_env, post

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7])(?:;[0-9]+)*m")
ANSI = re.compile(r"\x1b[\[\]]")

SNIPPET_POST = post("With code", "2025-01-20", '```python\nprint("hi " * 2)\n```\n')
PROSE_POST = post("Prose only", "2025-01-10", "Just prose.\n")


def console(quiet: bool = False, **environ: str) -> tuple[Console, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Console(quiet=quiet, out=out, err=err, environ=environ), out, err


def run(
    path: str, *, from_cache: bool = False, failed: bool = False, seconds: float = 0.5
) -> PostRun:
    failure = Error("ValueError", "bad", "", SourceLocation(path, 9)) if failed else None
    return PostRun(path, (), seconds, from_cache=from_cache, failure=failure)


# Formatting, without a terminal ---------------------------------------------------------------


def test_problem_is_path_line_col_then_its_code_frame() -> None:
    problem = Problem(
        "NameError: name 'x' is not defined",
        SourceLocation("posts/a.md", 12, 5),
        hint="did you mean 'y'?",
        detail=">  12 | print(x)\n    Traceback...",
    )
    assert format_problem(problem) == [
        "posts/a.md:12:5: NameError: name 'x' is not defined (did you mean 'y'?)",
        "    >  12 | print(x)",
        "        Traceback...",
    ]


def test_warning_is_labelled_after_its_location() -> None:
    problem = Problem("broken link", SourceLocation("posts/a.md", 3), is_warning=True)
    assert format_problem(problem) == ["posts/a.md:3: warning: broken link"]


def test_display_path_is_relative_only_inside_the_working_folder(tmp_path: Path) -> None:
    inside = tmp_path / "blog" / "_site"
    assert display_path(inside, tmp_path) == "blog/_site"
    assert display_path(tmp_path, tmp_path) == "."
    outside = tmp_path.parent / "elsewhere"
    assert display_path(outside, tmp_path / "blog") == str(outside.resolve())


def test_summary_has_every_count_on_one_line_and_the_slowest_posts() -> None:
    summary = Summary(
        verb="built",
        posts=12,
        pages_written=40,
        executed=3,
        from_cache=8,
        failed=1,
        post_times=(
            ("posts/a.md", 2.5),
            ("posts/b.md", 1.25),
            ("posts/c.md", 0.5),
            ("posts/d.md", 0.1),
        ),
        duration_s=3.456,
    )
    first, slowest = summary_lines(summary)
    assert first == (
        "built 12 posts in 3.46 s: 40 pages written, 3 executed, 8 from cache, 1 failed"
    )
    assert slowest == "slowest: posts/a.md 2.50 s, posts/b.md 1.25 s, posts/c.md 0.50 s"


def test_summary_of_a_check_names_no_pages_and_counts_problems() -> None:
    summary = Summary("checked", 1, None, 0, 1, 0, (), 0.2, errors=2, warnings=1)
    assert summary_lines(summary) == [
        "checked 1 post in 0.20 s: 0 executed, 1 from cache, 0 failed, 2 errors, 1 warning",
        "cached: 1 post passed from the cache, not run again (their code and every file they read "
        "are unchanged); 'lemma check --no-cache' runs them",
    ]


# The Console, writing to files (a log) --------------------------------------------------------


def test_progress_in_a_log_is_plain_lines_for_posts_that_ran() -> None:
    out_console, out, _ = console()
    with out_console.progress() as progress:
        progress.start(3)
        progress.post_done(run("posts/a.md", seconds=1.5))
        progress.post_done(run("posts/b.md", from_cache=True))
        progress.post_done(run("posts/c.md", failed=True, seconds=0.25))
    assert out.getvalue().splitlines() == [
        "3 posts with snippets: executing those the cache has no results for",
        "[1/3] ran posts/a.md in 1.50 s",
        "[3/3] failed posts/c.md in 0.25 s",
    ]
    assert (progress.executed, progress.from_cache, progress.failed) == (2, 1, 1)
    assert not ANSI.search(out.getvalue())


def test_quiet_prints_problems_and_nothing_else() -> None:
    quiet, out, err = console(quiet=True)
    with quiet.progress() as progress:
        progress.start(1)
        progress.post_done(run("posts/a.md"))
    quiet.summary(Summary("built", 1, 1, 1, 0, 0, (), 0.1))
    quiet.info("site: _site/")
    quiet.problems([Problem("bad", SourceLocation("posts/a.md", 2))])
    assert out.getvalue() == ""
    assert err.getvalue() == "posts/a.md:2: bad\n"


def test_a_long_error_line_is_never_wrapped() -> None:
    long_console, _, err = console()
    message = "x" * 300
    long_console.problems([Problem(message, SourceLocation("posts/a.md", 1, 2))])
    assert err.getvalue() == f"posts/a.md:1:2: {message}\n"


def test_terminal_output_is_coloured_and_links_are_clickable() -> None:
    tty, out, err = console(FORCE_COLOR="1")
    assert tty.is_terminal
    tty.problems([Problem("bad", SourceLocation("posts/a.md", 2))])
    tty.out.print(tty.link("http://localhost:8000/"))
    assert ANSI_COLOUR.search(err.getvalue())
    assert "\x1b]8;" in out.getvalue()  # OSC 8: a hyperlink


def test_no_color_keeps_a_terminal_free_of_colour() -> None:
    tty, out, err = console(FORCE_COLOR="1", NO_COLOR="1")
    tty.problems([Problem("bad", SourceLocation("posts/a.md", 2))])
    tty.summary(Summary("built", 1, 1, 0, 0, 1, (), 0.1))
    assert not ANSI_COLOUR.search(err.getvalue() + out.getvalue())
    assert "posts/a.md:2: bad" in re.sub(r"\x1b\[[0-9;]*m", "", err.getvalue())


def test_progress_on_a_terminal_is_a_bar_that_clears_itself() -> None:
    tty, out, _ = console(FORCE_COLOR="1")
    with tty.progress() as progress:
        progress.start(2)
        progress.post_done(run("posts/a.md"))
        progress.post_done(run("posts/b.md", from_cache=True))
    text = out.getvalue()
    assert "executing" in text and "1 executed" in text and "1 cached" in text
    assert "ran posts/a.md" not in text  # the bar, not log lines


# The real CLI ----------------------------------------------------------------------------------


def test_build_ends_with_a_summary_and_how_to_preview(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/2025-01-10-p.md": PROSE_POST, "site.toml": "search = false\n"})
    result = site.build()
    assert_ok(result)
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"built 1 post in \d+\.\d\d s: \d+ pages written, 0 executed, 0 from cache, 0 failed",
        lines[0],
    ), result.stdout
    assert "site: _site/" in lines
    assert any(line.startswith("preview: lemma serve ") for line in lines)
    assert "--root" not in result.stdout  # run from the root itself


def test_build_from_elsewhere_names_the_site_by_a_relative_path(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/2025-01-10-p.md": PROSE_POST, "site.toml": "search = false\n"})
    result = _lemma(site.root.parent, "build", "--root", site.root.name)
    assert result.returncode == 0, result.stderr
    assert f"site: {site.root.name}/_site/" in result.stdout
    assert f"preview: lemma serve --root {site.root.name}" in result.stdout


def test_build_outside_the_working_folder_names_the_site_by_an_absolute_path(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = make_site({"posts/2025-01-10-p.md": PROSE_POST, "site.toml": "search = false\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _lemma(elsewhere, "build", "--root", str(site.root))
    assert result.returncode == 0, result.stderr
    assert f"site: {site.root.resolve()}/_site/" in result.stdout


def test_build_with_snippets_reports_progress_lines_and_the_slowest_posts(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST, "site.toml": "search = false\n"})
    result = site.build()
    assert_ok(result)
    assert "1 post with snippets: executing those the cache has no results for" in result.stdout
    assert re.search(r"^\[1/1\] ran posts/2025-01-20-code\.md in ", result.stdout, re.MULTILINE)
    assert "1 executed, 0 from cache, 0 failed" in result.stdout
    assert re.search(r"^slowest: posts/2025-01-20-code\.md \d", result.stdout, re.MULTILINE)
    again = site.build()
    assert "0 executed, 1 from cache, 0 failed" in again.stdout
    assert "[1/1]" not in again.stdout  # cached posts are counted, not listed


def test_a_failed_snippet_is_reported_with_its_location_and_code_frame(
    make_site: Callable[..., SiteDir],
) -> None:
    broken = post("Broken", "2025-01-20", "```python\nx = 1\nprint(y)\n```\n")
    site = make_site({"posts/2025-01-20-broken.md": broken, "site.toml": "search = false\n"})
    result = site.build()
    assert result.code == 1
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("posts/2025-01-20-broken.md:8"))
    assert "NameError" in lines[at]
    assert "print(y)" in "\n".join(lines[at + 1 : at + 6])
    assert re.search(r"^build failed: 1 error in \d+\.\d\d s", result.stderr, re.MULTILINE)


def test_quiet_build_prints_nothing_when_all_is_well(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST, "site.toml": "search = false\n"})
    result = site.build("--quiet")
    assert_ok(result)
    assert result.stdout == "" and result.stderr == ""


def test_check_ends_with_a_summary(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST})
    result = site.lemma("check")
    assert_ok(result)
    summary = r"^checked 1 post in .*1 executed, 0 from cache, 0 failed"
    assert re.search(summary, result.stdout, re.MULTILINE), str(result)


def test_check_fails_where_the_build_fails_on_a_post_s_body(
    make_site: Callable[..., SiteDir],
) -> None:
    body = "Text.\n\nSee [the other post](missing.md) and @fig-nowhere.\n\n![x](gone.png)\n"
    site = make_site(
        {
            "posts/2025-01-20-code.md": SNIPPET_POST,
            "posts/2025-01-21-links.md": post("Links", "2025-01-21", body),
        }
    )
    built, checked = site.build(), site.lemma("check")
    assert built.code == 1 and checked.code == 1, str(checked)
    for line, fragment in ((8, "broken link"), (8, "fig-nowhere"), (10, "missing image")):
        error_line(built, "posts/2025-01-21-links.md", line, fragment)
        error_line(checked, "posts/2025-01-21-links.md", line, fragment)
    assert not (site.root / "_site").exists()  # a check writes no site


def test_check_reports_name_a_notebook_s_cell_not_a_line_of_its_json(
    make_site: Callable[..., SiteDir],
) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A notebook"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["x = 1\n", "raise ValueError('expected')"],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    site = make_site({"posts/2025-01-22-nb.ipynb": json.dumps(notebook)})
    github = site.lemma("check", "--format", "github")
    assert github.code == 1, str(github)
    (annotation,) = [a for a in github.stdout.splitlines() if a.startswith("::error")]
    assert annotation.startswith("::error file=posts/2025-01-22-nb.ipynb::cell 2, line 2: ")
    report = json.loads(site.lemma("check", "--format", "json").stdout)
    (problem,) = [p for p in report["problems"] if p["severity"] == "error"]
    assert (problem["cell"], problem["line"]) == (2, 2)


def test_check_json_keeps_stdout_for_the_report(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST})
    result = site.lemma("check", "--format", "json")
    assert result.code == 0, str(result)
    assert result.stdout.lstrip().startswith("{")
    assert "executing" not in result.stdout and "checking" not in result.stdout


def test_new_prints_the_path_it_created(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/.keep": ""})
    result = site.lemma("new", "A fresh idea")
    assert_ok(result)
    created = result.stdout.strip().removeprefix("created ")
    assert (site.root / created).is_file() and created.startswith("posts/")


@pytest.mark.parametrize("no_color", [False, True])
def test_build_on_a_real_terminal_shows_progress_and_honours_no_color(
    make_site: Callable[..., SiteDir], no_color: bool
) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST, "site.toml": "search = false\n"})
    extra = {"NO_COLOR": "1"} if no_color else {}
    output, code = _on_a_terminal(site.root, ["build"], {"TERM": "xterm-256color", **extra})
    assert code == 0, output
    assert "built 1 post in" in output and "1 executed" in output
    assert "[1/1] ran" not in output  # a terminal gets the bar, not log lines
    assert bool(ANSI_COLOUR.search(output)) is not no_color, repr(output)


def _lemma(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lemma", *args],
        cwd=cwd,
        env=lemma_env({"COLUMNS": "200"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _on_a_terminal(cwd: Path, args: list[str], extra: Mapping[str, str]) -> tuple[str, int]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; (everything written, exit code)."""
    env = lemma_env(extra)
    env.pop("FORCE_COLOR", None)
    if "NO_COLOR" not in extra:
        env.pop("NO_COLOR", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "lemma", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has exited
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    code = process.wait(timeout=30)
    return b"".join(chunks).decode("utf-8", "replace"), code


def test_check_prints_one_line_per_post_cached_ones_too(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/2025-01-20-code.md": SNIPPET_POST})
    assert_ok(site.lemma("check"))
    result = site.lemma("check")
    assert_ok(result)
    assert re.search(r"^\[1/1\] cached posts/2025-01-20-code.md \(ran in", result.stdout, re.M)
