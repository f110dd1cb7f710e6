"""Charts, widgets and styled tables through a real build: what the page, notebook and feed hold."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lemma.errors import Problem
from lemma.model import Asset, Chart, SourceLocation
from lemma.render.charts import ChartScripts, chart_view
from lemma.render.styles import PageStyles
from site_support import SiteDir, assert_ok, post, snapshot, warning_line

for _package in ("plotly", "altair", "bokeh", "pandas", "vl_convert"):
    pytest.importorskip(_package)

CHARTS = """\
```python
import plotly.express as px
px.scatter(x=[1, 2, 3], y=[1, 4, 9], title="Squares")
```

```python
import altair as alt
import pandas as pd
frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
alt.Chart(frame).mark_line().encode(x="x", y="y").properties(title="A line")
```

```python
from bokeh.plotting import figure
plot = figure(height=300, width=500, title="Bokeh")
plot.line([1, 2, 3], [3, 1, 2])
plot
```

```python
frame
```

```python
import plotly.graph_objects as go
from bokeh.plotting import show
go.Figure(go.Bar(x=["a", "b"], y=[2, 1])).show()
show(plot)
print("after show")
```

```python
class Slider:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "application/vnd.jupyter.widget-view+json": {"model_id": "1", "version_major": 2},
            "text/plain": "IntSlider(value=3)",
        }
Slider()
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteDir]:
    root = tmp_path_factory.mktemp("charts")
    site = SiteDir(root)
    site.write("site.toml", 'title = "T"\nbase_url = "https://example.org/"\nsearch = false\n')
    site.write("posts/charts.md", post("Charts", body=CHARTS))
    site.write("posts/plain.md", post("Plain", date="2025-01-10"))
    assert_ok(site.build())
    yield site


def test_each_chart_is_its_json_beside_its_static_form(site: SiteDir) -> None:
    page = site.page("posts/charts/index.html")
    data = re.findall(
        r'<script type="application/json" class="lemma-chart-data">(.*?)</script>', page
    )
    assert len(data) == 5
    plotly, vega, bokeh, shown_plotly, shown_bokeh = (json.loads(text) for text in data)
    # fig.show() and bokeh's show() display below their snippet instead of opening a browser.
    assert shown_plotly["data"][0]["type"] == "bar"
    assert shown_bokeh["root_id"] == bokeh["root_id"]
    assert plotly["data"][0]["type"] == "scatter"
    assert vega["mark"] == {"type": "line"} or vega["mark"] == "line"
    assert "doc" in bokeh and "root_id" in bokeh
    # No producer's inline script or CDN reaches the page.
    assert "cdn." not in page and '<script type="text/javascript">' not in page
    # Vega-Lite's static form is vl-convert's SVG; plotly's is a note, sized to the chart.
    images = re.findall(r'<img class="figure" src="(/figures/vega-[0-9a-f]+\.svg)"', page)
    assert len(images) == 1
    assert (site.out / images[0].lstrip("/")).read_bytes().startswith(b"<svg")
    assert 'data-height="450"' in page


def test_library_scripts_are_loaded_only_by_pages_with_charts(site: SiteDir) -> None:
    page = site.page("posts/charts/index.html")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    charts = [s for s in scripts if "/assets/js/" in s or "chart" in s]
    assert [re.sub(r"-[0-9a-f]{16}", "", s) for s in charts] == [
        "/assets/lemma-chart-styles.js",
        "/assets/js/plotly.js",
        "/assets/js/vega-lite.js",
        "/assets/js/bokeh.js",
        "/assets/lemma-charts.js",
    ]
    for src in charts:
        assert (site.out / src.lstrip("/")).is_file()
    plain = site.page("posts/plain/index.html")
    assert "/assets/js/" not in plain and "lemma-charts.js" not in plain


def test_dataframe_styles_move_to_a_stylesheet_the_csp_allows(site: SiteDir) -> None:
    page = site.page("posts/charts/index.html")
    body = page.split("<body", 1)[1]
    assert "<style" not in body
    assert not re.search(r"<[a-z]+[^>]*\sstyle=", body)
    sheet = re.search(r'<link rel="stylesheet" href="(/assets/css/[0-9a-f]{16}\.css)">', page)
    assert sheet is not None
    css = (site.out / sheet.group(1).lstrip("/")).read_text()
    assert ".dataframe thead th" in css
    assert "text-align: right" in css


def test_a_widget_shows_its_text_and_a_note(site: SiteDir) -> None:
    page = site.page("posts/charts/index.html")
    assert "IntSlider(value=3)" in page
    assert "needs a running kernel" in page


def test_notebook_keeps_each_chart_under_its_mime_type(site: SiteDir) -> None:
    notebook = json.loads((site.out / "posts/charts/charts.ipynb").read_text())
    bundles = [o["data"] for c in notebook["cells"] for o in c.get("outputs", []) if "data" in o]
    mimes = {mime for bundle in bundles for mime in bundle}
    assert "application/vnd.plotly.v1+json" in mimes
    assert any(m.startswith("application/vnd.vegalite.v") for m in mimes)
    assert "application/vnd.bokehjs.json-item+json" in mimes
    plotly = next(b for b in bundles if "application/vnd.plotly.v1+json" in b)
    assert isinstance(plotly["application/vnd.plotly.v1+json"], dict)  # JSON, as Jupyter keeps it


def test_feed_carries_the_static_form_not_the_chart_data(site: SiteDir) -> None:
    feed = (site.out / "feed.xml").read_text()
    assert "lemma-chart-note" in feed
    assert "lemma-chart-data" not in feed


def test_two_clean_builds_give_the_same_bytes(site: SiteDir, tmp_path: Path) -> None:
    copy = SiteDir(tmp_path / "again")
    shutil.copytree(site.root, copy.root, ignore=shutil.ignore_patterns("_site", ".lemma-cache"))
    assert_ok(copy.build())
    assert snapshot(copy.out) == snapshot(site.out)


def test_a_heavy_sweep_is_reported_in_the_build_summary(
    make_site: Callable[..., SiteDir],
) -> None:
    body = "```python\n#| sweep: n = [1, 2, 3]\nprint(str(n) * 400_000)\n```\n"
    site = make_site({"posts/heavy.md": post("Heavy", body=body)})
    result = site.build()
    assert_ok(result)
    line = warning_line(result, "posts/heavy.md", 8, "sweep: 3 variants add")
    assert "MB to the page" in line


