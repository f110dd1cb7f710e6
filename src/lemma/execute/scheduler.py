"""Parent side of execution: a child process per post, in parallel, with timeouts and cleanup."""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import time
import types
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from lemma import python_path_with_lemma
from lemma.errors import ConfigError
from lemma.execute import protocol, worker
from lemma.execute.crash import crash_error, describe_exit
from lemma.execute.reaper import adopting_orphans
from lemma.execute.scratch import Scratch, scratch_for_run
from lemma.imports import imports_beyond_stdlib
from lemma.interrupts import sigterm_as_interrupt
from lemma.model import Error, FileRecord, Snippet, SnippetResult
from lemma.reuse.figures import FigureStore

# Imported last: the worker draws matplotlib's warm-up figure as it is imported (`worker._warm_up`),
# so numpy and matplotlib, when preloaded, come before it.
PRELOAD = (
    "lemma.execute.worker",
    "sqlite3",  # the worker wraps sqlite3.connect in every post (sandbox.fence_sqlite)
)
# Only when some post to run may import a module outside the standard library (lemma/imports.py):
# about 0.5 s of the server's CPU, which a blog of plain Python would pay every build for nothing.
NUMERIC_PRELOAD = (
    "numpy",
    "numpy.random",
    "matplotlib",
    "matplotlib.pyplot",
    "lemma.execute.mplbackend",
)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
GRACE_S = 1.0  # after the timeout signal, time for the child to report where it was
STARTUP_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class _Server:
    """What the running fork server was started with."""

    environment: dict[str, str]
    numeric: bool  # numpy and matplotlib preloaded


_server: _Server | None = None


@dataclass(frozen=True, slots=True)
class ChildSettings:
    root: Path
    cache_dir: Path
    output_dir: Path
    jobs: int  # resolved: at least 1
    memory_limit_mb: int  # resolved: 0 only where the machine's memory is unknown


@dataclass(slots=True)
class Finished:
    """What a child reported, before it becomes a PostRun."""

    results: list[SnippetResult]
    failure: Error | None
    files_read: tuple[FileRecord, ...]
    modules: tuple[str, ...]
    duration_s: float
    untracked: str = ""  # why the run cannot be cached, if it cannot


@dataclass(slots=True)
class _Child:
    source_path: str
    snippets: Sequence[Snippet]
    process: BaseProcess
    conn: Connection
    temp_dir: str
    memory_limit_mb: int
    session: int  # the post's process's pid: it leads its own session and process group
    started: float = field(default_factory=time.monotonic)
    results: list[SnippetResult] = field(default_factory=list)
    failure: Error | None = None
    running: Snippet | None = None
    deadline: float | None = None
    grace_deadline: float | None = None
    done: Finished | None = None

    def next_deadline(self) -> float | None:
        return self.grace_deadline if self.grace_deadline is not None else self.deadline


def child_environment(jobs: int) -> dict[str, str]:
    """Variables every post's process needs, set before numpy is imported in the fork server."""
    environment = {"MPLBACKEND": worker.BACKEND}
    # Same hash seed every build, so printing a set gives the same page twice.
    environment["PYTHONHASHSEED"] = os.environ.get("PYTHONHASHSEED", "0")
    if jobs > 1:
        # Parallel posts each with a BLAS thread pool oversubscribe the cores (13x slower seen).
        for name in THREAD_VARIABLES:
            environment[name] = os.environ.get(name, "1")
    return environment


@contextlib.contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# The fork server listens on a socket in a new folder of the temporary folder
# (TMPDIR/pymp-xxxxxxxx/listener-xxxxxxxx); Linux takes 107 bytes for such an address, macOS
# and the BSDs 103: the shorter, for both.
_SOCKET_PATH_MAX = 103
_SOCKET_TAIL = len("/pymp-xxxxxxxx/listener-xxxxxxxx")
_SHORT_TEMP_FOLDERS = ("/tmp", "/var/tmp", "/usr/tmp")


