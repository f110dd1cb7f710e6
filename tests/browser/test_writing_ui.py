"""Cards for citations and cross-references, sidenotes, and Jupyter Book's layout (sphinx-proof
theorems, sphinx-design tabs, margins), in headless Chromium.

The writing fixture site (tests/fixtures/writing) is built once by the CLI and served here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import REPO, Server, run_build

pytestmark = pytest.mark.browser

POST = "posts/quarto/"
JUPYTER_BOOK = "posts/jupyter-book/"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 800}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("writing-ui")
    out = work / "out"
    out.mkdir()
    served = Server(out)
    root = work / "src"
    shutil.copytree(REPO / "tests" / "fixtures" / "writing", root)
    config = (root / "site.toml").read_text(encoding="utf-8")
    config = config.replace('base_url = "https://example.org/"', f'base_url = "{served.base}"')
    (root / "site.toml").write_text(config, encoding="utf-8")
    done = run_build(root, out)
    if done.returncode != 0:
        served.close()
        pytest.fail(f"building the writing site failed:\n{done.stdout}\n{done.stderr}")
    try:
        yield served
    finally:
        served.close()


def open_post(browser: Any, server: Server, **options: Any) -> tuple[Any, list[str]]:
    context = browser.new_context(color_scheme="light", **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server.url(POST))
    page.wait_for_load_state("networkidle")
    return page, problems


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def run_axe(page: Any, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ["violations"]});
             return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
               .map(v => v.id + ": " + v.help + " at " + v.nodes.slice(0, 3)
                 .map(n => n.target.join(" ")).join(", "));
           }"""
    )
    return list(result)


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the keyboard focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_wide_screen_sets_footnotes_in_the_margin(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    note = page.locator(".sidenote").first
    assert note.is_visible()
    assert "Sidenotes hold remarks" in note.inner_text()
    body = box(page, ".post-body")
    assert box(page, ".sidenote")["x"] >= body["x"] + body["width"]  # beside the text
    assert box(page, ".sidenote")["x"] + box(page, ".sidenote")["width"] <= WIDE["width"]
    assert not page.locator(".footnotes").is_visible()
    assert problems == []
    page.context.close()


def test_phone_and_print_keep_footnotes_at_the_end(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=PHONE)
    assert not page.locator(".sidenote").first.is_visible()
    assert page.locator(".footnotes").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(WIDE)
    page.emulate_media(media="print")
    assert not page.locator(".sidenote").first.is_visible()
    assert page.locator(".footnotes").is_visible()
    assert problems == []
    page.context.close()


def test_hovering_a_citation_shows_its_reference_without_moving_the_text(
    browser: Any, server: Server
) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    before = box(page, "#sec-proofs")
    page.hover("a.cite[href='#ref-boyd04']")
    card = page.locator(".lemma-card")
    card.wait_for()
    assert "Convex Optimization" in card.inner_text()
    assert "Cambridge University Press" in card.inner_text()
    assert box(page, "#sec-proofs") == before  # no layout shift
    link = page.locator("a.cite[href='#ref-boyd04']").first
    assert link.get_attribute("aria-describedby") == "lemma-card"
    assert card.get_attribute("role") == "tooltip"
    page.mouse.move(5, 5)
    card.wait_for(state="detached")
    assert problems == []
    page.context.close()


def test_keyboard_focus_shows_a_theorem_and_escape_hides_it(
    browser: Any, server: Server, axe_source: str
) -> None:
    page, _ = open_post(browser, server, viewport=WIDE)
    tab_to(page, "a.xref[href='#thm-global']")
    card = page.locator(".lemma-card")
    card.wait_for()
    assert "Theorem 1 (Global minima)." in card.inner_text()
    assert "Every local minimum" in card.inner_text()
    assert card.locator("[id]").count() == 0  # a copy never duplicates ids
    assert run_axe(page, axe_source) == []
    page.keyboard.press("Escape")
    card.wait_for(state="detached")
    tab_to(page, "a.xref[href='#eq-loss']")
    assert page.locator(".lemma-card math").count() == 1
    assert "(1)" in page.locator(".lemma-card").inner_text()
    page.context.close()


def test_tapping_shows_the_card_first_and_follows_the_link_second(
    browser: Any, server: Server
) -> None:
    page, problems = open_post(browser, server, viewport=PHONE, has_touch=True, is_mobile=True)
    link = page.locator("a.xref[href='#fig-loss']")
    link.tap()
    card = page.locator(".lemma-card")
    card.wait_for()
    assert "Figure 1: The loss along a line." in card.inner_text()
    assert page.url.endswith(POST)  # the first tap did not navigate
    link.tap()
    page.wait_for_url("**#fig-loss")
    assert problems == []
    page.context.close()


def test_without_javascript_citations_are_plain_links(browser: Any, server: Server) -> None:
    page, _ = open_post(browser, server, viewport=WIDE, java_script_enabled=False)
    page.click("a.cite[href='#ref-kingma14']")
    page.wait_for_url("**#ref-kingma14")
    assert page.locator(".lemma-card").count() == 0
    assert page.locator("#ref-kingma14").is_visible()
    # a footnote link opens the list even while the margin shows the notes
    page.click(".footnote-ref a")
    page.wait_for_url("**#fn1")
    assert page.locator("#fn1").is_visible()
    page.context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_axe_is_clean_on_a_post_with_theorems_callouts_and_citations(
    browser: Any, server: Server, axe_source: str, theme: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(color_scheme=theme, viewport=viewport)
    page = context.new_page()
    page.goto(server.url(POST))
    page.wait_for_load_state("networkidle")
    assert run_axe(page, axe_source) == []
    page.goto(server.url("posts/github-myst/"))
    assert run_axe(page, axe_source) == []
    page.goto(server.url(JUPYTER_BOOK))
    page.wait_for_load_state("networkidle")
    assert run_axe(page, axe_source) == []
    context.close()


# --- Jupyter Book's spelling -------------------------------------------------------------------


def open_jupyter_book(browser: Any, server: Server, **options: Any) -> tuple[Any, list[str]]:
    page, problems = open_post(browser, server, **options)
    page.goto(server.url(JUPYTER_BOOK))
    page.wait_for_load_state("networkidle")
    return page, problems


def test_a_tab_set_switches_tabs_by_click_and_by_arrow_keys(browser: Any, server: Server) -> None:
    page, problems = open_jupyter_book(browser, server, viewport=WIDE)
    tabs = page.get_by_role("tab")
    assert tabs.all_inner_texts() == ["NumPy", "JAX", "PyTorch"]
    panel = page.get_by_role("tabpanel")
    assert panel.count() == 1  # hidden panels leave the accessibility tree
    assert panel.inner_text() == "The JAX step."  # the :selected: one
    assert not page.locator(".tab-label").first.is_visible()
    page.get_by_role("tab", name="NumPy").click()
    assert page.get_by_role("tab", name="NumPy").get_attribute("aria-selected") == "true"
    assert page.get_by_role("tabpanel").inner_text() == "The NumPy step."
    assert not page.get_by_text("The JAX step.").is_visible()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "JAX"
    assert page.get_by_role("tabpanel").inner_text() == "The JAX step."
    page.keyboard.press("End")
    assert page.get_by_role("tabpanel").inner_text() == "The PyTorch step."
    page.keyboard.press("ArrowRight")  # round to the first
    assert page.get_by_role("tabpanel").inner_text() == "The NumPy step."
    page.emulate_media(media="print")  # on paper every tab shows, under its label
    for text in ("NumPy", "JAX", "PyTorch"):
        assert page.locator(".tab-label", has_text=text).is_visible()
        assert page.get_by_text(f"The {text} step.").is_visible()
    assert not page.locator(".tabset-tabs").is_visible()
    assert problems == []
    page.context.close()


def test_without_javascript_every_tab_shows_under_its_label(browser: Any, server: Server) -> None:
    page, _ = open_jupyter_book(browser, server, viewport=WIDE, java_script_enabled=False)
    assert page.get_by_role("tab").count() == 0
    assert page.locator(".tab-label").all_inner_texts() == ["NumPy", "JAX", "PyTorch"]
    for text in ("The NumPy step.", "The JAX step.", "The PyTorch step."):
        assert page.get_by_text(text).is_visible()
    page.context.close()


def test_a_sphinx_proof_theorem_looks_like_a_quarto_theorem(browser: Any, server: Server) -> None:
    page, problems = open_post(browser, server, viewport=WIDE)
    look = """id => {
        const block = document.getElementById(id), body = block.children[1];
        const s = getComputedStyle(block), h = getComputedStyle(block.children[0]);
        return [s.borderLeftWidth, s.borderLeftStyle, s.borderLeftColor, s.paddingLeft,
                h.fontWeight, getComputedStyle(body).fontStyle];
    }"""
    quarto = page.evaluate(look, "thm-global")
    page.goto(server.url(JUPYTER_BOOK))
    page.wait_for_load_state("networkidle")
    assert page.evaluate(look, "jb-global") == quarto
    assert quarto[1] == "solid" and quarto[5] == "italic"  # a rule at the left, italic statement
    heading = page.locator("#jb-global .theorem-heading")
    assert " ".join(heading.inner_text().split()) == "Theorem 1 (Global minima of 𝑓 )."
    assert heading.locator("math").count() == 1  # the title's formula typeset
    # a dropdown lemma shows its heading only, and its statement once the heading is clicked
    statement = page.get_by_text("The statement waits behind its heading.")
    assert page.locator("#jb-folded summary").is_visible() and not statement.is_visible()
    page.locator("#jb-folded summary").click()
    assert statement.is_visible()
    assert problems == []
    page.context.close()


def test_a_margin_note_sits_beside_the_text_on_wide_screens_and_in_it_on_phones(
    browser: Any, server: Server
) -> None:
    page, problems = open_jupyter_book(browser, server, viewport=WIDE)
    body, note = box(page, ".post-body"), box(page, ".myst-margin")
    assert note["x"] >= body["x"] + body["width"]  # in the margin
    assert note["x"] + note["width"] <= WIDE["width"]
    page.set_viewport_size(PHONE)
    body, note = box(page, ".post-body"), box(page, ".myst-margin")
    assert body["x"] <= note["x"] and note["x"] + note["width"] <= body["x"] + body["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []
    page.context.close()
