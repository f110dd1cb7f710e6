"""Charts as a reader sees them at a phone's width: layouts of several plots, legends, colorbars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

for _package in ("bokeh", "numpy", "plotly", "PIL"):
    pytest.importorskip(_package)

from PIL import Image  # noqa: E402 - after the skip above

BOKEH_LAYOUTS = """\
---
title: Bokeh layouts
date: 2025-02-01
---

```python
import numpy as np
from bokeh.layouts import gridplot
from bokeh.models import TabPanel, Tabs
from bokeh.plotting import figure, show
xs = np.linspace(0, 6, 50)
panels = []
for name in ["sin", "cos"]:
    plot = figure(width=500, height=300, title=name)
    plot.line(xs, getattr(np, name)(xs))
    panels.append(TabPanel(child=plot, title=name))
show(Tabs(tabs=panels))
```

```python
left = figure(width=260, height=260, title="x vs y", tools="box_select,reset")
left.scatter(xs, np.sin(xs))
right = figure(width=260, height=260, title="x vs z", tools="box_select,reset")
right.scatter(xs, np.cos(xs))
show(gridplot([[left, right]]))
```
"""

PLOTLY_LEGEND = """\
---
title: Training curves
date: 2025-02-02
---

```python
import numpy as np
import plotly.graph_objects as go
x = np.linspace(0, 10, 100)
figure = go.Figure()
for k in range(12):
    figure.add_trace(go.Scatter(x=x, y=np.sin(x + k / 3), name=f"learning rate {k / 100:.2f}"))
figure.update_layout(title="Training curves", xaxis_title="epoch", yaxis_title="loss")
figure
```

```python
go.Figure(
    [go.Scatter(x=x, y=np.cos(x), name="cos"), go.Scatter(x=x, y=np.sin(x), name="sin")],
    layout={"legend": {"x": 0.02, "y": 0.98}, "height": 400},
)
```
"""

SURFACE = """\
---
title: Loss landscape
date: 2025-02-03
---

```python
import numpy as np
import plotly.graph_objects as go
grid = np.linspace(-3, 3, 40)
go.Figure(go.Surface(z=np.sin(grid)[:, None] * np.cos(grid)[None, :]), layout={"title": "Loss"})
```
"""

PLOTLY_FACETS = """\
---
title: Tips by day
date: 2025-02-05
---

```python
import plotly.express as px
tips = px.data.tips()
px.scatter(tips, x="total_bill", y="tip", color="smoker", facet_col="day", title="Tips by day")
```

```python
import plotly.graph_objects as go
from plotly.subplots import make_subplots
figure = make_subplots(rows=1, cols=3, subplot_titles=("First of the data", "Second of the data",
                                                        "Third of the data"))
for column in (1, 2, 3):
    figure.add_trace(go.Scatter(x=[1, 2, 3], y=[4, 5, 6 * column]), row=1, col=column)
figure.update_layout(title_text="Multiple subplots with titles")
```
"""

LONG_TITLES = """\
---
title: Long titles
date: 2025-02-06
---

```python
import altair as alt
import plotly.express as px
iris = px.data.iris()
title = "Relationship between sepal length and petal length"
alt.Chart(iris).mark_point().encode(
    x="sepal_length:Q", y="petal_length:Q", color="species:N"
).properties(title=title)
```

```python
alt.Chart(iris).mark_point().encode(x="sepal_length:Q", y="petal_length:Q").properties(
    title=title, width=500
)
```

