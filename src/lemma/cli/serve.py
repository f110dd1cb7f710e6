"""`lemma serve`: build in memory, serve over HTTP, rebuild on changes and reload the browser."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from rich.text import Text

from lemma.cli.console import Console
from lemma.cli.serve_http import ServeState, make_handler
from lemma.config import CONFIG_FILE, SiteConfig, load_config
from lemma.errors import ConfigError, LemmaError, Problem
from lemma.execute.scratch import scratch_for_session
from lemma.memos import Memos
from lemma.model import POST_SUFFIXES
from lemma.pipeline import assemble_site
from lemma.render import RenderMemo
from lemma.reuse.memo import Memo

WATCH_STEP_MS = 50  # a burst of writes (an editor saving several times) becomes one rebuild
WATCH_MAX_BATCH_MS = 1000
WATCH_IDLE_MS = 100  # the watcher reports "nothing changed" this often (first: it is ready)
_IGNORED_NAMES = (
    ".git",
    ".lemma-cache",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    "node_modules",
)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one rebuild did, for the serve log."""

    took_s: float
    executed: int
    from_cache: int
    errors: tuple[Problem, ...]
    reloaded: bool


class Rebuilder:
    """Rebuilds the site in memory, keeping what did not change between builds."""

    def __init__(
        self, root: Path, make_config: Callable[[], SiteConfig], state: ServeState
    ) -> None:
        self.root = root
        self.make_config = make_config
        self.state = state
        self.config: SiteConfig | None = None
        self.memos = Memos()  # what each build leaves for the next, for the whole session

    def rebuild(self, changed: set[Path] | None = None) -> Rebuilt:
        started = time.perf_counter()
        changed = changed or set()
        config_changed = any(p == self.root / CONFIG_FILE for p in changed)
        if self.config is None or config_changed:
            try:
                self.config = self.make_config()
            except LemmaError as exc:
                return self._failed((exc.problem,), started)
            self.forget_rendered()  # the configuration shapes every page
        elif any(_is_template(p, self.root) for p in changed):
            self.forget_rendered()  # templates shape every page
        try:
            assembly = assemble_site(self.config, self.memos)
        except LemmaError as exc:
            return self._failed((exc.problem,), started)
        except Exception as exc:  # a bug in Lemma must not stop the preview: show it
            detail = "".join(traceback.format_exception(exc))
            problem = Problem(f"internal error: {type(exc).__name__}: {exc}", detail=detail)
            return self._failed((problem,), started)
        errors = tuple(p for p in assembly.blocking if not p.is_warning)
        executed = sum(1 for r in assembly.runs.values() if not r.from_cache)
        took = time.perf_counter() - started
        assets_changed = any(not p.name.endswith(POST_SUFFIXES) for p in changed)
        reloaded = self.state.publish(
            assembly.site, errors, executed, took_s=took, force_reload=assets_changed
        )
        return Rebuilt(took, executed, len(assembly.runs) - executed, errors, reloaded)

    def forget_rendered(self) -> None:
        """Render every page again; posts whose files did not change are not parsed again."""
        self.memos = dataclasses.replace(self.memos, render=RenderMemo(), notebooks=Memo())

    def _failed(self, problems: tuple[Problem, ...], started: float) -> Rebuilt:
        took = time.perf_counter() - started
        reloaded = self.state.publish(None, problems, 0, took_s=took)
        return Rebuilt(took, 0, 0, problems, reloaded)


def _is_template(path: Path, root: Path) -> bool:
    return path.is_relative_to(root / "templates")


def watch_filter(root: Path, output_dir: Path) -> Callable[[object, str], bool]:
    """Changes that can affect the site: not the output, the cache, VCS or editor scratch files."""

    staging = f".{output_dir.name}."

    def accept(_change: object, path: str) -> bool:
        changed = Path(path)
        if changed.is_relative_to(output_dir):
            return False
        inside = changed.relative_to(root).parts if changed.is_relative_to(root) else changed.parts
        if any(part in _IGNORED_NAMES for part in inside):
            return False
        # A `lemma build` beside the server stages its site in ._site.new-* and moves the old
        # one to ._site.old-*: neither is an input.
        if any(part.startswith(staging) for part in inside):
            return False
        name = changed.name
        return not (
            name.startswith((".#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part"))
        )

    return accept


