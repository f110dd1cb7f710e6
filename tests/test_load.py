"""Loading posts: front matter validation, slugs, excerpts, and every bad-input case via the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lemma.errors import LemmaError, Problem
from lemma.load import load_post, load_posts
from lemma.model import Post
from site_support import (
    FileContent,
    SiteDir,
    assert_failed_cleanly,
    assert_ok,
    error_line,
    post,
    snapshot,
    warning_line,
)

UTC_ZONE = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")


def load(
    text: str | bytes, path: str = "posts/a.md", zone: ZoneInfo = UTC_ZONE
) -> tuple[Post, list[Problem]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_post(path, data, zone)


def load_error(text: str | bytes, path: str = "posts/a.md") -> LemmaError:
    with pytest.raises(LemmaError) as info:
        load(text, path)
    return info.value


# --- load_post, without a disk ---------------------------------------------------------------


def test_date_only_is_midnight_in_the_site_timezone() -> None:
    loaded, _ = load(post(date="2025-03-04"), zone=PARIS)
    assert loaded.front_matter.date == datetime(2025, 3, 4, tzinfo=PARIS)


def test_iso_datetime_keeps_its_own_offset() -> None:
    loaded, _ = load(post(date="2025-03-04T09:30:00+05:00"), zone=PARIS)
    assert loaded.front_matter.date.utcoffset() == timedelta(hours=5)
    assert loaded.front_matter.date.hour == 9


def test_quoted_iso_datetime_with_z_is_utc() -> None:
    loaded, _ = load(post(date='"2025-03-04T09:30:00Z"'), zone=PARIS)
    assert loaded.front_matter.date == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def test_tags_as_comma_separated_string_are_split_stripped_and_deduplicated() -> None:
    loaded, _ = load(post(tags="math,  optimization , math"))
    assert loaded.front_matter.tags == ("math", "optimization")


def test_tags_as_list_keep_their_order() -> None:
    loaded, _ = load(post(tags="[b, a, 3]"))
    assert loaded.front_matter.tags == ("b", "a", "3")


def test_slug_comes_from_file_name_without_date_prefix() -> None:
    loaded, _ = load(post(), "posts/2025-01-02-Gradient Descent, Explained!.md")
    assert loaded.slug == "gradient-descent-explained"


def test_slug_from_unicode_file_name_is_ascii() -> None:
    loaded, _ = load(post(), "posts/Über-Café.md")
    assert loaded.slug == "uber-cafe"


def test_front_matter_slug_wins_over_file_name() -> None:
    loaded, _ = load(post(slug="my-slug"), "posts/2025-01-02-other.md")
    assert loaded.slug == "my-slug"
    assert loaded.url_path == "posts/my-slug/"


def test_file_name_without_ascii_letters_needs_a_slug() -> None:
    error = load_error(post(), "posts/∂∂.md")
    assert str(error.location) == "posts/∂∂.md:1"
    assert "slug" in str(error)


@pytest.mark.parametrize("slug", ["../evil", "a/b", "Caps", "ünï", "a--b", "-a"])
def test_unsafe_front_matter_slug_is_an_error_at_its_line(slug: str) -> None:
    error = load_error(post(slug=f'"{slug}"'))
    assert str(error.location) == "posts/a.md:4"
    assert "lowercase letters, digits and '-'" in str(error)


def test_excerpt_defaults_to_first_paragraph_as_plain_text_with_its_formulas() -> None:
    body = "# Heading\n\nSome **bold** and `code` and $x^2$ text\non two lines.\n\nSecond.\n"
    loaded, _ = load(post(body=body))
    assert loaded.excerpt == "Some bold and code and $x^2$ text on two lines."


def test_explicit_excerpt_wins() -> None:
    loaded, _ = load(post(excerpt="Short.", body="Long first paragraph.\n"))
    assert loaded.excerpt == "Short."


@pytest.mark.parametrize(
    ("header", "excerpt"),
    [
        # Hugo's summary, Quarto's description, Pelican's Summary: markdown, shown as text
        (
            '+++\ntitle = "T"\ndate = 2025-01-01\nsummary = "A **bold** [link](/x), $x^2$"\n+++\n',
            "A bold link, $x^2$",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ndescription: Plots with `matplotlib`\n---\n",
            "Plots with matplotlib",
        ),
        (
            "Title: T\nDate: 2025-01-01\nSummary: An *emphasised* <em>word</em>\n\n",
            "An emphasised word",
        ),
        # inline syntax only: neither a list nor a heading
        (
            "---\ntitle: T\ndate: 2025-01-01\nexcerpt: '1986. A good year'\n---\n",
            "1986. A good year",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\nexcerpt: '# of samples: 5 * 3'\n---\n",
            "# of samples: 5 * 3",
        ),
    ],
)
def test_an_excerpt_from_front_matter_is_read_as_inline_markdown(header: str, excerpt: str) -> None:
    loaded, _ = load(header + "Body.\n")
    assert loaded.excerpt == excerpt


def test_body_line_is_the_file_line_after_the_closing_fence() -> None:
    loaded, _ = load("---\ntitle: T\ndate: 2025-01-01\n---\nfirst body line\n")
    assert loaded.body_line == 5
    assert loaded.body.split("\n")[0] == "first body line"


def test_bom_and_crlf_are_accepted() -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: Crlf\r\ndate: 2025-01-01\r\n---\r\nBody line.\r\n"
    loaded, warnings = load(data)
    assert loaded.front_matter.title == "Crlf"
    assert "\r" not in loaded.body
    assert loaded.body_line == 5
    assert warnings == []


def test_jekyll_keys_are_kept_under_extra_without_a_warning() -> None:
    loaded, warnings = load(post(layout="post", categories="[a]", permalink="/x/"))
    assert dict(loaded.front_matter.extra) == {
        "layout": "post",
        "categories": ["a"],
        "permalink": "/x/",
    }
    assert warnings == []
    assert loaded.front_matter.tags == ("a",)
    assert loaded.front_matter.redirects == ("x/",)


def test_unknown_key_warning_names_closest_known_key() -> None:
    _, warnings = load(post(tittle="oops"))
    assert len(warnings) == 1
    assert warnings[0].hint == "did you mean 'title'?"
    assert str(warnings[0].location) == "posts/a.md:4"


def test_draft_must_be_a_boolean() -> None:
    error = load_error(post(draft="maybe"))
    assert str(error.location) == "posts/a.md:4"
    assert "'draft' must be true or false" in str(error)


def test_nul_byte_is_an_error_at_its_line() -> None:
    error = load_error("---\ntitle: T\ndate: 2025-01-01\n---\nok\nbad\x00\n")
    assert str(error.location) == "posts/a.md:6"


def test_title_that_is_a_list_is_an_error() -> None:
    error = load_error(post(title="[a, b]"))
    assert str(error.location) == "posts/a.md:2"


def test_impossible_calendar_date_is_an_error_at_its_line_not_a_crash() -> None:
    error = load_error(post(date="2025-13-45"))
    assert error.location is not None
    assert (error.location.path, error.location.line) == ("posts/a.md", 3)
    # Valid YAML with a date that cannot be: said as a date, not as YAML.
    assert "invalid YAML" not in error.problem.message
    assert "'2025-13-45' is not a valid date (month must be in 1..12)" in error.problem.message
    assert error.problem.hint == "write a date that exists, as year-month-day: 2025-12-20"


# --- load_posts, on a folder -----------------------------------------------------------------


def test_broken_post_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/a.md").write_text(post("A"))
    (tmp_path / "posts/b.md").write_text("---\ndate: 2025-01-01\n---\n")
    result = load_posts(tmp_path, UTC_ZONE)
    assert [p.source_path for p in result.posts] == ["posts/a.md"]
    assert [str(p.location) for p in result.problems] == ["posts/b.md:1"]


def test_unknown_key_mentioning_slug_does_not_drop_the_post(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/a.md").write_text(post("A", slugg="x"))
    result = load_posts(tmp_path, UTC_ZONE)
    assert [p.slug for p in result.posts] == ["a"]
    assert all(p.is_warning for p in result.problems)


def test_duplicate_slug_keeps_the_first_post_and_reports_the_second(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/2025-01-01-same.md").write_text(post("One"))
    (tmp_path / "posts/same.md").write_text(post("Two"))
    result = load_posts(tmp_path, UTC_ZONE)
    assert [p.source_path for p in result.posts] == ["posts/2025-01-01-same.md"]
    (problem,) = result.problems
    assert str(problem.location) == "posts/same.md:1"
    assert "posts/2025-01-01-same.md" in problem.message


def test_missing_posts_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LemmaError, match="no posts/ folder"):
        load_posts(tmp_path, UTC_ZONE)


# --- every bad input through the real CLI: exit 1, path:line, no traceback, site unchanged ----

BAD = "posts/2025-03-01-bad.md"
BAD_INPUTS: dict[str, tuple[FileContent, int, str]] = {
    # name: (content of BAD, expected line, fragment of the message)
    "invalid_yaml": (
        "---\ntitle: Bad\ndate: 2025-03-01\nauthor: a: b\n---\nBody.\n",
        4,
        "invalid YAML",
    ),
    "invalid_yaml_with_bom_and_crlf": (
        b"\xef\xbb\xbf---\r\ntitle: Bad\r\ndate: 2025-03-01\r\n\r\nauthor: a: b\r\n---\r\n",
        5,
        "invalid YAML",
    ),
    "invalid_yaml_unclosed_list": (
        "---\ntitle: Bad\ndate: 2025-03-01\ntags: [a, b\n---\nBody.\n",
        4,
        "invalid YAML",
    ),
    "missing_title": ("---\ndate: 2025-03-01\n---\nBody.\n", 1, "missing required key 'title'"),
    "empty_title": ('---\ntitle: ""\ndate: 2025-03-01\n---\nBody.\n', 2, "'title' is empty"),
    "blank_title": ("---\ntitle:\ndate: 2025-03-01\n---\nBody.\n", 2, "'title' is empty"),
    "missing_date_and_none_in_the_name": (
        "---\ntitle: Bad\n---\nBody.\n",
        1,
        "missing required key 'date'",
    ),
    "date_not_a_date": (post("Bad", "next tuesday"), 3, "'date' is not a date"),
    "impossible_date": (post("Bad", "2025-13-45"), 3, "not a valid date"),
    "tags_a_number": (post("Bad", tags="5"), 4, "'tags' must be a list or a comma-separated"),
    "tags_a_mapping": (post("Bad", tags="{a: 1}"), 4, "'tags' must be a list or a comma-separated"),
    "not_utf8": (b"---\ntitle: Caf\xe9\ndate: 2025-03-01\n---\nBody.\n", 2, "not UTF-8"),
    "empty_file": (b"", 1, "the file is empty"),
    "blank_file": ("\n  \n\n", 1, "the file is empty"),
    "front_matter_never_closed": (
        "---\ntitle: Bad\ndate: 2025-03-01\n\nBody without a closing fence.\n",
        1,
        "never closed",
    ),
    "no_front_matter": ("Just some text.\n", 1, "missing front matter"),
    "unsafe_slug": (post("Bad", slug="../../etc"), 4, "slug '../../etc'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_post_fails_with_path_line_and_leaves_site_unchanged(
    case: str, built_site: SiteDir
) -> None:
    content, line, fragment = BAD_INPUTS[case]
    before = snapshot(built_site.out)
    assert before, "the first build made a site"
    path = "posts/bad.md" if "none_in_the_name" in case else BAD
    built_site.write(path, content)
    result = built_site.build()
    error_line(result, path, line, fragment)
    assert_failed_cleanly(result, built_site, before)


def test_two_posts_with_the_same_slug_fail_at_the_second(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write("posts/zz-copy.md", post("Copy", "2025-03-01", slug="first"))
    result = built_site.build()
    line = error_line(result, "posts/zz-copy.md", 1, "slug 'first' is already used")
    assert "posts/2025-01-10-first.md" in line
    assert_failed_cleanly(result, built_site, before)


def test_two_files_that_give_the_same_slug_fail(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write("posts/first.md", post("Another first", "2025-03-01"))
    result = built_site.build()
    error_line(
        result, "posts/first.md", 1, "slug 'first' is already used by posts/2025-01-10-first.md"
    )
    assert_failed_cleanly(result, built_site, before)


def test_bom_and_crlf_post_builds(built_site: SiteDir) -> None:
    built_site.write(
        "posts/2025-03-01-windows.md",
        b"\xef\xbb\xbf---\r\ntitle: Written on Windows\r\ndate: 2025-03-01\r\n---\r\n\r\n"
        b"First line\r\nsecond line.\r\n",
    )
    result = built_site.build()
    assert_ok(result)
    html = built_site.page("posts/windows/index.html")
    assert "<title>Written on Windows" in html
    assert "First line\nsecond line." in html
    assert "\r" not in html
    assert "\ufeff" not in html


def test_unknown_front_matter_key_warns_with_closest_key(built_site: SiteDir) -> None:
    built_site.write("posts/2025-03-01-typo.md", post("Typo", "2025-03-01", tittle="Oops"))
    result = built_site.build()
    assert_ok(result)
    line = warning_line(result, "posts/2025-03-01-typo.md", 4, "unknown key 'tittle'")
    assert "did you mean 'title'?" in line
    assert (built_site.out / "posts/typo/index.html").is_file()


def test_strict_turns_unknown_key_warning_into_an_error(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write("posts/2025-03-01-typo.md", post("Typo", "2025-03-01", tittle="Oops"))
    result = built_site.build("--strict")
    line = error_line(result, "posts/2025-03-01-typo.md", 4, "unknown key 'tittle'")
    assert "did you mean 'title'?" in line
    assert_failed_cleanly(result, built_site, before)


def test_every_problem_of_every_post_is_reported_in_one_run(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(
        {
            "posts/a.md": "---\ntitle: A\ndate: 2025-01-01\nauthor: x: y\n---\n",
            "posts/b.md": "---\ndate: 2025-01-01\n---\n",
            "posts/c.md": post("C", tags="7"),
            "posts/d.md": post("D", body="One.\n\nA [broken](nope.md) link.\n"),
            "posts/e.md": post("E", body="![gone](missing.png)\n"),
            "posts/ok.md": post("OK"),
        }
    )
    result = site.build()
    assert result.code == 1, str(result)
    error_line(result, "posts/a.md", 4, "invalid YAML")
    error_line(result, "posts/b.md", 1, "missing required key 'title'")
    error_line(result, "posts/c.md", 4, "'tags' must be")
    error_line(result, "posts/d.md", 8, "broken link")
    error_line(result, "posts/e.md", 6, "missing image")
    assert "build failed: 5 errors" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.out.exists()


# --- front matter as other blog tools write it -----------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2016-01-28 -0800", datetime(2016, 1, 28, tzinfo=timezone(timedelta(hours=-8)))),
        (
            '"2016-01-28 10:20:00 -0800"',
            datetime(2016, 1, 28, 10, 20, tzinfo=timezone(-timedelta(hours=8))),
        ),
        ("2016-01-28T10:00", datetime(2016, 1, 28, 10, 0, tzinfo=PARIS)),
        ("2016-01-28 10:20", datetime(2016, 1, 28, 10, 20, tzinfo=PARIS)),
        ('"March 5, 2023"', datetime(2023, 3, 5, tzinfo=PARIS)),
    ],
)
def test_dates_in_the_forms_blog_tools_write(written: str, expected: datetime) -> None:
    loaded, _ = load(post(date=written), zone=PARIS)
    assert loaded.front_matter.date == expected
    assert loaded.front_matter.date.utcoffset() == expected.utcoffset()


def test_date_comes_from_the_file_name_or_the_folder_name() -> None:
    text = "---\ntitle: Dated by name\n---\nBody.\n"
    loaded, _ = load(text, "posts/2016-01-28-dated.md")
    assert loaded.front_matter.date == datetime(2016, 1, 28, tzinfo=UTC)
    assert loaded.slug == "dated"
    loaded, _ = load(text, "posts/2016-02-01-bundle/index.md")
    assert loaded.front_matter.date == datetime(2016, 2, 1, tzinfo=UTC)
    assert loaded.slug == "bundle"


@pytest.mark.parametrize("key", ["lastmod", "date-modified", "modified", "updated"])
def test_every_name_of_the_modification_date_is_updated(key: str) -> None:
    loaded, warnings = load(post(**{key: "2025-02-01"}))
    assert loaded.front_matter.updated == datetime(2025, 2, 1, tzinfo=UTC)
    assert warnings == []


def test_toml_front_matter_between_plus_signs() -> None:
    text = (
        '+++\ntitle = "Hugo post"\ndate = 2023-01-15T09:00:00-07:00\ntags = ["a", "b"]\n+++\n'
        "\nBody.\n"
    )
    loaded, warnings = load(text)
    assert loaded.front_matter.title == "Hugo post"
    assert loaded.front_matter.date.utcoffset() == timedelta(hours=-7)
    assert loaded.front_matter.tags == ("a", "b")
    assert loaded.body_line == 6 and warnings == []


def test_invalid_toml_is_an_error_at_its_line() -> None:
    error = load_error('+++\ntitle = "ok"\ndate = 2023-01-15\nauthor = oops\n+++\nBody.\n')
    assert str(error.location).startswith("posts/a.md:4")
    assert "invalid TOML" in str(error)


def test_pelican_header_with_continued_lines_and_any_case() -> None:
    text = (
        "Title: A long\n    title\ndate: 2010-12-03 10:20\nTAGS: a, b\nSlug: custom\n\nBody here.\n"
    )
    loaded, warnings = load(text)
    fm = loaded.front_matter
    assert (fm.title, fm.tags, loaded.slug) == ("A long title", ("a", "b"), "custom")
    assert fm.key_lines["tags"] == 4 and loaded.body_line == 6 and warnings == []


def test_pelican_lists_split_on_semicolons_or_commas_never_on_spaces() -> None:
    text = "Title: T\nDate: 2010-12-03\nTags: number theory; primes, sieves\n"
    text += "Authors: Ada Lovelace; Charles Babbage\n\nBody.\n"
    fm = load(text)[0].front_matter
    assert fm.tags == ("number theory", "primes, sieves")
    assert fm.author == "Ada Lovelace and Charles Babbage"
    fm = load("Title: T\nDate: 2010-12-03\nTags: machine learning\n\nBody.\n")[0].front_matter
    assert fm.tags == ("machine learning",)


def test_prose_that_starts_with_a_colon_word_is_not_a_pelican_header() -> None:
    error = load_error("Note: this file has no front matter.\n")
    assert "missing front matter" in str(error)


def test_a_title_heading_equal_to_the_title_is_removed_and_lines_are_kept() -> None:
    loaded, _ = load(post("The *Title*", body="\n# The Title\n\nFirst paragraph.\n"))
    assert "# The Title" not in loaded.body
    # The heading's line is emptied, not removed: every later line keeps its number.
    assert loaded.body.split("\n")[2:5] == ["", "", "First paragraph."]
    assert loaded.excerpt == "First paragraph."


def test_a_different_first_heading_stays() -> None:
    loaded, _ = load(post("The title", body="# Introduction\n\nText.\n"))
    assert "# Introduction" in loaded.body


def test_without_a_title_key_the_opening_heading_is_the_title() -> None:
    loaded, _ = load("---\ndate: 2025-01-01\n---\n# From the `heading`\n\nText.\n")
    assert loaded.front_matter.title == "From the heading"
    assert "# From" not in loaded.body


def test_keys_of_other_tools_are_read() -> None:
    text = post(
        subtitle="A subtitle",
        description="The description",
        image="cover.png",
        toc="false",
        authors="[Ada, Grace, Emmy]",
        categories="[Math, News]",
        aliases="[/old/]",
        permalink="/2016/01/28/post.html",
    )
    loaded, warnings = load(text)
    fm = loaded.front_matter
    assert warnings == []
    assert (fm.subtitle, fm.image, fm.toc) == ("A subtitle", "cover.png", False)
    assert fm.author == "Ada, Grace and Emmy"
    assert fm.tags == ("Math", "News")
    assert loaded.excerpt == "The description"
    assert fm.redirects == ("old/", "2016/01/28/post.html")


def test_a_redirect_to_another_site_is_an_error() -> None:
    error = load_error(post(aliases="[https://elsewhere.org/x/]"))
    assert "'aliases' is another site's address" in str(error)
    assert "write a path on this site" in str(error)


def test_an_unrelated_unknown_key_is_a_quiet_note_without_did_you_mean() -> None:
    _, warnings = load(post(giscus="true"))
    (note,) = warnings
    assert note.is_note and note.hint is None
    assert "post.extra['giscus']" in note.message
    assert note.as_error() is note  # --strict leaves notes alone


def test_one_note_per_key_for_the_whole_site(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / f"posts/{name}.md").write_text(post(name, hero="x"))
    result = load_posts(tmp_path, UTC_ZONE)
    (note,) = result.problems
    assert str(note.location) == "posts/a.md:4"
    assert note.hint == "and in 2 other posts"


def test_folders_index_posts_and_nested_posts_are_found(tmp_path: Path) -> None:
    for path in (
        "posts/top.md",
        "posts/bundle/index.md",
        "posts/bundle/appendix.md",  # a file of the bundle, not a post
        "posts/2023/spring/nested.md",
        "posts/.ipynb_checkpoints/top.md",
        "posts/_index.md",  # Hugo's section page
        "posts/_notes/skipped.md",
        "posts/2023/_drafts/skipped.md",  # only posts/_drafts/ holds Jekyll's drafts
        "posts/_drafts/wip.md",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(post(Path(path).stem))
    result = load_posts(tmp_path, UTC_ZONE)
    assert sorted(p.source_path for p in result.posts) == [
        "posts/2023/spring/nested.md",
        "posts/_drafts/wip.md",
        "posts/bundle/index.md",
        "posts/top.md",
    ]
    assert {p.slug for p in result.posts} == {"nested", "bundle", "top", "wip"}
    assert [p.slug for p in result.posts if p.front_matter.draft] == ["wip"]


def test_markdown_under_other_tools_file_names_is_read(tmp_path: Path) -> None:
    for path in (
        "posts/2019-03-14-pi-day.markdown",  # Jekyll's default
        "posts/pelican.mdown",
        "posts/editor.mkd",
        "posts/other.mkdn",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(post(Path(path).stem))
    result = load_posts(tmp_path, UTC_ZONE)
    assert {p.slug for p in result.posts} == {"pi-day", "pelican", "editor", "other"}
    assert result.problems == ()


def test_posts_in_formats_lemma_does_not_read_are_named_not_skipped_silently(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("posts/2025-01-15-kept.md", post("Kept"))
    site.write("posts/2016-05-01-old.rst", "Old post\n########\n\n:date: 2016-05-01\n")
    site.write("posts/2024-02-02-analysis.Rmd", "---\ntitle: R\n---\n")
    site.write("posts/bundle/index.md", post("Bundle"))
    site.write("posts/bundle/table.html", "<table></table>")  # a file of the bundle: no warning
    result = site.build()
    assert_ok(result)
    lines = result.stderr.splitlines()
    (rst,) = [line for line in lines if line.startswith("posts/2016-05-01-old.rst: warning:")]
    assert "reStructuredText" in rst and "pandoc" in rst
    assert "analysis.Rmd" not in result.stderr  # R Markdown is a post (test_conventions.py)
    assert "table.html" not in result.stderr
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["analysis", "bundle", "kept"]


def test_links_to_posts_under_any_post_file_name_reach_their_pages(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    body = "[Quarto](q.qmd), [Jekyll](2019-03-14-pi-day.markdown), [nb](2025-01-15-nb.ipynb)\n"
    site.write("posts/a.md", post("A", body=body))
    site.write("posts/q.qmd", post("Q"))
    site.write("posts/2019-03-14-pi-day.markdown", post("Pi"))
    cell = {"cell_type": "markdown", "metadata": {}, "source": ["# Notebook\n"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    site.write("posts/2025-01-15-nb.ipynb", json.dumps(notebook))
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    for url in ("/posts/q/", "/posts/pi-day/", "/posts/nb/"):
        assert f'href="{url}"' in page


def test_jekyll_tags_and_categories_split_on_spaces_and_lemmas_commas_still_work() -> None:
    jekyll, _ = load(post(tags="python numpy statistics", categories="Machine Learning"))
    assert jekyll.front_matter.tags == ("python", "numpy", "statistics", "Machine", "Learning")
    commas, _ = load(post(tags="machine learning, statistics", categories="[Deep Learning]"))
    assert commas.front_matter.tags == ("machine learning", "statistics", "Deep Learning")
    pelican, _ = load("Title: P\nDate: 2025-01-01\nCategory: Machine Learning\n\nBody.\n")
    assert pelican.front_matter.tags == ("Machine Learning",)
