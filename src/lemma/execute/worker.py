"""Child side of execution: run one post's snippets in one namespace and report outputs as JSON.

This module and the ones it imports (capture, figures, runner, sandbox, scratch, protocol, crash)
use only the standard library, `lemma.model` and `lemma.reuse.atomic`: they are preloaded into the
fork server, next to numpy and matplotlib when the posts may import them (`scheduler`), and every
post's process is a fork of it.
"""

from __future__ import annotations

import builtins
import contextlib
import faulthandler
import os
import signal
import sys
import tempfile
import time
import traceback
import types
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from lemma.execute import protocol
from lemma.execute.capture import CaptureWriter, FdCapture
from lemma.execute.crash import describe_exit
from lemma.execute.figures import FigureStore
from lemma.execute.loaded import when_loaded
from lemma.execute.runner import Outcome, SnippetRunner
from lemma.execute.sandbox import (
    FILE_LIMIT_MB,
    Guard,
    ProcessBudget,
    audit_hook,
    fence_sqlite,
    imported_top_level_names,
    populate_scratch,
)
from lemma.execute.scratch import MIRROR
from lemma.execute.showhooks import install_show_hooks
from lemma.execute.tracking import Tracker
from lemma.model import (
    Error,
    Output,
    Snippet,
    SnippetResult,
    SourceLocation,
    default_combination,
    sweep_grid,
    sweep_label,
)

TIMEOUT_SIGNAL = signal.SIGUSR1
BACKEND = "module://lemma.execute.mplbackend"
NO_WARM_UP = "LEMMA_NO_WARM_UP"  # in the fork server's environment: skip `_warm_up`


def run_post(conn: Connection, request_text: str) -> None:
    """Entry point of the post's process: never returns, never raises."""
    try:
        request = protocol.loads(request_text)
        _run(conn, request)
    except BaseException:  # a bug in Lemma, not in the post: report it as such
        with contextlib.suppress(BaseException):
            message = {"type": "internal", "traceback": traceback.format_exc()}
            if _post_pid in (0, os.getpid()):  # never from a fork the snippet made
                conn.send_bytes(protocol.dumps(message))
    finally:
        # os._exit: a thread or atexit handler the post left behind must not keep the process up.
        os._exit(0)


def decode_snippet(obj: dict[str, Any]) -> Snippet:
    path = protocol.get_str(obj, "path")
    return Snippet(
        index=protocol.get_int(obj, "index"),
        language=protocol.get_str(obj, "language"),
        code=protocol.get_str(obj, "code"),
        location=SourceLocation(path, protocol.get_int(obj, "line")),
        options=protocol.decode_options(protocol.as_object(obj.get("options"))),
        fence_line=protocol.get_int(obj, "fence_line"),
    )


def encode_snippet(snippet: Snippet) -> dict[str, Any]:
    return {
        "index": snippet.index,
        "language": snippet.language,
        "code": snippet.code,
        "path": snippet.location.path,
        "line": snippet.location.line,
        "fence_line": snippet.fence_line,
        "options": protocol.encode_options(snippet.options),
    }


_post_pid = 0  # the post's own process (set in _run); its forks have other pids


