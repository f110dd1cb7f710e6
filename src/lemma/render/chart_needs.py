"""What a chart needs on the page beyond its library's main script, read from the chart's JSON.

A page loads nothing from other sites (its CSP allows the site's own files only), so a chart that
fetches map outlines, map tiles or its data from elsewhere when it is drawn cannot be drawn, nor
can one whose library sets inline styles: `chart_blocker` says why in the author's terms. Bokeh
splits BokehJS into bundles: `bokeh_bundles` names those a plot's models need besides
bokeh.min.js (widgets, tables, WebGL).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# plotly.js fetches a geo subplot's outlines (topojson) from cdn.plot.ly when it draws it.
PLOTLY_GEO_TRACES = frozenset({"choropleth", "scattergeo"})
# MapLibre's and Mapbox's maps: tiles and styles from a tile server, drawn in a blob: worker.
PLOTLY_MAP_TRACES = frozenset(
    {
        "scattermap",
        "choroplethmap",
        "densitymap",
        "scattermapbox",
        "choroplethmapbox",
        "densitymapbox",
    }
)
_REMOTE_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# What alt.data_transformers.enable("json") or ("csv") writes and names in the spec.
_ALTAIR_DATA_FILE = re.compile(r"(?:^|/)altair-data-[0-9a-f]+\.(?:json|csv)$")


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why a chart cannot be drawn on the page, said in the author's terms."""

    reason: str  # a clause: "its map (choropleth) needs its country outlines from cdn.plot.ly, ..."
    hint: str  # what to write instead


_OFFLINE = "and the site's pages load nothing from other sites"
_MAP_HINT = "draw the map as a static figure: matplotlib, with geopandas or cartopy"
_URL_HINT = "give alt.Chart a DataFrame, such as pd.read_json(url): the page then holds it"
_TRANSFORMER_HINT = (
    "leave Altair's data transformer at its default, without "
    "alt.data_transformers.enable('json'): the page then holds the data"
)
_TABLE_HINT = "show the data as a DataFrame beside the plot: the page shows it as a table"


def chart_blocker(library: str, data: str) -> Blocker | None:
    """Why the chart cannot be drawn on a page under Lemma's CSP, or None when it can."""
    if library == "bokeh":
        if "bokeh-tables" in bokeh_bundles(data):
            return Blocker(
                "its DataTable sets inline styles, which the site's pages forbid (their CSP)",
                _TABLE_HINT,
            )
        return None
    try:
        spec = json.loads(data)
    except ValueError:
        return None
    if not isinstance(spec, dict):
        return None
    match library:
        case "plotly":
            need = _plotly_need(spec)
            return None if need is None else Blocker(f"{need}, {_OFFLINE}", _MAP_HINT)
        case "vega-lite":
            return _vega_blocker(spec)
    return None


def _plotly_need(figure: dict[str, Any]) -> str | None:
    traces = figure.get("data")
    kinds = sorted(
        {str(t.get("type")) for t in traces if isinstance(t, dict)}
        if isinstance(traces, list)
        else set()
    )
    for kind in kinds:
        if kind in PLOTLY_MAP_TRACES:
            return f"its map ({kind}) needs tiles from a map server"
    for kind in kinds:
        if kind in PLOTLY_GEO_TRACES:
            return f"its map ({kind}) needs its country outlines from cdn.plot.ly"
    return None


def _vega_blocker(spec: dict[str, Any]) -> Blocker | None:
    for url in _data_urls(spec):
        if _REMOTE_URL.match(url):
            return Blocker(f"it loads its data from {url}, {_OFFLINE}", _URL_HINT)
        if _ALTAIR_DATA_FILE.search(url):
            return Blocker(
                f"it loads its data from {url}, a file Altair wrote beside the post's code, "
                "which the site does not publish",
                _TRANSFORMER_HINT,
            )
    return None


def _data_urls(node: object) -> Iterator[str]:
    """Every `"data": {"url": ...}` in a Vega-Lite spec: views, layers, lookups, at any depth."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            yield data["url"]
        for value in node.values():
            yield from _data_urls(value)
    elif isinstance(node, list):
        for value in node:
            yield from _data_urls(value)


# BokehJS's bundles besides bokeh.min.js, in the order Bokeh loads them.
BOKEH_BUNDLES = ("bokeh-gl", "bokeh-widgets", "bokeh-tables", "bokeh-mathjax")
# TeX in a Bokeh string, as Bokeh finds it (`contains_tex_string`): $$...$$, \[...\], \(...\);
# in the item's JSON a backslash is written twice.
_BOKEH_TEX = re.compile(r'"(?:[^"\\]|\\.)*?(?:\$\$.+?\$\$|\\\\\[.+?\\\\\]|\\\\\(.+?\\\\\))')


def bokeh_bundles(data: str) -> tuple[str, ...]:
    """The BokehJS bundles a Bokeh item needs besides bokeh.min.js, as Bokeh itself decides:
    WebGL for a plot drawn with `output_backend="webgl"`, widgets for a widget, tables for a
    DataTable, MathJax for TeX in a label or title. The models are named in the item; their
    classes are Bokeh's (imported here only when a page has a Bokeh plot)."""
    names = frozenset(re.findall(r'"name":\s*"([A-Za-z_][A-Za-z0-9_]*)"', data))
    needed = set(_bokeh_widget_bundles(names))
    if re.search(r'"output_backend":\s*"webgl"', data):
        needed.add("bokeh-gl")
    if "TeX" in names or "MathML" in names or _BOKEH_TEX.search(data):
        needed.add("bokeh-mathjax")  # BokehJS typesets TeX with MathJax, in its own bundle
    return tuple(b for b in BOKEH_BUNDLES if b in needed)


@functools.cache
def _bokeh_widget_bundles(names: frozenset[str]) -> tuple[str, ...]:
    try:
        models = importlib.import_module("bokeh.models")
    except ImportError:
        return ()
    registry: dict[str, type] = models.Model.model_class_reverse_map
    classes = [registry[name] for name in names if name in registry]
    needed = []
    if any(issubclass(c, models.Widget) for c in classes):
        needed.append("bokeh-widgets")
    if any(issubclass(c, models.TableWidget) for c in classes):
        needed.append("bokeh-tables")
    return tuple(needed)


def bokeh_code_model(data: str) -> str | None:
    """The first CustomJS model (CustomJS, CustomJSHover, ...) of a Bokeh item, else None: its
    code is compiled from text in the browser, which the page's CSP forbids."""
    found = re.search(r'"name":\s*"(CustomJS[A-Za-z]*)"', data)
    return found.group(1) if found else None
