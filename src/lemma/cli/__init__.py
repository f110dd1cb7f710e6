"""The `lemma` command: the only place that prints or exits."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rich.text import Text

from lemma import __version__, theme_dir
from lemma.cli.console import Console, ExecutionProgress, Summary, display_path
from lemma.config import SiteConfig, build_now, load_config
from lemma.errors import BuildFailed, ConfigError, LemmaError
from lemma.interrupts import INTERRUPTIONS, sigterm_as_interrupt, sigterm_raises_interrupt
from lemma.reuse.last_build import RECORD_FILE, code_edited_since, unchanged
from lemma.write import build_lock

if TYPE_CHECKING:
    from lemma.pipeline import BuildReport
    from lemma.reuse.last_build import Outcome

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class InterruptedAfterSwap(KeyboardInterrupt):
    """Ctrl-C or SIGTERM that came once the new site was in place: the report must say so."""


_EPILOG_BUILD = """examples:
  lemma build                      build ./posts into ./_site
  lemma build --root blog --drafts include drafts and future posts
  lemma build --out /tmp/site      write somewhere else (outside the root: explicit only)
  lemma build --keep-going         write the site despite content errors (still exits 1)
  lemma build --shard 2/4          one of four CI machines: execute a quarter, store in cache_url
  lemma build --no-execute         render from stored results only (after the shards)

Content errors (a failing snippet, a broken link to a post, a missing image or file, a bad
front matter block) stop the build and leave the previous site in place. With --keep-going
the site is written anyway: a broken link or image is marked where it is, a post that cannot
be rendered is left out, every problem is listed, and the exit code is still 1.
"""
_EPILOG_NEW = """examples:
  lemma new "Gradient descent, step by step"
  lemma new "KL divergence" --tags probability,information-theory
"""
_EPILOG_CHECK = """examples:
  lemma check                      run every snippet of every post, drafts included
                                   (posts whose code and files are unchanged pass from the
                                   cache, and say so; under CI=true every post runs)
  lemma check --no-cache           run every snippet again, whatever the cache holds
  lemma check --format github      annotations for GitHub Actions (automatic there)
  lemma check --format junit > report.xml
  lemma check --drift              did any output change since it was frozen? (exit 1 if so)
"""
_EPILOG_FREEZE = """examples:
  lemma freeze                     freeze every post marked 'freeze' (front matter or site.toml)
  lemma freeze posts/training.md   run this post now and freeze its results
