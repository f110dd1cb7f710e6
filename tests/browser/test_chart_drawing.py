"""plotly, Altair/Vega-Lite and Bokeh charts drawn in Chromium under the page's CSP, offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

for _package in ("plotly", "altair", "bokeh", "pandas", "vl_convert", "PIL"):
    pytest.importorskip(_package)

from PIL import Image  # noqa: E402 - after the skip above

POST = """\
---
title: Charts
date: 2025-01-15
---

```python
import plotly.express as px
px.scatter(x=[1, 2, 3], y=[1, 4, 9], title="Squares")
```

```python
import altair as alt
import pandas as pd
frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
line = alt.Chart(frame).mark_line().encode(x="x", y="y")
(line + line.mark_text(dy=-8).encode(text="y")).properties(title="A line")
```

```python
from bokeh.plotting import figure
plot = figure(height=300, width=500, title="Bokeh")
plot.line([1, 2, 3], [3, 1, 2])
plot
```

```python
frame.style.highlight_max(color="lightgreen")
```

```python
#| sweep: a = [1, 2]
#| sweep: b = [10, 20, 30]
#| sweep-default: 20
import plotly.graph_objects as go
go.Figure(go.Scatter(x=[0, 1], y=[a, b]), layout={"title": f"a={a} b={b}"})
```
"""

PLAIN = "---\ntitle: Plain\ndate: 2025-01-10\n---\n\nNo charts here.\n"

LONG_SWEEP = """\
---
title: Long sweep
date: 2025-01-11
---

```python
#| sweep: learning_rate = [0.001, 0.01, 0.1, 0.5]
print(f"steps at {learning_rate}")
```
"""

SURFACE = """\
---
title: Surface
date: 2025-01-12
---

```python
import numpy as np
import plotly.graph_objects as go
go.Figure(go.Surface(z=np.random.default_rng(0).random((10, 10))))
```
"""

ANIMATION = """\
---
title: Animation
date: 2025-01-13
---

```python
import pandas as pd
import plotly.express as px
frame = pd.DataFrame({"year": [1, 1, 2, 2, 3, 3], "x": [1, 2, 2, 3, 3, 4], "y": [1, 2, 3, 4, 5, 6]})
px.scatter(frame, x="x", y="y", animation_frame="year", range_x=[0, 5], range_y=[0, 7])
```
"""

BOKEH_WIDGETS = """\
---
title: Bokeh widgets
date: 2025-01-14
---

```python
from bokeh.layouts import column
from bokeh.models import Select, Slider
from bokeh.plotting import figure, show
plot = figure(width=300, height=200)
plot.line([1, 2, 3], [3, 1, 2])
show(column(Slider(start=0, end=10, value=4, title="Speed"), Select(options=["Lines"]), plot))
```
"""

TOOLTIPS = """\
---
title: Tooltips
date: 2025-01-16
---

```python
import altair as alt
import pandas as pd
frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "name": ["one", "two", "three"]})
alt.Chart(frame).mark_circle(size=400).encode(x="x", y="y", tooltip=["name"]).properties(width=300)
```
"""

BROKEN = """\
---
title: Broken
date: 2025-01-17
---

```python
class Plot:
    def _repr_mimebundle_(self, include=None, exclude=None):
        root = {"type": "object", "name": "NoSuchModel", "id": "p1"}
        item = {"target_id": None, "root_id": "p1", "doc": {"version": "3.9.2", "roots": [root]}}
        return {"application/vnd.bokehjs.json-item+json": item, "text/plain": "Plot()"}
Plot()
```
"""

MATH_LABELS = """\
---
title: Math labels
date: 2025-01-18
---