def test_page_styles_lift_style_attributes_into_classes() -> None:
    styles = PageStyles(Path("unused"), {})
    markup = styles.lift('<tr style="text-align: right;"><td class="a" style="color: red">1</td>')
    assert "style=" not in markup
    assert re.fullmatch(
        r'<tr class="lemma-style-[0-9a-f]{10}"><td class="a lemma-style-[0-9a-f]{10}">1</td>',
        markup,
    )
    assert len(styles.rules) == 2


def test_a_library_whose_javascript_is_missing_is_a_warning_at_the_snippet(
    tmp_path: Path,
) -> None:
    problems: list[Problem] = []
    assets: dict[str, Asset] = {}
    scripts = ChartScripts(tmp_path, assets, problems, lambda path: "/" + path)
    where = SourceLocation("posts/a.md", 9)
    assert not scripts.need("leaflet", where)  # no package of Lemma's ships it
    assert [(p.location, p.is_warning) for p in problems] == [(where, True)]
    assert "static form" in problems[0].message
    assert scripts.page_scripts() == () and assets == {}
    chart = Chart("application/vnd.plotly.v1+json", '{"data": []}', 0, 450)
    view = chart_view(chart, drawn=False, image=None)
    assert view["json"] == "" and "cannot draw" in view["note"]


def test_chart_data_cannot_close_its_script_element() -> None:
    chart = Chart("application/vnd.plotly.v1+json", '{"t": "</script><b>"}', 0, 450)
    view = chart_view(chart, drawn=True, image=None)
    assert "</script>" not in view["json"]
    assert json.loads(view["json"]) == {"t": "</script><b>"}


