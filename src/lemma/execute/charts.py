"""Child side: interactive charts (plotly, Altair/Vega-Lite, Bokeh) as the JSON of their MIME type.

Nothing here imports a chart library: a library is only looked up in `sys.modules`, so that a post
that never imports plotly pays nothing for it, and the fork server stays as cheap as it is.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Mapping
from typing import Any

from lemma.model import Chart, Output, Stream, Value

PLOTLY_MIME = "application/vnd.plotly.v1+json"
BOKEH_MIME = "application/vnd.bokehjs.json-item+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Altair 5 publishes ...v5+json; Altair 6 publishes ...v6.json: both are Vega-Lite specs.
VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)(?:\+json|\.json)$")

WIDGET_NOTE = (
    "[an interactive Jupyter widget: it needs a running kernel, "
    "so the page shows its static form]\n"
)

# Plotly draws 450 px high unless the layout says otherwise; Bokeh's plots default to 600 x 600.
PLOTLY_HEIGHT = 450
BOKEH_SIZE = 600


def chart_library(mime: str) -> str | None:
    """ "plotly", "vega-lite" or "bokeh" for a chart MIME type, else None."""
    if mime == PLOTLY_MIME:
        return "plotly"
    if mime == BOKEH_MIME:
        return "bokeh"
    if VEGALITE_MIME.match(mime):
        return "vega-lite"
    return None


def chart_outputs(obj: object) -> list[Output] | None:
    """How `obj` shows when it is a plotly, Altair or Bokeh chart, else None."""
    if isinstance(obj, type):
        return None
    chart = _plotly(obj) or _vegalite(obj) or _bokeh(obj)
    return None if chart is None else [chart]


def bundle_outputs(bundle: Mapping[str, Any]) -> list[Output] | None:
    """A `_repr_mimebundle_` that holds a chart or a widget, as outputs; else None."""
    if WIDGET_MIME in bundle:
        return _widget_outputs(bundle)
    for mime, value in bundle.items():
        if chart_library(mime) is None:
            continue
        data = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        height = PLOTLY_HEIGHT if mime == PLOTLY_MIME else 0
        return [Chart(mime, data, 0, height, None, _text_bundle(bundle))]
    return None


def _text_bundle(bundle: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (mime, value)
        for mime, value in bundle.items()
        if isinstance(value, str) and mime in ("text/plain", "text/html")
    )


def _widget_outputs(bundle: Mapping[str, Any]) -> list[Output]:
    text = bundle.get("text/plain")
    shown: Output = Value(text if isinstance(text, str) else "a Jupyter widget")
    return [shown, Stream("stderr", WIDGET_NOTE)]


def _plotly(obj: object) -> Chart | None:
    if _library_of(obj) != "plotly" or not callable(getattr(obj, "to_plotly_json", None)):
        return None
    data = obj.to_json()  # type: ignore[attr-defined]  # plotly's encoder knows numpy and pandas
    spec = json.loads(data)
    layout = spec.get("layout", {}) if isinstance(spec, dict) else {}
    width = _int(layout.get("width"))
    height = _int(layout.get("height")) or PLOTLY_HEIGHT
    return Chart(PLOTLY_MIME, data, width, height)


def _vegalite(obj: object) -> Chart | None:
    if _library_of(obj) != "altair" or not callable(getattr(obj, "to_json", None)):
        return None
    data = obj.to_json(indent=None)  # type: ignore[attr-defined]
    spec = json.loads(data)
    schema = str(spec.get("$schema", "")) if isinstance(spec, dict) else ""
    version = re.search(r"/vega-lite/v(\d+)", schema)
    mime = f"application/vnd.vegalite.v{version.group(1) if version else 5}+json"
    # Its static image is made while rendering: vl-convert runs V8, which cannot start under the
    # address-space limit of a post's process.
    return Chart(mime, data, 0, 0)


def _bokeh(obj: object) -> Chart | None:
    model = sys.modules.get("bokeh.models")
    if model is None or not isinstance(obj, model.LayoutDOM):
        return None
    import importlib

    # bokeh is imported already (the object is one of its models): bokeh.embed costs little.
    util = importlib.import_module("bokeh.embed.util")
    # With curdoc()'s theme (`curdoc().theme = "dark_minimal"`), as show() in a notebook has it.
    item = importlib.import_module("bokeh.embed").json_item(obj, theme=util.FromCurdoc)
    sizing = str(getattr(obj, "sizing_mode", None) or "fixed")
    width = 0 if "width" in sizing or "both" in sizing else _int(getattr(obj, "width", None))
    height = _int(getattr(obj, "height", None)) or BOKEH_SIZE
    # Key order kept: BokehJS needs each model defined before the references to it.
    return Chart(BOKEH_MIME, json.dumps(item), width, height)


def _library_of(obj: object) -> str:
    return type(obj).__module__.split(".")[0]


def _int(value: object) -> int:
    with contextlib.suppress(TypeError, ValueError):
        if value is not None and not isinstance(value, bool):
            return max(0, round(float(value)))  # type: ignore[arg-type]
    return 0
