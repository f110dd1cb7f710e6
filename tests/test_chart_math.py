"""TeX in plotly charts' text is readable text on the page (plotly draws TeX with MathJax only)."""

from __future__ import annotations

import json

from lemma.render.chart_math import plotly_math_as_text


def test_a_text_that_is_one_formula_is_written_as_text() -> None:
    figure = {
        "data": [{"type": "scatter", "name": "$\\alpha^2$", "x": ["$5", "a$b$"], "y": [1, 2]}],
        "layout": {"title": {"text": "$\\int_0^1 x\\,dx$"}, "xaxis": {"title": {"text": "$t_k$"}}},
    }
    shown = json.loads(plotly_math_as_text(json.dumps(figure)))
    assert shown["layout"]["title"]["text"] == "∫₀¹x dx"
    assert shown["layout"]["xaxis"]["title"]["text"] == "tₖ"
    assert shown["data"][0]["name"] == "α²"
    assert shown["data"][0]["x"] == ["$5", "a$b$"]  # money and text around dollars stay


def test_a_figure_without_formulas_is_the_same_string() -> None:
    data = '{"data": [{"y": [1, 2], "name": "costs in $"}], "layout": {}}'
    assert plotly_math_as_text(data) is data
