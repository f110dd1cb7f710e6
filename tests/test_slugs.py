"""Slugs of posts, tags and headings are URL-safe path segments, whatever the input."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lemma.slugs import slugify, tag_slug

SAFE_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-?$")


def test_slugify_lowercases_and_joins_words_with_dashes() -> None:
    assert slugify("Gradient Descent, Explained!") == "gradient-descent-explained"


def test_slugify_transliterates_accents_and_drops_symbols() -> None:
    assert slugify("Über Café ∂L/∂w") == "uber-cafe-l-w"


def test_slugify_never_keeps_path_parts() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a\\b") == "a-b"


def test_slugify_may_return_empty_for_symbols_only() -> None:
    assert slugify("∂∑ŷ!") == "y"
    assert slugify("∂∑!") == ""


def test_windows_reserved_names_are_altered() -> None:
    assert slugify("CON") == "con-"
    assert slugify("lpt1") == "lpt1-"
    assert slugify("console") == "console"


def test_plain_tags_keep_readable_slugs() -> None:
    assert tag_slug("math") == "math"
    assert tag_slug("Machine Learning") == "machine-learning"


def test_lossy_tags_get_distinct_stable_slugs() -> None:
    assert tag_slug("C++") != tag_slug("C")
    assert tag_slug("C++") == tag_slug("C++")
    assert tag_slug("C++").startswith("c-")


def test_tags_with_path_parts_or_no_ascii_get_safe_slugs() -> None:
    for tag in ("../../etc/passwd", "a/b", "∂", "..", "/", "\\"):
        slug = tag_slug(tag)
        assert SAFE_SEGMENT.match(slug), (tag, slug)
        assert "/" not in slug and ".." not in slug


@given(st.text())
def test_any_text_gives_a_safe_slug_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or SAFE_SEGMENT.match(slug)


@given(st.text(min_size=1))
def test_any_tag_gives_a_nonempty_safe_segment(tag: str) -> None:
    slug = tag_slug(tag)
    assert SAFE_SEGMENT.match(slug), slug


@given(st.text(min_size=1), st.text(min_size=1))
def test_tags_that_differ_beyond_case_and_spacing_get_different_slugs(a: str, b: str) -> None:
    # Otherwise one tag's page would silently replace the other's.
    def plain(tag: str) -> str:
        return re.sub(r"[\s_]+", "-", tag.strip().lower())

    if plain(a) != plain(b):
        assert tag_slug(a) != tag_slug(b)
