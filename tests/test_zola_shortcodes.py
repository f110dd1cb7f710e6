"""Zola's shortcodes and `@/` links in a real build."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, error_line, warning_line

ZOLA_POST = """+++
title = "Zola"
date = 2020-01-01
+++

See [the other](@/blog/other.md#part) and [nothing](@/blog/nope.md).

{{ vimeo(id="124313553") }}

Inline {{ youtube(id="abc") }} call.

{{ streamable(id="x") }}

{% admonition(type="tip") %}
The body stays.
{% end %}

```html
{{ youtube(id="kept") }}
```
"""


def test_zola_shortcodes_and_internal_links(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH + '[csp]\nframe-src = ["https://player.vimeo.com"]\n')
    site.write("posts/blog/zola.md", ZOLA_POST)
    site.write("posts/blog/other.md", "+++\ntitle = 'Other'\ndate = 2020-01-02\n+++\n\n## Part\n")
    result = site.build("--keep-going")
    page = site.page("posts/zola/index.html")
    assert 'href="/posts/other/#part"' in page
    error_line(result, "posts/blog/zola.md", 6, "broken link: no post for @/blog/nope.md")
    assert 'src="https://player.vimeo.com/video/124313553"' in page
    warning_line(result, "posts/blog/zola.md", 10, "Zola shortcode '{{ youtube(id=\"abc\") }}'")
    warning_line(result, "posts/blog/zola.md", 12, "Zola shortcode '{{ streamable(id=\"x\") }}'")
    tip = warning_line(result, "posts/blog/zola.md", 14, "its body is shown as text")
    assert "admonition" in tip and "callout" in tip
    assert "The body stays." in page and "{% end %}" not in page
    assert 'kept") }}' in page and page.count('class="lemma-video"') == 1  # code: as written
    assert result.stderr.count("Zola shortcode") == 3