def watch_changes(root: Path, output_dir: Path, stop: threading.Event) -> Iterator[set[Path]]:
    """Sets of changed paths; an empty set now and then while nothing changes.

    The first (empty) set comes once the watcher is in place: a change made after it is seen.
    """
    from watchfiles import watch

    for changes in watch(
        root,
        watch_filter=watch_filter(root, output_dir),
        debounce=WATCH_MAX_BATCH_MS,
        step=WATCH_STEP_MS,
        stop_event=stop,
        rust_timeout=WATCH_IDLE_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        yield {Path(path) for _, path in changes}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive


class _Server6(_Server):
    address_family = socket.AF_INET6


def _listen(host: str, port: int, state: ServeState) -> _Server:
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), make_handler(state, host))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE or isinstance(exc, PermissionError):
            hint = "another program may use it: pass --port 8001, or --port 0 for any free port"
        else:  # an unknown name or an address of no interface here: the port is not the cause
            hint = "pass --host 127.0.0.1 (this machine), 0.0.0.0 (every interface) or its address"
        raise LemmaError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", hint=hint
        ) from exc


def serve_command(args: argparse.Namespace, console: Console) -> int:
    root: Path = args.root.resolve()
    if not root.is_dir():
        raise ConfigError(f"the root folder {str(args.root)!r} does not exist", hint="check --root")
    state = ServeState()
    server = _listen(args.host, args.port, state)
    host, port = server.server_address[:2]
    public = args.host in ("0.0.0.0", "::", "")
    shown_host = "localhost" if public or host in ("127.0.0.1", "::1") else str(host)
    url = f"http://{shown_host}:{port}/"

    def make_config() -> SiteConfig:
        config = load_config(
            root,
            jobs=args.jobs,
            use_cache=not args.no_cache,
            include_drafts=not args.no_drafts,
            keep_going=True,
            serve_mode=True,
        )
        return dataclasses.replace(config, base_url=url, search=False)

    rebuilder = Rebuilder(root, make_config, state)
    stop = threading.Event()
    # Post folders are handed on from one rebuild to the next (execute/scratch.py).
    serving = False  # shutdown() waits for serve_forever, forever when it never started
    with scratch_for_session():
        try:
            _log_rebuild(console, rebuilder.rebuild())
            thread = threading.Thread(target=server.serve_forever, name="lemma-http", daemon=True)
            thread.start()
            serving = True
            output_dir = rebuilder.config.output_dir if rebuilder.config else root / "_site"
            ready = False
            for changed in watch_changes(root, output_dir, stop):
                if not ready:  # the watcher is in place: from now on no save is missed
                    _print_address(console, root, url, args.host if public else None)
                    ready = True
                if not changed:
                    continue
                names = sorted(_shown(p, root) for p in changed)
                more = f" and {len(names) - 3} more" if len(names) > 3 else ""
                console.log(f"changed: {', '.join(names[:3])}{more}")
                _log_rebuild(console, rebuilder.rebuild(changed))
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if serving:  # Ctrl-C during the first build: nothing to wait for
                server.shutdown()
            server.server_close()
            console.log("stopped")
    return 0


def _print_address(console: Console, root: Path, url: str, public_host: str | None) -> None:
    """Printed even with --quiet: the address is what the command is for."""
    console.out.print(Text.assemble("serving ", str(root), " at ", console.link(url)))
    if public_host is not None:
        console.out.print(f"listening on every interface ({public_host}): visible to the network")
    console.out.print(f"ready: {url}  (Ctrl-C to stop)")
    console.out.file.flush()


def _log_rebuild(console: Console, rebuilt: Rebuilt) -> None:
    status = f"{len(rebuilt.errors)} error(s)" if rebuilt.errors else "ok"
    console.log(
        f"rebuilt in {rebuilt.took_s * 1000:.0f} ms: {rebuilt.executed} executed, "
        f"{rebuilt.from_cache} from cache, {status}"
    )
    console.problems(rebuilt.errors)


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