then commit the _freeze/ folder: builds use it while the post's code is unchanged.
"""
_EPILOG_SERVE = """examples:
  lemma serve                      preview on http://127.0.0.1:8000/ with live reload
  lemma serve --port 9000 --no-drafts
  lemma serve --host 0.0.0.0       listen on every interface (explicit only)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lemma",
        description="Lemma: a static blog generator for executable math posts.",
        epilog="Run 'lemma COMMAND --help' for a command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lemma {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, epilog: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--root", type=Path, default=Path(), help="site folder (default: .)")
        return sub

    build = command("build", "Execute the posts' snippets and build the site.", _EPILOG_BUILD)
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/_site)")
    build.add_argument("--drafts", action="store_true", help="include drafts and future posts")
    build.add_argument("--strict", action="store_true", help="treat every warning as an error")
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="write the site despite content errors: broken links and images marked in place, "
        "posts that cannot be rendered left out; still exits 1",
    )
    build.add_argument(
        "--shard",
        metavar="K/N",
        help="execute only share K of N of the posts into the shared cache_url; write no site",
    )
    build.add_argument(
        "--no-execute",
        action="store_true",
        help="run nothing: every post's results must come from the caches or _freeze/",
    )
    _execution_options(build)
    _output_options(build)

    new = command("new", "Create a new post in posts/ with its front matter.", _EPILOG_NEW)
    new.add_argument("title", help="the post's title")
    new.add_argument("--tags", default="", help="comma-separated tags")

    check = command(
        "check", "Execute every snippet without writing the site (for CI).", _EPILOG_CHECK
    )
    check.add_argument(
        "--format", choices=("text", "github", "junit", "json"), help="report format"
    )
    check.add_argument("--strict", action="store_true", help="treat every warning as an error")
    check.add_argument(
        "--drift",
        action="store_true",
        help="run every post afresh and compare its outputs with the frozen (or cached) ones",
    )
    check.add_argument(
        "--drift-report",
        type=Path,
        metavar="FILE",
        help="with --drift: where the HTML report goes (default: .lemma-cache/drift-report.html)",
    )
    check.add_argument(
        "--cache",
        action="store_true",
        help="under CI, reuse cached passes too (by default CI executes every snippet)",
    )
    _execution_options(check)
    _output_options(check)

    freeze = command(
        "freeze", "Run posts and write their results into _freeze/ (to commit).", _EPILOG_FREEZE
    )
    freeze.add_argument("posts", nargs="*", metavar="POST", help="posts to freeze (default: all)")
    _execution_options(freeze)
    _output_options(freeze)

    serve = command(
        "serve", "Build, serve and rebuild on changes, with live reload.", _EPILOG_SERVE
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000; 0 = any free)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    serve.add_argument("--no-drafts", action="store_true", help="hide drafts as a real build does")
    serve.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    _execution_options(serve)
    _output_options(serve)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _execution_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, help="posts executed in parallel (default: CPUs)")
    parser.add_argument("--no-cache", action="store_true", help="execute every post again")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The `lemma` command (and `python -m lemma`, `python build.py`): `main`, then the end of
    the process. Python's own exit frees the build's objects one by one, 40-50 ms after a prose
    edit at 100 posts and 0.18 s after a 2,000-post build, for memory the system takes back at
    once; so once the exit callbacks have run (temporary files, the fork server) and the output
    is flushed, the process ends. Not while a thread that Python's exit would wait for runs."""
    sigterm_raises_interrupt()  # for the whole process: no moment where SIGTERM kills it outright
    code = EXIT_INTERRUPTED
    # A Ctrl-C or SIGTERM as main returns comes after its work and its report: the process
    # ends with main's code, and no traceback.
    with contextlib.suppress(KeyboardInterrupt):
        code = main(argv)
        signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(not thread.daemon for thread in others):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(quiet=getattr(args, "quiet", False))
    started = time.perf_counter()
    with sigterm_as_interrupt():
        try:
            if args.command == "build":
                return _build(args, console)
            if args.command == "new":
                return _new(args, console)
            if args.command == "check":
                return _check(args, console)
            if args.command == "freeze":
                from lemma.cli.freeze import freeze_command

                config, _ = _config(args, include_drafts=True)
                return freeze_command(args, config, console)
            from lemma.cli.serve import serve_command

            return serve_command(args, console)
        except BuildFailed as exc:
            # One line per problem: a broken shared template fails every page the same way.
            problems = tuple(dict.fromkeys(exc.problems))
            console.problems(problems)
            errors = sum(1 for p in problems if not p.is_warning)
            console.error(
                f"build failed: {errors} error{'s' if errors != 1 else ''} "
                f"in {time.perf_counter() - started:.2f} s; the site was not changed"
            )
            return EXIT_CONTENT
        except LemmaError as exc:
            console.problems([exc.problem])
            return EXIT_CONTENT
        except BaseException as exc:
            if not _interrupted(exc):
                raise
            if isinstance(exc, InterruptedAfterSwap):
                console.error("interrupted after the new site was in place; it is complete")
            elif args.command == "build":
                console.error("interrupted; the previous site is unchanged")
            else:
                console.error("interrupted")
            return EXIT_INTERRUPTED


