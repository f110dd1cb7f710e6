"""\\href in math as a reader meets it in Chromium: a formula that is one link is followed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

POST = r"""---
title: Linked
date: 2025-02-01
---

See $\href{#proof}{\mathcal{O}(n^2)}$ for the bound.

## Proof {#proof}

It holds.
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("linked-site")
    with posts_site(root, "Linked", {"linked.md": POST}) as server:
        yield server


def test_a_formula_that_is_one_link_is_followed_when_clicked(linked: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(linked.url("posts/linked/"))
        page.evaluate("document.fonts.ready")
        box = page.locator(".post-body p math mi").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("location.hash === '#proof'", timeout=5000)
    finally:
        context.close()