```python
import plotly.graph_objects as go
figure = go.Figure(go.Scatter(x=[1, 2], y=[1, 4]))
figure.update_layout(title=r"$\\alpha^2 + \\beta$", xaxis_title=r"$t_k$")
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    posts = {
        "charts.md": POST,
        "plain.md": PLAIN,
        "surface.md": SURFACE,
        "long-sweep.md": LONG_SWEEP,
        "animation.md": ANIMATION,
        "bokeh-widgets.md": BOKEH_WIDGETS,
        "tooltips.md": TOOLTIPS,
        "broken.md": BROKEN,
        "math-labels.md": MATH_LABELS,
    }
    with posts_site(tmp_path_factory.mktemp("charts-site"), "Charts", posts) as server:
        yield server


def open_page(page: Any, server: Server, path: str, drawn: int = 4) -> tuple[list[str], list[str]]:
    """Load a page and bring every chart into view; (console errors, requests leaving the site)."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    local = (server.origin, "data:", "blob:")
    page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    page.goto(server.url(path))
    for chart in page.locator("figure.lemma-chart:visible").all():
        chart.scroll_into_view_if_needed()
    # Three charts and the sweep's default variant; the other variants wait until shown.
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-lemma-drawn]').length === n", arg=drawn
    )
    return errors, outside


BOKEH_CANVASES = """(figure) => {
  let count = 0;
  const walk = (root) => root.querySelectorAll("*").forEach((node) => {
    if (node.tagName === "CANVAS" && node.width > 0) count += 1;
    if (node.shadowRoot) walk(node.shadowRoot);
  });
  walk(figure);
  return count;
}"""


def test_each_chart_is_drawn_with_no_console_error_and_no_request_leaving_the_site(
    site: Server, page: Any
) -> None:
    errors, outside = open_page(page, site, "posts/charts/")
    assert errors == []
    assert outside == []
    plotly = page.locator("figure.lemma-chart--plotly").first
    assert plotly.locator(".lemma-chart-area svg.main-svg").count() >= 2  # plotly's SVG layers
    assert plotly.locator(".lemma-chart-area .scatterlayer .point").count() == 3
    vega = page.locator("figure.lemma-chart--vega-lite .lemma-chart-area")
    assert vega.locator("svg .mark-line path").count() == 1  # Vega's SVG renderer
    bokeh = page.locator("figure.lemma-chart--bokeh").element_handle()
    assert page.evaluate(BOKEH_CANVASES, bokeh) >= 1  # BokehJS draws on canvas
    # The static forms are hidden once their chart is drawn.
    assert page.locator(".lemma-chart[data-lemma-drawn] .lemma-chart-static:visible").count() == 0


def test_a_3d_plotly_chart_sets_its_styles_without_breaking_the_csp(
    site: Server, page: Any
) -> None:
    # plotly's WebGL charts set style attributes (d3's attr("style")), which the CSP forbids
    # as markup; the page's shim hands them to the element's CSSOM instead.
    errors, outside = open_page(page, site, "posts/surface/", drawn=1)
    page.locator("figure.lemma-chart--plotly .lemma-chart-area").hover()
    page.wait_for_function("() => document.querySelector('.lemma-chart-area canvas') !== null")
    # Headless Chromium's software WebGL reports its own slowness; the page says nothing.
    driver = ("GL Driver Message", "Canvas2D: Multiple readback")
    assert [e for e in errors if not e.startswith(driver) and "GL Driver Message" not in e] == []
    assert outside == []


def test_styler_table_keeps_its_colours_under_the_csp(site: Server, page: Any) -> None:
    errors, _ = open_page(page, site, "posts/charts/")
    assert errors == []
    cells = page.locator(".lemma-html table td")
    colours = {cells.nth(i).evaluate("c => getComputedStyle(c).backgroundColor") for i in range(6)}
    assert "rgb(144, 238, 144)" in colours  # lightgreen, from the Styler's own rules


def test_vega_chart_follows_the_dark_theme(site: Server, page: Any) -> None:
    open_page(page, site, "posts/charts/")
    area = page.locator("figure.lemma-chart--vega-lite")
    assert area.get_attribute("data-lemma-theme") == "light"
    page.locator("#theme-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('.lemma-chart--vega-lite').dataset.lemmaTheme === 'dark'"
    )
    assert area.locator(".lemma-chart-area svg .mark-line path").count() == 1


VEGA_COLOURS = """() => {
  const svg = document.querySelector("figure.lemma-chart--vega-lite .lemma-chart-area svg");
  const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim());
  const lines = [...svg.querySelectorAll(".role-axis-domain path, .role-axis-tick line")];
  return {
    page: getComputedStyle(document.body).backgroundColor,
    texts: texts.map((t) => getComputedStyle(t).fill),
    lines: lines.map((l) => getComputedStyle(l).stroke),
  };
}"""


def rgb(colour: str) -> tuple[int, int, int]:
    """ "rgb(r, g, b)" (or "rgba(...)", its alpha ignored) as numbers."""
    red, green, blue = (int(float(n)) for n in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def contrast(one: tuple[int, int, int], two: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two colours."""

    def luminance(colour: tuple[int, int, int]) -> float:
        srgb = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def vega_background(page: Any) -> tuple[int, int, int]:
    """The colour most of the drawn Vega-Lite chart's pixels have: its background."""
    svg = page.locator("figure.lemma-chart--vega-lite .lemma-chart-area svg")
    image = Image.open(BytesIO(svg.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return max(colours)[1]


def test_a_vega_chart_takes_the_dark_pages_background_and_readable_text(
    site: Server, page: Any
) -> None:
    # vega-embed's dark theme drew the chart on #333: a grey box on the dark page.
    open_page(page, site, "posts/charts/")
    figure = page.locator("figure.lemma-chart--vega-lite")
    light = page.evaluate(VEGA_COLOURS)
    assert vega_background(page) == (255, 255, 255)  # light: Vega's own white, as before
    page.locator("#theme-toggle").click()
    page.wait_for_function(
        """() => {
          const figure = document.querySelector(".lemma-chart--vega-lite");
          return figure.dataset.lemmaTheme === "dark" && figure.hasAttribute("data-lemma-drawn");
        }"""
    )
    dark = page.evaluate(VEGA_COLOURS)
    assert rgb(dark["page"]) == (21, 23, 27)
    assert vega_background(page) == rgb(dark["page"])
    assert dark["texts"] and dark["lines"]
    assert min(contrast(rgb(fill), rgb(dark["page"])) for fill in dark["texts"]) >= 7
    assert min(contrast(rgb(line), rgb(dark["page"])) for line in dark["lines"]) >= 3
    # And back: light as it was.
    page.locator("#theme-toggle").click()
    page.wait_for_function("(f) => f.dataset.lemmaTheme === 'light'", arg=figure.element_handle())
    page.wait_for_function("(f) => f.hasAttribute('data-lemma-drawn')", arg=figure.element_handle())
    assert vega_background(page) == (255, 255, 255)
    assert page.evaluate(VEGA_COLOURS) == light


def test_page_without_charts_loads_no_chart_library(site: Server, page: Any) -> None:
    page.goto(site.url("posts/plain/"))
    sources = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
    assert not [s for s in sources if "/assets/js/" in s or "chart" in s]


def test_without_javascript_the_static_forms_show(site: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url("posts/charts/"))
        vega = page.locator("figure.lemma-chart--vega-lite .lemma-chart-static img")
        assert vega.evaluate("img => img.complete && img.naturalWidth > 0")
        note = page.locator("figure.lemma-chart--plotly .lemma-chart-note").first
        assert "needs JavaScript" in note.inner_text()
    finally:
        context.close()


def test_library_scripts_have_content_hashed_names(site: Server) -> None:
    names = sorted(p.name for p in Path(site.directory, "assets", "js").iterdir())
    assert [n.rsplit("-", 1)[0] for n in names] == ["bokeh", "bokeh-widgets", "plotly", "vega-lite"]
    assert all(len(n.rsplit("-", 1)[1]) == len("0123456789abcdef.js") for n in names)


def shown_y(page: Any) -> list[int]:
    """The y values of the plotly chart in the variant on show, once it is drawn."""
    handle = page.wait_for_function(
        """() => {
          const figure = document.querySelector(".lemma-variant:not([hidden]) .lemma-chart");
          if (!figure || figure.getAttribute("data-lemma-drawn") === null) return null;
          return figure.querySelector(".js-plotly-plot").data[0].y;
        }"""
    )
    values: list[int] = handle.json_value()
    return values


def test_two_sweeps_give_two_sliders_that_change_the_chart(site: Server, page: Any) -> None:
    errors, outside = open_page(page, site, "posts/charts/")
    sweep = page.locator("[data-lemma-sweep]")
    assert sweep.locator(".lemma-variant").count() == 6  # every combination of a and b
    sliders = sweep.locator("input[type=range]")
    assert sliders.count() == 2
    assert shown_y(page) == [1, 20]  # the defaults: a = 1 (first), b = 20 (sweep-default)
    sliders.nth(0).fill("1")
    assert shown_y(page) == [2, 20]
    sweep.locator(".lemma-sweep-ticks li", has_text="b = 30").click()
    assert shown_y(page) == [2, 30]
    values = sweep.locator("[data-lemma-sweep-value]").all_inner_texts()
    assert values == ["a = 2", "b = 30"]
    assert errors == []
    assert outside == []


CHART_EDGES = """() => [...document.querySelectorAll("figure.lemma-chart[data-lemma-drawn]")]
  .filter((figure) => figure.offsetParent !== null)
  .map((figure) => {
    const frame = figure.getBoundingClientRect();
    const area = figure.querySelector(".lemma-chart-area");
    let right = 0;
    let left = Infinity;
    const walk = (root) => root.querySelectorAll("svg, canvas").forEach((node) => {
      const box = node.getBoundingClientRect();
      if (box.width > 0) { right = Math.max(right, box.right); left = Math.min(left, box.left); }
    });
    const deep = (root) => { walk(root); root.querySelectorAll("*").forEach((n) => {
      if (n.shadowRoot) deep(n.shadowRoot); }); };
    deep(area);
    return { library: figure.dataset.lemmaChart, figureLeft: frame.left,
             figureRight: frame.right, left, right };
  })"""


def test_charts_fit_a_phone_column(site: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        open_page(page, site, "posts/charts/")
        charts = page.evaluate(CHART_EDGES)
        assert sorted(c["library"] for c in charts) == ["bokeh", "plotly", "plotly", "vega-lite"]
        for chart in charts:
            assert chart["right"] <= chart["figureRight"] + 0.5, chart
            assert chart["left"] >= chart["figureLeft"] - 0.5, chart
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_a_sweep_with_a_long_name_fits_a_phone_column(site: Server, browser: Any) -> None:
    # A fieldset is as wide as its content by default: "learning_rate = 0.001" beside the
    # slider made a 390 px page 566 px wide.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(site.url("posts/long-sweep/"))
        assert page.locator(".lemma-sweep-controls").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_charts_narrower_than_the_column_are_centred(site: Server, page: Any) -> None:
    open_page(page, site, "posts/charts/")
    for chart in page.evaluate(CHART_EDGES):
        if chart["library"] == "plotly":
            continue  # plotly fills the column
        margin_left = chart["left"] - chart["figureLeft"]
        margin_right = chart["figureRight"] - chart["right"]
        assert margin_left > 10 and abs(margin_left - margin_right) <= 2, chart


def test_a_plotly_animation_plays_its_frames(site: Server, page: Any) -> None:
    # px's animation_frame: the play button and the slider step through the figure's frames,
    # which were left out when the chart was drawn (the button did nothing).
    errors, outside = open_page(page, site, "posts/animation/", drawn=1)
    chart = page.locator("figure.lemma-chart--plotly")
    chart.locator(".updatemenu-button", has_text="▶").click()
    page.wait_for_function(
        """() => document.querySelector(".js-plotly-plot").layout.sliders[0].active === 2"""
    )
    assert chart.locator(".slider-label", has_text="year=").text_content() == "year=3"
    assert errors == []
    assert outside == []


DEEP_TEXT = """(root) => {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    if (node.shadowRoot) walk(node.shadowRoot);
    node.childNodes.forEach(walk);
  };
  walk(root);
  return parts.join(" ");
}"""


def test_a_bokeh_layout_with_widgets_is_drawn(site: Server, page: Any) -> None:
    # A Slider or a Select lives in BokehJS's widgets bundle, which the page did not load: the
    # whole layout stayed a note saying it needed JavaScript.
    errors, outside = open_page(page, site, "posts/bokeh-widgets/", drawn=1)
    figure = page.locator("figure.lemma-chart--bokeh").element_handle()
    page.wait_for_function(f"(f) => ({DEEP_TEXT})(f).includes('Speed')", arg=figure)
    assert "Lines" in page.evaluate(DEEP_TEXT, figure)
    assert page.evaluate(BOKEH_CANVASES, figure) >= 1
    assert errors == []
    assert outside == []


PRINTED = """() => {
  window.dispatchEvent(new Event("beforeprint"));  // as the browser does before it prints
  return [...document.querySelectorAll("figure.lemma-chart--plotly")]
    .filter((figure) => figure.getClientRects().length)
    .map((figure) => {
      const title = figure.querySelector(".lemma-chart-area .gtitle");
      return { theme: figure.dataset.lemmaTheme || null,
               title: title ? getComputedStyle(title).fill : null };
    });
}"""


def test_printing_in_the_dark_theme_draws_plotly_charts_for_paper(
    site: Server, browser: Any
) -> None:
    # A chart further down was never drawn (its note, "needs JavaScript", was printed), and one
    # drawn for the dark theme printed its light text on white paper.
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 600})
    try:
        page = context.new_page()
        page.goto(site.url("posts/charts/"))
        page.wait_for_function("() => document.querySelector('[data-lemma-drawn]') !== null")
        printed = page.evaluate(PRINTED)
        assert len(printed) == 2  # the first plotly chart and the sweep's variant on show
        for chart in printed:
            assert chart["theme"] == "light"
            red, green, blue = map(int, re.findall(r"\d+", chart["title"])[:3])
            assert red + green + blue < 3 * 128, chart  # dark text, for white paper
        # A Vega-Lite chart prints its static image (light, whole) instead of what was drawn.
        page.emulate_media(media="print")
        vega = page.locator("figure.lemma-chart--vega-lite")
        assert vega.locator(".lemma-chart-static img").is_visible()
        assert not vega.locator(".lemma-chart-area").is_visible()
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        page.wait_for_function(
            """() => [...document.querySelectorAll("figure.lemma-chart--plotly")]
              .filter((f) => f.getClientRects().length)
              .every((f) => f.dataset.lemmaTheme === "dark")"""
        )
    finally:
        context.close()


def test_plotly_charts_offer_no_button_that_sends_their_data_away(site: Server, page: Any) -> None:
    # plotly.js 3 adds "Share chart...", which opens Plotly's cloud and posts the chart's data.
    open_page(page, site, "posts/charts/")
    chart = page.locator("figure.lemma-chart--plotly").first
    chart.hover()
    titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")
    assert "Download plot as a PNG" in titles and "Zoom" in titles
    assert not [t for t in titles if "Share" in t or "Chart Studio" in t or "cloud" in t.lower()]


BOKEH_BACKGROUND = """() => {
  const docs = window.Bokeh.documents;
  const plot = docs[docs.length - 1].roots()[0];
  return plot.background_fill_color;
}"""


def test_a_bokeh_plot_follows_the_dark_theme_and_back(site: Server, page: Any) -> None:
    # BokehJS drew on white whatever the theme: a white box in the dark page.
    open_page(page, site, "posts/charts/")
    figure = page.locator("figure.lemma-chart--bokeh")
    assert figure.get_attribute("data-lemma-theme") == "light"
    assert page.evaluate(BOKEH_BACKGROUND) == "#ffffff"
    canvases = page.evaluate(BOKEH_CANVASES, figure.element_handle())
    page.locator("#theme-toggle").click()
    page.wait_for_function(
        """() => {
          const figure = document.querySelector(".lemma-chart--bokeh");
          return figure.dataset.lemmaTheme === "dark" && figure.hasAttribute("data-lemma-drawn");
        }"""
    )
    page.wait_for_function(f"() => ({BOKEH_BACKGROUND})() === '#20262B'")
    area = figure.locator(".lemma-chart-area")
    card = area.evaluate("a => getComputedStyle(a).backgroundColor")
    assert card == "rgb(21, 25, 28)"  # the plot's border colour, not white
    # Drawn again in place: the old plot is gone.
    assert page.evaluate(BOKEH_CANVASES, figure.element_handle()) == canvases
    page.locator("#theme-toggle").click()
    page.wait_for_function(f"() => ({BOKEH_BACKGROUND})() === '#ffffff'")
    page.wait_for_function("(f) => f.dataset.lemmaTheme === 'light'", arg=figure.element_handle())


def test_an_altair_tooltip_is_dark_in_the_dark_theme(site: Server, browser: Any) -> None:
    # vega-tooltip's box stayed white on the dark page.
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        errors, outside = open_page(page, site, "posts/tooltips/", drawn=1)
        page.locator("figure.lemma-chart--vega-lite svg .mark-symbol path").nth(1).hover()
        tip = page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible")
        assert "two" in tip.inner_text()
        colours = tip.evaluate(
            "t => [getComputedStyle(t).backgroundColor, getComputedStyle(t).color]"
        )
        assert colours == ["rgba(32, 32, 32, 0.9)", "rgb(255, 255, 255)"]
        assert errors == []
        assert outside == []
    finally:
        context.close()


def test_a_chart_its_library_fails_to_draw_says_so(site: Server, page: Any) -> None:
    # The note said the chart needed JavaScript, which the reader had.
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(site.url("posts/broken/"))
    note = page.locator("figure.lemma-chart--bokeh .lemma-chart-note")
    note.wait_for(state="visible")
    page.wait_for_function(
        "(n) => n.textContent.includes('could not be drawn')", arg=note.element_handle()
    )
    assert "needs JavaScript" not in note.inner_text()
    assert any("a chart could not be drawn" in m for m in messages)


def test_tex_in_a_plotly_title_reads_as_math_not_as_tex(site: Server, page: Any) -> None:
    # plotly draws "$...$" with MathJax, which the pages do not load: it showed the TeX.
    open_page(page, site, "posts/math-labels/", drawn=1)
    chart = page.locator("figure.lemma-chart--plotly")
    assert chart.locator(".gtitle").text_content() == "α² + β"  # as the <title> writes it
    assert chart.locator(".xtitle").text_content() == "tₖ"
