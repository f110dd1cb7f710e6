"""Snippet outputs to the plain dicts that partials/snippet.html renders (text stays escaped)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from lemma.model import Asset, Error, Figure, Output, Rich, Stream, Value
from lemma.render.mathml import MathError, tex_to_mathml
from lemma.reuse.figures import FigureStore, is_figure_name


def outputs_for_template(
    outputs: Sequence[Output],
    url: Callable[[str], str],
    figures: FigureStore,
    assets: dict[str, Asset],
    render_markdown: Callable[[str], str],
) -> list[dict[str, Any]]:
    views: list[dict[str, Any]] = []
    for output in outputs:
        match output:
            case Stream(name=name, text=text):
                views.append({"kind": "stream", "name": name, "text": text})
            case Value(text=text):
                views.append({"kind": "value", "text": text})
            case Figure():
                if not is_figure_name(output.file_name):  # never one the store gave
                    continue
                output_path = f"figures/{output.file_name}"
                assets[output_path] = Asset(output_path, str(figures.path(output.file_name)))
                views.append(
                    {
                        "kind": "image",
                        "src": url(output_path),
                        "width": output.width,
                        "height": output.height,
                        "alt": output.alt,
                        "caption": output.caption,
                    }
                )
            case Rich():
                views.append(_rich_view(output, render_markdown))
            case Error():
                views.append(
                    {
                        "kind": "error",
                        "ename": output.ename,
                        "evalue": output.evalue,
                        "traceback": output.traceback,
                        "location": str(output.location) if output.location else None,
                        "error_kind": output.kind,
                    }
                )
    return views


def _rich_view(output: Rich, render_markdown: Callable[[str], str]) -> dict[str, Any]:
    # Rich HTML and SVG are the author's own output and are kept as they are, like Jupyter does.
    match output.mime:
        case "text/html":
            return {"kind": "html", "html": Markup(output.data)}
        case "image/svg+xml":
            return {"kind": "svg", "svg": Markup(output.data)}
        case "image/png" | "image/jpeg":
            return {
                "kind": "image",
                "src": f"data:{output.mime};base64,{output.data}",
                "width": None,
                "height": None,
                "alt": "Image output of the snippet",
                "caption": None,
            }
        case "text/latex":
            tex = output.data.strip().strip("$")
            try:
                return {"kind": "latex", "html": Markup(tex_to_mathml(tex, display=True))}
            except MathError:
                return {"kind": "value", "text": output.data}
        case "text/markdown":
            return {"kind": "markdown", "html": Markup(render_markdown(output.data))}
        case _:
            return {"kind": "value", "text": output.data}
