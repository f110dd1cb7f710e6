"""Fixtures of the browser suite: the served fixture sites, Chromium, a fresh context, axe-core."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    AXE_VERSION,
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    Sites,
    build_fixture_site,
    missing,
)


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    work = tmp_path_factory.mktemp("browser-sites")
    # Reserve the ports first so that base_url can name them (canonical URLs, feeds).
    root = Server(work / "root")
    sub = Server(work / "sub", prefix="/blog/")
    try:
        build_fixture_site(work / "root", root.base, work / "build-root")
        build_fixture_site(work / "sub" / "blog", sub.base, work / "build-sub")
        yield Sites(root, sub, work / "root")
    finally:
        root.close()
        sub.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install playwright)")
    if not CHROMIUM.is_file():
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set LEMMA_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh profile per test: light system theme, empty storage, clipboard allowed."""
    context = browser.new_context(
        color_scheme="light",
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe.min.js from the npm registry, installed once into a cache folder, never the repo."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lemma-tests"
    script = cache / f"axe-core-{AXE_VERSION}" / "node_modules" / "axe-core" / "axe.min.js"
    cache.mkdir(parents=True, exist_ok=True)
    # The test workers (pytest-xdist) may all ask at once: one installs, the others wait for it.
    with (cache / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not script.is_file():
            _install_axe(script)
    return script.read_text(encoding="utf-8")


def _install_axe(script: Path) -> None:
    """`npm install axe-core` into the folder of `script`; skips (fails in CI) when it cannot."""
    npm = shutil.which("npm")
    if npm is None:
        missing("npm is not installed: cannot fetch axe-core for the accessibility scan")
    assert npm is not None
    target = script.parents[2]
    target.mkdir(parents=True, exist_ok=True)
    (target / "package.json").write_text(json.dumps({"private": True}), encoding="utf-8")
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(target),
            f"axe-core@{AXE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not script.is_file():
        missing(f"npm install axe-core@{AXE_VERSION} failed: {done.stderr.strip()[-500:]}")
