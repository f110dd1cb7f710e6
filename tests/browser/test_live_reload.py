"""Live preview in a real browser: an open tab of `lemma serve` reloads by itself after a save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serve_support import DEADLINE_S, Server
from site_support import post

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PROSE = post("Live post", "2025-01-10", "BEFORE-EDIT paragraph.\n")
BROKEN = post("Live post", "2025-01-10", "```python\n1 / 0\n```\n")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "live"
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text("search = false\n", encoding="utf-8")
    (root / "posts" / "2025-01-10-live.md").write_text(PROSE, encoding="utf-8")
    server = Server(root)
    try:
        yield server
    finally:
        server.close()


def test_an_open_page_reloads_after_an_edit_and_shows_the_overlay(
    served: Server, page: Any
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"http://localhost:{served.port}/posts/live/")
    page.wait_for_function("() => document.body?.textContent.includes('BEFORE-EDIT')")
    page.evaluate("window.lemmaNotReloaded = true")  # a reload forgets this
    _wait_connected(page)
    source = served.root / "posts" / "2025-01-10-live.md"
    source.write_text(PROSE.replace("BEFORE-EDIT", "AFTER-EDIT"), encoding="utf-8")
    timeout_ms = DEADLINE_S * 1000
    shows_edit = "() => document.body?.textContent.includes('AFTER-EDIT')"  # no body mid-reload
    page.wait_for_function(shows_edit, timeout=timeout_ms)
    assert page.evaluate("window.lemmaNotReloaded === undefined")
    source.write_text(BROKEN, encoding="utf-8")
    overlay = page.locator("#lemma-error-overlay")
    overlay.wait_for(state="visible", timeout=timeout_ms)
    assert "ZeroDivisionError" in overlay.inner_text()
    assert errors == []


def _wait_connected(page: Any) -> None:
    """The reload script has its first event (else the edit could land before it listens)."""
    page.wait_for_function("() => window.lemmaLiveReload === 'connected'")