NOTEBOOK_IDIOMS = """\
```python
from bokeh.plotting import figure, output_notebook, show
output_notebook()
plot = figure(width=300, height=200)
plot.line([1, 2, 3], [3, 1, 2])
show(plot)
```

```python
import altair as alt
import pandas as pd
chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [2, 1]})).mark_bar().encode(x="x:O", y="y")
chart.display()
chart.properties(title="shown").show()
print("after both")
```
"""


# Run first in the post, this makes `import IPython` fail in it, as where IPython is not installed.
WITHOUT_IPYTHON = """\
```python
import sys
sys.modules["IPython"] = None
```

"""


@pytest.mark.parametrize("ipython", ["installed", "missing"])
def test_notebook_display_idioms_show_their_charts_with_or_without_ipython(
    make_site: Callable[..., SiteDir], ipython: str
) -> None:
    # Bokeh's output_notebook(), Altair's chart.display() and chart.show() called IPython,
    # which a post does not run under: the build failed (or, with IPython installed, printed
    # the chart's repr).
    body = (WITHOUT_IPYTHON if ipython == "missing" else "") + NOTEBOOK_IDIOMS
    site = make_site({"posts/idioms.md": post("Idioms", body=body)})
    assert_ok(site.build())
    page = site.page("posts/idioms/index.html")
    data = re.findall(
        r'<script type="application/json" class="lemma-chart-data">(.*?)</script>', page
    )
    bokeh, displayed, shown = (json.loads(text) for text in data)
    assert "doc" in bokeh
    assert displayed["mark"] in ("bar", {"type": "bar"})
    assert shown["title"] == "shown"
    assert page.index("lemma-chart--vega-lite") < page.rindex("after both")  # in order


REMOTE = """\
```python
import plotly.express as px
px.choropleth(locations=["FRA", "DEU"], color=[1, 2])
```

```python
import altair as alt
alt.Chart("https://example.org/cars.json").mark_point().encode(x="a:Q", y="b:Q")
```

```python
import pandas as pd
alt.data_transformers.enable("json")
alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_tick().encode(x="a:Q")
```
"""


def test_a_chart_that_would_fetch_from_another_site_is_a_warning_and_a_note(
    make_site: Callable[..., SiteDir],
) -> None:
    # The page's CSP loads nothing from other sites: these charts were blank boxes, with errors
    # in the console and a note saying they needed JavaScript.
    site = make_site({"posts/remote.md": post("Remote", body=REMOTE)})
    result = site.build()
    assert_ok(result)
    line = warning_line(result, "posts/remote.md", 7, "plotly chart: its map (choropleth)")
    assert "cdn.plot.ly" in line and "static figure" in line
    line = warning_line(result, "posts/remote.md", 12, "Vega-Lite chart: it loads its data")
    assert "https://example.org/cars.json" in line and "DataFrame" in line
    line = warning_line(result, "posts/remote.md", 17, "it loads its data from altair-data-")
    assert "a file Altair wrote" in line and "data_transformers" in line
    page = site.page("posts/remote/index.html")
    assert page.count("cannot be shown here") == 3
    assert "/figures/vega-" not in page  # no image of a chart without its data
    assert "lemma-chart-data" not in page and "data-lemma-chart=" not in page
    assert "/assets/js/" not in page  # no library for charts that are not drawn


BOKEH_PARTS = """\
```python
from bokeh.layouts import column
from bokeh.models import ColumnDataSource, CustomJS, DataTable, Slider, TableColumn
from bokeh.plotting import figure, show
slider = Slider(start=0, end=10, value=4, title="Speed")
slider.js_on_change("value", CustomJS(code="console.log(this.value)"))
show(column(slider, figure(width=300, height=200)))
```

```python
source = ColumnDataSource({"y": [3, 1, 2]})
show(DataTable(source=source, columns=[TableColumn(field="y")]))
```
"""


