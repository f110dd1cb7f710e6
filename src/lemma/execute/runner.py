"""Child side: run a snippet in the post's namespace, turn what it raises into Errors."""

from __future__ import annotations

import builtins
import difflib
import errno
import inspect
import os
import sys
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FrameType, TracebackType
from typing import TYPE_CHECKING

from lemma.execute.capture import CaptureWriter, FdCapture, OutputLog, display_output
from lemma.execute.figures import FigureCollector, FigureStore, set_show_hook
from lemma.execute.sandbox import FILE_LIMIT_MB
from lemma.execute.showhooks import shown
from lemma.execute.source import PostSource, compile_snippet
from lemma.model import Error, Output, Snippet, SourceLocation

if TYPE_CHECKING:
    import asyncio

WORKER_DIR = str(Path(__file__).resolve().parent) + os.sep

# A traceback deeper than this (a runaway recursion: a million frames when the memory runs out)
# shows its innermost frames only. Formatting every frame took 10 to 30 s of the post's time.
FRAMES_SHOWN = 1000


class SnippetTimeout(BaseException):
    """Raised inside the snippet when the parent signals that its time is up."""


@dataclass(frozen=True, slots=True)
class Outcome:
    outputs: tuple[Output, ...]
    error: Error | None
    raised: tuple[str, ...] = ()  # names of the exception's classes, for `#| error: Name`


class DisplayHandle:
    """What `display(x, display_id=True)` returns, as IPython's handle does."""

    def __init__(self, runner: SnippetRunner, display_id: str) -> None:
        self._runner = runner
        self.display_id = display_id

    def update(self, obj: object, **_options: object) -> None:
        self._runner.display_as(self.display_id, True, [obj])

    def display(self, obj: object, **_options: object) -> None:
        self._runner.display_as(self.display_id, False, [obj])


