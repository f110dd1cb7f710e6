"""Snippet outputs to the plain dicts that partials/snippet.html renders (text stays escaped)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from lemma.errors import Problem
from lemma.model import (
    Asset,
    Chart,
    Error,
    Figure,
    Output,
    PostRun,
    Rich,
    Snippet,
    SnippetOptions,
    SourceLocation,
    Stream,
    Value,
)
from lemma.parse import first_paragraph_text
from lemma.render.charts import ChartScripts, chart_view
from lemma.render.figure_colours import keeps_colours, stored_figure_keeps_colours
from lemma.render.inline_math import inline_text
from lemma.render.mathml import MathError, tex_to_mathml
from lemma.render.styles import PageStyles
from lemma.reuse.figures import FigureStore

# Escape sequences a terminal interprets (colours, cursor moves, window titles): CSI, OSC, and
# two-byte ones. A page shows text, so they are removed, not shown as garbage.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# What is left of C0 and C1 but tab and newline: invisible, and not allowed in XML (the feed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """Text as a terminal would show it: escape sequences gone, each `\r` returning to the
    start of the line and each backspace one character back, so that a progress bar's or a
    spinner's updates end as their last state."""
    if not _CONTROL.search(text):
        return text
    text = _ANSI.sub("", text)
    lines = []
    for line in text.split("\n"):
        if "\b" in line:
            line = _typed_over(line)
        elif "\r" in line:
            shown = ""
            for part in line.split("\r"):
                shown = part + shown[len(part) :]  # overwrite from the start of the line
            line = shown
        lines.append(line)
    return _CONTROL.sub("", "\n".join(lines))


def _typed_over(line: str) -> str:
    """A line as a terminal leaves it: each character typed at the cursor, over what is there;
    `\r` takes the cursor to the start, a backspace one back."""
    shown: list[str] = []
    cursor = 0
    for char in line:
        if char == "\r":
            cursor = 0
        elif char == "\b":
            cursor = max(cursor - 1, 0)
        else:
            if cursor < len(shown):
                shown[cursor] = char
            else:
                shown.append(char)
            cursor += 1
    return "".join(shown)


def shown_outputs(outputs: Sequence[Output], options: SnippetOptions) -> Sequence[Output]:
    """What readers see of a snippet's outputs: nothing with `output: false`; with Quarto's
    `warning: false`, all but what it wrote to stderr (where Python's warnings go)."""
    if not options.output:
        return ()
    if options.warning:
        return outputs
    return tuple(o for o in outputs if not (isinstance(o, Stream) and o.name == "stderr"))


def outputs_for_template(
    outputs: Sequence[Output],
    url: Callable[[str], str],
    figures: FigureStore,
    assets: dict[str, Asset],
    render_markdown: Callable[[str], str],
    charts: ChartScripts | None = None,
    location: SourceLocation | None = None,
    styles: PageStyles | None = None,
) -> list[dict[str, Any]]:
    """`charts` collects the chart libraries the page needs, `styles` the CSS of its rich HTML;
    `location` is the snippet's."""

    def figure_url(file_name: str) -> str:
        output_path = f"figures/{file_name}"
        assets[output_path] = Asset(output_path, str(figures.path(file_name)))
        return url(output_path)

    views: list[dict[str, Any]] = []
    for output in outputs:
        match output:
            case Stream(name=name, text=text):
                views.append({"kind": "stream", "name": name, "text": terminal_text(text)})
            case Value(text=text):
                views.append({"kind": "value", "text": terminal_text(text)})
            case Figure():
                views.append(
                    {
                        "kind": "image",
                        "src": figure_url(output.file_name),
                        "width": output.width,
                        "height": output.height,
                        "alt": alt_text(output),
                        "caption": output.caption,
                        "keep_colours": stored_figure_keeps_colours(figures, output.file_name),
                    }
                )
            case Chart():
                blocked = charts.blocker(output, location) if charts is not None else None
                drawn = (
                    blocked is None and charts is not None and charts.need_chart(output, location)
                )
                image = charts.static_image(output, figure_url) if charts is not None else None
                views.append(chart_view(output, drawn, image, blocked))
            case Rich():
                views.append(_rich_view(output, render_markdown, styles))
            case Error():
                views.append(
                    {
                        "kind": "error",
                        "ename": output.ename,
                        "evalue": terminal_text(output.evalue),
                        "traceback": terminal_text(output.traceback),
                        "location": str(output.location) if output.location else None,
                        "error_kind": output.kind,
                    }
                )
    return views