@contextlib.contextmanager
def _socket_folder() -> Iterator[None]:
    """Under a TMPDIR too long for the fork server's socket, its folder goes in /tmp instead, as
    Python 3.13 does: with Python 3.11 the server would not start ("AF_UNIX path too long")."""
    import tempfile

    if len(os.fsencode(tempfile.gettempdir())) + _SOCKET_TAIL <= _SOCKET_PATH_MAX:
        yield
        return
    usable = [f for f in _SHORT_TEMP_FOLDERS if os.access(f, os.W_OK | os.X_OK)]
    saved = tempfile.tempdir
    tempfile.tempdir = usable[0] if usable else saved
    try:
        yield
    finally:
        tempfile.tempdir = saved


START_METHOD_VARIABLE = "LEMMA_START_METHOD"


def start_method() -> str:
    """How posts' processes start: LEMMA_START_METHOD when set, else the fork server where the
    system has one (Linux, macOS), else spawn (Windows)."""
    available = multiprocessing.get_all_start_methods()
    chosen = os.environ.get(START_METHOD_VARIABLE, "").strip()
    if not chosen:
        return "forkserver" if "forkserver" in available else "spawn"
    if chosen not in available:
        raise ConfigError(
            f"{START_METHOD_VARIABLE}={chosen!r} is not a start method of this system",
            hint=f"use one of: {', '.join(available)}, or unset it",
        )
    return chosen


def _context(
    environment: dict[str, str], *, numeric: bool = True, warm_up: bool = True
) -> BaseContext:
    """The fork server, preloaded with the worker, and numpy and matplotlib when `numeric`; or
    the chosen method. A server that has numpy serves posts that need none as well, and one
    started without `warm_up` as well as one with: neither is started again."""
    global _server
    method = start_method()
    if method != "forkserver":
        # spawn starts a fresh interpreter per post (slower: each imports numpy itself); fork
        # copies the builder as it is. Both run the same worker.
        return multiprocessing.get_context(method)
    context = multiprocessing.get_context("forkserver")
    from multiprocessing import forkserver

    covered = _server is not None and (_server.numeric or not numeric)
    if _server is not None and _server.environment == environment and covered:
        return context
    if _server is not None:
        stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
        if callable(stop):  # another --jobs needs other thread variables, or numpy: restart
            stop()
    context.set_forkserver_preload(list(NUMERIC_PRELOAD + PRELOAD if numeric else PRELOAD))
    started = {**environment, "PYTHONPATH": _server_python_path()}
    if not warm_up:
        started[worker.NO_WARM_UP] = "1"  # the worker takes it out of its environment
    with _environment(started), _socket_folder():
        forkserver.ensure_running()
    if _server is None:
        atexit.register(_end_server)
    _server = _Server(environment, numeric)
    return context


def _end_server() -> None:
    """At exit, the fork server ends at once. Left to itself, it ends when it sees the builder
    gone, but only once its imports are done: started for a code edit that the build then did
    not need (a guess, `cli._start_early_for_code_edits`), it outlived the build by a second or
    more. The resource tracker multiprocessing started with it ends with it."""
    from multiprocessing import forkserver, resource_tracker

    server: Any = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if pid is not None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)  # its default action, even in the middle of an import
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    for stop in (getattr(server, "_stop", None), getattr(tracker, "_stop", None)):
        if callable(stop):
            with contextlib.suppress(OSError):
                stop()  # closes the pipe it watches and reaps it


def start_server(jobs: int, *, numeric: bool = True, warm_up: bool = True) -> None:
    """Start the fork server for `jobs` posts at once and return at once: it imports numpy and
    matplotlib (when `numeric`) while the builder goes on; the first post's start waits for it
    if need be."""
    try:
        method = start_method()
    except ConfigError:
        return  # reported when posts run
    if method == "forkserver":
        _context(child_environment(jobs), numeric=numeric, warm_up=warm_up)


def _server_python_path() -> str:
    """PYTHONPATH for the fork server: this Lemma's own folder first.

    The fork server imports the worker by name and ignores the builder's sys.path (Python 3.11
    and 3.12): `python build.py` from a checkout, with another Lemma installed, would run posts
    with the installed worker. Each post's process restores the builder's PYTHONPATH.
    """
    return python_path_with_lemma()