```python
gapminder = px.data.gapminder().query("year == 2007")
px.scatter(gapminder, x="gdpPercap", y="lifeExp", color="continent", log_x=True,
           title="Life expectancy against GDP per capita in 2007, by continent")
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    posts = {
        "bokeh-layouts.md": BOKEH_LAYOUTS,
        "plotly-legend.md": PLOTLY_LEGEND,
        "surface.md": SURFACE,
        "plotly-facets.md": PLOTLY_FACETS,
        "long-titles.md": LONG_TITLES,
    }
    with posts_site(tmp_path_factory.mktemp("chart-layouts"), "Layouts", posts) as server:
        yield server


def open_charts(browser: Any, server: Server, path: str, width: int) -> tuple[Any, Any, list[str]]:
    """(context, page, console errors) with every chart of `path` drawn at `width` px."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url(path))
    charts = page.locator("figure.lemma-chart")
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-lemma-drawn]').length === n", arg=charts.count()
    )
    return context, page, errors


# Each figure's box, and the right edge of the furthest canvas BokehJS drew in it (shadow roots).
CANVAS_EDGES = """() => [...document.querySelectorAll("figure.lemma-chart")].map((figure) => {
  let right = 0;
  const walk = (root) => root.querySelectorAll("*").forEach((node) => {
    if (node.tagName === "CANVAS" && node.width > 0) {
      right = Math.max(right, node.getBoundingClientRect().right);
    }
    if (node.shadowRoot) walk(node.shadowRoot);
  });
  walk(figure);
  const box = figure.getBoundingClientRect();
  return { right, figureRight: box.right, scrollWidth: figure.scrollWidth,
           clientWidth: figure.clientWidth, height: box.height };
})"""


def test_bokeh_tabs_and_grids_fit_a_phone_column(site: Server, browser: Any) -> None:
    # Only a lone plot was scaled to the column: a 600 px plot in Tabs and a grid of two 350 px
    # plots scrolled inside a 355 px column, their right part cut off (scrollWidth 600 and 700).
    context, page, errors = open_charts(browser, site, "posts/bokeh-layouts/", 390)
    try:
        charts = page.evaluate(CANVAS_EDGES)
        assert len(charts) == 2
        for chart in charts:
            assert chart["scrollWidth"] <= chart["clientWidth"] + 1, chart
            assert 0 < chart["right"] <= chart["figureRight"] + 0.5, chart
            assert chart["height"] > 120, chart  # scaled, keeping its shape, not collapsed
        assert errors == []
    finally:
        context.close()


def test_bokeh_layouts_keep_their_size_on_a_desktop(site: Server, browser: Any) -> None:
    context, page, errors = open_charts(browser, site, "posts/bokeh-layouts/", 1280)
    try:
        tabs, grid = page.evaluate(CANVAS_EDGES)
        # Drawn at the author's sizes: 300 px plot plus its tab bar, 260 px grid plus toolbar.
        # Both fit the desktop column (68ch: 612 px here), the grid with its toolbar.
        assert 300 <= tabs["height"] < 360, tabs
        assert 260 <= grid["height"] < 310, grid
        assert errors == []
    finally:
        context.close()


# The plot's own rectangle (plotly's drag layer over the axes) and the legend's, in one chart.
PLOTLY_BOXES = """() => [...document.querySelectorAll("figure.lemma-chart--plotly")].map((f) => {
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width,
             height: r.height };
  };
  return { figure: box(f), plot: box(f.querySelector(".draglayer .xy .nsewdrag")),
           legend: box(f.querySelector(".legend")) };
})"""


def test_a_plotly_legend_lies_under_the_plot_on_a_phone(site: Server, browser: Any) -> None:
    # plotly puts the legend beside the plot: on a 355 px column twelve trace names left the
    # plot 110 px wide, a third of the column.
    context, page, errors = open_charts(browser, site, "posts/plotly-legend/", 390)
    try:
        curves, placed = page.evaluate(PLOTLY_BOXES)
        assert curves["plot"]["width"] >= 0.5 * curves["figure"]["width"], curves
        assert curves["legend"]["top"] >= curves["plot"]["bottom"], curves
        assert curves["legend"]["bottom"] <= curves["figure"]["bottom"] + 0.5, curves
        # The legend's rows are added to the chart's height: the plot keeps its own.
        assert curves["plot"]["height"] >= 250, curves
        # A legend the author placed stays where it was put, inside the plot.
        assert placed["legend"]["top"] < placed["plot"]["top"] + 0.2 * placed["plot"]["height"]
        assert placed["figure"]["height"] == pytest.approx(400, abs=1)
        assert errors == []
    finally:
        context.close()


def test_a_plotly_legend_stays_beside_the_plot_on_a_desktop(site: Server, browser: Any) -> None:
    context, page, errors = open_charts(browser, site, "posts/plotly-legend/", 1280)
    try:
        curves, _ = page.evaluate(PLOTLY_BOXES)
        assert curves["legend"]["left"] >= curves["plot"]["right"], curves
        assert curves["figure"]["height"] == pytest.approx(450, abs=1)
        assert errors == []
    finally:
        context.close()


def share(png: bytes, chosen: Callable[[int, int, int], bool]) -> float:
    """The share of a screenshot's pixels whose colour is `chosen`."""
    image = Image.open(BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(n for n, pixel in colours if chosen(*pixel)) / (image.width * image.height)


def test_a_plotly_3d_scene_has_dark_walls_in_the_dark_theme(site: Server, browser: Any) -> None:
    # The scene's walls kept the template's light blue (#E5ECF6): a pale box on the dark page,
    # 2D plots beside it on a faint grey. The surface itself is not light (plasma scale).
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site.url("posts/surface/"))
        page.wait_for_selector("figure.lemma-chart[data-lemma-drawn] .gl-container canvas")
        # WebGL draws the scene in a frame after plotly resolves: screenshots until the surface's
        # yellow crest shows (each screenshot waits for a new frame).
        area = page.locator("figure.lemma-chart .lemma-chart-area")
        shot = area.screenshot()
        for _ in range(50):
            if share(shot, lambda r, g, b: r > 220 and g > 200 and b < 120) > 0.002:
                break
            shot = area.screenshot()
        else:
            pytest.fail("the surface was never drawn")
        assert share(shot, lambda r, g, b: min(r, g, b) > 200) < 0.02
        assert errors == []
    finally:
        context.close()


TITLE_FILL = """() => getComputedStyle(
  document.querySelector("figure.lemma-chart--plotly .lemma-chart-area .gtitle")).fill"""
FIGURE_HEIGHTS = """() => [...document.querySelectorAll("figure.lemma-chart")]
  .map((figure) => figure.getBoundingClientRect().height)"""


def test_a_plotly_chart_keeps_its_height_when_the_theme_changes(site: Server, browser: Any) -> None:
    # Drawn again for the other theme (or for paper), a chart without a height of its own took
    # its container's, which was its own: the chart collapsed to 0 px.
    context, page, errors = open_charts(browser, site, "posts/plotly-legend/", 1280)
    try:
        drawn = [pytest.approx(450, abs=1), pytest.approx(400, abs=1)]
        assert page.evaluate(FIGURE_HEIGHTS) == drawn
        light = page.evaluate(TITLE_FILL)
        page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
        page.wait_for_function(f"(light) => ({TITLE_FILL})() !== light", arg=light)
        assert page.evaluate(FIGURE_HEIGHTS) == drawn
        # Printing from the dark theme draws them again, light.
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_function(f"(light) => ({TITLE_FILL})() === light", arg=light)
        assert page.evaluate(FIGURE_HEIGHTS) == drawn
        assert errors == []
    finally:
        context.close()


def test_a_bokeh_plot_drawn_dark_prints_light(site: Server, browser: Any) -> None:
    # BokehJS cannot draw again before the print is made: a plot drawn for the dark theme
    # printed its dark_minimal background on paper.
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url("posts/bokeh-layouts/"))
        page.wait_for_selector("figure.lemma-chart--bokeh[data-lemma-drawn]")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        shot = page.locator("figure.lemma-chart--bokeh .lemma-chart-area").first.screenshot()
        assert share(shot, lambda r, g, b: max(r, g, b) < 80) < 0.05
        assert share(shot, lambda r, g, b: min(r, g, b) > 180) > 0.5
    finally:
        context.close()


ALTAIR_CONCAT = """\
---
title: Iris measures
date: 2025-02-04
---

```python
import altair as alt
import numpy as np
import pandas as pd
rng = np.random.default_rng(0)
iris = pd.DataFrame({
    "sepal_length": rng.normal(5.8, 0.8, 150), "sepal_width": rng.normal(3.0, 0.4, 150),
    "petal_length": rng.normal(3.7, 1.7, 150), "petal_width": rng.normal(1.2, 0.7, 150),
    "species": np.repeat(["setosa", "versicolor", "virginica"], 50),
})
base = alt.Chart(iris).mark_point().encode(color="species:N", tooltip=["species"])
sepals = base.encode(x="sepal_length:Q", y="sepal_width:Q")
petals = base.encode(x="petal_length:Q", y="petal_width:Q")
sepals | petals
```

```python
alt.vconcat(sepals, petals)
```

```python
alt.Chart(iris).mark_point().encode(
    alt.X(alt.repeat("column"), type="quantitative"),
    alt.Y(alt.repeat("row"), type="quantitative"),
    color="species:N",
).properties(width=150, height=150).repeat(
    row=["petal_length", "petal_width"], column=["sepal_length", "sepal_width"]
)
```

```python
sepals.properties(width=120, height=120).facet(column="species:N")
```
"""

# Each Vega-Lite chart: its figure's box and scroll width, its views' boxes (the background of
# each view's group: a concatenation's "concat_0_group", a repeat's "child_..._group", a facet's
# "cell"), and the boxes of its visible texts.
VEGA_BOXES = """() => {
const VIEW = ".role-scope:is([class*='_group'], .cell) > g > path.background";
return [...document.querySelectorAll("figure.lemma-chart--vega-lite")].map((f) => {
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const svg = f.querySelector(".lemma-chart-area svg");
  const texts = [...svg.querySelectorAll("text")]
    .filter((t) => t.textContent.trim() && getComputedStyle(t).opacity !== "0"
            && t.getAttribute("opacity") !== "0")
    .map((t) => Object.assign(box(t), { text: t.textContent }));
  return { figure: box(f), scrollWidth: f.scrollWidth, clientWidth: f.clientWidth,
           svg: box(svg), views: [...svg.querySelectorAll(VIEW)].map(box), texts };
});
}"""


def overlaps(boxes: list[dict[str, Any]], slack: float = 1.0) -> list[tuple[str, str]]:
    """The pairs of boxes that overlap by more than `slack` px both ways."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            across = min(a["right"], b["right"]) - max(a["left"], b["left"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if across > slack and down > slack:
                found.append((a.get("text", ""), b.get("text", "")))
    return found


@pytest.fixture(scope="module")
def concat_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    posts = {"altair-concat.md": ALTAIR_CONCAT}
    with posts_site(tmp_path_factory.mktemp("altair-concat"), "Concat", posts) as server:
        yield server


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_altair_concatenations_fit_a_phone_column(
    concat_site: Server, browser: Any, scheme: str
) -> None:
    # A concatenation, a repeat or a facet kept its width: at 390 px the 355 px column scrolled
    # sideways over 795 px (sepals | petals), 434, 498 and 717 px.
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(concat_site.url("posts/altair-concat/"))
        charts = page.locator("figure.lemma-chart")
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "(n) => document.querySelectorAll('[data-lemma-drawn]').length === n",
            arg=charts.count(),
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        drawn = page.evaluate(VEGA_BOXES)
        assert len(drawn) == 4
        for chart in drawn:
            assert chart["scrollWidth"] <= chart["clientWidth"] + 1, chart["scrollWidth"]
            assert chart["svg"]["right"] <= chart["figure"]["right"] + 0.5
            assert chart["svg"]["left"] >= chart["figure"]["left"] - 0.5
            assert overlaps(chart["texts"]) == []
            for view in chart["views"]:  # scaled, not shrunk to a stamp
                assert view["right"] - view["left"] >= 80, chart["views"]
        # Side by side on a desktop, one under the other on a phone, each the column's width.
        first, second = drawn[0]["views"][:2]
        assert second["top"] >= first["bottom"]
        assert first["right"] - first["left"] >= 0.6 * 355
        # Still interactive: its tooltip shows on hover.
        concat = page.locator("figure.lemma-chart--vega-lite").first
        concat.scroll_into_view_if_needed()
        concat.locator('path[aria-roledescription="point"]').last.hover()
        page.locator("#vg-tooltip-element").wait_for(state="visible")
        assert errors == []
    finally:
        context.close()


def test_altair_concatenations_stay_side_by_side_on_a_desktop(
    concat_site: Server, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(concat_site.url("posts/altair-concat/"))
        charts = page.locator("figure.lemma-chart")
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "(n) => document.querySelectorAll('[data-lemma-drawn]').length === n",
            arg=charts.count(),
        )
        concat, stacked, matrix, facet = page.evaluate(VEGA_BOXES)
        first, second = concat["views"][:2]
        assert second["left"] >= first["right"] and second["top"] == pytest.approx(first["top"])
        assert concat["scrollWidth"] <= concat["clientWidth"] + 1  # 795 px: it scrolled 19 px
        # Those that fit the 612 px column are drawn at the author's sizes: 300 px views, 150
        # and 120 px.
        assert stacked["views"][0]["right"] - stacked["views"][0]["left"] == pytest.approx(300)
        assert matrix["views"][0]["right"] - matrix["views"][0]["left"] == pytest.approx(150)
        facet_view = facet["views"][0]
        assert facet_view["right"] - facet_view["left"] == pytest.approx(120)
        assert len({round(v["top"]) for v in facet["views"]}) == 1  # one row of facets
    finally:
        context.close()


# Each plotly chart: its figure's box and scroll width, its subplots' rectangles, and the boxes
# of its texts (titles over the subplots, axis titles, tick labels) with their font sizes.
PLOTLY_TEXTS = """() => [...document.querySelectorAll("figure.lemma-chart--plotly")].map((f) => {
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const texts = [...f.querySelectorAll(".annotation-text, .infolayer text[class$='title'], "
                                       + ".xaxislayer-above text, .yaxislayer-above text")]
    .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map((t) => Object.assign(box(t), { text: t.textContent, size: getComputedStyle(t).fontSize,
                                        title: t.classList.contains("annotation-text") }));
  return { figure: box(f), scrollWidth: f.scrollWidth, clientWidth: f.clientWidth,
           plots: [...f.querySelectorAll(".draglayer .nsewdrag")].map(box), texts };
})"""


def test_plotly_subplot_titles_do_not_overlap_on_a_phone(site: Server, browser: Any) -> None:
    # Facet and subplot titles kept their size over plots 45 px wide: on a 355 px column
    # "day=Sun" ran into "day=Sat", "Plot 1 of the data" into "Plot 2 ..." and past the edge.
    context, page, errors = open_charts(browser, site, "posts/plotly-facets/", 390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for chart in page.evaluate(PLOTLY_TEXTS):
            assert chart["scrollWidth"] <= chart["clientWidth"] + 1, chart["scrollWidth"]
            titles = [t for t in chart["texts"] if t["title"]]
            assert len(titles) >= 3
            for text in chart["texts"]:
                assert text["left"] >= chart["figure"]["left"] - 0.5, text
                assert text["right"] <= chart["figure"]["right"] + 0.5, text
            assert overlaps(chart["texts"], slack=0.5) == []
            # The plots take the column (plotly's 80 px margins left them 45 px each).
            assert min(p["right"] - p["left"] for p in chart["plots"]) >= 55, chart["plots"]
            assert len({t["size"] for t in titles}) == 1  # one size for all
        # Still interactive: a point's hover label shows.
        chart = page.locator("figure.lemma-chart--plotly").first
        chart.scroll_into_view_if_needed()
        point = chart.locator(".scatterlayer .point").first.bounding_box()
        page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
        chart.locator(".hoverlayer .hovertext").first.wait_for(state="visible")
        assert errors == []
    finally:
        context.close()


def test_plotly_subplot_titles_keep_their_size_on_a_desktop(site: Server, browser: Any) -> None:
    context, page, errors = open_charts(browser, site, "posts/plotly-facets/", 1280)
    try:
        facets, subplots = page.evaluate(PLOTLY_TEXTS)
        assert {t["size"] for t in facets["texts"] if t["title"]} == {"12px"}
        titles = [t["text"] for t in subplots["texts"] if t["title"]]
        assert titles == ["First of the data", "Second of the data", "Third of the data"]
        assert {t["size"] for t in subplots["texts"] if t["title"]} == {"16px"}
        assert errors == []
    finally:
        context.close()


# Each chart's title (Vega's title text, plotly's .gtitle): its box, its lines, and the box it
# is drawn in (the chart's SVG within its figure: what lies outside is cut off).
TITLES = """() => [...document.querySelectorAll("figure.lemma-chart")].map((f) => {
  const title = f.querySelector(".role-title-text text, .gtitle");
  const svg = f.querySelector(".lemma-chart-area svg").getBoundingClientRect();
  const figure = f.getBoundingClientRect();
  const box = title.getBoundingClientRect();
  const lines = title.querySelectorAll("tspan").length || 1;
  return { text: title.textContent, lines, left: box.left, right: box.right,
           edgeLeft: Math.max(svg.left, figure.left),
           edgeRight: Math.min(svg.right, figure.right) };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_long_chart_title_is_broken_into_lines_on_a_phone(
    site: Server, browser: Any, scheme: str
) -> None:
    # A title wider than the column ran past it, cut off: at 390 px the Altair chart showed
    # "ionship between sepal length and petal length" and plotly's "Life expectancy against GDP
    # per capita", the rest of it gone.
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site.url("posts/long-titles/"))
        charts = page.locator("figure.lemma-chart")
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "(n) => document.querySelectorAll('[data-lemma-drawn]').length === n",
            arg=charts.count(),
        )
        titles = page.evaluate(TITLES)
        assert len(titles) == 3
        for title in titles:  # every title whole, within its chart
            assert title["left"] >= title["edgeLeft"] - 0.5, title
            assert title["right"] <= title["edgeRight"] + 0.5, title
        # Those wider than their chart at 390 px are broken into lines. The 500 px chart's title
        # fits on one line or not, as the browser's fonts measure it: either way it is whole.
        assert titles[0]["lines"] >= 2 and titles[2]["lines"] >= 2, titles
        assert titles[0]["text"].replace(" ", "") == "Relationshipbetweensepallengthandpetallength"
    finally:
        context.close()


def test_a_chart_title_that_fits_stays_one_line(site: Server, browser: Any) -> None:
    context, page, errors = open_charts(browser, site, "posts/long-titles/", 1280)
    try:
        titles = page.evaluate(TITLES)
        assert [t["lines"] for t in titles] == [1, 1, 1]
        assert titles[2]["text"] == "Life expectancy against GDP per capita in 2007, by continent"
        assert errors == []
    finally:
        context.close()


GRID_STROKES = """() => [...document.querySelectorAll("figure.lemma-chart--plotly .gridlayer path")]
  .map((line) => getComputedStyle(line).stroke)"""


def test_plotly_grid_lines_are_faint_in_the_dark_theme(site: Server, browser: Any) -> None:
    # The template's white grid and zero lines kept their colour on the dark theme's plot: the
    # brightest lines of the chart, brighter than its data (on light, white on pale blue).
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url("posts/plotly-facets/"))
        page.wait_for_selector("figure.lemma-chart--plotly[data-lemma-drawn]")
        chart = page.locator("figure.lemma-chart--plotly").first
        plot = chart.locator(".draglayer .xy .nsewdrag").bounding_box()
        shot = page.screenshot(clip=plot)
        assert share(shot, lambda r, g, b: min(r, g, b) > 200) < 0.001
        strokes = page.evaluate(GRID_STROKES)
        assert strokes and set(strokes) == {"rgb(52, 54, 60)"}  # a line, faint on the plot
        # Back to light: the template's own white lines on its pale blue.
        page.evaluate("document.documentElement.setAttribute('data-theme', 'light')")
        page.wait_for_function(
            "() => document.querySelector('.lemma-chart--plotly').dataset.lemmaTheme === 'light'"
        )
        page.wait_for_function(
            f"""() => {{
              const strokes = ({GRID_STROKES})();
              return strokes.length > 0 && strokes.every((s) => s === "rgb(255, 255, 255)");
            }}"""
        )
    finally:
        context.close()
