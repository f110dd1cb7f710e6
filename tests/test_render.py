"""Every page of a site through the real theme: metadata, listings, links, and template errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_support import (
    BLOG_BASE_URL,
    BuiltBlog,
    SiteDir,
    assert_failed_cleanly,
    assert_ok,
    error_line,
    post,
    snapshot,
)

PUBLISHED = ["code", "first-steps", "kl", "sums", "unicode-formulas"]
RUNS_BODY = "Text.\n\n```python\nprint('RAN-' + str(6 * 7))\n```\n"


class PageScan(HTMLParser):
    """The head metadata and every URL attribute of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.urls: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
            self.title = ""
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta[values.get("name") or values["property"]] = values.get("content", "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        for name in ("href", "src", "action"):
            if name in values:
                self.urls.append(values[name])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    return parser


def post_links(html: str) -> list[str]:
    return re.findall(r'href="/blog/posts/([a-z0-9-]+)/"', html)


# --- the fixture blog --------------------------------------------------------------------------


def test_published_posts_get_pages_and_drafts_and_future_posts_do_not(blog: BuiltBlog) -> None:
    built = sorted(p.parent.name for p in (blog.out / "posts").glob("*/index.html"))
    assert built == PUBLISHED


def test_every_page_has_title_description_canonical_and_open_graph(blog: BuiltBlog) -> None:
    pages = blog.html_pages()
    assert len(pages) >= 15
    for path, html in pages.items():
        page = scan(html)
        assert page.title and page.title.strip(), path
        assert page.meta.get("description"), path
        assert page.canonical and page.canonical.startswith(BLOG_BASE_URL), path
        for key in ("og:title", "og:description", "og:url", "og:type"):
            assert page.meta.get(key), (path, key)
        assert page.meta["og:url"] == page.canonical, path


def test_post_canonical_is_its_absolute_url(blog: BuiltBlog) -> None:
    page = scan(blog.page("posts/kl/index.html"))
    assert page.canonical == BLOG_BASE_URL + "posts/kl/"
    assert page.meta["og:type"] == "article"
    assert page.title is not None and page.title.startswith("KL divergence: a note")
    assert page.meta["description"] == "How far one distribution is from another."


def test_post_page_shows_date_author_tags_reading_time_and_neighbours(blog: BuiltBlog) -> None:
    html = blog.page("posts/unicode-formulas/index.html")
    assert '<time datetime="2025-06-01T00:00:00+02:00"' in html
    assert "Grace Unicode" in html
    assert 'href="/blog/tags/notation/"' in html
    assert re.search(r"\d+ min read", html)
    assert 'href="/blog/posts/kl/"' in html  # the next older post
    assert "Ada Tester" in blog.page("posts/kl/index.html")  # the site's author by default


def test_index_is_paginated_newest_first(blog: BuiltBlog) -> None:
    assert post_links(blog.page("index.html"))[:2] != []
    first = [s for s in post_links(blog.page("index.html")) if s in PUBLISHED]
    second = [s for s in post_links(blog.page("page/2/index.html")) if s in PUBLISHED]
    third = [s for s in post_links(blog.page("page/3/index.html")) if s in PUBLISHED]
    assert list(dict.fromkeys(first)) == ["unicode-formulas", "kl"]
    assert list(dict.fromkeys(second)) == ["code", "sums"]
    assert list(dict.fromkeys(third)) == ["first-steps"]
    assert not (blog.out / "page/4").exists()
    assert not (blog.out / "page/1").exists()
    assert 'href="/blog/page/2/"' in blog.page("index.html")
    assert 'href="/blog/page/3/"' in blog.page("page/2/index.html")


def test_index_shows_excerpts(blog: BuiltBlog) -> None:
    html = blog.page("index.html")
    assert "How far one distribution is from another." in html
    assert "keeps its symbols" in html


def test_each_tag_has_a_page_listing_its_posts(blog: BuiltBlog) -> None:
    math = set(post_links(blog.page("tags/math/index.html")))
    assert math == {"first-steps", "sums", "kl"}
    assert set(post_links(blog.page("tags/series/index.html"))) == {"sums"}


def test_tag_index_links_every_tag_page(blog: BuiltBlog) -> None:
    html = blog.page("tags/index.html")
    tag_dirs = sorted(p.parent.name for p in (blog.out / "tags").glob("*/index.html"))
    assert len(tag_dirs) == 10
    for name in tag_dirs:
        assert f'href="/blog/tags/{name}/"' in html
    assert "drafts" not in tag_dirs and "future" not in tag_dirs


def test_strange_tags_get_safe_folders_inside_the_output(blog: BuiltBlog) -> None:
    html = blog.page("posts/code/index.html")
    for name in ("C++", "../../etc/passwd", "a/b", "∂"):
        assert f'rel="tag">{name.replace("&", "&amp;")}</a>' in html
    out = blog.out.resolve()
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out)
        assert re.fullmatch(r"[A-Za-z0-9._-]+", path.name), path
    assert sorted(p.name for p in out.parent.iterdir()) == ["_site"]


