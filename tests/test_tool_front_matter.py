"""Zola's, Hexo's, Eleventy's and Obsidian's front matter read as Lemma's keys."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from lemma.errors import LemmaError
from lemma.load import load_post
from lemma.model import Post

UTC = ZoneInfo("UTC")


def loaded(text: str, path: str = "posts/x.md") -> tuple[Post, list[str]]:
    post, warnings = load_post(path, text.encode(), UTC)
    return post, [w.message for w in warnings]


def test_zola_taxonomies_are_tags_and_extra_is_silent() -> None:
    post, warnings = loaded(
        '+++\ntitle = "Z"\ndate = 2020-01-01\n\n[taxonomies]\ntags = ["rust", "ssg"]\n'
        'categories = ["programming"]\n\n[extra]\ntoc = true\n+++\n\nText.\n'
    )
    assert post.front_matter.tags == ("rust", "ssg", "programming")
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
    )
    front = post.front_matter
    assert front.tags == ("math",)
    assert front.redirects == ("blog/first/my-first-post/",)
    assert warnings == []


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
