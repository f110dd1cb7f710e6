"""The HTML report of `lemma check --drift`: old and new text and figures side by side."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from lemma.freeze.drift import Drift

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; }
h2 { font-size: 1.1rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair.three { grid-template-columns: 1fr 1fr 1fr; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; white-space: pre-wrap; }
img { max-width: 100%; border: 1px solid #ddd; }
figcaption, .label { font-weight: 600; }
.old { color: #a40000; } .new { color: #005a00; }
"""


def write_drift_report(path: Path, drifts: Mapping[str, Sequence[Drift]], title: str) -> None:
    """A self-contained page (figures inline), to keep as a CI artifact."""
    count = sum(len(items) for items in drifts.values())
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Drift report: {escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Drift report: {escape(title)}</h1>",
        f"<p>{count} snippet{'s' if count != 1 else ''} whose output changed beyond tolerance."
        " Left: the earlier output; right: today's.</p>",
    ]
    for items in drifts.values():
        for drift in items:
            parts.append(_section(drift))
    parts.append("</body></html>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def _section(drift: Drift) -> str:
    where = escape(str(drift.location))
    html = [f'<section><h2 id="{where}">{where}: {escape(drift.summary)}</h2>']
    if drift.old_text != drift.new_text:
        html.append(
            '<div class="pair">'
            f'<div><div class="label old">before</div><pre>{escape(drift.old_text)}</pre></div>'
            f'<div><div class="label new">now</div><pre>{escape(drift.new_text)}</pre></div>'
            "</div>"
        )
    for figure in drift.figures:
        cells = [
            _figure(figure.old_png, f"figure {figure.number} before", "old"),
            _figure(figure.new_png, f"figure {figure.number} now (RMS {figure.rms:.2f})", "new"),
        ]
        if figure.diff_png is not None:
            cells.append(_figure(figure.diff_png, "difference", ""))
        layout = "pair three" if len(cells) == 3 else "pair"
        html.append(f'<div class="{layout}">{"".join(cells)}</div>')
    html.append("</section>")
    return "\n".join(html)


def _figure(png: bytes, caption: str, kind: str) -> str:
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="{uri}" alt="{escape(caption)}">'
        f'<figcaption class="{kind}">{escape(caption)}</figcaption></figure>'
    )
