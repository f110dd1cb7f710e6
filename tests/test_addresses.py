"""A post's old addresses as Jekyll and Hugo write them: placeholders in `permalink`, relative
Hugo aliases, and addresses that are not on this site, refused at their line."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post

JEKYLL_PERMALINK = """---
layout: post
title: "Placeholder permalink"
date: 2018-07-04 09:00:00 +0200
categories: [Stats, Machine Learning]
permalink: /:categories/:year/:month/:day/:title.html
---
Jekyll expands the placeholders in this permalink.
"""


def redirect_target(site: SiteDir, output_path: str) -> str:
    page = site.page(output_path)
    return page.split('http-equiv="refresh" content="0; url=')[1].split('"')[0]


def test_jekyll_permalink_placeholders_expand_from_date_slug_and_categories(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2018-07-04-placeholders.md", JEKYLL_PERMALINK)
    site.write(
        "posts/2018-07-05-short.md",
        post("Short", "2018-07-05", permalink="/:short_year/:i_month/:i_day/:slug/"),
    )
    result = site.build()
    assert_ok(result)
    old = "stats/machine-learning/2018/07/04/placeholders.html"
    assert redirect_target(site, old) == "/posts/placeholders/"
    assert redirect_target(site, "18/7/5/short/index.html") == "/posts/short/"


def test_permalink_without_categories_leaves_no_empty_folder(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2018-07-04-x.md", post("X", "2018-07-04", permalink="/:categories/:title/"))
    assert_ok(site.build())
    assert redirect_target(site, "x/index.html") == "/posts/x/"


def test_unknown_placeholder_is_an_error_at_its_line_and_other_posts_build(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2018-07-04-bad.md", post("Bad", "2018-07-04", permalink="/:yaer/:title/"))
    site.write("posts/2018-07-05-good.md", post("Good", "2018-07-05"))
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    line = error_line(result, "posts/2018-07-04-bad.md", 4, "'permalink' has the placeholder")
    assert "':yaer'" in line
    assert "did you mean ':year'?" in result.stderr
    assert (site.out / "posts/good/index.html").is_file()
    assert not (site.out / "posts/bad").exists()


def test_addresses_off_the_site_are_errors_naming_the_key_and_only_that_post_is_left_out(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2018-07-01-a.md", post("A", "2018-07-01", aliases='["/../up"]'))
    site.write("posts/2018-07-02-b.md", post("B", "2018-07-02", redirect_from="/c:/old.html"))
    site.write("posts/2018-07-03-c.md", post("C", "2018-07-03", url="https://example.com/x"))
    site.write("posts/2018-07-04-good.md", post("Good", "2018-07-04", aliases="[/old/]"))
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    assert "refusing to write" not in result.stderr
    error_line(result, "posts/2018-07-01-a.md", 4, "'aliases' climbs out of the site with '..'")
    error_line(result, "posts/2018-07-02-b.md", 4, "'redirect_from' has a ':'")
    error_line(result, "posts/2018-07-03-c.md", 4, "'url' is another site's address")
    assert "write a path on this site" in result.stderr
    assert redirect_target(site, "old/index.html") == "/posts/good/"
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["good"]


def test_hugo_relative_alias_is_in_the_posts_section(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(
        "posts/relative-alias.md",
        '+++\ntitle = "Relative alias"\ndate = 2018-07-05\n'
        'aliases = ["old-relative-name", "/at-the-root"]\n+++\nBody.\n',
    )
    assert_ok(site.build())
    target = "/posts/relative-alias/"
    assert redirect_target(site, "posts/old-relative-name/index.html") == target
    assert redirect_target(site, "at-the-root/index.html") == target
    assert not (site.out / "old-relative-name").exists()