def _run(conn: Connection, request: dict[str, Any]) -> None:
    global _post_pid
    _post_pid = os.getpid()
    get = protocol.get_str
    source_path, root = get(request, "source_path"), get(request, "root")
    temp_dir = Path(get(request, "temp_dir"))
    memory_limit_mb = protocol.get_int(request, "memory_limit_mb")
    raw_snippets = protocol.get_list(request, "snippets")
    snippets = [decode_snippet(protocol.as_object(s)) for s in raw_snippets]
    faults = _isolate_process(temp_dir, memory_limit_mb)
    python_path = protocol.get_opt_str(request, "python_path")
    if python_path is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = python_path

    guard = Guard(root, get(request, "output_dir"))
    post_dir = str(Path(root, source_path).parent)
    post_name = Path(source_path).name
    skip = [get(request, "output_dir"), get(request, "cache_dir")]
    scratch = str(temp_dir / MIRROR)
    try:
        work = populate_scratch(scratch, post_dir, post_name, skip)
    except OSError:  # an earlier post left something there that cannot be removed: start anew
        scratch = tempfile.mkdtemp(dir=temp_dir)
        work = populate_scratch(scratch, post_dir, post_name, skip)
    os.chdir(work)
    tracker = Tracker(root, scratch, skip)
    tracker.is_trusted = guard.is_trusted
    sys.path.insert(0, post_dir)  # modules beside the post import as they would from its folder
    sys.argv = [source_path]

    main = types.ModuleType("__main__")  # pickle and friends look names up in __main__
    main.__file__ = os.path.realpath(Path(root, source_path))  # as a script's: the post itself
    sys.modules["__main__"] = main
    stdout = CaptureWriter("stdout", 1)
    stderr = CaptureWriter("stderr", 2)
    fds = (FdCapture("stdout", temp_dir / "stdout"), FdCapture("stderr", temp_dir / "stderr"))
    store = FigureStore(get(request, "figures_dir"), guard.trusted)
    writers = (stdout, stderr)
    runner = SnippetRunner(source_path, main.__dict__, writers, fds, store, memory_limit_mb)
    runner.fenced_databases = guard.fenced_databases
    # fig.show(), bokeh's show() and IPython's display() display, as in Jupyter
    install_show_hooks(runner.display, runner.display_as, runner.clear_output)
    signal.signal(TIMEOUT_SIGNAL, runner.on_timeout_signal)
    # chain=True: dump where the snippet was (for a timeout stuck in C code), then raise in Python
    faulthandler.register(TIMEOUT_SIGNAL, file=faults, all_threads=False, chain=True)
    _fresh_random_state(source_path)
    _pools_fork_this_process()
    modules_before = list(sys.modules)
    # The budget: a fork bomb fails with EAGAIN instead of growing.
    sys.addaudithook(audit_hook((guard, tracker, ProcessBudget())))
    tracker.wrap_stat()
    fence_sqlite(guard)

    untracked = ""  # why the run cannot be cached: a snippet used what Lemma cannot track
    for snippet in snippets:
        _send(conn, {"type": "start", "index": snippet.index, "variant": None})
        started = time.perf_counter()
        if snippet.options.sweeps:
            result, failure = _run_sweep(conn, snippet, runner, memory_limit_mb, started)
        else:
            outputs, failure = judge(snippet, runner.run(snippet))
            result = SnippetResult(snippet.index, outputs, time.perf_counter() - started)
        _send(
            conn,
            {
                "type": "result",
                "result": protocol.encode_result(result),
                "failure": None if failure is None else protocol.encode_error(failure),
            },
        )
        reason = tracker.take_untracked()
        if reason and not snippet.options.cache_keep:
            untracked = untracked or reason
        if failure is not None:
            break
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    local_modules = tracker.add_modules(modules_before)
    files = tracker.file_records()
    _send(
        conn,
        {
            "type": "done",
            "files_read": protocol.encode_files(files),
            "modules": imported_top_level_names(local_modules),
            "untracked": untracked,
        },
    )


def judge(snippet: Snippet, outcome: Outcome) -> tuple[tuple[Output, ...], Error | None]:
    """The outputs to show and the error that fails the post, given `#| error:`."""
    options = snippet.options
    error = outcome.error
    if error is not None:
        expected = options.expected_error
        if (
            options.expects_error
            and error.kind in ("exception", "syntax")
            and (expected is None or expected in outcome.raised)
        ):
            return outcome.outputs, None
        return outcome.outputs, error
    if options.expects_error:
        what = options.expected_error or "an error"
        failure = Error(
            ename="",
            evalue=f"expected {what} but the snippet raised nothing",
            traceback="",
            location=snippet.location,
            kind="unexpected-success",
        )
        return (*outcome.outputs, failure), failure
    return outcome.outputs, None


def _run_sweep(
    conn: Connection, snippet: Snippet, runner: SnippetRunner, memory_limit_mb: int, started: float
) -> tuple[SnippetResult, Error | None]:
    """Run the snippet once per combination of the sweeps' values, each in a fork of this
    process, then the default combination for real (its state is what later snippets see)."""
    sweeps = snippet.options.sweeps
    default = default_combination(sweeps)
    variants: list[tuple[str, tuple[Output, ...]]] = []
    failures: list[Error | None] = []
    default_position = 0
    for position, combination in enumerate(sweep_grid(sweeps)):
        label = sweep_label(sweeps, combination)
        if combination == default:
            default_position = position
            variants.append((label, ()))
            failures.append(None)
            continue
        _send(conn, {"type": "start", "index": snippet.index, "variant": label})
        values = {s.name: s.values[i] for s, i in zip(sweeps, combination, strict=True)}
        outputs, failure = _run_forked(snippet, runner, values, label, memory_limit_mb)
        variants.append((label, outputs))
        failures.append(failure)
    label = variants[default_position][0]
    _send(conn, {"type": "start", "index": snippet.index, "variant": label})
    for sweep, index in zip(sweeps, default, strict=True):
        runner.namespace[sweep.name] = sweep.values[index]
    outputs, failures[default_position] = judge(snippet, runner.run(snippet))
    variants[default_position] = (label, outputs)
    failure = next((f for f in failures if f is not None), None)
    result = SnippetResult(snippet.index, outputs, time.perf_counter() - started, tuple(variants))
    return result, failure


