"""Helpers of the browser suite: build the fixture site with the real CLI and serve it over HTTP.

Two builds of tests/browser/site/ are served on 127.0.0.1: one at the server's root and one under
the sub-path /blog/ (base_url with a path). Chromium is Debian's /usr/bin/chromium driven by
Playwright; when it (or Playwright) is missing the suite skips locally and fails when CI=true.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parent / "site"
CHROMIUM = Path(os.environ.get("LEMMA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_VERSION = "4.10.3"
IN_CI = os.environ.get("CI", "").lower() == "true"
EPOCH = "1767225600"  # 2026-01-01: every fixture post is in the past


def missing(reason: str) -> None:
    """Skip locally; in CI a missing tool is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser suite must run)", pytrace=False)
    pytest.skip(reason)


def run_build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`lemma build --root ROOT --out OUT` with this checkout's src/ and the fixed epoch."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def build_fixture_site(out: Path, base_url: str, work: Path) -> None:
    """Copy the fixture site, point its base_url at the server, and build it with the real CLI."""
    root = work / "src"
    shutil.copytree(SITE, root)
    config = (root / "site.toml").read_text(encoding="utf-8")
    config = config.replace('base_url = "http://127.0.0.1/"', f'base_url = "{base_url}"')
    (root / "site.toml").write_text(config, encoding="utf-8")
    done = run_build(root, out)
    if done.returncode != 0:
        message = f"building the fixture site failed:\n{done.stdout}\n{done.stderr}"
        pytest.fail(message, pytrace=False)
    if not (out / "pagefind" / "pagefind.js").is_file():
        missing(f"the fixture site has no search index (is pagefind installed?)\n{done.stderr}")


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the stdlib's own class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".ipynb": "application/x-ipynb+json",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """Says nothing when the browser drops a connection mid-reply (it navigated on, or closed
    the page): that printed a traceback into the test run's output, for no fault."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Server:
    """A static HTTP server on 127.0.0.1; `base` is the site's URL, ending in "/"."""

    directory: Path
    prefix: str = "/"
    httpd: ThreadingHTTPServer = field(init=False)

    def __post_init__(self) -> None:
        handler = functools.partial(QuietHandler, directory=str(self.directory))
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def base(self) -> str:
        return self.origin + self.prefix

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass(frozen=True)
class Sites:
    root: Server  # the site at the server's root
    sub: Server  # the same site under /blog/
    root_dir: Path


@contextmanager
def posts_site(root: Path, title: str, posts: Mapping[str, str]) -> Iterator[Server]:
    """A site of `posts` (file name: text) built in `root` with the real CLI, served."""
    out = root / "_site"
    server = Server(out)
    try:
        (root / "posts").mkdir()
        (root / "site.toml").write_text(f'title = "{title}"\nbase_url = "{server.base}"\n')
        for name, text in posts.items():
            (root / "posts" / name).write_text(text, encoding="utf-8")
        done = run_build(root, out)
        assert done.returncode == 0, done.stdout + done.stderr
        yield server
    finally:
        server.close()
