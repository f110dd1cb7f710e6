"""Child side: collect a snippet's outputs in order (streams, values, rich reprs), size-limited."""

from __future__ import annotations

import base64
import codecs
import contextlib
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from lemma.execute.charts import bundle_outputs, chart_outputs
from lemma.model import Chart, Output, Rich, Stream, Value, is_address_repr

StreamName = Literal["stdout", "stderr"]

# Beyond this, a snippet's text output is cut: a page with megabytes of prints helps nobody and
# would make every later stage slow.
OUTPUT_LIMIT_CHARS = 1_000_000

# Jupyter's order of preference among rich representations.
RICH_METHODS = (
    ("text/html", "_repr_html_"),
    ("image/svg+xml", "_repr_svg_"),
    ("image/png", "_repr_png_"),
    ("image/jpeg", "_repr_jpeg_"),
    ("text/latex", "_repr_latex_"),
    ("text/markdown", "_repr_markdown_"),
)


class OutputLog:
    """The outputs of one snippet run; consecutive writes to one stream merge into one Stream."""

    def __init__(self, limit_chars: int = OUTPUT_LIMIT_CHARS) -> None:
        self._outputs: list[Output] = []
        self._stream: StreamName | None = None
        self._parts: list[str] = []
        self._room = limit_chars
        self._limit = limit_chars
        self._dropped = 0

    def write(self, name: StreamName, text: str) -> None:
        if not text:
            return
        if self._room <= 0:
            self._dropped += len(text)
            return
        if len(text) > self._room:
            self._dropped += len(text) - self._room
            text = text[: self._room]
        self._room -= len(text)
        if self._stream != name:
            self._close_stream()
            self._stream = name
        self._parts.append(text)

    def add(self, output: Output) -> None:
        self._close_stream()
        size = (
            len(output.data)
            if isinstance(output, Rich | Chart)
            else (len(output.text) if isinstance(output, Value) else 0)
        )
        if size > self._limit:
            kind = type(output).__name__.lower()
            note = f"[a {kind} output of {size:,} characters was left out]\n"
            self._outputs.append(Stream("stderr", note))
            return
        self._outputs.append(output)

    def clear(self) -> None:
        """IPython's `clear_output()`: what the snippet has shown so far goes, and the room its
        text took is free again."""
        self._outputs = []
        self._stream = None
        self._parts = []
        self._room = self._limit
        self._dropped = 0

    def mark(self) -> int:
        """Where the next output goes (text written so far is an output before it)."""
        self._close_stream()
        return len(self._outputs)

    def move_back(self, since: int, start: int, end: int) -> None:
        """The outputs from `since` on take the place of those in [start, end), `end <= since`:
        an updated display, shown where it first was."""
        self._close_stream()
        moved = self._outputs[since:]
        del self._outputs[since:]
        self._outputs[start:end] = moved

    def note_dropped(self, chars: int) -> None:
        """Count text that was cut before reaching the log."""
        self._dropped += chars

    def finish(self) -> tuple[Output, ...]:
        self._close_stream()
        if self._dropped:
            note = (
                f"\n[output truncated: {self._dropped:,} more characters not shown "
                f"(limit {self._limit:,} per snippet)]\n"
            )
            self._outputs.append(Stream("stderr", note))
            self._dropped = 0
        outputs = tuple(self._outputs)
        self._outputs = []
        return outputs

    def _close_stream(self) -> None:
        if self._stream is not None and self._parts:
            self._outputs.append(Stream(self._stream, "".join(self._parts)))
        self._stream = None
        self._parts = []


class _BinaryWriter(io.RawIOBase):
    """`sys.stdout.buffer`: bytes are decoded as UTF-8, invalid bytes replaced, never an error."""

    def __init__(self, text: CaptureWriter) -> None:
        super().__init__()
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        chunk = bytes(data)  # type: ignore[call-overload]
        self._text.write(self._decoder.decode(chunk))
        return len(chunk)


