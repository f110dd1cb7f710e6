"""Spaces written in math, as Chromium sets them: backward ones (\\!, \\kern-…) move back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

POST = r"""---
title: Spaced
date: 2025-02-01
---

$ab$ and $a\!b$ and $a\kern-0.5em b$ and $a\,b$
"""

# The gap between a and b in each formula, in em of the formula's font.
GAPS = """() => [...document.querySelectorAll(".post-body math")].map(math => {
  const [a, b] = math.querySelectorAll("mi");
  const em = parseFloat(getComputedStyle(math).fontSize);
  return (b.getBoundingClientRect().left - a.getBoundingClientRect().right) / em;
})"""


@pytest.fixture(scope="module")
def spaced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("spaced-site")
    with posts_site(root, "Spaced", {"spaced.md": POST}) as server:
        yield server


def test_backward_spaces_move_the_next_atom_back(spaced: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(spaced.url("posts/spaced/"))
        page.evaluate("document.fonts.ready")
        tight, back, kerned, thin = page.evaluate(GAPS)
        assert abs(back - (tight - 3 / 18)) < 0.02, (tight, back)
        assert abs(kerned - (tight - 0.5)) < 0.02, (tight, kerned)
        assert abs(thin - (tight + 3 / 18)) < 0.02, (tight, thin)
    finally:
        context.close()