def test_archive_groups_posts_by_year_newest_first(blog: BuiltBlog) -> None:
    html = blog.page("archive/index.html")
    assert html.index(">2025<") < html.index(">2024<")
    links = post_links(html)
    assert sorted(set(links)) == PUBLISHED
    between = html[html.index(">2024<") :]
    assert set(post_links(between)) == {"first-steps", "sums"}


def test_not_found_page_exists_with_links_under_the_base_path(blog: BuiltBlog) -> None:
    page = scan(blog.page("404.html"))
    assert page.title and "not found" in page.title.lower()
    assert 'href="/blog/"' in blog.page("404.html")


def test_math_is_mathml_and_code_is_highlighted_with_a_label(blog: BuiltBlog) -> None:
    sums = blog.page("posts/sums/index.html")
    assert sums.count("<math") >= 2
    assert "math-fallback" in sums
    code = blog.page("posts/code/index.html")
    assert 'class="highlight"' in code
    assert '<span class="k">def</span>' in code
    assert "Python" in code and "Rust" in code
    assert (blog.out / "assets/pygments.css").is_file()


def test_unicode_formulas_are_preserved(blog: BuiltBlog) -> None:
    html = blog.page("posts/unicode-formulas/index.html")
    assert "∂L/∂w = Σᵢ (ŷᵢ − yᵢ) xᵢ" in html
    assert "∂L/∂w = Σ (ŷ − y) · x" in html


def test_footnotes_and_heading_anchors(blog: BuiltBlog) -> None:
    html = blog.page("posts/first-steps/index.html")
    assert '<h2 id="gradient-descent">' in html
    assert '<h2 id="gradient-descent-1">' in html
    assert 'href="#gradient-descent"' in html
    assert 'class="footnotes"' in html


def test_links_between_posts_are_resolved(blog: BuiltBlog) -> None:
    html = blog.page("posts/first-steps/index.html")
    assert '<a href="/blog/posts/kl/">KL post</a>' in html
    assert 'href="/blog/posts/unicode-formulas/#notation"' in html
    assert 'href="/blog/posts/first-steps/#gradient-descent"' in blog.page("posts/kl/index.html")


