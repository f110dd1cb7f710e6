"""Search over an index in parts: a large site's Pagefind index is made in parts, and the pages
edited since a part was made are in an edits bundle; the search page merges them, and one query
covers every post once, in its latest version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Server, run_build

pytestmark = pytest.mark.browser

WORDS = ("quokka", "narwhal", "axolotl", "pangolin", "okapi", "tapir", "wombat")


def write_animals(root: Path, server: Server, part_pages: int) -> Path:
    """A blog of one post per animal of WORDS, its search index in parts of `part_pages`."""
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'title = "Animals"\nbase_url = "{server.base}"\nsearch_part_pages = {part_pages}\n',
        encoding="utf-8",
    )
    for day, word in enumerate(WORDS, start=1):
        (root / "posts" / f"2025-01-0{day}-{word}.md").write_text(
            f"---\ntitle: On the {word}\ndate: 2025-01-0{day}\n---\n\n"
            f"The {word} is an animal; every post here says menagerie.\n",
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("parts")
    server = Server(work / "served", prefix="/blog/")  # the site under a sub-path
    try:
        root = write_animals(work / "src", server, part_pages=2)
        done = run_build(root, work / "served" / "blog")
        assert done.returncode == 0, done.stdout + done.stderr
        yield server
    finally:
        server.close()


def search(page: Any, server: Server, query: str) -> list[str]:
    page.goto(server.url(f"search/?q={query}"))
    page.locator("#search-status", has_text="result").wait_for()
    return [a.get_attribute("href") for a in page.locator(".search-result h2 a").all()]


def test_the_index_is_in_parts_and_lists_them(parts_site: Server) -> None:
    bundle = parts_site.directory / "blog" / "pagefind"
    parts = json.loads((bundle / "lemma-parts.json").read_text(encoding="utf-8"))["parts"]
    assert len(parts) >= 2, "7 posts in parts of 2 pages"
    assert all((bundle / part / "pagefind-entry.json").is_file() for part in parts)


def test_a_word_of_any_part_finds_its_post(parts_site: Server, page: Any) -> None:
    for word in WORDS:
        assert search(page, parts_site, word) == [f"/blog/posts/{word}/"], word


def test_a_word_of_every_post_finds_each_post_once(parts_site: Server, page: Any) -> None:
    found = search(page, parts_site, "menagerie")
    assert sorted(found) == sorted(f"/blog/posts/{word}/" for word in WORDS)
    assert "7 results" in page.locator("#search-status").inner_text()


def test_two_queries_typed_at_once_merge_each_part_once(parts_site: Server, page: Any) -> None:
    page.goto(parts_site.url("search/"))
    page.fill("#search-q", "menag")
    page.press("#search-q", "Enter")  # a first query, then another before the index is loaded
    page.fill("#search-q", "menagerie")
    page.press("#search-q", "Enter")
    page.locator("#search-status", has_text="menagerie").wait_for()
    assert page.locator(".search-result").count() == len(WORDS)


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The seven posts in one part, built, then edited and built again: the quokka's post says
    bestiary instead of menagerie, and the tapir's post is gone (its neighbours' links to it
    change too)."""
    work = tmp_path_factory.mktemp("edited")
    server = Server(work / "served")
    try:
        root = write_animals(work / "src", server, part_pages=60)
        done = run_build(root, work / "served")
        assert done.returncode == 0, done.stdout + done.stderr
        quokka = root / "posts" / "2025-01-01-quokka.md"
        text = quokka.read_text(encoding="utf-8")
        quokka.write_text(text.replace("menagerie", "bestiary"), encoding="utf-8")
        (root / "posts" / "2025-01-06-tapir.md").unlink()
        done = run_build(root, work / "served")
        assert done.returncode == 0, done.stdout + done.stderr
        yield server
    finally:
        server.close()


def test_an_edited_site_has_an_edits_bundle_and_hides_old_versions(edited_site: Server) -> None:
    listed = json.loads(
        (edited_site.directory / "pagefind" / "lemma-parts.json").read_text(encoding="utf-8")
    )
    assert listed["parts"] == ["edits/"], "one part, kept, and the pages edited since"
    assert len(listed["hidden"]) >= 2, "the quokka's and the tapir's old versions at least"


def test_search_finds_the_edited_version_once_and_never_the_old(
    edited_site: Server, page: Any
) -> None:
    assert search(page, edited_site, "bestiary") == ["/posts/quokka/"]
    assert search(page, edited_site, "quokka") == ["/posts/quokka/"], "in both versions: once"
    assert search(page, edited_site, "tapir") == [], "a post that is gone"
    found = search(page, edited_site, "menagerie")
    others = [w for w in WORDS if w not in ("quokka", "tapir")]
    assert sorted(found) == sorted(f"/posts/{word}/" for word in others)
    assert f"{len(others)} results" in page.locator("#search-status").inner_text()
    for word in ("wombat", "okapi"):  # the tapir's neighbours, whose links to it changed
        assert search(page, edited_site, word) == [f"/posts/{word}/"], word