def run_children(
    pending: Sequence[tuple[str, Sequence[Snippet]]],
    settings: ChildSettings,
    on_finished: Callable[[str, Finished], None],
) -> None:
    """Run each (source_path, executable snippets) in its own child, `settings.jobs` at a time.

    A post's results come first: the next post starts as soon as they are in, then the finished
    post is reported, and its process is closed once it has exited; its scratch folder and any
    process it left behind are removed on a background thread (`scratch.py`).
    """
    environment = child_environment(settings.jobs)
    codes = (s.code for _, snippets in pending for s in snippets)
    context = _context(environment, numeric=imports_beyond_stdlib(codes))
    queue = deque(pending)
    children: dict[Connection, _Child] = {}
    exiting: list[_Child] = []  # reported, their processes not yet seen to exit
    figures = FigureStore.in_cache(settings.cache_dir).folder
    figures.mkdir(parents=True, exist_ok=True)
    # Processes a snippet starts outside its post's group are adopted and killed (reaper.py);
    # the scratch folders' cleanup ends first, so that the reaper's last sweep follows it.
    with adopting_orphans() as reaper, scratch_for_run() as scratch:

        def fill() -> None:
            while queue and len(children) < settings.jobs:
                source_path, snippets = queue.popleft()
                child = _start(context, environment, source_path, snippets, settings, scratch)
                children[child.conn] = child

        def clean_up(child: _Child) -> None:
            # After the post's process has exited: its orphans have been adopted by then.
            scratch.later(lambda: reaper.kill(child.session))
            scratch.hand_on_later(child.temp_dir)

        try:
            # While children run, so that they are killed on the way out.
            with sigterm_as_interrupt():
                while queue or children:
                    fill()
                    deadlines = [
                        d for c in children.values() if (d := c.next_deadline()) is not None
                    ]
                    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                    for conn in wait(list(children), timeout):
                        assert isinstance(conn, Connection)
                        _receive(children[conn])
                    now = time.monotonic()
                    ended = []
                    for conn, child in list(children.items()):
                        if child.done is None:
                            _check_deadline(child, now)
                        if child.done is not None:
                            del children[conn]
                            _kill_group(child.process)  # what it left in its group; it exits
                            child.conn.close()
                            ended.append(child)
                    fill()
                    for child in ended:
                        assert child.done is not None
                        on_finished(child.source_path, child.done)
                    exiting += ended
                    exiting = [c for c in exiting if not _closed_if_exited(c, clean_up)]
        finally:
            for child in children.values():
                _stop(child)
            for child in exiting:
                child.process.join(5)  # it was killed when its results were in
                _close(child)
            for child in (*children.values(), *exiting):
                clean_up(child)


def _closed_if_exited(child: _Child, clean_up: Callable[[_Child], None]) -> bool:
    """Close the child's process if it has exited (without waiting), then clean up after it."""
    if child.process.exitcode is None:
        return False
    _close(child)
    clean_up(child)
    return True


def _start(
    context: BaseContext,
    environment: dict[str, str],
    source_path: str,
    snippets: Sequence[Snippet],
    settings: ChildSettings,
    scratch: Scratch,
) -> _Child:
    temp_dir = scratch.post_folder()
    request = {
        "source_path": source_path,
        "root": str(settings.root),
        "temp_dir": temp_dir,
        "output_dir": str(settings.output_dir),
        "cache_dir": str(settings.cache_dir),
        "figures_dir": str(FigureStore.in_cache(settings.cache_dir).folder),
        "memory_limit_mb": settings.memory_limit_mb,
        "python_path": os.environ.get("PYTHONPATH"),  # the builder's (see _server_python_path)
        "snippets": [worker.encode_snippet(s) for s in snippets],
    }
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=worker.run_post, args=(writer, protocol.dumps(request).decode("ascii"))
    )
    # Not a daemon: a daemonic process may not have children, and a post may use
    # multiprocessing.Pool or ProcessPoolExecutor. _stop kills and joins it in every case.
    process.daemon = False
    with _environment(environment), _main_module_hidden():
        process.start()
    writer.close()  # so that the child's death reads as end-of-file here
    memory_limit_mb = settings.memory_limit_mb
    child = _Child(source_path, snippets, process, reader, temp_dir, memory_limit_mb, process.pid)
    child.deadline = child.started + STARTUP_TIMEOUT_S
    return child


