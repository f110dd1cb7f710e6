"""Alignment as a reader sees it in Chromium: flalign's pairs reach the margins, \\Aboxed's two
halves make one frame, \\hfill pushes a cell's math aside."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

POST = r"""---
title: Flush
date: 2025-02-01
---

$$
\begin{flalign}
a &= b & c &= d \\
e + f &= g & h &= i + j
\end{flalign}
$$

$$
\begin{flalign*}
x &= y
\end{flalign*}
$$

$$
\begin{align}
a &= b & c &= d
\end{align}
$$

$$
\begin{align*}
\Aboxed{f(x) &= \frac{1}{2} \sum_i x_i^2} \\
g &= x
\end{align*}
$$

$$
\begin{array}{|c|} \hfill x \\ yyyyyy \\ z \hfill \end{array}
$$

$$
\begin{array}{@{}c|c@{}} u & v \end{array}
$$

$$
\begin{pmatrix} a & b \\ c & d \end{pmatrix} \quad
\left[\begin{array}{|c|c} m & n \end{array}\right]
$$
"""

# Each display formula's first row: where its first column starts, where the ink of its last
# column ends and where its number is, beside the post's column.
MEASURE = """() => [...document.querySelectorAll(".post-body math[display=block]")].map(math => {
  const body = document.querySelector(".post-body").getBoundingClientRect();
  const cells = [...math.querySelectorAll("mtr:first-child > mtd")]
    .filter(td => !/tex-(eqno|fill)/.test(td.className) && td.textContent.trim());
  const left = cells[0].getBoundingClientRect();
  const number = math.querySelector("mtd.tex-eqno");
  return { bodyLeft: body.left, bodyRight: body.right,
           firstInk: left.left, lastInk: [...cells.at(-1).querySelectorAll("mi, mn")]
             .at(-1).getBoundingClientRect().right,
           numberRight: number ? number.getBoundingClientRect().right : null,
           numberLeft: number && number.textContent ? number.getBoundingClientRect().left : null };
})"""


@pytest.fixture(scope="module")
def flush(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("flalign-site")
    with posts_site(root, "Flush", {"flush.md": POST}) as server:
        yield server


def test_flalign_pairs_reach_the_margins_and_align_stays_centred(
    flush: Server, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(flush.url("posts/flush/"))
        page.evaluate("document.fonts.ready")
        two_pairs, one_pair, centred = page.evaluate(MEASURE)[:3]
        em = page.evaluate("parseFloat(getComputedStyle(document.querySelector('math')).fontSize)")
        # flalign: the first pair starts at the left margin, the last ends just before its number
        assert two_pairs["firstInk"] - two_pairs["bodyLeft"] < em, two_pairs
        assert two_pairs["numberLeft"] - two_pairs["lastInk"] < 2 * em, two_pairs
        assert two_pairs["bodyRight"] - two_pairs["numberRight"] < em, two_pairs
        # one pair, unnumbered: flush left, the rest of the line empty
        assert one_pair["firstInk"] - one_pair["bodyLeft"] < em, one_pair
        assert one_pair["bodyRight"] - one_pair["lastInk"] > 10 * em, one_pair
        # align is unchanged: its pairs stay in the middle, far from both margins
        assert centred["firstInk"] - centred["bodyLeft"] > 5 * em, centred
    finally:
        context.close()


def test_aboxed_halves_meet_as_one_frame_and_hfill_moves_cells(flush: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(flush.url("posts/flush/"))
        page.evaluate("document.fonts.ready")
        left = page.locator("mrow.tex-aboxed-l").bounding_box()
        right = page.locator("mrow.tex-aboxed-r").bounding_box()
        assert abs(left["x"] + left["width"] - right["x"]) < 1  # no gap at the alignment point
        assert abs(left["y"] - right["y"]) < 1 and abs(left["height"] - right["height"]) < 1
        sides = page.evaluate(
            """() => [...document.querySelectorAll("mtable.tex-matrix mtd")].map(td => {
                 const cell = td.getBoundingClientRect();
                 const ink = td.querySelector("mi").getBoundingClientRect();
                 return [ink.left - cell.left, cell.right - ink.right]; })"""
        )
        (x_left, x_right), _, (z_left, z_right) = sides[:3]
        assert x_left > x_right + 20 and z_right > z_left + 20  # x pushed right, z left
    finally:
        context.close()


def test_an_at_group_takes_the_padding_away(flush: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(flush.url("posts/flush/"))
        paddings = page.evaluate(
            """() => [...document.querySelectorAll("mtd.tex-tight-l, mtd.tex-tight-r")].map(td => {
                 const style = getComputedStyle(td);
                 return td.classList.contains("tex-tight-l") ? style.paddingLeft
                                                              : style.paddingRight; })"""
        )
        assert paddings == ["0px", "0px"]
    finally:
        context.close()


def test_matrix_columns_stand_flush_against_the_delimiters_unless_a_rule_is_there(
    flush: Server, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(flush.url("posts/flush/"))
        page.evaluate("document.fonts.ready")
        gaps = page.evaluate(
            """() => { const math = [...document.querySelectorAll(".post-body math")].at(-1);
                 const em = parseFloat(getComputedStyle(math).fontSize);
                 const box = e => e.getBoundingClientRect();
                 const [open, close, openSquare, closeSquare] = [...math.querySelectorAll("mo")]
                   .filter(mo => "()[]".includes(mo.textContent)).map(box);
                 const ink = [...math.querySelectorAll("mi")].map(box);
                 return { pmatrixLeft: (ink[0].left - open.right) / em,
                          pmatrixRight: (close.left - ink[3].right) / em,
                          ruled: (ink[4].left - openSquare.right) / em,
                          unruled: (closeSquare.left - ink[5].right) / em }; }"""
        )
        # MathJax: the delimiter against the entries (the glyphs' own side bearings only)
        assert gaps["pmatrixLeft"] < 0.25 and gaps["pmatrixRight"] < 0.25, gaps
        assert gaps["unruled"] < 0.25, gaps
        assert gaps["ruled"] > 0.4, gaps  # a rule at the edge keeps its space from the entries
    finally:
        context.close()


def test_matrix_rows_are_as_far_apart_as_mathjax_sets_them(flush: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(flush.url("posts/flush/"))
        page.evaluate("document.fonts.ready")
        pitch, height = page.evaluate(
            """() => { const math = [...document.querySelectorAll(".post-body math")].at(-1);
                 const em = parseFloat(getComputedStyle(math).fontSize);
                 const box = e => e.getBoundingClientRect();
                 const [a, , c] = [...math.querySelectorAll("mi")].map(box);
                 const table = math.querySelector("mtable").getBoundingClientRect();
                 return [(c.bottom - a.bottom) / em, table.height / em]; }"""
        )
        # LaTeX's strut and MathJax 3.2's layout: 1.2 em from baseline to baseline, 2.4 em for
        # two rows (MathJax's pmatrix measured 2.40 em in Chromium)
        assert abs(pitch - 1.2) < 0.05 and abs(height - 2.4) < 0.1, (pitch, height)
    finally:
        context.close()