def _run_forked(
    snippet: Snippet,
    runner: SnippetRunner,
    values: dict[str, object],
    label: str,
    memory_limit_mb: int,
) -> tuple[tuple[Output, ...], Error | None]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the variant: this process's state as it is now, plus the sweeps' values
        code = 0
        try:
            os.close(read_fd)
            runner.namespace.update(values)
            outputs, failure = judge(snippet, runner.run(snippet))
            message = {
                "outputs": protocol.encode_outputs(outputs),
                "failure": None if failure is None else protocol.encode_error(failure),
            }
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(protocol.dumps(message))
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    for fd in runner.fds:
        fd.skip_to_end()  # the variant already reported what it wrote to the descriptors
    try:
        message = protocol.loads(data)
        raw_failure = message.get("failure")
        failure = (
            None if raw_failure is None else protocol.decode_error(protocol.as_object(raw_failure))
        )
        return protocol.decode_outputs(message.get("outputs")), failure
    except protocol.ProtocolError:
        reason = describe_exit(os.waitstatus_to_exitcode(status), memory_limit_mb)
        error = Error("Crash", f"{reason} (with {label})", "", snippet.location, "crash")
        return (error,), error


def _send(conn: Connection, message: dict[str, Any]) -> None:
    if os.getpid() != _post_pid:
        # A fork the snippet made and let run on (no exec, no exit) got back here: only the
        # post's own process reports, or the parent would read two interleaved posts.
        os._exit(0)
    conn.send_bytes(protocol.dumps(message))


def _isolate_process(temp_dir: Path, memory_limit_mb: int) -> Any:
    """Own process group, no terminal, bounded memory, file descriptors 1 and 2 into files."""
    os.setsid()  # a timeout kills the whole group: the snippet's own children too
    _die_with_parent()
    import resource

    if memory_limit_mb > 0:
        limit = memory_limit_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core files from a segfault
    with contextlib.suppress(ValueError, OSError):
        # Output written straight to descriptors 1 and 2 (`subprocess.run(["yes"])`) goes to
        # files on disk: bound every file the post and its programs write, so that a runaway
        # writer stops (SIGXFSZ, or EFBIG in Python) instead of filling the disk until its timeout.
        size = FILE_LIMIT_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(temp_dir / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(target, fd)
        os.close(target)
    faults = (temp_dir / "faults").open("w")  # open for the process's life
    faulthandler.enable(file=faults, all_threads=False)
    builtins.input = _no_input
    sys.stdin = _NoInput()
    sys.dont_write_bytecode = True  # importing a module beside the post must not write into it
    return faults


def _pools_fork_this_process() -> None:
    """multiprocessing.Pool and ProcessPoolExecutor in a snippet start forks of this process.

    This process inherits the builder's start method (the fork server's, or spawn): new workers
    would come from the builder's fork server, outside the post's process group and write guard,
    or from a fresh interpreter that cannot find functions the snippet defined. A fork has the
    post's namespace, as under `python script.py` on Linux. Where there is no fork (Windows), a
    pool can only run functions importable from a module.
    """
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("fork", force=True)


def _die_with_parent() -> None:
    # If the builder is killed outright, its fork server exits, and then so does this process.
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only


def _fresh_random_state(source_path: str) -> None:
    # Every post is a fork of the same server: without this, all would draw the same numbers.
    # Seeded from the post's path, so that even unseeded code gives the same page every build.
    import hashlib
    import random as stdlib_random

    seed = int.from_bytes(hashlib.sha256(source_path.encode()).digest()[:8], "big")
    stdlib_random.seed(seed)
    # numpy's global state now, when the fork server preloaded it, or as a snippet imports it
    # (a server without numpy, or spawn): numpy would seed itself from the OS, and the page
    # would differ on every build.
    when_loaded("numpy.random", lambda numpy_random: numpy_random.seed(seed % 2**32))


def _warm_up() -> None:
    """In the fork server: pay matplotlib's first-figure costs (fonts, mathtext grammar, backend)
    once per build instead of once per post. It takes the server about 0.11 s and saves each
    post's first figure about 0.04 s: a server started for one edited post (`NO_WARM_UP`, set
    by the builder and taken out here, before any post sees it) skips it."""
    skip = os.environ.pop(NO_WARM_UP, None) is not None
    pyplot = sys.modules.get("matplotlib.pyplot")
    if skip or pyplot is None or os.environ.get("MPLBACKEND") != BACKEND:
        return
    import io

    with contextlib.suppress(Exception):
        pyplot.switch_backend(BACKEND)
        fig = pyplot.figure()
        axes = fig.add_subplot()
        axes.plot([0, 1], [0, 1], label="$x^2$")
        axes.set_title("warm-up $\\alpha$")
        axes.legend()
        for fig_format in ("svg", "png"):
            fig.savefig(io.BytesIO(), format=fig_format)
        pyplot.close(fig)


_NO_INPUT = (
    "snippets cannot read input: there is no keyboard during a build; put the value in the code"
)


def _no_input(prompt: object = "") -> NoReturn:
    raise RuntimeError(_NO_INPUT)


class _NoInput:
    """sys.stdin of the child: any read fails at once with a clear message."""

    def read(self, *args: object) -> NoReturn:
        raise RuntimeError(_NO_INPUT)

    readline = read
    readlines = read

    def __iter__(self) -> _NoInput:
        return self

    def __next__(self) -> NoReturn:
        raise RuntimeError(_NO_INPUT)

    def fileno(self) -> int:
        return 0

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        pass


_warm_up()