class SnippetRunner:
    """Runs snippets in the post's namespace, capturing their outputs and figures."""

    def __init__(
        self,
        source_path: str,
        namespace: dict[str, object],
        writers: tuple[CaptureWriter, CaptureWriter],
        fds: tuple[FdCapture, ...],
        store: FigureStore,
        memory_limit_mb: int,
    ) -> None:
        self.source = PostSource(source_path)
        self.namespace = namespace
        self.writers = writers
        self.fds = fds
        self.store = store
        self.memory_limit_mb = memory_limit_mb
        self.in_snippet = False
        self.timed_out = False
        self.fenced_databases: list[str] = []  # the Guard's: SQLite files opened read-only
        self._log = OutputLog()
        self._shown_as: dict[str, tuple[int, int]] = {}  # display id: its outputs in the log
        self._figures: FigureCollector | None = None
        self._event_loop: asyncio.AbstractEventLoop | None = None
        namespace["display"] = self.post_display

    def display(self, *objs: object) -> None:
        """Show each object below the snippet, as a figure, a rich representation or its repr."""
        for obj in objs:
            self._show(obj)

    def post_display(
        self,
        *objs: object,
        raw: bool = False,
        display_id: object = None,
        update: bool = False,
        **_options: object,
    ) -> DisplayHandle | None:
        """The `display()` a post finds without importing it, as a Jupyter kernel gives it,
        with IPython's keywords: `raw=True` bundles, and display ids (`display_id=True` returns
        a handle whose `update(y)` redraws the display)."""
        objects = shown(objs, raw)
        if not display_id:
            self.display(*objects)
            return None
        name = uuid.uuid4().hex if display_id is True else str(display_id)
        self.display_as(name, update, objects)
        return None if update else DisplayHandle(self, name)

    def display_as(self, display_id: str, update: bool, objs: Sequence[object]) -> None:
        """IPython's `display(..., display_id=…)`: an update of a display this snippet showed
        takes its place, as Jupyter redraws it; any other is shown below."""
        log = self._log
        earlier = self._shown_as.get(display_id) if update else None
        since = log.mark()
        self.display(*objs)
        now = log.mark()
        if earlier is None:
            self._shown_as[display_id] = (since, now)
            return
        start, end = earlier
        log.move_back(since, start, end)
        shift = (now - since) - (end - start)
        for other, (first, last) in self._shown_as.items():
            if first >= end:
                self._shown_as[other] = (first + shift, last + shift)
        self._shown_as[display_id] = (start, start + now - since)

    def clear_output(self) -> None:
        """IPython's `clear_output()`: what the snippet has shown so far goes, as in Jupyter,
        where a loop that clears and draws again leaves its last drawing."""
        for fd in self.fds:
            fd.drain(self._log)
        self._log.clear()
        self._shown_as.clear()

    def on_timeout_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self.in_snippet:
            return
        self.timed_out = True
        # Raising in the frame of _attempt itself would escape its `try`; the flag covers that case.
        if frame is not None and frame.f_code is not SnippetRunner._attempt.__code__:
            raise SnippetTimeout

    def run(self, snippet: Snippet) -> Outcome:
        log = self._log = OutputLog()
        self._shown_as = {}
        figures = self._figures = FigureCollector(self.store, snippet, log.add)
        for writer in self.writers:
            writer.log = log
        sys.stdout, sys.stderr = self.writers  # again: a snippet may have replaced them
        set_show_hook(figures.show_open)
        self.source.add(snippet)
        self.timed_out = False
        error: Error | None = None
        raised: tuple[str, ...] = ()
        try:
            body, expression = compile_snippet(snippet, self.source.path)
        except (SyntaxError, ValueError) as exc:
            error = self._syntax_error(exc, snippet)
            raised = _class_names(type(exc))
        else:

            def execute() -> None:
                self._evaluate(body)
                if expression is not None:
                    value = self._evaluate(expression)
                    if value is not None and not _is_plot_artist(value):
                        self._show(value)

            error, raised = self._attempt(execute, snippet)
        for fd in self.fds:
            fd.drain(log)
        if error is not None:
            log.add(error)
        # Figures left open appear even after an error, as in Jupyter; drawing them can fail too.
        figure_error, figure_raised = self._attempt(figures.show_open, snippet)
        if figure_error is not None:
            log.add(figure_error)
            error, raised = error or figure_error, raised or figure_raised
        return Outcome(log.finish(), error, raised)

    def _evaluate(self, code: CodeType) -> object:
        value = eval(code, self.namespace)  # an "exec" code object gives None
        if code.co_flags & inspect.CO_COROUTINE:  # top-level `await`: drive it to its end
            if self._event_loop is None:
                import asyncio

                # One loop for the post, as in a notebook: a task or queue made in one snippet
                # can be awaited in the next.
                self._event_loop = asyncio.new_event_loop()
            value = self._event_loop.run_until_complete(value)
        return value

    def _show(self, obj: object) -> None:
        assert self._figures is not None
        for output in display_output(obj, self._figures.figure_output):
            self._log.add(output)

    def _attempt(
        self, action: Callable[[], None], snippet: Snippet
    ) -> tuple[Error | None, tuple[str, ...]]:
        try:
            self.in_snippet = True
            action()
        except SnippetTimeout as exc:
            self.in_snippet = False
            return self._timeout_error(snippet, exc.__traceback__), ()
        except BaseException as exc:  # the worker boundary: everything the user's code raises
            self.in_snippet = False
            try:
                return self._exception_error(exc, snippet), _class_names(type(exc))
            except MemoryError:
                return self._out_of_memory_error(exc, snippet), _class_names(type(exc))
        finally:
            self.in_snippet = False
        if self.timed_out:  # the snippet caught our SnippetTimeout and went on
            return self._timeout_error(snippet, None), ()
        return None, ()

    def _timeout_error(self, snippet: Snippet, tb: TracebackType | None) -> Error:
        line = _innermost_line(tb, self.source.path) or snippet.location.line
        depth = _depth(tb)
        shown = traceback.extract_tb(tb, limit=_innermost_limit(depth))
        frames = [f for f in shown if not f.filename.startswith(WORKER_DIR)]
        evalue = f"timed out after {snippet.options.timeout_s:g} s at {self.source.path}:{line}"
        text = "Traceback (most recent call last):\n" if frames else ""
        text += _hidden_frames(depth) + "".join(traceback.format_list(frames))
        text += f"TimeoutError: {evalue}\n"
        location = SourceLocation(self.source.path, line)
        return Error("TimeoutError", evalue, text, location, kind="timeout")

    def _out_of_memory_error(self, exc: BaseException, snippet: Snippet) -> Error:
        """The error of a snippet whose traceback cannot even be formatted: a runaway recursion
        holds the memory in its frames; letting the traceback go frees them for the report."""
        line = _innermost_line(exc.__traceback__, self.source.path) or snippet.location.line
        exc.__traceback__ = None
        limit = f"limit {self.memory_limit_mb} MB" if self.memory_limit_mb else "no limit set"
        evalue = f"{exc} (the post ran out of memory: {limit}; a runaway recursion?)"
        text = f"{type(exc).__name__}: {evalue}\n"
        return Error(type(exc).__name__, evalue, text, SourceLocation(self.source.path, line))

    def _syntax_error(self, exc: SyntaxError | ValueError, snippet: Snippet) -> Error:
        text = "".join(traceback.format_exception_only(type(exc), exc))
        if isinstance(exc, SyntaxError):
            line, column, message = exc.lineno or snippet.location.line, exc.offset or 0, exc.msg
        else:  # compile() refuses NUL bytes with a ValueError
            line, column, message = snippet.location.line, 0, str(exc)
        location = SourceLocation(self.source.path, line, column)
        return Error(type(exc).__name__, message, text, location, kind="syntax")

    def _exception_error(self, exc: BaseException, snippet: Snippet) -> Error:
        depth = _depth(exc.__traceback__)
        innermost = _innermost_limit(depth)
        summary = traceback.TracebackException(type(exc), exc, exc.__traceback__, limit=innermost)
        _drop_worker_frames(summary)
        lines = list(summary.format())
        if innermost is not None:  # under the raised exception's own "Traceback" line
            header = max(i for i, text in enumerate(lines) if text.startswith("Traceback ("))
            lines.insert(header + 1, _hidden_frames(depth))
        message_index = len(lines) - len(list(summary.format_exception_only()))
        ename, evalue = type(exc).__name__, str(exc)
        suggestion = _suggestion(exc)
        if suggestion is not None:
            lines[message_index] = f"{ename}: {evalue}. Did you mean: '{suggestion}'?\n"
            evalue += f" (did you mean '{suggestion}'?)"
        if isinstance(exc, SystemExit):
            call = "" if exc.code is None else repr(exc.code)
            evalue = f"the snippet called sys.exit({call}); remove it, a post cannot stop the build"
        elif isinstance(exc, KeyboardInterrupt):
            evalue = "the snippet raised KeyboardInterrupt"
        elif isinstance(exc, MemoryError):
            limit = f"limit {self.memory_limit_mb} MB" if self.memory_limit_mb else "no limit set"
            evalue = f"{evalue or 'out of memory'} (the post ran out of memory: {limit})"
        elif "readonly database" in evalue and self.fenced_databases:
            evalue += (
                f" (snippets cannot change files in the site folder: {self.fenced_databases[0]}"
                " is read-only during a build; copy it into the current folder to change it)"
            )
        elif isinstance(exc, OSError) and exc.errno == errno.EFBIG:
            evalue += (
                f" (a post may write files of at most {FILE_LIMIT_MB} MB, output included; "
                "write less, or write it outside the build)"
            )
        elif isinstance(exc, SystemError) and "without exception set" in evalue:
            # What CPython sometimes raises when a deep recursion exhausts memory mid-call.
            limit = f"limit {self.memory_limit_mb} MB" if self.memory_limit_mb else "no limit set"
            evalue = f"{evalue} (the post ran out of memory: {limit}; a runaway recursion?)"
        line = _innermost_line(exc.__traceback__, self.source.path) or snippet.location.line
        return Error(ename, evalue, "".join(lines), SourceLocation(self.source.path, line))