def test_bokeh_widgets_load_their_bundle_and_what_cannot_run_is_a_warning(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/parts.md": post("Parts", body=BOKEH_PARTS)})
    result = site.build()
    assert_ok(result)
    line = warning_line(result, "posts/parts.md", 7, "Bokeh chart: its CustomJS code does not run")
    assert "'#| sweep:'" in line
    line = warning_line(result, "posts/parts.md", 16, "Bokeh chart: its DataTable sets inline")
    assert "DataFrame" in line
    page = site.page("posts/parts/index.html")
    scripts = [re.sub(r"-[0-9a-f]{16}", "", s) for s in re.findall(r'<script src="([^"]+)"', page)]
    # The slider's layout is drawn with BokehJS's widgets; the table, which the CSP would
    # break, is a note saying why, and its bundle is not loaded.
    assert "/assets/js/bokeh.js" in scripts and "/assets/js/bokeh-widgets.js" in scripts
    assert "/assets/js/bokeh-tables.js" not in scripts
    assert page.count('data-lemma-chart="bokeh"') == 1
    assert "its DataTable sets inline styles" in page


BAD_SPEC = """\
```python
class Chart:
    def _repr_mimebundle_(self, include=None, exclude=None):
        x = {"field": "a", "type": "bogus"}
        spec = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": x}}
        return {"application/vnd.vegalite.v5+json": spec, "text/plain": "Chart()"}
Chart()
```
"""


def test_a_vega_lite_spec_vega_lite_cannot_draw_is_a_warning_and_a_note(
    make_site: Callable[..., SiteDir],
) -> None:
    # vl-convert runs the Vega-Lite the page loads: a spec it rejects would be a blank chart.
    site = make_site({"posts/bad.md": post("Bad", body=BAD_SPEC)})
    result = site.build()
    assert_ok(result)
    line = warning_line(result, "posts/bad.md", 7, "Vega-Lite chart: Vega-Lite cannot draw it")
    assert 'Invalid field type "undefined"' in line
    page = site.page("posts/bad/index.html")
    assert "lemma-chart-data" not in page and "/assets/js/" not in page
    assert "cannot be shown here" in page


CURDOC_THEME = """\
```python
from bokeh.io import curdoc
from bokeh.plotting import figure, show
curdoc().theme = "dark_minimal"
plot = figure(width=300, height=200)
plot.line([1, 2], [2, 1])
show(plot)
```
"""


def test_a_bokeh_plot_keeps_the_theme_its_author_gave_curdoc(
    make_site: Callable[..., SiteDir],
) -> None:
    # As in a notebook, where show() applies curdoc()'s theme; the plot was drawn in the default.
    site = make_site({"posts/themed.md": post("Themed", body=CURDOC_THEME)})
    assert_ok(site.build())
    page = site.page("posts/themed/index.html")
    item = re.search(r'class="lemma-chart-data">(.*?)</script>', page)
    assert item is not None
    assert '"background_fill_color":"#20262B"' in item.group(1).replace(" ", "")


BOKEH_TEX = """\
```python
from bokeh.plotting import figure, show
plot = figure(width=300, height=200, title=r"$$\\int_0^1 x\\,dx$$")
plot.line([1, 2], [2, 1])
show(plot)
```

```python
from bokeh.plotting import figure, show
plain = figure(width=300, height=200, title="Costs in $")
plain.line([1, 2], [2, 1])
show(plain)
```
"""


def test_tex_in_a_bokeh_plot_loads_bokehs_mathjax_bundle_once(
    make_site: Callable[..., SiteDir],
) -> None:
    # BokehJS typesets $$...$$ with MathJax, in a bundle of its own: without it the title read
    # "\\int_0..." as written.
    site = make_site(
        {
            "posts/tex.md": post("TeX", body=BOKEH_TEX),
            "posts/plain.md": post("Plain", body=BOKEH_TEX.split("\n\n", 1)[1]),
        }
    )
    assert_ok(site.build())
    tex = site.page("posts/tex/index.html")
    scripts = [re.sub(r"-[0-9a-f]{16}", "", s) for s in re.findall(r'<script src="([^"]+)"', tex)]
    assert scripts.count("/assets/js/bokeh-mathjax.js") == 1
    assert scripts.index("/assets/js/bokeh.js") < scripts.index("/assets/js/bokeh-mathjax.js")
    assert "bokeh-mathjax" not in site.page("posts/plain/index.html")  # "$" alone is no TeX
