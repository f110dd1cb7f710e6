"""Sweeps on the page: one slider per `#| sweep:` line, and what the grid of variants weighs."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from lemma.errors import Problem
from lemma.model import Chart, Figure, SnippetResult, SourceLocation, Sweep, default_variant
from lemma.reuse.figures import FigureStore

# Every variant ships in the page (its HTML, figures and chart data): past this, the build says
# how much a sweep weighs, so that the author can choose fewer values.
HEAVY_SWEEP_BYTES = 1_000_000


def sweep_controls(sweeps: Sequence[Sweep]) -> list[dict[str, Any]]:
    """The sliders' view: the flat variant index is the sum of each slider's value times its
    stride (the last sweep varies fastest, as in `model.sweep_grid`)."""
    controls: list[dict[str, Any]] = []
    stride = 1
    for sweep in reversed(sweeps):
        index = min(max(sweep.default_index, 0), len(sweep.values) - 1)
        labels = [f"{sweep.name} = {value!r}" for value in sweep.values]
        controls.append(
            {
                "name": sweep.name,
                "labels": labels,
                "default_index": index,
                "default_label": labels[index],
                "stride": stride,
            }
        )
        stride *= len(sweep.values)
    return controls[::-1]


def sweep_view(sweeps: Sequence[Sweep]) -> dict[str, Any]:
    """The sweep fields of partials/snippet.html's `snippet`."""
    return {
        "sweeps": sweep_controls(sweeps),
        "sweep_name": ", ".join(sweep.name for sweep in sweeps),
        "default_index": default_variant(sweeps) if sweeps else 0,
    }


def sweep_weight(result: SnippetResult, html: str, figures: FigureStore) -> tuple[int, int]:
    """(bytes of the snippet's HTML, bytes of the figure files its variants show)."""
    names: set[str] = set()
    for _, outputs in result.variants:
        for output in outputs:
            if isinstance(output, Figure):
                names.add(output.file_name)
            elif isinstance(output, Chart) and output.fallback is not None:
                names.add(output.fallback.file_name)
    size = 0
    for name in names:
        with contextlib.suppress(OSError, ValueError):
            size += figures.path(name).stat().st_size
    return len(html.encode("utf-8")), size


def heavy_sweep_warning(
    result: SnippetResult, html: str, figures: FigureStore, where: SourceLocation
) -> Problem | None:
    """A warning for the build summary when a sweep's variants weigh more than HEAVY_SWEEP_BYTES."""
    if not result.variants:
        return None
    markup, figure_bytes = sweep_weight(result, html, figures)
    total = markup + figure_bytes
    if total <= HEAVY_SWEEP_BYTES:
        return None
    return Problem(
        f"sweep: {len(result.variants)} variants add {_megabytes(total)} to the page "
        f"({_megabytes(markup)} of HTML and chart data, {_megabytes(figure_bytes)} of figures)",
        where,
        hint="fewer values, or fig-format: png for dense figures, make the page lighter",
        is_warning=True,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
