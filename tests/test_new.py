"""`lemma new`: a dated post file with its front matter, never overwriting one."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from lemma.load import load_post
from site_support import SiteDir

# SOURCE_DATE_EPOCH of every CLI run in these tests is 2026-01-01T00:00:00Z.


def test_new_writes_a_dated_post_with_front_matter(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    result = site.lemma("new", "Gradient Descent, Explained", "--tags", "math, optimization")
    assert result.code == 0, str(result)
    path = site.root / "posts/2026-01-01-gradient-descent-explained.md"
    assert path.is_file()
    assert "posts/2026-01-01-gradient-descent-explained.md" in result.stdout
    post, warnings = load_post(
        path.relative_to(site.root).as_posix(), path.read_bytes(), ZoneInfo("UTC")
    )
    assert warnings == []
    assert post.front_matter.title == "Gradient Descent, Explained"
    assert post.front_matter.date.date().isoformat() == "2026-01-01"
    assert post.front_matter.tags == ("math", "optimization")
    assert post.slug == "gradient-descent-explained"
    assert post.excerpt


def test_new_refuses_to_overwrite_an_existing_post(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    assert site.lemma("new", "Same Title").code == 0
    path = site.root / "posts/2026-01-01-same-title.md"
    path.write_text("my edits\n")
    result = site.lemma("new", "Same Title", "--tags", "x")
    assert result.code == 1
    assert "posts/2026-01-01-same-title.md" in result.stderr
    assert "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text() == "my edits\n"


def test_new_keeps_unicode_and_yaml_special_characters_in_the_title(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site()
    title = 'Über ∂-calculus: "why" #1'
    assert site.lemma("new", title).code == 0
    (path,) = (site.root / "posts").glob("*.md")
    assert path.name == "2026-01-01-uber-calculus-why-1.md"
    assert "Über ∂-calculus" in path.read_text(encoding="utf-8")
    post, _ = load_post("posts/x.md", path.read_bytes(), ZoneInfo("UTC"))
    assert post.front_matter.title == title
    assert post.front_matter.tags == ()


def test_new_uses_the_site_timezone_and_author(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"site.toml": 'timezone = "America/New_York"\nauthor = "Ada"\n'})
    assert site.lemma("new", "Late Night").code == 0
    path = site.root / "posts/2025-12-31-late-night.md"  # 2026-01-01 00:00 UTC is still 2025 there
    assert path.is_file()
    post, _ = load_post("posts/x.md", path.read_bytes(), ZoneInfo("America/New_York"))
    assert post.front_matter.author == "Ada"


def test_new_refuses_titles_without_letters_or_digits(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    for title in ("", "   ", "∂∑!"):
        result = site.lemma("new", title)
        assert result.code == 1, (title, str(result))
        assert "Traceback" not in result.stderr
    assert not list((site.root / "posts").glob("*.md")) if (site.root / "posts").exists() else True
