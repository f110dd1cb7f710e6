"""Screenshots of the sample blog: index and a post, light and dark, at phone and desktop widths.

    python bench/screenshots.py                 # builds the sample blog, writes screenshots/*.png
                                                # (index, post, post-figure, writing, writing-card)
                                                # x (light, dark) x (phone 390 px, desktop 1280 px)
    python bench/screenshots.py --post kl-divergence --out /tmp/shots
    python bench/screenshots.py --root tests/fixtures/math --post gallery --full-page
                                                # every math construct, light and dark

Builds ROOT (default: the repository's sample blog) with the real CLI into a temporary folder,
serves it on 127.0.0.1 and drives Debian's Chromium (/usr/bin/chromium, or --chromium) with
Playwright. Not a test: it asserts nothing, and screenshots/ is ignored by git.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
THEMES = ("light", "dark")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(root: Path, out: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root), "--out", str(out), "-q"],
        env=env,
        check=True,
    )


def default_post(site: Path) -> str:
    """The post with the most figures: the most interesting one to look at."""
    pages = sorted((site / "posts").glob("*/index.html"))
    if not pages:
        raise SystemExit("the site has no posts")
    best = max(pages, key=lambda p: p.read_text(encoding="utf-8").count("lemma-figure"))
    return best.parent.name


def capture_writing(page: Any, url: str, out: Path, suffix: str) -> None:
    """A theorem with its proof and a sidenote, then a cross-reference's card opened by focus."""
    page.goto(url, wait_until="networkidle")
    theorem = page.locator(".theorem").first
    if not theorem.count():
        return
    theorem.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)
    target = out / f"writing-{suffix}.png"
    page.screenshot(path=str(target))
    print(target)
    reference = page.locator("a.xref, a.cite").nth(2)
    reference.evaluate("e => e.scrollIntoView({block: 'center'})")
    reference.focus()
    page.locator(".lemma-card").wait_for()
    target = out / f"writing-card-{suffix}.png"
    page.screenshot(path=str(target))
    print(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="site to build (default: samples)")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots", help="PNG folder")
    parser.add_argument("--post", help="slug of the post to capture (default: most figures)")
    parser.add_argument(
        "--writing-post",
        default="convexity",
        help="slug of a post with a theorem, citations and sidenotes (skipped when absent)",
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not the viewport")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lemma-shots-") as work:
        site = Path(work) / "site"
        build(args.root.resolve(), site)
        slug = args.post or default_post(site)
        handler = functools.partial(QuietHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = {"index": base, "post": f"{base}posts/{slug}/"}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
                )
                for width_name, (width, height) in WIDTHS.items():
                    for theme in THEMES:
                        context = browser.new_context(
                            viewport={"width": width, "height": height},
                            device_scale_factor=2 if width_name == "phone" else 1,
                            color_scheme=theme,
                        )
                        page = context.new_page()
                        for page_name, url in pages.items():
                            page.goto(url, wait_until="networkidle")
                            target = args.out / f"{page_name}-{theme}-{width_name}.png"
                            page.screenshot(path=str(target), full_page=args.full_page)
                            print(target)
                        # The post again, scrolled to its first sweep or figure: outputs in context.
                        figure = page.locator(".lemma-sweep, .lemma-figure").first
                        if figure.count():
                            figure.evaluate("e => e.scrollIntoView({block: 'center'})")
                            target = args.out / f"post-figure-{theme}-{width_name}.png"
                            page.screenshot(path=str(target))
                            print(target)
                        if (site / "posts" / args.writing_post).is_dir():
                            capture_writing(
                                page,
                                f"{base}posts/{args.writing_post}/",
                                args.out,
                                f"{theme}-{width_name}",
                            )
                        context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
