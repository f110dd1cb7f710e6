"""Drift: a post's fresh outputs against its frozen (or last cached) ones, within tolerances.

Text outputs are compared line by line; a line whose words match and whose numbers are all
within the snippet's `drift-rtol`/`drift-atol` is unchanged. Figures whose bytes differ are
rasterised at one fixed size and compared by their pixels (matplotlib's image comparison, RMS on
a 0-255 scale) against `drift-figure-rms`.
"""

from __future__ import annotations

import difflib
import io
import math
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lemma.errors import LemmaError
from lemma.execute import protocol, relocate_results
from lemma.freeze import FREEZE_DIR, FrozenPost, FrozenUnreadable, read_frozen
from lemma.model import (
    Error,
    Figure,
    Output,
    PostRun,
    Rich,
    Snippet,
    SnippetOptions,
    SnippetResult,
    SourceLocation,
    Stream,
    Value,
)
from lemma.reuse.cache import cache_key

RASTER_SIZE = (640, 480)  # every figure is compared at this size, whatever it was drawn at
_NUMBER = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)\b)")

ReadFigure = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class Baseline:
    """The outputs a post's fresh run is compared with, and where they come from."""

    source: str  # "_freeze/" or "the cache"
    results: tuple[SnippetResult, ...]
    read_figure: ReadFigure
    changed: frozenset[int] = frozenset()  # snippets edited since: their outputs may differ


@dataclass(frozen=True, slots=True)
class FigureChange:
    number: int  # 1-based, among the snippet's figures
    old_png: bytes  # both rasterised at RASTER_SIZE
    new_png: bytes
    diff_png: bytes | None
    rms: float


@dataclass(frozen=True, slots=True)
class Drift:
    """One snippet whose outputs changed beyond its tolerances."""

    location: SourceLocation
    summary: str  # what changed, in a few words
    old_text: str
    new_text: str
    changed_lines: str  # "- old" / "+ new" lines, for a terminal or an annotation
    figures: tuple[FigureChange, ...]


def frozen_baseline(root: Path, source_path: str, snippets: Sequence[Snippet]) -> Baseline | None:
    try:
        frozen = read_frozen(root, source_path)
    except FrozenUnreadable:
        return None
    if frozen is None:
        return None
    return _from_frozen(frozen, snippets)


def _from_frozen(frozen: FrozenPost, snippets: Sequence[Snippet]) -> Baseline:
    results = relocate_results(frozen.results, frozen.source_path, snippets, frozen.lines)

    def read(name: str) -> bytes | None:
        try:
            return frozen.figure_file(name).read_bytes()
        except OSError:
            return None

    changed = frozenset(s.index for s in frozen.changed_snippets(snippets))
    return Baseline(f"{FREEZE_DIR}/", results, read, changed)


def cached_baseline(
    cache_dir: Path, source_path: str, snippets: Sequence[Snippet]
) -> Baseline | None:
    """The last results the cache holds for this code, whatever versions they were made with."""
    key = cache_key(source_path, snippets)
    try:
        entry = protocol.loads((cache_dir / "entries" / f"{key}.json").read_bytes())
        payload = protocol.as_object(entry.get("payload"))
        results = tuple(protocol.decode_result(r) for r in protocol.get_list(payload, "results"))
        lines = protocol.as_object(payload.get("lines"))
    except (OSError, protocol.ProtocolError):
        return None
    results = relocate_results(results, source_path, snippets, lines)
    figures = cache_dir / "figures"

    def read(name: str) -> bytes | None:
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        try:
            return (figures / name).read_bytes()
        except OSError:
            return None

    return Baseline("the cache", results, read)


def compare_run(
    baseline: Baseline, run: PostRun, snippets: Sequence[Snippet], read_figure: ReadFigure
) -> list[Drift]:
    """The snippets of `run` whose outputs moved beyond their tolerances from the baseline."""
    old_by_index = {r.snippet_index: r for r in baseline.results}
    new_by_index = {r.snippet_index: r for r in run.results}
    drifts = []
    for snippet in snippets:
        if not snippet.executable or snippet.index in baseline.changed:
            continue
        old = _outputs(old_by_index.get(snippet.index))
        new = _outputs(new_by_index.get(snippet.index))
        drift = _compare_snippet(snippet, old, new, baseline.read_figure, read_figure)
        if drift is not None:
            drifts.append(drift)
    return drifts


def _outputs(result: SnippetResult | None) -> list[Output]:
    if result is None:
        return []
    outputs = list(result.outputs)
    for label, variant in result.variants:
        outputs.append(Stream("stdout", f"[{label}]\n"))
        outputs.extend(variant)
    return outputs


