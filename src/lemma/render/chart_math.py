"""TeX in a plotly chart's text, written as readable text: plotly draws it only with MathJax.

plotly.js treats a title, an axis title, a trace's name or an annotation written wholly as
`$...$` as TeX and draws it with MathJax when the page has it; the pages have none (their math is
MathML made at build time), so plotly showed the TeX as written: "$\\int_0^1 x\\,dx$". Such text
becomes what the page's `<title>` and feed make of a formula, "∫₀¹x dx", on the page only (the
notebook download keeps the figure as it was made).
"""

from __future__ import annotations

import json

from lemma.render.inline_math import inline_text


def plotly_math_as_text(data: str) -> str:
    """The plotly figure's JSON with every text that is one `$...$` formula written as text;
    the same string when there is none."""
    if "$" not in data:
        return data
    try:
        figure = json.loads(data)
    except ValueError:
        return data
    changed, written = _rewrite(figure)
    if not changed:
        return data
    return json.dumps(written, ensure_ascii=False, separators=(",", ":"))


def _rewrite(node: object) -> tuple[bool, object]:
    if isinstance(node, str):
        if len(node) > 2 and node.startswith("$") and node.endswith("$"):
            text = inline_text(node)
            return text != node, text
        return False, node
    if isinstance(node, list):
        pairs = [_rewrite(item) for item in node]
        return any(c for c, _ in pairs), [value for _, value in pairs]
    if isinstance(node, dict):
        rewritten = {key: _rewrite(value) for key, value in node.items()}
        changed = any(c for c, _ in rewritten.values())
        return changed, {key: value for key, (_, value) in rewritten.items()}
    return False, node
