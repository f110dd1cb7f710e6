"""Cells across columns and rows as a reader sees them in Chromium: a \\multicolumn header spans
and centres over its columns, \\cline rules only its columns, @{text} sits between two columns,
\\bordermatrix's parentheses span its entries' rows only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

POST = r"""---
title: Tables
date: 2025-02-01
---

$$
\begin{array}{c|c|c}
\hline
\multicolumn{2}{|c|}{\text{Adam}} & y \\
\hline
aaaa & bbbbbbbb & c \\
\cline{2-3}
d & e & f
\end{array}
$$

$$
\begin{array}{r@{.}l}
3 & 14159 \\
271 & 8
\end{array}
$$

$$
\bordermatrix{ & c & d \cr x & 1 & 2 \cr y & 3 & 4 \cr}
$$
"""

MEASURE = """() => [...document.querySelectorAll(".post-body math[display=block] > mtable")].map(
  table => [...table.querySelectorAll(":scope > mtr")].map(
    tr => [...tr.querySelectorAll(":scope > mtd")].map(td => {
                 const box = td.getBoundingClientRect();
                 const ink = (td.querySelector("mi, mn, mtext, mo") || td).getBoundingClientRect();
                 const style = getComputedStyle(td);
                 return { left: box.left, right: box.right, inkLeft: ink.left, inkRight: ink.right,
                          inkTop: ink.top, inkBottom: ink.bottom,
                          top: parseFloat(style.borderTopWidth) }; })))"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("spans-site")
    with posts_site(root, "Tables", {"tables.md": POST}) as server:
        yield server


@pytest.fixture
def measured(tables: Server, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(tables.url("posts/tables/"))
        page.evaluate("document.fonts.ready")
        yield page.evaluate(MEASURE)
    finally:
        context.close()


def test_multicolumn_header_spans_its_columns_and_centres_over_them(measured: Any) -> None:
    header, body = measured[0][0], measured[0][1]
    span, after = header
    assert abs(span["left"] - body[0]["left"]) < 1 and abs(span["right"] - body[1]["right"]) < 1
    middle = (body[0]["left"] + body[1]["right"]) / 2
    assert abs((span["inkLeft"] + span["inkRight"]) / 2 - middle) < 2
    assert abs(after["left"] - body[2]["left"]) < 1  # the next cell is in the third column


def test_cline_rules_only_its_columns(measured: Any) -> None:
    last = measured[0][2]
    assert [cell["top"] for cell in last] == [0, 1, 1]


def test_at_text_sits_between_its_columns_on_one_x(measured: Any) -> None:
    first, second = measured[1]
    assert len(first) == len(second) == 3
    assert abs(first[1]["inkLeft"] - second[1]["inkLeft"]) < 0.5  # the points line up
    for row in (first, second):  # no padding between the number and its point
        assert row[1]["inkLeft"] - row[0]["inkRight"] < 2
        assert row[2]["inkLeft"] - row[1]["inkRight"] < 2


def test_bordermatrix_fences_span_the_entries_and_labels_line_up(measured: Any) -> None:
    labels, first, second = measured[2]
    opening, closing = first[1], first[4]
    entries = [first[2], first[3], second[1], second[2]]
    assert (
        opening["inkLeft"] < entries[0]["inkLeft"] and closing["inkRight"] > entries[1]["inkRight"]
    )
    # each parenthesis reaches from the first row of entries to the last, not to the labels
    assert abs(opening["inkTop"] - entries[0]["inkTop"]) < 8
    assert abs(opening["inkBottom"] - entries[2]["inkBottom"]) < 8
    assert labels[2]["inkBottom"] < opening["inkTop"]
    # the column labels stand over their columns, the row labels at the left of the fence
    assert abs(labels[2]["inkLeft"] - entries[0]["inkLeft"]) < 4
    assert abs(labels[3]["inkLeft"] - entries[1]["inkLeft"]) < 4
    assert first[0]["inkRight"] < opening["inkLeft"]