class CaptureWriter(io.TextIOBase):
    """Replacement for sys.stdout/sys.stderr; writes go to whatever log is current."""

    def __init__(self, name: StreamName, fd: int) -> None:
        super().__init__()
        self.name_ = name
        self._fd = fd
        self.log: OutputLog | None = None
        self.buffer = _BinaryWriter(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        # Code that writes to the descriptor (subprocess, C libraries) reaches the redirected fd,
        # which the worker reads back after each snippet.
        return self._fd

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.log is not None:
            self.log.write(self.name_, text)
        return len(text)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        # A snippet closing sys.stdout must not break the capture of the snippets after it.
        pass


class FdCapture:
    """Reads what was written to a redirected file descriptor since the last call."""

    def __init__(self, name: StreamName, path: Path) -> None:
        self.name = name
        self._path = path
        self._offset = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def skip_to_end(self) -> None:
        """Forget what is in the file now (another process already reported it)."""
        with contextlib.suppress(OSError):
            self._offset = self._path.stat().st_size

    def drain(self, log: OutputLog, limit: int = OUTPUT_LIMIT_CHARS) -> None:
        try:
            size = self._path.stat().st_size
        except OSError:
            return
        if size <= self._offset:
            return
        with self._path.open("rb") as file:
            file.seek(self._offset)
            data = file.read(min(size - self._offset, limit))
        log.write(self.name, self._decoder.decode(data))
        if size - self._offset > limit:
            log.note_dropped(size - self._offset - limit)
        self._offset = size


def mime_bundle(obj: object) -> tuple[dict[str, Any], Mapping[str, Any]] | None:
    """`obj._repr_mimebundle_()` and its metadata, when it has one that returns a dict."""
    method = getattr(obj, "_repr_mimebundle_", None)
    if not callable(method) or isinstance(obj, type):
        return None
    data, metadata = _with_metadata(method())
    return (data, metadata) if isinstance(data, dict) else None


def rich_output(
    obj: object,
    bundle: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Rich | None:
    """The preferred rich representation of `obj`, as Jupyter would choose it, or None."""
    if bundle is not None:
        for mime, _ in RICH_METHODS:
            if mime in bundle:
                return rich_repr(mime, bundle[mime], (metadata or {}).get(mime))
    for mime, method_name in RICH_METHODS:
        method = getattr(obj, method_name, None)
        if not callable(method) or isinstance(obj, type):
            continue
        data, shown = _with_metadata(method())
        if data is not None:
            return rich_repr(mime, data, shown)
    return None


def _with_metadata(returned: object) -> tuple[object, Mapping[str, Any]]:
    """A repr method's value, and its metadata: IPython allows (data, metadata)."""
    if isinstance(returned, tuple) and returned:
        metadata = returned[1] if len(returned) > 1 else None
        return returned[0], metadata if isinstance(metadata, dict) else {}
    return returned, {}


def rich_repr(mime: str, data: object, metadata: object = None) -> Rich | None:
    """Data of type `mime` as an output; an image's `metadata` may give its size and alt text."""
    if mime in ("image/png", "image/jpeg"):
        if isinstance(data, str):  # base64 already, as in a bundle; perhaps cut into lines
            data = "".join(data.split())
        elif isinstance(data, bytes):
            data = base64.b64encode(data).decode("ascii")
        else:
            return None
        given = metadata if isinstance(metadata, dict) else {}
        alt = given.get("alt")
        alt = alt.strip() if isinstance(alt, str) else ""
        width, height = _pixels(given.get("width")), _pixels(given.get("height"))
        return Rich(mime, data, width, height, alt or None)
    if isinstance(data, bytes):
        return Rich(mime, data.decode("utf-8", "replace"))
    if isinstance(data, str):
        return Rich(mime, data)
    return None


def _pixels(value: object) -> int | None:
    """A width or height the object asked for (IPython's `Image(width=300)`), in CSS pixels."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 100_000:
        return None
    return round(value)


def display_output(obj: object, show_figure: Callable[[object], Output | None]) -> list[Output]:
    """How `obj` appears as a trailing expression or in `display()`: a figure, a chart, rich, or
    repr."""
    shown = show_figure(obj)
    if shown is not None:
        return [shown]
    charts = chart_outputs(obj)
    if charts is not None:
        return charts
    bundle, metadata = mime_bundle(obj) or (None, None)
    published = bundle_outputs(bundle) if bundle is not None else None
    if published is not None:
        return published
    rich = rich_output(obj, bundle, metadata)
    if rich is not None:
        return [rich]
    text = repr(obj)
    if is_address_repr(text):  # `<... object at 0x7fd6...>`: noise, and a new page every build
        return []
    return [Value(text)]