def _receive(child: _Child) -> None:
    try:
        while child.done is None and child.conn.poll():
            _handle(child, protocol.loads(child.conn.recv_bytes()))
    except (EOFError, OSError):
        child.process.join(5)
        reason = describe_exit(child.process.exitcode, child.memory_limit_mb)
        _fail(child, "crash", reason)
    except protocol.ProtocolError as exc:
        _fail(child, "crash", f"Lemma could not read the post's process's report ({exc})")


def _handle(child: _Child, message: dict[str, Any]) -> None:
    kind = message.get("type")
    now = time.monotonic()
    if kind == "start":
        index = protocol.get_int(message, "index")
        child.running = next(s for s in child.snippets if s.index == index)
        child.deadline = now + child.running.options.timeout_s
        child.grace_deadline = None
    elif kind == "result":
        child.results.append(protocol.decode_result(message.get("result")))
        failure = message.get("failure")
        if failure is not None and child.failure is None:
            child.failure = protocol.decode_error(protocol.as_object(failure))
        child.running, child.deadline, child.grace_deadline = None, None, None
    elif kind == "done":
        child.done = Finished(
            child.results,
            child.failure,
            protocol.decode_files(message.get("files_read")),
            tuple(str(m) for m in protocol.get_list(message, "modules")),
            now - child.started,
            protocol.get_str(message, "untracked"),
        )
    elif kind == "internal":
        _fail(
            child,
            "crash",
            "Lemma's worker failed; this is a bug in Lemma:\n" + str(message.get("traceback", "")),
        )


def _check_deadline(child: _Child, now: float) -> None:
    if child.grace_deadline is not None and now >= child.grace_deadline:
        _kill_group(child.process)
        if child.running is None:
            _fail(child, "crash", "the post's process did not start")
        else:
            _fail(child, "timeout", "")
    elif child.deadline is not None and now >= child.deadline and child.grace_deadline is None:
        # Ask first: the child raises in the snippet and reports the line and the outputs so far.
        with contextlib.suppress(OSError):
            pid = child.process.pid
            if pid is not None:
                os.killpg(pid, worker.TIMEOUT_SIGNAL)
        child.grace_deadline = now + GRACE_S


def _fail(child: _Child, kind: str, message: str) -> None:
    """Finish a child that cannot report any more, with an error at the snippet it was running."""
    if child.done is not None:
        return
    _kill_group(child.process)
    try:
        dump = Path(child.temp_dir, "faults").read_text(errors="replace")
    except OSError:
        dump = ""
    error = crash_error(kind, message, child.source_path, child.running, child.snippets, dump)
    if child.running is not None:
        elapsed = time.monotonic() - child.started
        child.results.append(SnippetResult(child.running.index, (error,), elapsed))
    child.failure = child.failure or error
    child.done = Finished(child.results, child.failure, (), (), time.monotonic() - child.started)


def _kill_group(process: BaseProcess) -> None:
    pid = process.pid
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)  # the post's process and everything it started
    except ProcessLookupError:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # killed before it made its own group
    except OSError:
        pass


def _stop(child: _Child) -> None:
    """Kill the child and everything in its group, and wait for it to exit."""
    _kill_group(child.process)
    child.process.join(5)
    _close(child)


def _close(child: _Child) -> None:
    with contextlib.suppress(ValueError):  # still running after _stop's wait: left to the OS
        child.process.close()
    child.conn.close()


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start children without the builder's __main__.

    multiprocessing re-imports the parent's main module in every child (a script, or `lemma.cli`
    with Jinja and markdown-it behind it): pure start-up cost for a post's process, and a script
    without an `if __name__ == "__main__"` guard would even rebuild the site recursively.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
