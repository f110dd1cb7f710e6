"""Interactive charts on a page: each library's JavaScript, found in its Python package, and views.

The JavaScript comes from the package that made the chart (plotly ships plotly.min.js, Bokeh ships
BokehJS, vl-convert-python bundles Vega, Vega-Lite and vega-embed), is copied once into the site's
assets under a name with its content hash, and is loaded only by the pages that show such a chart.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from lemma.errors import Problem
from lemma.model import Asset, Chart, SourceLocation
from lemma.render.chart_math import plotly_math_as_text
from lemma.render.chart_needs import Blocker, bokeh_bundles, bokeh_code_model, chart_blocker
from lemma.reuse.atomic import write_atomically

# The theme's own scripts, in the order a chart page loads them around the libraries': the first
# lets the libraries' style sheets through the CSP, the last draws every chart from its JSON.
STYLE_SHIM = "assets/lemma-chart-styles.js"
CHART_DRAWER = "assets/lemma-charts.js"

LIBRARY_LABELS = {"plotly": "plotly", "vega-lite": "Vega-Lite", "bokeh": "Bokeh"}
PACKAGES = {"plotly": "plotly", "vega-lite": "vl-convert-python", "bokeh": "bokeh"}


@dataclass(frozen=True, slots=True)
class LibraryScript:
    output_path: str  # e.g. assets/js/plotly-0123456789abcdef.js
    source: str  # absolute path of the file copied there
    is_module: bool  # loaded with type="module" (its top-level names stay its own)
    size: int  # bytes


def library_of(mime: str) -> str | None:
    """ "plotly", "vega-lite" or "bokeh" for a chart's MIME type, else None."""
    if mime == "application/vnd.plotly.v1+json":
        return "plotly"
    if mime == "application/vnd.bokehjs.json-item+json":
        return "bokeh"
    if mime.startswith("application/vnd.vegalite.v"):
        return "vega-lite"
    return None


_found: dict[tuple[str, str], LibraryScript | None] = {}


def library_script(library: str, cache_dir: Path) -> LibraryScript | None:
    """The library's JavaScript from its installed Python package, or None when it is missing."""
    key = (library, str(cache_dir))
    if key not in _found:
        _found[key] = _locate(library, cache_dir)
    return _found[key]


def _locate(library: str, cache_dir: Path) -> LibraryScript | None:
    match library:
        case "plotly":
            path = _package_file("plotly", "package_data/plotly.min.js")
        case "bokeh" | "bokeh-gl" | "bokeh-widgets" | "bokeh-tables" | "bokeh-mathjax":
            path = _package_file("bokeh", f"server/static/js/{library}.min.js")
        case "vega-lite":
            path = _vega_bundle(cache_dir)
        case _:
            path = None
    if path is None:
        return None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    output_path = f"assets/js/{library}-{digest}.js"
    return LibraryScript(output_path, str(path), library == "vega-lite", len(data))


def _package_file(package: str, relative: str) -> Path | None:
    # find_spec locates the package without importing it: the build never pays plotly's import.
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / relative
    return path if path.is_file() else None


def _vega_bundle(cache_dir: Path) -> Path | None:
    """vl-convert's bundle of vega-embed, Vega-Lite and Vega, made once per vl-convert version."""
    import importlib.metadata  # here: a build without Vega charts does not pay its import

    try:
        version = importlib.metadata.version("vl-convert-python")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = cache_dir / "js" / f"vega-embed-vl-convert-{version}.js"
    if path.is_file():
        return path
    try:
        import vl_convert
    except ImportError:
        return None
    # Making the bundle takes seconds (vl-convert runs a JavaScript bundler), hence the cache.
    code = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, code)
    return path


@dataclass(frozen=True, slots=True)
class StaticImage:
    output_path: str
    source: str  # absolute path of its bytes
    width: int
    height: int


_SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')
_images: dict[str, StaticImage | None] = {}
_spec_errors: dict[str, str] = {}  # by digest: what vl-convert said of a spec it cannot draw


def vega_image(chart: Chart, cache_dir: Path) -> StaticImage | None:
    """The Vega-Lite chart as SVG, drawn offline by vl-convert, kept in the cache by content.

    Made here rather than in the post's process: vl-convert runs V8, which cannot reserve its heap
    under that process's address-space limit.
    """
    digest = hashlib.sha256(chart.data.encode("utf-8")).hexdigest()
    if digest in _images:
        return _images[digest]
    folder = cache_dir / "charts"
    path = folder / f"vega-{digest}.svg"
    if not path.is_file():
        try:
            import vl_convert

            svg = vl_convert.vegalite_to_svg(json.loads(chart.data))
        except ImportError:  # not installed: the chart keeps its note
            _images[digest] = None
            return None
        except Exception as error:  # a spec Vega-Lite cannot draw, in the browser neither
            _images[digest] = None
            _spec_errors[digest] = _first_line(str(error))
            return None
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, svg)
    match = _SVG_SIZE.search(path.read_text(encoding="utf-8")[:4000])
    image = None
    if match is not None:
        width, height = round(float(match.group(1))), round(float(match.group(2)))
        image = StaticImage(f"figures/vega-{digest[:32]}.svg", str(path), width, height)
    _images[digest] = image
    return image