def _compare_snippet(
    snippet: Snippet,
    old: Sequence[Output],
    new: Sequence[Output],
    read_old: ReadFigure,
    read_new: ReadFigure,
) -> Drift | None:
    options = snippet.options
    old_text, new_text = output_text(old), output_text(new)
    changed_lines = _changed_lines(old_text, new_text, options)
    old_figures = [o.file_name for o in old if isinstance(o, Figure)]
    new_figures = [o.file_name for o in new if isinstance(o, Figure)]
    summaries = ["text changed"] if changed_lines else []
    figures: list[FigureChange] = []
    if len(old_figures) != len(new_figures):
        summaries.append(f"{len(old_figures)} figures before, {len(new_figures)} now")
    for number, (old_name, new_name) in enumerate(zip(old_figures, new_figures, strict=False), 1):
        if old_name == new_name:
            continue  # same content hash: same bytes
        change = compare_figures(number, read_old(old_name), read_new(new_name), options)
        if change is not None:
            figures.append(change)
            summaries.append(
                f"figure {number} changed (RMS {change.rms:.2f} > {options.drift_figure_rms:g})"
            )
    if not summaries:
        return None
    return Drift(
        snippet.location,
        "; ".join(summaries),
        old_text,
        new_text,
        changed_lines,
        tuple(figures),
    )


def output_text(outputs: Sequence[Output]) -> str:
    """What a reader reads of the outputs, in order: streams, values, text reprs and errors."""
    parts = []
    for output in outputs:
        match output:
            case Stream(text=text) | Value(text=text):
                parts.append(text if text.endswith("\n") else text + "\n")
            case Rich(mime=mime, data=data) if not mime.startswith("image/"):
                parts.append(data if data.endswith("\n") else data + "\n")
            case Error(ename=ename, evalue=evalue):
                parts.append(f"{ename}: {evalue}\n" if ename else f"{evalue}\n")
            case _:
                pass
    return "".join(parts)


def _changed_lines(old: str, new: str, options: SnippetOptions) -> str:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if len(old_lines) == len(new_lines):
        pairs = [
            (a, b)
            for a, b in zip(old_lines, new_lines, strict=True)
            if not lines_match(a, b, options.drift_rtol, options.drift_atol)
        ]
        return "\n".join(f"- {a}\n+ {b}" for a, b in pairs)
    diff = difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
    return "\n".join(line for line in diff if not line.startswith(("---", "+++", "@@")))


def lines_match(old: str, new: str, rtol: float, atol: float) -> bool:
    """Equal words, and every number within `rtol` (relative) or `atol` (absolute)."""
    if old == new:
        return True
    old_parts, new_parts = _NUMBER.split(old), _NUMBER.split(new)
    if len(old_parts) != len(new_parts):
        return False
    for position, (a, b) in enumerate(zip(old_parts, new_parts, strict=True)):
        if position % 2 == 0:  # text between numbers: the padding of a column may change
            if a.split() != b.split():
                return False
            continue
        x, y = float(a), float(b)
        if math.isnan(x) and math.isnan(y):
            continue
        if not math.isclose(x, y, rel_tol=rtol, abs_tol=atol):
            return False
    return True


def compare_figures(
    number: int, old: bytes | None, new: bytes | None, options: SnippetOptions
) -> FigureChange | None:
    """None when the two figures' pixels are within `drift-figure-rms` at RASTER_SIZE."""
    from matplotlib.testing.compare import compare_images

    if old is None or new is None:  # a figure file gone from the baseline: changed, surely
        return FigureChange(number, rasterise(old), rasterise(new), None, 255.0)
    old_png, new_png = rasterise(old), rasterise(new)
    with tempfile.TemporaryDirectory(prefix="lemma-drift-") as folder:
        old_path, new_path = Path(folder, "old.png"), Path(folder, "new.png")
        old_path.write_bytes(old_png)
        new_path.write_bytes(new_png)
        found = compare_images(
            str(old_path), str(new_path), options.drift_figure_rms, in_decorator=True
        )
        if found is None:
            return None
        diff_path = Path(str(found.get("diff", "")))
        diff = diff_path.read_bytes() if diff_path.is_file() else None
        return FigureChange(number, old_png, new_png, diff, float(found["rms"]))


def rasterise(data: bytes | None) -> bytes:
    """A PNG of the figure at RASTER_SIZE (white when there is none)."""
    from PIL import Image

    width, height = RASTER_SIZE
    if data is None:
        image = Image.new("RGB", RASTER_SIZE, "white")
    elif data.lstrip().startswith((b"<?xml", b"<svg", b"<!DOCTYPE")):
        try:
            import cairosvg
        except (ImportError, OSError) as exc:  # OSError: the cairo library itself is missing
            raise LemmaError(
                f"comparing SVG figures needs CairoSVG and the cairo library ({exc})",
                hint="pip install 'lemma-blog[drift]'",
            ) from None
        png = cairosvg.svg2png(
            bytestring=data, output_width=width, output_height=height, background_color="white"
        )
        image = Image.open(io.BytesIO(png)).convert("RGB")
    else:
        image = Image.open(io.BytesIO(data)).convert("RGB").resize(RASTER_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()
