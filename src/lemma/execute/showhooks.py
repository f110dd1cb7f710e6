"""Child side: `fig.show()`, `show(plot)` and `chart.display()` display below the snippet.

Outside Jupyter these would open a web browser, write an HTML file, or need IPython, in the middle
of a build; Bokeh's `output_notebook()` asks IPython to load BokehJS, which the page does itself.
The libraries are patched as they finish loading (`loaded.py`), so that nothing is imported
before a post imports them itself, and `from bokeh.plotting import show` gets the patched function.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from lemma.execute.loaded import when_loaded

Display = Callable[..., None]

_display: Display | None = None


def _show(obj: object) -> None:
    if _display is not None:
        _display(obj)


def _patch_plotly(module: types.ModuleType) -> None:
    def show(self: object, *args: object, **kwargs: object) -> None:
        _show(self)

    module.BaseFigure.show = show


def _patch_bokeh(module: types.ModuleType) -> None:
    def show(obj: object, *args: object, **kwargs: object) -> None:
        _show(obj)

    module.__dict__["show"] = show


def _patch_bokeh_output(module: types.ModuleType) -> None:
    def output_notebook(*args: object, **kwargs: object) -> None:
        pass  # the page loads BokehJS itself, once, when it shows a Bokeh plot

    module.__dict__["output_notebook"] = output_notebook


def _patch_altair(module: types.ModuleType) -> None:
    def show(self: object, *args: object, **kwargs: object) -> None:
        _show(self)

    module.TopLevelMixin.show = show
    module.TopLevelMixin.display = show


_PATCHES: dict[str, Callable[[types.ModuleType], None]] = {
    "plotly.basedatatypes": _patch_plotly,
    "bokeh.io.showing": _patch_bokeh,
    "bokeh.io.output": _patch_bokeh_output,
    "altair.vegalite.v5.api": _patch_altair,  # Altair 5
    "altair.vegalite.v6.api": _patch_altair,  # Altair 6
}


def install_show_hooks(display: Display) -> None:
    """Route the libraries' show() to `display`, now and for imports to come."""
    global _display
    _display = display
    for name, patch in _PATCHES.items():
        when_loaded(name, patch)
