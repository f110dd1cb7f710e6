"""`lemma serve`: build in memory, serve over HTTP, rebuild on changes and reload the browser."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from lemma.config import SiteConfig, load_config
from lemma.errors import LemmaError, Problem
from lemma.model import Site
from lemma.pipeline import Assembly, assemble_site
from lemma.render import RenderMemo
from lemma.serve_http import make_handler

WATCH_DEBOUNCE_MS = 80  # an editor's burst of writes becomes one rebuild


@dataclass
class ServeState:
    """The site being served; replaced as a whole by each rebuild (readers never see half)."""

    pages: dict[str, bytes] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    version: int = 0
    builds: int = 0
    executed_total: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, site: Site | None, problems: tuple[Problem, ...], executed: int) -> None:
        with self.changed:
            if site is not None:
                self.pages = {p.output_path: p.content for p in site.pages}
                self.assets = {a.output_path: a.source for a in site.assets}
            self.problems = problems
            self.builds += 1
            self.executed_total += executed
            self.version += 1
            self.changed.notify_all()

    def wait_for_change(self, version: int, timeout_s: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout_s)
            return self.version


class Rebuilder:
    """Rebuilds the site in memory, keeping what did not change between builds."""

    def __init__(self, config: SiteConfig, state: ServeState) -> None:
        self.config = config
        self.state = state
        self.memo = RenderMemo()

    def rebuild(self, changed: set[Path] | None = None) -> Assembly | None:
        if changed and any(_is_template(p, self.config) for p in changed):
            self.memo.clear()  # templates shape every page
        started = time.perf_counter()
        try:
            assembly = assemble_site(self.config, memo=self.memo)
        except LemmaError as exc:
            self.state.publish(None, (exc.problem,), 0)
            _log(f"error: {exc.problem}")
            return None
        blocking = tuple(assembly.blocking)
        errors = [p for p in blocking if not p.is_warning]
        executed = sum(1 for r in assembly.runs.values() if not r.from_cache)
        # A content error keeps the last good pages and shows the overlay over them;
        # a snippet failure renders the page with its error (keep-going) plus the overlay.
        content_errors = any(not p.is_warning for p in assembly.problems)
        keep_previous = content_errors and bool(self.state.pages)
        self.state.publish(None if keep_previous else assembly.site, tuple(errors), executed)
        took = time.perf_counter() - started
        status = f"{len(errors)} error(s)" if errors else "ok"
        _log(f"rebuilt in {took * 1000:.0f} ms: {executed} executed, {status}")
        for problem in errors:
            _log(f"  {problem}")
        return assembly


def _is_template(path: Path, config: SiteConfig) -> bool:
    return path.is_relative_to(config.root / "templates")


def _watch_filter(config: SiteConfig) -> object:
    ignored = (config.output_dir, config.cache_dir, config.root / ".git")

    def accept(_change: object, path: str) -> bool:
        resolved = Path(path)
        if any(resolved.is_relative_to(folder) for folder in ignored):
            return False
        name = resolved.name
        return not (name.startswith((".#", "~")) or name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path)

    return accept


def watch_changes(config: SiteConfig, stop: threading.Event) -> Iterator[set[Path]]:
    from watchfiles import watch

    for changes in watch(
        config.root,
        watch_filter=_watch_filter(config),
        debounce=WATCH_DEBOUNCE_MS * 10,
        step=WATCH_DEBOUNCE_MS // 2 or 1,
        stop_event=stop,
        rust_timeout=500,
        yield_on_timeout=False,
        raise_interrupt=False,
    ):
        yield {Path(path) for _, path in changes}


def serve_command(args: argparse.Namespace) -> int:
    root: Path = args.root
    if not root.is_dir():
        raise LemmaError(f"the root folder {str(root)!r} does not exist", hint="check --root")
    config = load_config(
        root,
        jobs=args.jobs,
        use_cache=not args.no_cache,
        include_drafts=not args.no_drafts,
        keep_going=True,
        serve_mode=True,
    )
    state = ServeState()
    try:
        server = ThreadingHTTPServer((args.host, args.port), make_handler(state, args.host))
    except OSError as exc:
        raise LemmaError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror}",
            hint="another program uses this port: pass --port 8001, or --port 0 for any free port",
        ) from exc
    server.daemon_threads = True
    host, port = server.server_address[:2]
    shown_host = "localhost" if host in ("127.0.0.1", "::1") else host
    config = dataclasses.replace(config, base_url=f"http://{shown_host}:{port}/")
    rebuilder = Rebuilder(config, state)
    rebuilder.rebuild()
    thread = threading.Thread(target=server.serve_forever, name="lemma-http", daemon=True)
    thread.start()
    url = f"http://{shown_host}:{port}/"
    print(f"serving {root.resolve()} at \x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\  (Ctrl-C to stop)")
    print(f"ready: {url}", flush=True)
    stop = threading.Event()
    try:
        for changed in watch_changes(config, stop):
            names = ", ".join(sorted(p.relative_to(config.root).as_posix() for p in changed)[:3])
            _log(f"changed: {names}")
            rebuilder.rebuild(changed)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        print("stopped", flush=True)
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