def _is_plot_artist(value: object) -> bool:
    """`plt.plot(...)` as a snippet's last line returns Line2D objects: their repr (with a memory
    address, different on every build) is noise in a page, so it is not shown."""
    artist = sys.modules.get("matplotlib.artist")
    if artist is None:
        return False
    if isinstance(value, list | tuple):
        return bool(value) and all(isinstance(item, artist.Artist) for item in value)
    return isinstance(value, artist.Artist)


def _drop_worker_frames(summary: traceback.TracebackException) -> None:
    """Keep the user's frames (and the libraries they called); drop Lemma's own."""
    frames = [f for f in summary.stack if not f.filename.startswith(WORKER_DIR)]
    summary.stack = traceback.StackSummary.from_list(frames)
    for linked in (summary.__cause__, summary.__context__, *(summary.exceptions or ())):
        if linked is not None:
            _drop_worker_frames(linked)


def _depth(tb: TracebackType | None) -> int:
    """How many calls deep the user's code was, Lemma's frames (the outermost) not counted."""
    depth = 0
    while tb is not None:
        depth += not tb.tb_frame.f_code.co_filename.startswith(WORKER_DIR)
        tb = tb.tb_next
    return depth


def _innermost_limit(depth: int) -> int | None:
    """traceback's `limit` for a traceback `depth` calls deep: its innermost frames only."""
    return -FRAMES_SHOWN if depth > FRAMES_SHOWN else None


def _hidden_frames(depth: int) -> str:
    """The line that stands for the outer frames a deep traceback does not show."""
    if depth <= FRAMES_SHOWN:
        return ""
    return f"  ... {depth - FRAMES_SHOWN:,} outer calls not shown: {depth:,} calls deep\n"


def _innermost_line(tb: TracebackType | None, path: str) -> int:
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path and tb.tb_lineno is not None:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _suggestion(exc: BaseException) -> str | None:
    # Python 3.11 adds "Did you mean" only when printing through the default excepthook; this
    # recomputes it for NameError and AttributeError.
    name = getattr(exc, "name", None)
    if not isinstance(name, str):
        return None
    if isinstance(exc, NameError):
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None:
            return None
        frame = tb.tb_frame
        candidates = [*frame.f_locals, *frame.f_globals, *dir(builtins)]
    elif isinstance(exc, AttributeError) and getattr(exc, "obj", None) is not None:
        try:
            candidates = dir(exc.obj)
        except Exception:
            return None
    else:
        return None
    matches = difflib.get_close_matches(name, [c for c in candidates if c != name], n=1)
    return matches[0] if matches else None


def _class_names(cls: type[BaseException]) -> tuple[str, ...]:
    names: list[str] = []
    for klass in cls.__mro__:
        names += [klass.__name__, f"{klass.__module__}.{klass.__qualname__}"]
    return tuple(names)
