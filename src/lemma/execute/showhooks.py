"""Child side: `fig.show()`, `show(plot)`, `chart.display()` and IPython's `display()` display
below the snippet.

Outside Jupyter these would open a web browser, write an HTML file, or need IPython, in the middle
of a build; Bokeh's `output_notebook()` asks IPython to load BokehJS, which the page does itself.
IPython's own `display()`, which `from IPython.display import display` puts in place of the
post's, prints each object's repr outside a Jupyter kernel ("<IPython.core.display.Math
object>"), and its `clear_output()` prints terminal escapes: here `clear_output()` removes what
the snippet has shown so far and an update of a display id replaces that display, as in Jupyter.
The libraries are patched as they finish loading (`loaded.py`), so that nothing is imported
before a post imports them itself, and `from bokeh.plotting import show` gets the patched function.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence

from lemma.execute.loaded import when_loaded

Display = Callable[..., None]
DisplayAs = Callable[[str, bool, Sequence[object]], None]  # display id, an update?, objects
Clear = Callable[[], None]

_display: Display | None = None
_display_as: DisplayAs | None = None
_clear: Clear | None = None


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


class _Bundle:
    """A raw MIME bundle given to IPython's `display(..., raw=True)`, as the post shows it."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data

    def _repr_mimebundle_(self) -> dict[str, object]:
        return self._data


def shown(objs: Sequence[object], raw: bool) -> list[object]:
    """What `display(*objs, raw=raw)` shows: with `raw=True`, each dict is a MIME bundle."""
    return [_Bundle(obj) if raw and isinstance(obj, dict) else obj for obj in objs]


def _patch_ipython(module: types.ModuleType) -> None:
    handle = module.__dict__.get("DisplayHandle")

    def display(*objs: object, raw: bool = False, **kwargs: object) -> object:
        objects = shown(objs, raw)
        display_id, update, made = kwargs.get("display_id"), bool(kwargs.get("update")), None
        if display_id and not update and callable(handle):
            # display_id=True: IPython's handle names the display (`handle.update(y)`)
            made = handle(None if display_id is True else display_id)
            display_id = getattr(made, "display_id", display_id)
        if isinstance(display_id, str) and _display_as is not None:
            _display_as(display_id, update, objects)
        else:
            for obj in objects:
                _show(obj)
        return made

    def clear_output(wait: bool = False) -> None:
        if _clear is not None:
            _clear()

    for name, replacement in (("display", display), ("clear_output", clear_output)):
        if name in module.__dict__:
            module.__dict__[name] = replacement


_PATCHES: dict[str, Callable[[types.ModuleType], None]] = {
    "plotly.basedatatypes": _patch_plotly,
    "bokeh.io.showing": _patch_bokeh,
    "bokeh.io.output": _patch_bokeh_output,
    "altair.vegalite.v5.api": _patch_altair,  # Altair 5
    "altair.vegalite.v6.api": _patch_altair,  # Altair 6
    # `from IPython.display import display`: where IPython 7.23 and later define it, and where
    # the posts import it from (earlier IPython defines it in IPython.core.display).
    "IPython.core.display_functions": _patch_ipython,
    "IPython.core.display": _patch_ipython,
    "IPython.display": _patch_ipython,
}


def install_show_hooks(
    display: Display, display_as: DisplayAs | None = None, clear: Clear | None = None
) -> None:
    """Route the libraries' show() to `display`, IPython's display ids to `display_as` and its
    clear_output() to `clear`, now and for imports to come."""
    global _display, _display_as, _clear
    _display, _display_as, _clear = display, display_as, clear
    for name, patch in _PATCHES.items():
        when_loaded(name, patch)