def test_no_file_refers_to_an_external_host(blog: BuiltBlog) -> None:
    allowed = (
        BLOG_BASE_URL,
        "http://www.w3.org/",  # XML namespaces (MathML, SVG, XHTML)
        "http://www.sitemaps.org/schemas/",
        "https://arxiv.org/abs/1412.6980",  # written by the author of first-steps
    )
    found: list[str] = []
    for path in sorted(blog.out.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for url in re.findall(r"https?://[^\s\"'<>)\]}]+", text):
            if not url.startswith(allowed):
                found.append(f"{path.relative_to(blog.out)}: {url}")
    assert found == []


def test_every_internal_url_is_under_the_base_path_and_exists(blog: BuiltBlog) -> None:
    broken: list[str] = []
    for path, html in blog.html_pages().items():
        for url in scan(html).urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not url:
                continue
            if not url.startswith("/blog/"):
                broken.append(f"{path}: {url} is not under /blog/")
                continue
            target = blog.out / parts.path.removeprefix("/blog/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{path}: {url} does not exist")
    assert broken == []


def test_image_is_copied_into_the_site(blog: BuiltBlog) -> None:
    html = blog.page("posts/first-steps/index.html")
    (src,) = re.findall(r'<img src="/blog/(media/[^"]+)"', html)
    assert (blog.out / src).read_bytes() == (
        Path(__file__).parent / "fixtures/blog/posts/images/diagram.svg"
    ).read_bytes()


def test_theme_assets_are_inside_the_site(blog: BuiltBlog) -> None:
    assert (blog.out / "assets/style.css").is_file()
    assert (blog.out / "assets/pygments.css").is_file()


# --- templates -------------------------------------------------------------------------------


def test_site_template_overrides_the_theme_file_by_file(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        {
            "posts/a.md": post("A"),
            "templates/404.html": (
                '{% extends "base.html" %}{% block content %}<p>Custom lost page</p>'
                "{% endblock %}\n"
            ),
            "templates/assets/extra.css": "body { color: teal }\n",
        }
    )
    assert_ok(site.build())
    assert "Custom lost page" in site.page("404.html")
    assert "<title>" in site.page("404.html")  # base.html still comes from the theme
    assert (site.out / "assets/extra.css").read_text() == "body { color: teal }\n"
    assert (site.out / "assets/style.css").is_file()


def test_front_matter_template_selects_a_site_template(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        {
            "posts/a.md": post("A", template="plain.html"),
            "posts/b.md": post("B"),
            "templates/plain.html": "<p>plain {{ post.title }}</p>\n",
        }
    )
    assert_ok(site.build())
    assert site.page("posts/a/index.html") == "<p>plain A</p>\n"
    assert "<title>B" in site.page("posts/b/index.html")


def test_template_syntax_error_is_reported_at_the_template_line(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write(
        "templates/post.html",
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ post.title }}</h1>\n'
        "{% if %}\n{% endblock %}\n",
    )
    result = built_site.build()
    error_line(result, "templates/post.html", 4, "template syntax error")
    assert result.stderr.count("templates/post.html:4:") == 1, "reported once, not once per post"
    assert_failed_cleanly(result, built_site, before)


def test_template_syntax_error_while_a_post_runs_is_reported_once_at_its_line(
    built_site: SiteDir,
) -> None:
    # While a post runs, the templates are compiled on another thread: the mistake must still
    # come out as the build's own error, never as a thread's traceback.
    built_site.write("posts/2025-03-01-runs.md", post("Runs", "2025-03-01", RUNS_BODY))
    built_site.write("templates/post.html", '{% extends "base.html" %}\n{% if %}\n')
    before = snapshot(built_site.out)
    result = built_site.build()
    error_line(result, "templates/post.html", 2, "template syntax error")
    assert result.stderr.count("templates/post.html:2:") == 1
    assert "Traceback" not in result.stderr and "Exception in thread" not in result.stderr
    assert_failed_cleanly(result, built_site, before)
    (built_site.root / "templates/post.html").unlink()  # the theme's again: it builds
    assert_ok(built_site.build())
    assert "RAN-42" in built_site.page("posts/runs/index.html")


def test_undefined_variable_in_template_is_reported_at_the_template_line(
    built_site: SiteDir,
) -> None:
    before = snapshot(built_site.out)
    built_site.write(
        "templates/post.html",
        '{% extends "base.html" %}\n{% block content %}\n\n<p>{{ post.no_such_field }}</p>\n'
        "{% endblock %}\n",
    )
    result = built_site.build()
    line = error_line(result, "templates/post.html", 4, "template error")
    assert "the template asks for 'no_such_field', which this value does not have" in line
    assert "dict object" not in line and "UndefinedError" not in line  # Jinja's own words
    assert_failed_cleanly(result, built_site, before)