@dataclass
class ChartScripts:
    """The libraries one page needs; a library whose JavaScript is missing is a warning."""

    cache_dir: Path
    assets: dict[str, Asset]
    problems: list[Problem]
    url: Callable[[str], str]
    scripts: dict[str, LibraryScript] = field(default_factory=dict)  # by library, in first use

    def need(self, library: str, location: SourceLocation | None) -> bool:
        """Register `library` for this page; False (and a warning) when its script is missing."""
        if library in self.scripts:
            return True
        script = library_script(library, self.cache_dir)
        if script is None:
            label, package = LIBRARY_LABELS.get(library, library), PACKAGES.get(library, library)
            self.problems.append(
                Problem(
                    f"{label} chart: its JavaScript was not found, so the page shows the chart's "
                    "static form",
                    location,
                    hint=f"install {package} where Lemma runs (pip install {package})",
                    is_warning=True,
                )
            )
            return False
        self.scripts[library] = script
        self.assets[script.output_path] = Asset(script.output_path, script.source)
        return True

    def need_chart(self, chart: Chart, location: SourceLocation | None) -> bool:
        """Register the scripts `chart` needs: its library's, and the BokehJS bundles its models
        need (a widget's, a table's); False (and a warning) when its library's is missing."""
        library = library_of(chart.mime)
        if library is None or not self.need(library, location):
            return False
        if library == "bokeh":
            for bundle in bokeh_bundles(chart.data):
                self.need(bundle, location)
            model = bokeh_code_model(chart.data)
            if model is not None:
                self.problems.append(
                    Problem(
                        f"Bokeh chart: its {model} code does not run on the page: the site's pages "
                        "run no JavaScript written as text (their CSP forbids it), so the plot is "
                        "drawn without it",
                        location,
                        hint="for a control that changes the plot, use '#| sweep:', an Altair "
                        "selection or a plotly slider: they run no code written as text",
                        is_warning=True,
                    )
                )
        return True

    def blocker(self, chart: Chart, location: SourceLocation | None) -> str | None:
        """Why the chart cannot be drawn on the page, with a warning; None when it can."""
        library = library_of(chart.mime) or ""
        blocker = chart_blocker(library, chart.data)
        if blocker is None and library == "vega-lite":
            error = vega_spec_error(chart, self.cache_dir)
            if error is not None:
                blocker = Blocker(
                    f"Vega-Lite cannot draw it ({error})",
                    "check the spec's fields and types against Vega-Lite's documentation",
                )
        if blocker is None:
            return None
        self.problems.append(
            Problem(
                f"{LIBRARY_LABELS.get(library, library)} chart: {blocker.reason}: the page shows "
                "a note in its place",
                location,
                hint=blocker.hint,
                is_warning=True,
            )
        )
        return blocker.reason

    def static_image(self, chart: Chart, image_url: Callable[[str], str]) -> dict[str, Any] | None:
        """The chart's static image (its own fallback, or vl-convert's SVG of a Vega-Lite spec)."""
        if chart.fallback is not None:
            fallback = chart.fallback
            src = image_url(fallback.file_name)
            return {
                "src": src,
                "width": fallback.width,
                "height": fallback.height,
                "alt": fallback.alt,
            }
        if library_of(chart.mime) != "vega-lite" or chart_blocker("vega-lite", chart.data):
            return None  # vl-convert would fetch the data: a build reads no network
        image = vega_image(chart, self.cache_dir)
        if image is None:
            return None
        self.assets[image.output_path] = Asset(image.output_path, image.source)
        return {
            "src": self.url(image.output_path),
            "width": image.width,
            "height": image.height,
            "alt": _vega_alt(chart),
        }

    def page_scripts(self) -> tuple[tuple[str, bool], ...]:
        """(output path, is module) of every script the page loads for its charts, in order."""
        if not self.scripts:
            return ()
        libraries = tuple((s.output_path, s.is_module) for s in self.scripts.values())
        return ((STYLE_SHIM, False), *libraries, (CHART_DRAWER, False))


def vega_spec_error(chart: Chart, cache_dir: Path) -> str | None:
    """What Vega-Lite (vl-convert's, the one the page loads) says of a spec it cannot draw."""
    vega_image(chart, cache_dir)
    return _spec_errors.get(hashlib.sha256(chart.data.encode("utf-8")).hexdigest())


def _first_line(message: str) -> str:
    """vl-convert's message without its heading and the JavaScript stack under it."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith("failed:"):
        lines = lines[1:]
    return lines[0] if lines else message


def _page_data(chart: Chart, library: str) -> str:
    return plotly_math_as_text(chart.data) if library == "plotly" else chart.data


def _vega_alt(chart: Chart) -> str:
    try:
        title = json.loads(chart.data).get("title")
    except (ValueError, AttributeError):
        title = None
    if isinstance(title, dict):
        title = title.get("text")
    return f"Chart: {title}" if isinstance(title, str) and title else "Chart"


def chart_view(
    chart: Chart, drawn: bool, image: dict[str, Any] | None, blocked: str | None = None
) -> dict[str, Any]:
    """The template's view of a chart; `image` is its static image, when it has one, and
    `blocked` why it cannot be drawn on the page (`ChartScripts.blocker`)."""
    library = library_of(chart.mime) or "unknown"
    label = LIBRARY_LABELS.get(library, library)
    if blocked is not None:
        note = f"A {label} chart that cannot be shown here: {blocked}."
    elif drawn:
        note = f"Interactive {label} chart: it needs JavaScript to be drawn."
    else:
        note = (
            f"A {label} chart that this site cannot draw ({PACKAGES.get(library, library)} is "
            "missing where it was built)."
        )
    return {
        "kind": "chart",
        "library": library,
        "drawn": drawn,
        # "<" occurs only inside JSON strings, where its escape means the same: no "</script>".
        "json": Markup(_page_data(chart, library).replace("<", "\\u003c")) if drawn else "",
        "width": chart.width or (image["width"] if image else 0) or None,
        "height": chart.height or (image["height"] if image else 0) or None,
        "image": image,
        "note": note,
    }
