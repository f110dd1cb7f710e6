"""A post's interactive parts in a real browser: theme, copy, sweep, notebook download, math."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_support import Sites

pytestmark = pytest.mark.browser

SWEEP_POST = "posts/sweep-and-plot/"


def test_theme_toggle_switches_and_persists_across_reload(sites: Sites, page: Any) -> None:
    page.goto(sites.root.url(SWEEP_POST))
    html = page.locator("html")
    assert html.get_attribute("data-theme") == "light"  # the context prefers light
    light_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle = page.locator("#theme-toggle")
    toggle.click()
    assert html.get_attribute("data-theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    dark_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_background != light_background
    page.reload()
    assert html.get_attribute("data-theme") == "dark"
    page.goto(sites.root.url(""))  # and on another page
    assert page.locator("html").get_attribute("data-theme") == "dark"
    page.locator("#theme-toggle").click()
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "light"


LINE_PLOT = 'img[alt="A straight line through the origin"]'
HEATMAP = 'img[alt="A heatmap of random values in viridis"]'


def figure_look(page: Any, selector: str) -> dict[str, str]:
    return dict(
        page.locator(selector).evaluate(
            """img => { const s = getComputedStyle(img);
                return {filter: s.filter, background: s.backgroundColor, padding: s.paddingTop,
                        card: img.closest('figure').classList.contains('lemma-figure--keep-colours')
                            ? 'yes' : 'no'}; }"""
        )
    )


def assert_dark_figures(page: Any) -> None:
    line, heatmap = figure_look(page, LINE_PLOT), figure_look(page, HEATMAP)
    assert line["filter"].startswith("invert(") and line["card"] == "no", line
    assert heatmap["filter"] == "none" and heatmap["card"] == "yes", heatmap
    assert heatmap["background"] == "rgb(255, 255, 255)" and heatmap["padding"] != "0px", heatmap


def test_dark_system_theme_inverts_a_line_plot_and_shows_a_heatmap_as_drawn(
    sites: Sites, browser: Any
) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(sites.root.url(SWEEP_POST))
        assert_dark_figures(page)
    finally:
        context.close()


def test_theme_toggle_to_dark_inverts_a_line_plot_and_not_a_heatmap(
    sites: Sites, page: Any
) -> None:
    page.goto(sites.root.url(SWEEP_POST))
    for selector in (LINE_PLOT, HEATMAP):  # light: both as drawn, no card
        look = figure_look(page, selector)
        assert look["filter"] == "none" and look["padding"] == "0px", look
        assert look["background"] == "rgba(0, 0, 0, 0)", look
    page.locator("#theme-toggle").click()
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    assert_dark_figures(page)


def test_copy_button_copies_code_without_option_lines(sites: Sites, page: Any) -> None:
    page.goto(sites.root.url(SWEEP_POST))
    snippet = page.locator(".lemma-snippet", has_text="total = sum(range(10))")
    snippet.locator("button.lemma-copy").click()
    page.locator("button.lemma-copy[data-state=copied]").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "total = sum(range(10))\nprint(total)"


def test_sweep_slider_and_ticks_swap_the_figure(sites: Sites, page: Any) -> None:
    page.goto(sites.root.url(SWEEP_POST))
    sweep = page.locator("[data-lemma-sweep]")
    controls = sweep.locator("[data-lemma-sweep-controls]")
    assert controls.is_visible()
    visible_figure = sweep.locator(".lemma-variant:not([hidden]) img")
    assert visible_figure.count() == 1
    first = visible_figure.get_attribute("src")
    assert sweep.locator("[data-lemma-sweep-value]").inner_text() == "a = 1"

    slider = sweep.locator("input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")  # a keyboard user moves the slider one step
    assert sweep.locator("[data-lemma-sweep-value]").inner_text() == "a = 2"
    second = visible_figure.get_attribute("src")
    assert visible_figure.count() == 1 and second != first
    assert visible_figure.is_visible()

    sweep.locator(".lemma-sweep-ticks li", has_text="a = 3").click()
    third = visible_figure.get_attribute("src")
    assert len({first, second, third}) == 3
    assert slider.get_attribute("aria-valuetext") == "a = 3"


def test_notebook_download_is_a_valid_notebook(sites: Sites, page: Any, tmp_path: Path) -> None:
    page.goto(sites.root.url(SWEEP_POST))
    link = page.get_by_role("link", name="Download as notebook")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "sweep-and-plot.ipynb"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    notebook = nbformat.reads(target.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert any(
        o.output_type == "display_data" and "image/svg+xml" in o.data
        for c in code
        for o in c.outputs
    )
    colab = page.get_by_role("link", name="Open in Colab").get_attribute("href")
    assert colab == (
        "https://colab.research.google.com/github/example/lemma-fixture/blob/gh-pages/"
        "posts/sweep-and-plot/sweep-and-plot.ipynb"
    )
    assert json.loads(target.read_text(encoding="utf-8"))["nbformat"] == 4


def test_math_is_rendered_as_visible_mathml(sites: Sites, page: Any) -> None:
    page.goto(sites.root.url("posts/prose-and-math/"))
    maths = page.locator(".post-body math")
    assert maths.count() >= 2
    assert page.locator(".post-body math[display=block]").count() >= 1
    for index in range(maths.count()):
        box = maths.nth(index).bounding_box()
        assert box is not None and box["width"] > 5 and box["height"] > 5
    # MathML laid out by the browser: a fraction is taller than a line of text.
    fraction = page.locator(".post-body math[display=block] mfrac").first.bounding_box()
    assert fraction is not None and fraction["height"] > 20
