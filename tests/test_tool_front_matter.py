"""Zola's, Hexo's, Eleventy's and Obsidian's front matter read as Lemma's keys."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lemma.blog_tools import BlogTools
from lemma.errors import LemmaError
from lemma.load import load_post, load_posts
from lemma.model import Post

UTC = ZoneInfo("UTC")


def loaded(
    text: str, path: str = "posts/x.md", tools: BlogTools | None = None
) -> tuple[Post, list[str]]:
    post, warnings = load_post(path, text.encode(), UTC, tools=tools)
    return post, [w.message for w in warnings]


def test_zola_taxonomies_are_tags_and_extra_is_silent() -> None:
    post, warnings = loaded(
        '+++\ntitle = "Z"\ndate = 2020-01-01\n\n[taxonomies]\ntags = ["rust", "ssg"]\n'
        'categories = ["programming"]\n\n[extra]\ntoc = true\n+++\n\nText.\n'
    )
    assert post.front_matter.tags == ("rust", "ssg", "programming")
    assert warnings == []


def test_hugo_params_are_the_posts_own_keys() -> None:
    """As Hugo's docs write a page's own fields since 0.123: under [params], read as if at the
    top level (a theme's keys too), the top level winning; the table itself, like Zola's
    [extra], is data for templates, without a word."""
    post, warnings = loaded(
        '+++\ntitle = "Entropy"\ndate = 2023-06-02T09:00:00Z\nsummary = "Top."\n\n'
        '[params]\nauthor = "A. Writer"\nShowToc = true\nsummary = "Under params."\n'
        'math = true\n\n[params.cover]\nimage = "cover.png"\n'
        "+++\n\nText.\n"
    )
    front = post.front_matter
    assert front.author == "A. Writer"
    assert front.toc is True and front.image == "cover.png"
    assert post.excerpt == "Top."
    assert warnings == []


def test_hexo_slash_dates_and_category_hierarchies() -> None:
    post, _ = loaded(
        "---\ntitle: H\ndate: 2013/7/13 20:46:25\ncategories:\n- [Diary, PlayStation]\n"
        "- [Diary, Games]\n- Life\nmathjax: true\n---\n\nText.\n"
    )
    front = post.front_matter
    assert front.date.isoformat() == "2013-07-13T20:46:25+00:00"
    assert front.tags == ("Diary", "PlayStation", "Games", "Life")


def test_eleventy_collection_tag_is_no_topic_and_permalink_data_is_filled_in() -> None:
    post, warnings = loaded(
        "---\ntitle: My First Post\ndate: 2021-03-04\ntags: [post, math]\n"
        'permalink: "/blog/{{ page.fileSlug }}/{{ title | slugify }}/"\n'
        "eleventyNavigation: {key: First}\n---\n\nText.\n",
        "posts/2021-03-04-first.md",
        BlogTools(eleventy=True),
    )
    front = post.front_matter
    assert front.tags == ("math",)
    assert front.redirects == ("blog/first/my-first-post/",)
    assert warnings == []


# As Eleventy's docs write a collection tag, and as eleventy-base-blog's posts did (before its
# blog.11tydata.js gave the tag to every post).
ELEVENTY_DOCS_POST = """\
---
tags: post
title: Hot Take—Social Media is Considered Harmful
date: 2021-03-04
---

Text.
"""
BASE_BLOG_POST = """\
---
title: This is my first post.
description: This is a post on My Blog about agile frameworks.
date: 2018-05-01
tags:
  - posts
  - another tag
layout: layouts/post.njk
---

Text.
"""
HUGO_POST = "---\ntitle: Sums\ndate: 2024-02-03\ntags: [posts, math]\n---\n\nText.\n"
DEV_DEPENDENCY = '{"devDependencies": {"@11ty/eleventy": "^3.0.0"}}'


def blog_tags(
    root: Path, config: str, text: str, posts: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """Each post's tags, loaded from a blog whose folder holds `config` (with `text`)."""
    (root / "posts").mkdir()
    (root / config).write_text(text, encoding="utf-8")
    for name, post in posts.items():
        (root / "posts" / name).write_text(post, encoding="utf-8")
    result = load_posts(root, UTC)
    assert [p.message for p in result.problems if not p.is_note] == []
    return {p.source_path: p.front_matter.tags for p in result.posts}


@pytest.mark.parametrize(
    ("config", "text"),
    [
        (".eleventy.js", "module.exports = function (eleventyConfig) {};\n"),
        ("eleventy.config.js", "export default function (eleventyConfig) {}\n"),
        ("eleventy.config.mjs", "export default function (eleventyConfig) {}\n"),
        ("eleventy.config.cjs", "module.exports = function (eleventyConfig) {};\n"),
        ("package.json", DEV_DEPENDENCY),
        ("package.json", '{"dependencies": {"@11ty/eleventy": "2.0.1"}}'),
    ],
)
def test_eleventy_collection_tags_are_no_topics_in_an_eleventy_blog(
    tmp_path: Path, config: str, text: str
) -> None:
    posts = {"hot-take.md": ELEVENTY_DOCS_POST, "first.md": BASE_BLOG_POST, "sums.md": HUGO_POST}
    assert blog_tags(tmp_path, config, text, posts) == {
        "posts/first.md": ("another tag",),
        "posts/hot-take.md": (),
        "posts/sums.md": ("math",),
    }


@pytest.mark.parametrize(
    ("config", "text"),
    [
        ("hugo.toml", 'title = "Sums"\n'),
        ("_config.yml", "title: Sums\n"),
        ("package.json", '{"devDependencies": {"tailwindcss": "^3.4.0"}}'),
        ("package.json", "not JSON"),
    ],
    ids=["hugo", "jekyll", "other-npm", "broken-package"],
)
def test_a_tag_named_posts_or_post_is_kept_outside_eleventy(
    tmp_path: Path, config: str, text: str
) -> None:
    # The tags `post` and `posts` were dropped in every blog: a Hugo blog lost its tag "posts".
    posts = {"sums.md": HUGO_POST, "hot-take.md": ELEVENTY_DOCS_POST}
    assert blog_tags(tmp_path, config, text, posts) == {
        "posts/hot-take.md": ("post",),
        "posts/sums.md": ("posts", "math"),
    }


@pytest.mark.parametrize(
    "keys", ["permalink: false", "eleventyExcludeFromCollections: true"], ids=["off", "excluded"]
)
def test_eleventy_pages_kept_out_of_the_blog_are_drafts(keys: str) -> None:
    post, _ = loaded(f"---\ntitle: E\ndate: 2021-03-04\n{keys}\n---\n\nText.\n")
    assert post.front_matter.draft


def test_eleventy_permalink_data_lemma_lacks_is_an_error_at_its_line() -> None:
    with pytest.raises(LemmaError) as caught:
        loaded('---\ntitle: E\ndate: 2021-03-04\npermalink: "/{{ page.url }}/"\n---\n\nText.\n')
    problem = caught.value.problem
    assert problem.location is not None and problem.location.line == 4
    assert "Eleventy's '{{ page.url }}'" in problem.message
    assert "write the address itself" in (problem.hint or "")


def test_obsidian_hash_tags_and_name_aliases() -> None:
    post, _ = loaded(
        '---\ntitle: O\ndate: 2022-01-01\ntags: ["#math", "#study/algebra"]\n'
        "aliases: [My notes, old-notes]\n---\n\nText.\n"
    )
    front = post.front_matter
    assert front.tags == ("math", "study/algebra")
    assert front.redirects == ("posts/old-notes",)


def test_obsidian_unquoted_hash_tags_get_a_hint() -> None:
    with pytest.raises(LemmaError) as caught:
        loaded("---\ntitle: O\ndate: 2022-01-01\ntags: [#math, #study]\n---\n\nText.\n")
    assert "write the tags without it" in (caught.value.problem.hint or "")