def _interrupted(exc: BaseException | None) -> bool:
    """Ctrl-C, or an error that Ctrl-C caused on its way out (shutil.rmtree closes its folders
    in `finally` blocks, and a close there can fail and hide the interruption)."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__context__
    return False


def _config(args: argparse.Namespace, **overrides: object) -> tuple[SiteConfig, bool]:
    root: Path = args.root
    if not root.is_dir():
        raise ConfigError(f"the root folder {str(root)!r} does not exist", hint="check --root")
    out = getattr(args, "out", None)
    config = load_config(
        root,
        out.resolve() if out else None,
        jobs=getattr(args, "jobs", None),
        use_cache=not getattr(args, "no_cache", False),
        strict=getattr(args, "strict", False),
        in_ci=_in_ci(),
        **overrides,
    )
    return config, out is not None


def _build(args: argparse.Namespace, console: Console) -> int:
    shard = None
    if args.shard is not None:
        from lemma.shard import parse_shard

        shard = parse_shard(args.shard)
    config, explicit = _config(
        args,
        include_drafts=args.drafts,
        keep_going=args.keep_going,
        shard=shard,
        no_execute=args.no_execute,
    )
    if shard is not None:
        return _build_shard(config, console)
    if not config.no_execute and (config.cache_dir / RECORD_FILE).is_file():
        started = time.perf_counter()
        with build_lock(config.cache_dir):  # a build running now may be changing the site
            outcome = unchanged(config, build_now())
        if outcome is not None:
            return _report_unchanged(config, console, outcome, time.perf_counter() - started)
    engine_started = not config.no_execute and _start_early_for_code_edits(config)
    if not engine_started:
        _compile_templates_ahead(config)
    from lemma.pipeline import build_site

    # --no-execute runs nothing: its posts' results are looked up, and the line says so.
    noun = "using stored results for" if config.no_execute else "executing"
    swapped = threading.Event()  # from then on, an interruption must say the new site is there
    try:
        with console.progress(noun) as progress:
            report = build_site(
                config,
                explicit_out=explicit,
                on_post_done=progress.post_done,
                on_execute_start=progress.start,
                on_swapped=swapped.set,
            )
        console.problems(report.problems)
        if report.left_out:
            console.info(report.left_out)
        console.summary(_summary("built", report))
        _where(config, console)
    except BaseException as exc:
        if swapped.is_set() and _interrupted(exc):
            raise InterruptedAfterSwap from exc
        raise
    return EXIT_CONTENT if report.failed or report.errors else EXIT_OK


def _start_early_for_code_edits(config: SiteConfig) -> bool:
    """Start the fork server now when a post's code changed since the last build, or on a
    first build of posts with code: its imports (numpy and matplotlib, when that code may
    import anything beyond the standard library) then overlap the build's own, about 0.2 s
    sooner than `EarlyStart` would start it once the post is loaded. A guess
    (reuse/code_edits.py): with one core, or where posts may not run here (a shared cache,
    frozen results), it is not made. Whether it was started."""
    if config.cache_url or config.freeze != "off" or (os.cpu_count() or 1) < 2:
        return False
    edited = code_edited_since(config, enough=2)
    if edited.posts:
        from lemma.execute import start_engine

        # One post to run: the warm-up figure would cost the server more than it saves the post.
        start_engine(config.jobs, numeric=edited.numeric, warm_up=edited.posts > 1)
    return edited.posts > 0


def _compile_templates_ahead(config: SiteConfig) -> None:
    """Compile the site's templates in another process while the build loads and renders its
    posts (lemma/templates.py): about 40 ms of a prose edit, on a core that had nothing to do.
    With one core there is no such core; and not when the fork server was just started, whose
    imports take that core (a code edit compiles the templates while it waits for them)."""
    if (os.cpu_count() or 1) < 2:
        return
    from lemma.templates import compile_ahead, template_folders

    compile_ahead(template_folders(config.root, theme_dir()))


def _report_unchanged(
    config: SiteConfig, console: Console, outcome: Outcome, duration_s: float
) -> int:
    """What `_build` says when nothing changed since the last build: its warnings again, and
    that the site is as that build left it."""
    console.problems(outcome.warnings)
    if outcome.left_out:
        console.info(outcome.left_out)
    summary = Summary(
        verb="built",
        posts=outcome.posts,
        pages_written=0,
        executed=0,
        from_cache=outcome.from_cache,
        frozen=outcome.frozen,
        failed=0,
        post_times=(),
        duration_s=duration_s,
        warnings=sum(1 for p in outcome.warnings if not p.is_note),
    )
    console.summary(summary)
    console.info(f"nothing changed since the last build: its {outcome.pages} pages are in place")
    _where(config, console)
    return EXIT_OK


def _where(config: SiteConfig, console: Console) -> None:
    out = display_path(config.output_dir)
    console.info(f"site: {out}/")
    root = display_path(config.root)
    serve = "lemma serve" if root == "." else f"lemma serve --root {shlex.quote(root)}"
    console.info(f"preview: {serve}  (live reload), or python -m http.server -d {shlex.quote(out)}")


def _build_shard(config: SiteConfig, console: Console) -> int:
    from lemma.shard import execute_shard

    assert config.shard is not None
    with console.progress() as progress:
        report = execute_shard(config, progress.post_done, progress.start)
    console.problems(report.problems)
    shard, shards = config.shard
    style = "red" if report.failed or report.errors else "green"
    console.info(
        Text(
            f"shard {shard}/{shards}: {report.posts} posts: {report.executed} executed, "
            f"{report.from_cache} from cache, {report.failed} failed; "
            f"results stored in {config.cache_url}",
            style=style,
        )
    )
    return EXIT_CONTENT if report.failed or report.errors else EXIT_OK


def _in_ci() -> bool:
    """Whether this runs in CI: every CI service sets CI (GitHub Actions, GitLab, CircleCI...)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _summary(verb: str, report: BuildReport) -> Summary:
    return Summary(
        verb=verb,
        posts=report.posts,
        pages_written=report.pages_written if verb == "built" else None,
        executed=report.executed,
        from_cache=report.from_cache,
        frozen=report.frozen,
        failed=report.failed,
        post_times=report.post_times,
        duration_s=report.duration_s,
        errors=len(report.errors) - report.failed,
        warnings=sum(1 for p in report.problems if p.is_warning and not p.is_note),
        untracked=tuple(
            (path, run.untracked) for path, run in sorted(report.runs.items()) if run.untracked
        ),
    )


