"""`--keep-going` writes the site on every kind of content error, marks the problem, exits 1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from site_support import SiteDir, error_line, post, snapshot

BROKEN = {
    "posts/2025-01-01-good.md": post("Good post", "2025-01-01", "All fine here.\n"),
    "posts/2025-01-02-links.md": post(
        "Broken links",
        "2025-01-02",
        "See [the old post](old-post.md) and [a PDF](/files/paper.pdf).\n\n"
        "![Not copied yet](figures/plot.png)\n\n"
        "![Site-absolute](/images/missing.png)\n",
    ),
    "posts/2025-01-03-bad.md": "---\ntitle: Bad front matter\ndate: [not, a, date]\n---\nBody.\n",
    "posts/2025-01-04-fails.md": post(
        "Failing snippet", "2025-01-04", "```python\nraise ValueError('boom')\n```\n"
    ),
}


def test_without_keep_going_every_content_error_is_listed_and_the_site_is_kept(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/2025-01-01-good.md": BROKEN["posts/2025-01-01-good.md"]})
    assert site.build().code == 0
    before = snapshot(site.out)
    for path, content in BROKEN.items():
        site.write(path, content)
    result = site.build()
    assert result.code == 1 and "lemma/" not in result.stderr, str(result)
    assert snapshot(site.out) == before, "the previous site changed"
    error_line(result, "posts/2025-01-02-links.md", 6, "broken link: no post 'old-post.md'")
    error_line(result, "posts/2025-01-02-links.md", 6, "missing link: '/files/paper.pdf'")
    error_line(result, "posts/2025-01-02-links.md", 8, "missing image: 'figures/plot.png'")
    error_line(result, "posts/2025-01-02-links.md", 10, "missing image: '/images/missing.png'")
    error_line(result, "posts/2025-01-03-bad.md", 3, "'date' is not a date")
    error_line(result, "posts/2025-01-04-fails.md", 7, "ValueError: boom")


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteDir, str, int]:
    site = SiteDir(tmp_path_factory.mktemp("keep") / "site")
    site.write("site.toml", "search = false\n")
    for path, content in BROKEN.items():
        site.write(path, content)
    result = site.build("--keep-going")
    return site, result.stderr + result.stdout, result.code


def test_keep_going_writes_the_site_and_still_exits_1(kept: tuple[SiteDir, str, int]) -> None:
    site, output, code = kept
    assert code == 1, output
    assert "lemma/" not in output  # no traceback of Lemma's own code
    assert (site.out / "posts/good/index.html").is_file()
    assert (site.out / "posts/links/index.html").is_file()
    assert (site.out / "posts/fails/index.html").is_file()
    # A post whose front matter cannot be read cannot be rendered: left out, with its message.
    assert not (site.out / "posts/bad").exists()
    assert "posts/2025-01-03-bad.md:3: front matter: 'date' is not a date" in output


def test_keep_going_marks_broken_links_and_missing_images_in_place(
    kept: tuple[SiteDir, str, int],
) -> None:
    site, _, _ = kept
    page = site.page("posts/links/index.html")
    assert 'class="broken-link" title="broken link: no post \'old-post.md\'"' in page
    assert page.count('class="broken-link"') == 2
    assert page.count('class="missing-media"') == 2
    assert "[missing image: &#39;figures/plot.png&#39; does not exist beside the post]" in page


def test_site_absolute_files_are_looked_up_in_static(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        {
            "posts/2025-01-01-a.md": post(
                "A", "2025-01-01", "![x](/images/x.png)\n\n[paper](/files/paper.pdf)\n"
            ),
            "static/images/x.png": b"\x89PNG fake",
            "static/files/paper.pdf": b"%PDF fake",
        }
    )
    result = site.build()
    assert result.code == 0, str(result)
    assert (site.out / "images/x.png").read_bytes() == b"\x89PNG fake"
    assert (site.out / "files/paper.pdf").read_bytes() == b"%PDF fake"
    page = site.page("posts/a/index.html")
    assert 'src="/images/x.png"' in page and 'href="/files/paper.pdf"' in page


def test_help_says_what_keep_going_covers(make_site: Callable[..., SiteDir]) -> None:
    result = make_site().lemma("build", "--help")
    text = " ".join(result.stdout.split())
    assert "broken links and images marked in place" in text
    assert "Content errors (a failing snippet, a broken link to a post, a missing image" in text