def alt_text(figure: Figure) -> str:
    """The figure's alt text as a screen reader should hear it: titles and `fig-alt` are written
    with TeX ("Figure: $\\sigma(z)$"), a caption with Markdown; formulas read as text ("σ(z)",
    not "dollar backslash sigma"), a caption as its plain text."""
    text = figure.alt
    if figure.caption is not None and text == figure.caption:
        text = first_paragraph_text(text) or text
    return inline_text(text)


def heavy_figure_warnings(
    runs: Mapping[str, PostRun], snippets: Mapping[str, Sequence[Snippet]]
) -> list[Problem]:
    """A warning at each snippet whose figures were written as PNG because their SVG was too
    heavy (`figure_svg_limit_kb`): the page stays light, but a PNG does not zoom like an SVG."""
    warnings = []
    for path, run in sorted(runs.items()):
        by_index = {s.index: s for s in snippets.get(path, ())}
        for result in run.results:
            snippet = by_index.get(result.snippet_index)
            numbers: set[int] = set()
            for outputs in [outputs for _, outputs in result.variants] or [result.outputs]:
                figures = [o for o in outputs if isinstance(o, Figure)]
                numbers.update(n for n, f in enumerate(figures, start=1) if f.svg_too_heavy)
            if snippet is None or not numbers:
                continue
            which = ", ".join(str(n) for n in sorted(numbers))
            what = f"figure {which}" if len(numbers) == 1 else f"figures {which}"
            limit = snippet.options.svg_limit_kb
            warnings.append(
                Problem(
                    f"{what} of snippet {snippet.index + 1} would be more than {limit:,} kB as "
                    "SVG: shown as PNG instead",
                    snippet.location,
                    hint="draw the dense part as pixels inside the SVG with rasterized=True, "
                    "e.g. ax.scatter(x, y, rasterized=True), or raise figure_svg_limit_kb "
                    "in site.toml",
                    is_warning=True,
                )
            )
    return warnings


def _rich_view(
    output: Rich, render_markdown: Callable[[str], str], styles: PageStyles | None
) -> dict[str, Any]:
    # Rich HTML and SVG are the author's own output and are kept as they are, like Jupyter does,
    # except for their styles, which move to the page's stylesheet (the CSP blocks inline ones).
    match output.mime:
        case "text/html":
            markup = styles.lift(output.data) if styles is not None else output.data
            return {"kind": "html", "html": Markup(markup)}
        case "image/svg+xml":
            return {
                "kind": "svg",
                "svg": Markup(output.data),
                "keep_colours": keeps_colours(output.data.encode()),
            }
        case "image/png" | "image/jpeg":
            return {
                "kind": "image",
                "src": f"data:{output.mime};base64,{output.data}",
                "width": output.width,
                "height": output.height,
                "alt": output.alt or "Image output of the snippet",
                "caption": None,
                "keep_colours": keeps_colours(_base64_bytes(output.data)),
            }
        case "text/latex":
            tex = output.data.strip().strip("$")
            try:
                return {"kind": "latex", "html": Markup(tex_to_mathml(tex, display=True))}
            except MathError:
                return {"kind": "value", "text": terminal_text(output.data)}
        case "text/markdown":
            return {"kind": "markdown", "html": Markup(render_markdown(output.data))}
        case _:
            return {"kind": "value", "text": terminal_text(output.data)}


def _base64_bytes(text: str) -> bytes:
    try:
        return base64.b64decode(text)
    except binascii.Error:
        return b""  # the browser shows it broken; no colours to keep
