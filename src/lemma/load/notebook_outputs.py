"""The outputs a notebook saved in its code cells, as Lemma's output kinds (`outputs: stored`).

Of a cell's MIME bundle, what Lemma can draw itself comes first: a plotly, Vega-Lite or Bokeh
chart's JSON becomes the same chart an executed post shows. HTML that needs its own <script>
never runs under the pages' Content-Security-Policy, so it is left for an image of the same
output, or its text, with a warning at the cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lemma.errors import Problem
from lemma.model import Error, Output, SourceLocation, Stream, Value, is_address_repr

_RICH_MIMES = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/markdown",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # IPython colours its tracebacks
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)


def cell_text(source: Any) -> str:
    """A notebook's multiline text: a string, or a list of lines (Jupyter's usual form)."""
    if isinstance(source, list):
        return "".join(str(s) for s in source)
    return str(source or "")


def stored_outputs(outputs: Any, cell: SourceLocation) -> tuple[list[Output], list[Problem]]:
    """The outputs saved in the code cell at `cell`, and warnings about those a page cannot
    show. Text reprs with an address such as `<Figure at 0x7f...>` are left out: they change
    on every run."""
    found: list[Output] = []
    problems: list[Problem] = []
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            text = cell_text(output.get("text"))
            found.append(Stream("stderr" if output.get("name") == "stderr" else "stdout", text))
        elif kind in ("execute_result", "display_data"):
            bundle, metadata = output.get("data"), output.get("metadata")
            shown, problem = _bundle_outputs(
                bundle if isinstance(bundle, dict) else {},
                metadata if isinstance(metadata, dict) else {},
                cell,
            )
            found += shown
            problems += [problem] if problem is not None else []
        elif kind == "error":
            lines = output.get("traceback") or []
            traceback = _ANSI.sub("", "\n".join(str(line) for line in lines))
            found.append(
                Error(str(output.get("ename", "")), str(output.get("evalue", "")), traceback)
            )
    return found, problems


def _bundle_outputs(
    bundle: Mapping[str, Any], metadata: Mapping[str, Any], cell: SourceLocation
) -> tuple[list[Output], Problem | None]:
    # Imported here: `lemma.execute` starts with the scheduler, which a build that runs nothing
    # (a prose edit) never imports otherwise.
    from lemma.execute.capture import rich_repr
    from lemma.execute.charts import bundle_outputs

    charts = bundle_outputs(bundle)  # a chart's JSON, drawn as an executed post's chart is
    if charts is not None:
        return charts, None
    scripted = "text/html" in bundle and bool(_SCRIPT.search(cell_text(bundle["text/html"])))
    mimes = [m for m in _RICH_MIMES if m in bundle and not (scripted and m == "text/html")]
    shown: list[Output] = []
    rich = (
        rich_repr(mimes[0], cell_text(bundle[mimes[0]]), metadata.get(mimes[0])) if mimes else None
    )
    if rich is not None:
        shown.append(rich)
    elif "text/plain" in bundle and not is_address_repr(text := cell_text(bundle["text/plain"])):
        shown.append(Value(text))
    if not scripted:
        return shown, None
    if mimes:
        instead = f"its {mimes[0]} is shown instead"
    else:
        instead = "its text is shown instead" if shown else "it is left out"
    problem = Problem(
        "a stored output is HTML that needs its own <script>, which the pages' "
        f"Content-Security-Policy never runs: {instead}",
        cell,
        hint="remove 'outputs: stored' to let Lemma run the cell and draw its chart, or save "
        "the notebook with the chart's JSON: plotly's 'plotly_mimetype' renderer, Altair's "
        "'mimetype' renderer",
        is_warning=True,
    )
    return shown, problem
