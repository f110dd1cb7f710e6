"""MkDocs Material's blog front matter (`load.material_blog`): authors from `.authors.yml`,
`readtime` and `pin`."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, warning_line

AUTHORS = "authors:\n  ada:\n    name: Ada Okafor\n    avatar: a.png\n  bo:\n    name: Bo Li\n"


def blog(tmp_path: Path, authors_file: str = ".authors.yml") -> SiteDir:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(authors_file, AUTHORS)
    site.write(
        "posts/old.md",
        "---\ntitle: Old\ndate: 2024-01-01\nauthors: [ada, bo, cy]\nreadtime: 9\n---\nText.\n",
    )
    site.write("posts/pinned.md", "---\ntitle: Pinned\ndate: 2023-01-01\npin: true\n---\nP.\n")
    site.write("posts/new.md", "---\ntitle: New\ndate: 2024-06-01\n---\nN.\n")
    return site


def test_authors_are_named_from_the_authors_file(tmp_path: Path) -> None:
    site = blog(tmp_path)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/old/index.html")
    assert '<span class="post-author">Ada Okafor, Bo Li and cy</span>' in page
    warning_line(result, "posts/old.md", 4, "'cy' is not an author of .authors.yml")


def test_the_authors_file_may_sit_in_posts(tmp_path: Path) -> None:
    site = blog(tmp_path, "posts/.authors.yml")
    assert_ok(site.build())
    assert "Ada Okafor" in site.page("posts/old/index.html")


def test_readtime_is_the_reading_time_and_a_pinned_post_comes_first(tmp_path: Path) -> None:
    site = blog(tmp_path)
    result = site.build()
    assert "readtime" not in result.stderr and "'pin'" not in result.stderr
    assert "9 min read" in site.page("posts/old/index.html")
    index = site.page("index.html")
    assert index.index("/posts/pinned/") < index.index("/posts/new/") < index.index("/posts/old/")
    assert 'badge-pinned">Pinned' in index
    archive = site.page("archive/index.html")
    assert archive.index("/posts/new/") < archive.index("/posts/pinned/")  # by date there


def test_wrong_values_are_warnings_and_a_broken_authors_file_an_error(tmp_path: Path) -> None:
    site = blog(tmp_path)
    site.write(
        "posts/odd.md", "---\ntitle: Odd\ndate: 2024-02-01\nreadtime: soon\npin: 1\n---\n.\n"
    )
    site.write(".authors.yml", "authors:\n  ada: [unclosed\n")
    result = site.build("--keep-going")
    warning_line(result, "posts/odd.md", 4, "'readtime' is 'soon'; left out")
    warning_line(result, "posts/odd.md", 5, "'pin' is 1; left out")
    error_line(result, ".authors.yml", 2, "")
