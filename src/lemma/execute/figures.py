"""Child side: turn matplotlib figures into deterministic SVG/PNG files named by their content."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lemma.model import Figure, Output, Snippet, SnippetOptions
from lemma.reuse.atomic import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

_show_hook: Callable[[], None] | None = None


def set_show_hook(hook: Callable[[], None] | None) -> None:
    """What `plt.show()` does in the child: set by the worker for the running snippet."""
    global _show_hook
    _show_hook = hook


def show_open_figures() -> None:
    if _show_hook is not None:
        _show_hook()


@dataclass(frozen=True, slots=True)
class SavedFigure:
    file_name: str
    width: int  # CSS pixels
    height: int
    svg_too_heavy: bool  # a PNG written because the SVG passed its size limit


class FigureStore:
    """Writes figure bytes once, as `<sha256>.<ext>`, atomically, into the cache's figure folder."""

    def __init__(
        self, figures_dir: str, trusted: Callable[[], contextlib.AbstractContextManager[None]]
    ) -> None:
        self.figures_dir = figures_dir
        self._trusted = trusted  # lets Lemma's own writes past the snippet's write guard

    def save(self, fig: MplFigure, fig_format: str, svg_limit_kb: int = 0) -> SavedFigure:
        """`fig` rendered as `fig_format`, stored; an SVG that grows past `svg_limit_kb` (when it
        is not 0) is rendered again, from the figure itself, as PNG."""
        import matplotlib

        svg_too_heavy = False
        # A fixed salt makes the SVG's element ids, and so its bytes, the same on every build.
        with matplotlib.rc_context({"svg.hashsalt": "lemma"}):
            if fig_format == "svg":
                try:
                    data = _render(fig, "svg", svg_limit_kb * 1024)
                except _TooHeavy:
                    # A dense scatter plot or an image makes megabytes of SVG (and seconds to
                    # write them all): a page and a notebook that heavy load slowly, a PNG not.
                    svg_too_heavy, fig_format = True, "png"
            if fig_format == "png":
                data = _render(fig, "png")
        width, height = _css_size(data, fig_format, fig.dpi)
        file_name = f"{hashlib.sha256(data).hexdigest()}.{fig_format}"
        self._write(file_name, data)
        return SavedFigure(file_name, width, height, svg_too_heavy)

    def _write(self, file_name: str, data: bytes) -> None:
        path = Path(self.figures_dir, file_name)
        with self._trusted():
            if path.exists():
                return
            write_atomically(path, data)


class _TooHeavy(Exception):
    """Raised from inside savefig once the file passes its limit: why write the rest?"""


class _Buffer(io.BytesIO):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__()
        self._limit_bytes = limit_bytes

    def write(self, data: bytes) -> int:  # type: ignore[override]
        written = super().write(data)
        if 0 < self._limit_bytes < self.tell():
            raise _TooHeavy
        return written


def _render(fig: MplFigure, fig_format: str, limit_bytes: int = 0) -> bytes:
    buffer = _Buffer(limit_bytes)
    if fig_format == "png":
        # 2x pixels, shown at 1x: sharp on high-density screens. No "Software" (matplotlib's
        # version) in the file: an upgrade alone must not change its bytes.
        fig.savefig(buffer, format="png", dpi=2 * fig.dpi, metadata={"Software": None})
    else:
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.DOTALL)


def _css_size(data: bytes, fig_format: str, dpi: float) -> tuple[int, int]:
    # Measured from the file itself, so `savefig.bbox: tight` in rcParams is honoured.
    if fig_format == "png" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return round(width / 2), round(height / 2)
    match = _SVG_SIZE.search(data[:2000])
    if match is None:
        return 0, 0
    scale = dpi / 72  # points to the figure's pixels, as the PNG of the same figure would be
    return round(float(match.group(1)) * scale), round(float(match.group(2)) * scale)


class FigureCollector:
    """The figures of one snippet run: `plt.show()`, `display(fig)` and figures left open."""

    def __init__(self, store: FigureStore, snippet: Snippet, add: Callable[[Output], None]) -> None:
        self._store = store
        self._snippet = snippet
        self._add = add
        self.count = 0

    def show_open(self) -> None:
        """Every figure pyplot has open, in the order they were created; then close them."""
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        for number in pyplot.get_fignums():
            fig = pyplot.figure(number)
            output = self.figure_output(fig)
            if output is not None:
                self._add(output)

    def figure_output(self, obj: object) -> Figure | None:
        """A Figure output when `obj` is a matplotlib figure (then closed), else None."""
        module = sys.modules.get("matplotlib.figure")
        if module is None or not isinstance(obj, module.Figure):
            return None
        fig: MplFigure = obj
        pyplot = sys.modules.get("matplotlib.pyplot")
        try:
            if len(fig.get_children()) <= 1:  # only the background patch: nothing was drawn
                return None
            options = self._snippet.options
            saved = self._store.save(fig, options.fig_format, options.svg_limit_kb)
        finally:
            if pyplot is not None:
                pyplot.close(fig)
        self.count += 1
        caption = _caption(options, self.count)
        alt = options.fig_alt or caption or _describe(fig, self.count, self._snippet)
        return Figure(saved.file_name, saved.width, saved.height, alt, caption, saved.svg_too_heavy)


def _caption(options: SnippetOptions, number: int) -> str | None:
    """The snippet's caption, or from Quarto's list form the one of the `number`th figure."""
    if not options.fig_caps:
        return options.fig_cap
    if number > len(options.fig_caps):
        return None
    return options.fig_caps[number - 1] or None


def _describe(fig: MplFigure, number: int, snippet: Snippet) -> str:
    # Without fig-alt, say at least what the figure is titled; line numbers stay out so that a
    # prose edit above the snippet does not change the page's text.
    titles: list[str] = []
    suptitle = getattr(fig, "get_suptitle", None)
    if callable(suptitle):
        titles.append(str(suptitle()))
    titles.extend(ax.get_title() for ax in fig.axes)
    titles = [t for t in titles if t.strip()]
    if titles:
        return "Figure: " + "; ".join(dict.fromkeys(titles))
    return f"Figure {number} of snippet {snippet.index + 1}"