def test_missing_template_named_in_front_matter_is_an_error_in_the_post(
    built_site: SiteDir,
) -> None:
    before = snapshot(built_site.out)
    built_site.write("posts/2025-03-01-odd.md", post("Odd", "2025-03-01", template="nope.html"))
    result = built_site.build()
    # post() writes '---', title and date first: the template key is on line 4.
    error_line(result, "posts/2025-03-01-odd.md", 4, "template 'nope.html' not found")
    assert_failed_cleanly(result, built_site, before)


def test_template_including_a_missing_partial_names_the_partial_not_the_post(
    built_site: SiteDir,
) -> None:
    before = snapshot(built_site.out)
    built_site.write(
        "templates/custom.html",
        '{% extends "post.html" %}\n{% block content %}\n{% include "partials/nope.html" %}\n'
        "{% endblock %}\n",
    )
    built_site.write("posts/2025-03-01-odd.md", post("Odd", "2025-03-01", template="custom.html"))
    result = built_site.build()
    error_line(result, "templates/custom.html", 3, "template 'partials/nope.html' not found")
    assert "custom.html' not found" not in result.stderr
    assert_failed_cleanly(result, built_site, before)


@pytest.mark.parametrize("name", ["index.html", "tag.html"])
def test_broken_listing_template_fails_with_its_line(built_site: SiteDir, name: str) -> None:
    before = snapshot(built_site.out)
    built_site.write(f"templates/{name}", "line one\n{{ oops( }}\n")
    result = built_site.build()
    error_line(result, f"templates/{name}", 2, "template syntax error")
    assert_failed_cleanly(result, built_site, before)


