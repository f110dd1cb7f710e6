"""The Atom feed, sitemap.xml and robots.txt: valid XML, full content, absolute URLs."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from lemma.config import SiteConfig
from lemma.model import FrontMatter, Post
from lemma.render.feeds import atom_feed, robots_txt
from site_support import BASE_FILES, BLOG_BASE_URL, BuiltBlog, SiteDir, assert_ok, snapshot

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed(blog: BuiltBlog) -> ET.Element:
    return ET.fromstring((blog.out / "feed.xml").read_bytes())


def entries(blog: BuiltBlog) -> dict[str, ET.Element]:
    return {e.findtext(f"{ATOM}title", ""): e for e in feed(blog).iter(f"{ATOM}entry")}


def test_feed_parses_as_atom_with_absolute_self_link(blog: BuiltBlog) -> None:
    root = feed(blog)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Fixture blog"
    assert root.findtext(f"{ATOM}id") == BLOG_BASE_URL
    links = {link.get("rel", "alternate"): link.get("href") for link in root.iter(f"{ATOM}link")}
    assert links["self"] == BLOG_BASE_URL + "feed.xml"
    assert root.findtext(f"{ATOM}updated", "").startswith("2025-06-01")
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Ada Tester"


def test_feed_has_one_entry_per_published_post_newest_first(blog: BuiltBlog) -> None:
    titles = [e.findtext(f"{ATOM}title") for e in feed(blog).iter(f"{ATOM}entry")]
    assert titles == [
        "Unicode formulas",
        "KL divergence: a note",
        "Code, highlighted",
        "Sums and series",
        "First steps",
    ]


def test_feed_entries_have_absolute_ids_links_and_dates(blog: BuiltBlog) -> None:
    entry = entries(blog)["KL divergence: a note"]
    assert entry.findtext(f"{ATOM}id") == BLOG_BASE_URL + "posts/kl/"
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == BLOG_BASE_URL + "posts/kl/"
    assert entry.findtext(f"{ATOM}published") == "2025-03-01T09:30:00+01:00"
    assert {c.get("term") for c in entry.iter(f"{ATOM}category")} == {"math", "probability"}
    assert entry.findtext(f"{ATOM}summary") == "How far one distribution is from another."


def test_feed_entries_carry_the_full_html_content(blog: BuiltBlog) -> None:
    entry = entries(blog)["First steps"]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    html = content.text or ""
    assert "The same heading twice gets two different ids." in html  # the last paragraph
    assert "<math" in html
    assert 'class="footnotes"' in html


def test_feed_content_uses_only_absolute_urls(blog: BuiltBlog) -> None:
    for title, entry in entries(blog).items():
        html = entry.findtext(f"{ATOM}content", "")
        for url in re.findall(r'(?:href|src)="([^"]*)"', html):
            assert url.startswith(("https://", "http://", "#", "mailto:")), (title, url)
            if url.startswith("http") and "arxiv.org" not in url:
                assert url.startswith(BLOG_BASE_URL), (title, url)
    first = entries(blog)["First steps"].findtext(f"{ATOM}content", "")
    assert f'href="{BLOG_BASE_URL}posts/kl/"' in first
    assert f'src="{BLOG_BASE_URL}media/' in first


def test_sitemap_lists_every_page_with_absolute_urls(blog: BuiltBlog) -> None:
    root = ET.fromstring((blog.out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc", "") for u in root.iter(f"{SITEMAP}url")]
    assert all(loc.startswith(BLOG_BASE_URL) for loc in locs)
    expected = {"", "page/2/", "page/3/", "archive/", "tags/", "tags/math/", "posts/kl/"}
    assert {BLOG_BASE_URL + p for p in expected} <= set(locs)
    assert len(locs) == len(set(locs))
    assert not any("draft" in loc or "future" in loc for loc in locs)


def test_sitemap_gives_posts_a_lastmod(blog: BuiltBlog) -> None:
    root = ET.fromstring((blog.out / "sitemap.xml").read_bytes())
    lastmod = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.iter(f"{SITEMAP}url")
    }
    assert lastmod[BLOG_BASE_URL + "posts/kl/"] == "2025-03-01"


def test_robots_txt_allows_all_and_names_the_sitemap(blog: BuiltBlog) -> None:
    text = (blog.out / "robots.txt").read_text()
    assert "User-agent: *" in text
    assert f"Sitemap: {BLOG_BASE_URL}sitemap.xml" in text.splitlines()


# --- without a disk --------------------------------------------------------------------------


def config(base_url: str = "https://example.org/blog/") -> SiteConfig:
    return SiteConfig(Path("/site"), Path("/site/_site"), base_url=base_url, title="T & Co")


def a_post(slug: str = "p") -> Post:
    front = FrontMatter(title="<P>", date=datetime(2025, 1, 2, tzinfo=UTC))
    return Post(f"posts/{slug}.md", slug, front, "", 5, "Excerpt & more")


def test_empty_feed_is_still_valid_atom() -> None:
    root = ET.fromstring(atom_feed(config(), []))
    assert root.tag == f"{ATOM}feed"
    assert list(root.iter(f"{ATOM}entry")) == []
    assert root.findtext(f"{ATOM}updated")


def test_feed_escapes_titles_and_makes_site_links_absolute() -> None:
    html = '<a href="/blog/posts/q/">q</a><img src="/blog/media/x.png"><a href="#f">f</a>'
    root = ET.fromstring(atom_feed(config(), [(a_post(), html)]))
    assert root.findtext(f"{ATOM}title") == "T & Co"
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == "<P>"
    content = entry.findtext(f"{ATOM}content", "")
    assert 'href="https://example.org/blog/posts/q/"' in content
    assert 'src="https://example.org/blog/media/x.png"' in content
    # A feed reader resolves "#f" against the feed, not the post: it points into the post's page.
    assert 'href="https://example.org/blog/posts/p/#f"' in content


def test_feed_keeps_only_the_newest_twenty_entries() -> None:
    posts = [(a_post(f"p{i}"), "<p>x</p>") for i in range(25)]
    root = ET.fromstring(atom_feed(config(), posts))
    assert len(list(root.iter(f"{ATOM}entry"))) == 20


def test_robots_txt_uses_the_base_url() -> None:
    assert b"Sitemap: https://example.org/sitemap.xml\n" in robots_txt(
        config("https://example.org")
    )


def test_a_build_without_base_url_says_so_once_and_points_nothing_at_localhost(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(BASE_FILES)
    result = site.build()
    assert_ok(result)
    said = [line for line in result.stderr.splitlines() if "base_url" in line]
    assert len(said) == 1, result.stderr
    assert said[0].startswith("site.toml: note: no base_url: the pages have no canonical")
    assert 'add base_url = "https://example.org/" to site.toml' in said[0]
    built = snapshot(site.out)
    assert [path for path, data in built.items() if b"localhost" in data] == []
    assert "sitemap.xml" not in built
    assert built["robots.txt"] == b"User-agent: *\nAllow: /\n"
    page = site.page("posts/first/index.html")
    assert 'rel="canonical"' not in page and "og:url" not in page
    assert 'property="og:title" content="First post"' in page
    root = ET.fromstring(built["feed.xml"])  # a feed still, its links relative to its address
    links = {link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": "/", "self": "/feed.xml"}
    assert root.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    assert [link.get("href") for link in entry.findall(f"{ATOM}link")] == ["/posts/second/"]
    again = site.build()  # the ids stay the same from build to build
    assert_ok(again)
    assert (site.out / "feed.xml").read_bytes() == built["feed.xml"]
