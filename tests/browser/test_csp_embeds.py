"""What the pages' Content-Security-Policy lets a reader see: embeds and images that site.toml's
[csp] allows load in Chromium, the rest are refused, and the build warned about exactly those."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_support import EPOCH, REPO, Server

pytestmark = pytest.mark.browser

PIXEL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
    '<rect width="40" height="30"/></svg>'
)


@dataclass(frozen=True)
class EmbedSite:
    site: Server  # the blog, on 127.0.0.1
    other: str  # another origin (localhost), serving allowed/ and other/
    build_output: str


@pytest.fixture(scope="module")
def embed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbedSite]:
    work = tmp_path_factory.mktemp("csp-embeds")
    third_party = work / "third-party"
    for folder in ("allowed", "other"):
        (third_party / folder).mkdir(parents=True)
        (third_party / folder / "frame.html").write_text(
            f'<!doctype html><p id="inside">{folder} frame</p>', encoding="utf-8"
        )
        (third_party / folder / "pic.svg").write_text(PIXEL_SVG, encoding="utf-8")
    embeds = Server(third_party)
    site = Server(work / "out")
    other = embeds.origin.replace("127.0.0.1", "localhost")  # another origin, same server
    root = work / "site"
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'search = false\nbase_url = "{site.base}"\n\n[csp]\n'
        f'frame-src = ["{other}/allowed/"]\nimg-src = ["{other}/allowed/"]\n',
        encoding="utf-8",
    )
    (root / "posts" / "embeds.md").write_text(
        "---\ntitle: Embeds\ndate: 2025-01-15\n---\n\n"
        f'<iframe id="allowed" src="{other}/allowed/frame.html" title="allowed"></iframe>\n\n'
        f'<iframe id="other" src="{other}/other/frame.html" title="other"></iframe>\n\n'
        f"![allowed picture]({other}/allowed/pic.svg)\n\n"
        f"![other picture]({other}/other/pic.svg)\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    done = subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root), "--out", str(work / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        yield EmbedSite(site, other, done.stdout + done.stderr)
    finally:
        site.close()
        embeds.close()


def test_the_build_warns_about_exactly_what_the_browser_refuses(
    embed_site: EmbedSite, page: Any
) -> None:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(embed_site.site.url("posts/embeds/"))
    page.wait_for_load_state("networkidle")

    allowed = page.frame_locator("#allowed").locator("#inside")
    assert allowed.inner_text() == "allowed frame"
    assert page.frame_locator("#other").locator("#inside").count() == 0
    widths = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('alt'), i.naturalWidth])"
    )
    assert dict(widths) == {"allowed picture": 40, "other picture": 0}, widths
    # Chromium names a refused frame by its origin only; the image by its URL.
    assert any("frame-src" in text for text in refused), refused
    assert any("other/pic.svg" in text for text in refused), refused
    assert not any(f"allowed/{name}" in t for t in refused for name in ("frame.html", "pic.svg"))

    warned = embed_site.build_output
    assert "<iframe> " + f"{embed_site.other}/other/frame.html will be blocked" in warned, warned
    assert f"image {embed_site.other}/other/pic.svg will be blocked" in warned, warned
    assert "/allowed/" not in warned, warned
