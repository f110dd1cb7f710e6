"""Front matter keys of Hugo's and Jekyll's themes: their images are the link preview image,
their contents switches the post's `toc`, their layout keys pass without a word."""

from __future__ import annotations

import re
from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok

PNG = b"\x89PNG\r\n\x1a\n"
BASE = f'{NO_SEARCH}base_url = "https://example.org/"\n'


def post(title: str, date: str, keys: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{keys}---\n\n## One\n\nA.\n\n## Two\n\nB.\n"


def test_a_themes_image_keys_give_the_link_preview_image(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", BASE)
    site.write("static/img/a.png", PNG)
    site.write("static/img/b.png", PNG)
    site.write(
        "posts/mm.md",
        post("MM", "2024-01-01", "header:\n  overlay_image: /img/b.png\n  teaser: /img/a.png\n"),
    )
    site.write(
        "posts/bj.md", post("BJ", "2024-01-02", "cover-img: [/img/b.png]\nshare-img: /img/a.png\n")
    )
    site.write(
        "posts/bj-list.md", post("BJL", "2024-01-03", 'cover-img:\n  - "/img/b.png": "Caption"\n')
    )
    site.write("posts/loveit.md", post("L", "2024-01-04", "featuredImage: /img/a.png\n"))
    site.write(
        "posts/own.md", post("O", "2024-01-05", "image: /img/b.png\nfeatureimage: /img/a.png\n")
    )
    site.write("posts/plain.md", post("P", "2024-01-06", "header:\n  overlay_color: '#333'\n"))
    result = site.build()
    assert_ok(result)

    def preview(slug: str) -> str | None:
        found = re.search(
            r'property="og:image" content="([^"]+)"', site.page(f"posts/{slug}/index.html")
        )
        return found.group(1) if found else None

    a, b = "https://example.org/img/a.png", "https://example.org/img/b.png"
    assert [preview(s) for s in ("mm", "bj", "bj-list", "loveit", "own", "plain")] == [
        a,
        a,
        b,
        a,
        b,
        None,
    ]
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert len(notes) == 1 and "posts/plain.md" in notes[0] and "'header'" in notes[0]


def test_a_themes_contents_switch_is_the_posts_toc_unless_it_has_one(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", BASE)
    site.write("posts/off.md", post("Off", "2024-01-01", "showTableOfContents: false\n"))
    site.write("posts/book.md", post("Book", "2024-01-02", "bookToc: false\n"))
    site.write("posts/own.md", post("Own", "2024-01-03", "toc: true\nShowToc: false\n"))
    site.write("posts/on.md", post("On", "2024-01-04", "ShowToc: true\n"))
    result = site.build()
    assert_ok(result)
    has_contents = {
        slug: 'class="post-toc"' in site.page(f"posts/{slug}/index.html")
        for slug in ("off", "book", "own", "on")
    }
    assert has_contents == {"off": False, "book": False, "own": True, "on": True}
    assert "note:" not in result.stderr


def test_theme_layout_keys_are_accepted_without_a_word(tmp_path: Path) -> None:
    keys = (
        "classes: wide\nauthor_profile: true\nread_time: true\nshare: true\nrelated: true\n"
        "toc_label: On this page\ntoc_icon: cog\ntoc_sticky: true\nnav_order: 2\n"
        "parent: Probability\nhas_children: false\nreadtime: true\nweight: 20\n"
        "collection: publications\nlightgallery: true\n"
    )
    site = SiteDir(tmp_path)
    site.write("site.toml", BASE)
    site.write("posts/keys.md", post("Keys", "2024-01-01", keys))
    result = site.build()
    assert_ok(result)
    assert "note:" not in result.stderr and "warning:" not in result.stderr


def test_chirpys_media_subpath_is_the_folder_of_the_posts_relative_images(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", BASE)
    site.write("static/img/posts/plot.png", PNG)
    keys = (
        "pin: true\nrender_with_liquid: false\nmedia_subpath: /img/posts/\n"
        "image:\n  path: plot.png\n  alt: A plot\n"
    )
    body = "\n![A plot](plot.png)\n_The caption_\n\n"
    body += "Kept: `![x](plot.png)` and ![y](/img/posts/plot.png).\n"
    site.write("posts/chirpy.md", post("Chirpy", "2024-01-01", keys) + body)
    site.write(
        "posts/old.md", post("Old", "2024-01-02", "img_path: /img/posts\n") + "![P](plot.png)\n"
    )
    result = site.build()
    assert_ok(result)
    assert "note:" not in result.stderr and "missing image" not in result.stderr
    html = site.page("posts/chirpy/index.html")
    assert '<img src="/img/posts/plot.png" alt="A plot"' in html
    assert "<figcaption>The caption</figcaption>" in html
    assert "<code>![x](plot.png)</code>" in html
    assert 'property="og:image" content="https://example.org/img/posts/plot.png"' in html
    assert '<img src="/img/posts/plot.png" alt="P"' in site.page("posts/old/index.html")
