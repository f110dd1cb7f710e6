"""Every kind of page in a real browser: no console errors or failed requests, no a11y blockers."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Server, Sites

pytestmark = pytest.mark.browser

PAGES = {
    "index": "",
    "post": "posts/sweep-and-plot/",
    "tag": "tags/demo/",
    "archive": "archive/",
    "search": "search/?q=zanzibarquokka",
}


def visit(page: Any, server: Server, path: str) -> list[str]:
    """Load a page, let it settle, and return every console error, page error and failed request."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    page.goto(server.url(path))
    page.wait_for_load_state("networkidle")
    if path.startswith("search/"):
        page.locator(".search-result").first.wait_for()
        page.wait_for_load_state("networkidle")
    return problems


@pytest.mark.parametrize("where", ["root", "sub"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_console_errors_or_failed_requests(
    sites: Sites, page: Any, name: str, where: str
) -> None:
    problems = visit(page, getattr(sites, where), PAGES[name])
    assert problems == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index", "post", "tag", "search"])
def test_axe_finds_no_serious_or_critical_violations(
    sites: Sites, page: Any, axe_source: str, name: str, theme: str
) -> None:
    page.emulate_media(color_scheme=theme)
    visit(page, sites.root, PAGES[name])
    assert page.locator("html").get_attribute("data-theme") == theme
    page.evaluate(axe_source)  # CDP evaluation: the page's CSP forbids inline scripts
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ["violations"]});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
           }"""
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in serious
    )
