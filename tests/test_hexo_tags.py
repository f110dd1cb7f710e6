"""Hexo's tag plugins in a real build: assets, post links, code, quotes and NexT's notes."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, error_line, warning_line

PNG = b"\x89PNG\r\n\x1a\n"

HEXO_POST = """---
title: Hexo
date: 2020/1/2 10:00:00
---

{% asset_img plot.png 300 "The plot" "a plot" %}

{% post_link other %}, {% post_link missing %} and [by path]({% post_path other %}).

{% codeblock run.py lang:python %}
print("NEVER-RUN")
{% endcodeblock %}

{% blockquote Ada Lovelace %}
The engine weaves.
{% endblockquote %}

{% note warning Spoiler %}
Folded.
{% endnote %}

```text
{% asset_img kept.png %}
```
"""


def test_hexo_tag_plugins_in_a_post_with_an_asset_folder(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/hexo.md", HEXO_POST)
    site.write("posts/hexo/plot.png", PNG)
    site.write("posts/other.md", "---\ntitle: Other\ndate: 2020-01-01\n---\n\nText.\n")
    result = site.build("--keep-going")
    page = site.page("posts/hexo/index.html")
    assert 'alt="a plot"' in page and "<figcaption>The plot</figcaption>" in page
    assert '<a href="/posts/other/">other</a>' in page
    assert '<a href="/posts/other/">by path</a>' in page
    error_line(result, "posts/hexo.md", 8, "broken link: no post for {% post_link missing %}")
    assert "NEVER-RUN" in page and 'data-language="py"' in page
    warning_line(result, "posts/hexo.md", 10, "its title and link are not shown")
    assert "The engine weaves.<br />\n— Ada Lovelace</p>" in page
    assert '<details class="callout callout-warning">' in page
    assert '<summary class="callout-title">Spoiler</summary>' in page
    assert "{% asset_img kept.png %}" in page  # code shows it as written
    assert "Liquid tag" not in result.stderr


def test_asset_of_a_folder_post_is_beside_its_index(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(
        "posts/bundle/index.md",
        "---\ntitle: B\ndate: 2020-01-01\n---\n\n{% asset_link data.csv the data %}\n",
    )
    site.write("posts/bundle/data.csv", "a,b\n")
    result = site.build()
    assert result.code == 0, str(result)
    page = site.page("posts/bundle/index.html")
    assert "data.csv" in page and ">the data</a>" in page and "{%" not in page
