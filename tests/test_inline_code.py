"""pymdownx.inlinehilite's `` `#!python code` `` (`render.inline_code`): highlighted inline code."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, post


def test_marked_inline_code_is_highlighted_and_plain_code_unchanged(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    body = "Call `#!python range(3)`, `:::python len(x)`, `#!nolang x y` and `a 'b'`.\n"
    site.write("posts/a.md", post("A", body=body))
    assert_ok(site.build())
    page = site.page("posts/a/index.html").split('<div class="post-body">')[1]
    assert '<code class="highlight"><span class="nb">range</span>' in page
    assert '<code class="highlight"><span class="nb">len</span>' in page
    assert "<code>x y</code>" in page and "#!" not in page
    assert "<code>a 'b'</code>" in page
