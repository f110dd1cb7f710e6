"""Search in a real browser: the header form, the Pagefind index, results under a sub-path."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Server, Sites

pytestmark = pytest.mark.browser

OUTPUT_ONLY_WORD = "zanzibarquokka"  # printed by a snippet; its code builds it from two halves
POST_TITLE = "A word only the output knows"


def search_from_header(page: Any, server: Server, query: str) -> None:
    page.goto(server.url())
    page.fill("#site-search-q", query)
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")


def test_fixture_word_is_only_in_the_output(sites: Sites) -> None:
    html = (sites.root_dir / "posts" / "output-search" / "index.html").read_text(encoding="utf-8")
    code, _, outputs = html.partition('class="lemma-outputs"')
    assert OUTPUT_ONLY_WORD not in code and OUTPUT_ONLY_WORD in outputs


@pytest.mark.parametrize("where", ["root", "sub"])
def test_search_finds_post_by_word_only_in_a_snippet_output(
    sites: Sites, page: Any, where: str
) -> None:
    server: Server = getattr(sites, where)
    search_from_header(page, server, OUTPUT_ONLY_WORD)
    results = page.locator(".search-results .search-result")
    results.first.wait_for()
    assert results.count() == 1
    link = results.first.locator("h2 a")
    assert link.inner_text() == POST_TITLE
    assert link.get_attribute("href") == f"{server.prefix}posts/output-search/"
    assert results.first.locator("time").inner_text() == "10 January 2025"
    assert results.first.locator("mark").first.inner_text().lower() == OUTPUT_ONLY_WORD
    assert "1 result" in page.locator("#search-status").inner_text()
    link.click()
    page.wait_for_url(f"{server.base}posts/output-search/")
    assert page.locator("h1").inner_text() == POST_TITLE


def test_search_reports_no_results_for_an_unknown_word(sites: Sites, page: Any) -> None:
    page.goto(sites.root.url("search/?q=qwvzrtplk"))
    page.locator("#search-status", has_text="No results").wait_for()
    assert page.locator(".search-result").count() == 0


def test_only_the_search_page_loads_search_code(sites: Sites, page: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "posts/output-search/", "tags/", "archive/"):
        page.goto(sites.root.url(path))
        page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "/pagefind/" in u or u.endswith("/search.js")]
    page.goto(sites.root.url(f"search/?q={OUTPUT_ONLY_WORD}"))
    page.locator(".search-result").first.wait_for()
    assert [u for u in requested if u.endswith("/pagefind/pagefind.js")]


def test_pages_work_without_javascript(browser: Any, sites: Sites) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sites.root.url("posts/sweep-and-plot/"))
        assert page.locator(".post-body math").count() >= 1
        # The sweep shows its default value and figure; the header search form is still there.
        assert page.locator("[data-lemma-sweep-static]").is_visible()
        assert page.locator(".lemma-variant:not([hidden]) img").count() == 1
        assert page.locator("form.site-search input[name=q]").is_visible()
        page.goto(sites.root.url("search/?q=anything"))
        assert page.locator("noscript").count() == 1
        assert page.locator("#search-q").is_visible()
    finally:
        context.close()


def test_search_excerpt_leaves_out_permalinks_and_byline(sites: Sites, page: Any) -> None:
    # "Why it holds" is a heading (with its "#" permalink) of "Prose and math".
    page.goto(sites.root.url("search/?q=holds"))
    result = page.locator(".search-result").first
    result.wait_for()
    assert result.locator("h2 a").inner_text() == "Prose and math"  # still the h1
    assert result.locator("time").inner_text() == "5 January 2025"  # still the date meta
    excerpt = result.locator(".search-excerpt").inner_text()
    assert "holds" in excerpt
    assert "#" not in excerpt
    assert "min read" not in excerpt and "January" not in excerpt


def test_a_result_shows_its_formulas_as_text(sites: Sites, page: Any) -> None:
    # Pagefind reads formulas as text (write/search_pages.py): MathML's symbols run together
    # read "eiπ+1=0" in the excerpt.
    search_from_header(page, sites.root, "identity")
    result = page.locator(".search-results .search-result").first
    result.wait_for()
    assert result.locator("h2 a").inner_text() == "Prose and math"
    assert "identity e^(iπ) + 1 = 0 ties" in result.locator(".search-excerpt").inner_text()
