"""Quarto's layout in headless Chromium: tabsets that switch (mouse, keyboard, groups, no
JavaScript, dark theme) and margin content beside the text on a wide screen, in it on a phone.

The fixture site (tests/fixtures/quarto-layout) is built once by the CLI and served here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import REPO, Server, run_build
from test_writing_ui import run_axe

pytestmark = pytest.mark.browser

POST = "posts/tabs-and-margins/"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 800}
FIRST = "[data-lemma-tabset] >> nth=0"
SECOND = "[data-lemma-tabset] >> nth=1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("quarto-layout")
    out = work / "out"
    out.mkdir()
    served = Server(out)
    root = work / "src"
    shutil.copytree(REPO / "tests" / "fixtures" / "quarto-layout", root)
    done = run_build(root, out)
    if done.returncode != 0:
        served.close()
        pytest.fail(f"building the quarto-layout site failed:\n{done.stdout}\n{done.stderr}")
    try:
        yield served
    finally:
        served.close()


def open_post(browser: Any, server: Server, **options: Any) -> tuple[Any, list[str]]:
    options.setdefault("color_scheme", "light")
    context = browser.new_context(**options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server.url(POST))
    page.wait_for_load_state("networkidle")
    return page, problems


def visible_panels(page: Any, tabset: str) -> list[str]:
    panels = page.locator(tabset).locator("> .tab")
    return [
        panels.nth(i).inner_text().strip()
        for i in range(panels.count())
        if panels.nth(i).is_visible()
    ]


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def test_a_tabset_shows_one_tab_and_switches_on_click(
    browser: Any, server: Server, axe_source: str
) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    tabs = page.locator(FIRST).get_by_role("tab")
    assert tabs.all_inner_texts() == ["NumPy", "PyTorch", "By hand"]
    assert visible_panels(page, FIRST) == ["Call np.linalg.eigh(L) for the NumPy spectrum."]
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    tabs.nth(2).click()
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    assert tabs.nth(0).get_attribute("aria-selected") == "false"
    [shown] = visible_panels(page, FIRST)
    assert shown.startswith("A path graph has eigenvalues")
    panel = page.get_by_role("tabpanel", name="By hand")
    assert panel.is_visible()
    assert run_axe(page, axe_source) == []
    assert problems == []
    page.context.close()


def test_arrow_keys_home_and_end_move_between_tabs(browser: Any, server: Server) -> None:
    page, _ = open_post(browser, server, viewport=WIDE)
    tabs = page.locator(FIRST).get_by_role("tab")
    tabs.nth(0).focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "PyTorch"
    assert visible_panels(page, FIRST) == ["Call torch.linalg.eigh(L) for the PyTorch spectrum."]
    page.keyboard.press("End")
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowRight")  # wraps around
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.textContent") == "By hand"
    # Only the chosen tab is in the Tab order; the next stop is its panel.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tabpanel"
    page.context.close()


def test_tabsets_of_one_group_switch_together_and_remember_the_choice(
    browser: Any, server: Server
) -> None:
    page, _ = open_post(browser, server, viewport=WIDE)
    page.locator(FIRST).get_by_role("tab", name="PyTorch").click()
    assert visible_panels(page, SECOND) == ["Save it with torch.save."]
    page.reload()
    page.wait_for_load_state("networkidle")
    assert visible_panels(page, FIRST) == ["Call torch.linalg.eigh(L) for the PyTorch spectrum."]
    assert visible_panels(page, SECOND) == ["Save it with torch.save."]
    page.context.close()


def test_without_javascript_every_tab_shows_under_its_label(browser: Any, server: Server) -> None:
    page, _ = open_post(browser, server, viewport=WIDE, java_script_enabled=False)
    assert page.locator("[role=tab]").count() == 0
    text = page.locator(FIRST).inner_text()
    for words in ("NumPy", "PyTorch", "By hand", "torch.linalg.eigh", "A path graph"):
        assert words in text
    page.context.close()


def test_the_chosen_tab_stands_out_in_the_dark_theme(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE, color_scheme="dark")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    look = (
        page.locator(FIRST)
        .get_by_role("tab", name="NumPy")
        .evaluate(
            """tab => { const s = getComputedStyle(tab), other = tab.nextElementSibling;
            return {colour: s.color, background: s.backgroundColor,
                    page: getComputedStyle(document.body).backgroundColor,
                    other: getComputedStyle(other).color, weight: s.fontWeight}; }"""
        )
    )
    assert look["colour"] != look["other"]  # chosen and other tabs differ
    assert look["background"] == look["page"]  # no light box on a dark page
    assert int(look["weight"]) > 400
    assert problems == []
    page.context.close()


def test_margin_content_sits_beside_the_text_on_a_wide_screen(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    body = box(page, ".post-body")
    notes = page.locator(".margin-note")
    assert notes.count() == 3
    for index in range(3):
        note = notes.nth(index).bounding_box()
        assert note["x"] >= body["x"] + body["width"]  # in the margin
        assert note["x"] + note["width"] <= WIDE["width"]
    assert "unnormalised" in notes.nth(0).inner_text()
    assert notes.nth(1).inner_text() == "The weights in the margin"  # a figure's caption
    assert notes.nth(2).inner_text() == "its eigenvector gives the cut"
    assert problems == []
    page.context.close()


def test_margin_content_stays_in_the_text_on_a_phone(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=PHONE)
    body = box(page, ".post-body")
    for index in range(3):
        note = page.locator(".margin-note").nth(index)
        assert note.is_visible()
        found = note.bounding_box()
        assert body["x"] <= found["x"] and found["x"] + found["width"] <= body["x"] + body["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []
    page.context.close()


def subfigure_boxes(page: Any) -> list[dict[str, float]]:
    cells = page.locator("#fig-pair > figure")
    assert cells.count() == 2
    return [dict(cells.nth(i).bounding_box()) for i in range(2)]


def test_subfigures_sit_side_by_side_and_stack_on_a_phone(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    first, second = subfigure_boxes(page)
    assert first["y"] == second["y"] and second["x"] >= first["x"] + first["width"]
    caption = box(page, "#fig-pair > figcaption")
    assert caption["y"] >= first["y"] + first["height"]  # the whole figure's caption, below
    assert page.locator("#fig-pair > figcaption").inner_text() == (
        "Figure 1: Attention weights before and after training."
    )
    assert page.locator("#fig-before figcaption").inner_text() == "(a) Before training"
    assert page.locator("a.xref[href='#fig-after']").inner_text() == "Figure 1 (b)"
    page.set_viewport_size(PHONE)
    first, second = subfigure_boxes(page)
    assert second["y"] >= first["y"] + first["height"]  # one under the other
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []
    page.context.close()


def test_a_link_into_a_hidden_tab_opens_that_tab(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    lemma = page.locator("#lem-path")
    assert not lemma.is_visible()
    page.locator("a.xref[href='#lem-path']").click()
    assert lemma.is_visible()
    assert page.locator(FIRST).get_by_role("tab", name="By hand").get_attribute(
        "aria-selected"
    ) == ("true")
    opened = page.context.new_page()  # and an address that names it, opened afresh
    opened.goto(server.url(POST) + "#lem-path")
    opened.wait_for_load_state("networkidle")
    assert opened.locator("#lem-path").is_visible()
    assert problems == []
    page.context.close()


def test_print_shows_every_tab_under_its_label(browser: Any, server: Server) -> None:
    page, _ = open_post(browser, server, viewport=WIDE)
    page.emulate_media(media="print")
    assert not page.locator(FIRST).locator(".tabset-tabs").is_visible()
    assert len(visible_panels(page, FIRST)) == 3
    labels = page.locator(FIRST).locator(".tab-label")
    assert [labels.nth(i).is_visible() for i in range(3)] == [True, True, True]
    page.context.close()