def test_formulas_in_titles_and_excerpts_are_typeset_and_read_as_text(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", f'title = "Blog"\nbase_url = "{BLOG_BASE_URL}"\n')
    site.write(
        "posts/2025-01-02-lambda.md",
        post(
            r"'The $\lambda$-calculus of $O(n^2)$'",
            date="2025-01-02",
            summary=r"'For $A = U \Sigma V^\top$, the best rank-$k$ approximation.'",
        ),
    )
    site.write("posts/2025-01-01-money.md", post("'Costs $5 and $10'", date="2025-01-01"))
    macro = r"Let $\newcommand{\RR}{\mathbb{R}}$ be fixed; $\RR^n$ is the space."
    site.write("posts/2024-12-31-macro.md", post("Macro", date="2024-12-31", body=macro))
    assert_ok(site.build())
    assert 'content="Let  be fixed; $\\RR^n$ is the space."' in site.page("posts/macro/index.html")
    page = site.page("posts/lambda/index.html")
    heading = re.search(r'<h1 class="post-title">(.*?)</h1>', page, re.DOTALL)
    assert heading is not None and heading.group(1).count("<math") == 2
    assert "<title>The λ-calculus of O(n²) — Blog</title>" in page
    assert 'property="og:title" content="The λ-calculus of O(n²)"' in page
    assert 'name="description" content="For A = UΣV^⊤, the best rank-k approximation."' in page
    index = site.page("index.html")
    excerpt = re.search(r'<p class="post-excerpt">(.*?)</p>', index, re.DOTALL)
    assert excerpt is not None and excerpt.group(1).count("<math") == 2
    assert "$" not in excerpt.group(1)
    assert "<title>The λ-calculus of O(n²)</title>" in site.page("feed.xml")
    neighbour = site.page("posts/money/index.html")
    # "λ-calculus" is kept on one line: the formula and "-calculus" share a nowrap span.
    assert re.search(r'class="post-nav-title">The <span class="nowrap"><math', neighbour)
    assert "Costs $5 and $10" in neighbour  # money stays money
    font = site.out / "assets/math.woff2"
    assert font.is_file()  # the title's formulas are in the math font too


def test_a_formula_in_a_title_that_cannot_be_read_is_a_warning_at_the_title(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("posts/2025-01-02-bad.md", post(r"'A study of $\frac{1}$'", date="2025-01-02"))
    result = site.build()
    assert_ok(result)
    assert re.search(r"^posts/2025-01-02-bad\.md:2: warning: math: the title", result.stderr, re.M)
    assert r"A study of $\frac{1}$" in site.page("posts/bad/index.html")


def test_formulas_in_figure_captions_are_typeset(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    code = (
        "```python\n#| label: fig-logistic\n#| fig-cap: 'The logistic curve $\\sigma(x)$'\n"
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\n```\n"
    )
    site.write("posts/2025-01-02-curve.md", post("Curve", date="2025-01-02", body=code))
    assert_ok(site.build())
    caption = re.search(r"<figcaption>(.*?)</figcaption>", site.page("posts/curve/index.html"))
    assert caption is not None
    assert caption.group(1).startswith("Figure 1: The logistic curve <math")
    assert "$" not in caption.group(1)


def test_a_caption_is_markdown_of_the_post_and_the_alt_text_its_plain_text(
    tmp_path: Path,
) -> None:
    # Quarto and knitr read `fig-cap` as Markdown: emphasis, code, links and references there
    # are the post's own; the image's alt, made from the caption, is what a screen reader reads.
    site = SiteDir(tmp_path)
    code = (
        "```python\n#| label: fig-loss\n"
        "#| fig-cap: 'Loss of **descent** on $f(x) = x^2$ (`np.clip`,"
        " [the basics](2025-01-01-a.md), @fig-loss); values < 0 cost $5'\n"
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\n```\n"
    )
    site.write("posts/2025-01-01-a.md", post("Basics", date="2025-01-01"))
    site.write("posts/2025-01-02-curve.md", post("Curve", date="2025-01-02", body=code))
    assert_ok(site.build())
    page = site.page("posts/curve/index.html")
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page)
    assert caption is not None
    text = re.sub(r"<math.*?</math>", "[f]", caption.group(1))
    assert text == (
        "Figure 1: Loss of <strong>descent</strong> on [f]"
        ' (<code>np.clip</code>, <a href="/posts/a/">the basics</a>,'
        ' <a class="xref" href="#fig-loss" data-lemma-card="fig-loss">Figure 1</a>);'
        " values &lt; 0 cost $5"
    )
    assert 'alt="Loss of descent on f(x) = x² (np.clip, the basics, ' in page


# --- math macros -----------------------------------------------------------------------------


def test_myst_math_front_matter_defines_the_posts_macros(make_site: Callable[..., SiteDir]) -> None:
    """MyST's `math:` key; an edit to it renders the post again (the body did not change)."""
    body = "Data $\\dobs$ in $\\R^n$.\n"
    macros = "\n  '\\dobs': '\\mathbf{d}_\\text{obs}'\n  '\\R': "
    site = make_site(
        {
            "posts/a.md": post("A", body=body, math=macros + "'\\mathbb{R}'"),
            "posts/b.md": post("B", body="Plain $x$.\n", math="true"),  # Jekyll's switch
        }
    )
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert "<msub><mi>&#x1D41D;</mi><mtext>obs</mtext></msub>" in page and "ℝ" in page
    site.write("posts/a.md", post("A", body=body, math=macros + "'\\mathcal{R}'"))
    assert_ok(site.build())
    assert "ℛ" in site.page("posts/a/index.html")  # not the memo of the first build
    site.write("posts/a.md", post("A", body=body, math="\n  '\\R': 3"))
    result = site.build()
    assert result.code == 1
    error_line(result, "posts/a.md", 4, "math macro '\\R'")