def _new(args: argparse.Namespace, console: Console) -> int:
    from lemma.cli.new import create_post

    config, _ = _config(args)
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    path = create_post(config, args.title, tags)
    # Printed even with --quiet: the path is the command's result.
    console.out.print(f"created {display_path(path)}", markup=False)
    return EXIT_OK


def _drift(
    args: argparse.Namespace, config: SiteConfig, progress: ExecutionProgress
) -> BuildReport:
    from lemma.check import drift_site
    from lemma.cli.drift_report import write_drift_report

    report, drifts = drift_site(config, progress.post_done, progress.start)
    path: Path = args.drift_report or config.cache_dir / "drift-report.html"
    if drifts:
        write_drift_report(path.resolve(), drifts, config.title)
        # stderr: the machine formats own stdout
        progress.console.err.print(f"drift report: {display_path(path.resolve())}", markup=False)
    return report


def _check(args: argparse.Namespace, console: Console) -> int:
    from lemma.check import check_site
    from lemma.cli.check_report import print_check_report

    # A check in CI must run the snippets: a cached pass only says they passed once. The fresh
    # runs are still stored, so that the `lemma build` after it reuses them.
    refresh = _in_ci() and not args.cache and not args.no_cache
    config, _ = _config(args, include_drafts=True, refresh_cache=refresh)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    # Machine formats own stdout: progress then goes to stderr, as plain lines or a bar.
    progress_console = console if fmt == "text" else Console(quiet=args.quiet, out=sys.stderr)
    with progress_console.progress("checking", every_post=True) as progress:
        if args.drift:
            report = _drift(args, config, progress)
        else:
            report = check_site(config, progress.post_done, progress.start)
    if fmt == "text":
        console.problems(report.problems)
        console.summary(_summary("checked", report))
    else:
        print_check_report(report, fmt, quiet=args.quiet)
    return EXIT_CONTENT if report.errors else EXIT_OK
