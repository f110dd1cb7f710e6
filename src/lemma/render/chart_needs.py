"""What a chart needs on the page beyond its library's main script, read from the chart's JSON.

A page loads nothing from other sites (its CSP allows the site's own files only), so a chart that
fetches map outlines, map tiles or its data from elsewhere when it is drawn cannot be drawn:
`remote_need` says so in the author's terms. Bokeh splits BokehJS into bundles: `bokeh_bundles`
names those a plot's models need besides bokeh.min.js (widgets, tables, WebGL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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


def remote_need(library: str, data: str) -> str | None:
    """What the chart would fetch from another site to be drawn, as a phrase; None if nothing."""
    try:
        spec = json.loads(data)
    except ValueError:
        return None
    if not isinstance(spec, dict):
        return None
    match library:
        case "plotly":
            return _plotly_need(spec)
        case "vega-lite":
            return _vega_need(spec)
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


def _vega_need(spec: dict[str, Any]) -> str | None:
    for url in _data_urls(spec):
        if _REMOTE_URL.match(url):
            return f"it loads its data from {url}"
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
