"""Unpublished stays unpublished: every blog tool's way of saying "draft", through the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lemma.errors import LemmaError
from lemma.load import load_post
from lemma.load.publication import select_published
from site_support import SiteDir, assert_ok, error_line, post, snapshot

# One post per spelling of "not published", each with a word that must never leak.
UNPUBLISHED = {
    "posts/2025-01-02-lemma.md": post("Lemma draft", "2025-01-02", "SECRET-LEMMA\n", draft="true"),
    "posts/2025-01-03-jekyll.md": post(
        "Jekyll draft", "2025-01-03", "SECRET-JEKYLL\n", published="false", tags="[private]"
    ),
    "posts/2025-01-04-pelican.md": post(
        "Pelican draft", "2025-01-04", "SECRET-PELICAN\n", status="draft"
    ),
    "posts/2025-01-05-hidden.md": post(
        "Pelican hidden", "2025-01-05", "SECRET-HIDDEN\n", status="hidden"
    ),
    "posts/2025-01-06-future.md": post("Future post", "2026-06-01", "SECRET-FUTURE\n"),
}
SITE = {
    "site.toml": 'title = "Drafts"\nbase_url = "https://example.org/"\nsearch = false\n',
    "posts/2025-01-01-public.md": post("Public post", "2025-01-01", "Out in the open.\n"),
    "posts/2025-01-07-said.md": post(
        "Said published", "2025-01-07", "Also open.\n", published="true"
    ),
    **UNPUBLISHED,
}
ZONE = ZoneInfo("UTC")
SECRETS = [
    b"SECRET-" + name.encode() for name in ("LEMMA", "JEKYLL", "PELICAN", "HIDDEN", "FUTURE")
]


def test_every_spelling_of_draft_stays_out_of_the_whole_site(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(SITE)
    result = site.build()
    assert_ok(result)
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["public", "said"]
    everything = b"".join(snapshot(site.out).values())
    for secret in SECRETS:
        assert secret not in everything
    for title in (b"Lemma draft", b"Jekyll draft", b"Pelican draft", b"Pelican hidden"):
        assert title not in everything
    assert not (site.out / "tags" / "private").exists()
    # The keys are Lemma's own now: no "unknown key" warning for them.
    assert "unknown key" not in result.stderr


def test_a_build_says_in_one_line_how_many_posts_it_left_out_and_why(
    make_site: Callable[..., SiteDir],
) -> None:
    result = make_site(SITE).build()
    assert_ok(result)
    lines = [line for line in result.stdout.splitlines() if "left out" in line]
    assert lines == [
        "left out 5 posts: 4 drafts, 1 dated in the future "
        "(lemma build --drafts or lemma serve shows them)"
    ], str(result)


def test_drafts_flag_shows_drafts_marked_but_never_in_feed_sitemap_or_search(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(SITE)
    result = site.build("--drafts")
    assert_ok(result)
    assert "left out" not in result.stdout
    index = site.page("index.html")
    assert "Jekyll draft" in index and "badge-draft" in index
    jekyll = site.page("posts/jekyll/index.html")
    assert "badge-draft" in jekyll and 'name="robots" content="noindex"' in jekyll
    assert "data-pagefind-body" not in jekyll and 'data-pagefind-ignore="all"' in jekyll
    assert "data-pagefind-body" in site.page("posts/public/index.html")
    feed, sitemap = site.page("feed.xml"), site.page("sitemap.xml")
    for secret in ("SECRET-LEMMA", "SECRET-JEKYLL", "SECRET-PELICAN", "SECRET-HIDDEN"):
        assert secret not in feed
    for slug in ("lemma", "jekyll", "pelican", "hidden"):
        assert f"/posts/{slug}/" not in sitemap and f"/posts/{slug}/" not in feed
    assert "/posts/public/" in sitemap and "/posts/public/" in feed


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("status", "private", "'status' must be published, draft or hidden, not 'private'"),
        ("published", "sometimes", "'published' must be true or false, not 'sometimes'"),
        ("draft", "maybe", "'draft' must be true or false, not 'maybe'"),
    ],
)
def test_an_unreadable_publication_key_is_an_error_never_a_guess(
    make_site: Callable[..., SiteDir], key: str, value: str, fragment: str
) -> None:
    site = make_site(
        {
            "posts/2025-01-01-ok.md": post("Fine"),
            "posts/2025-01-02-odd.md": post("Odd", **{key: value}),
        }
    )
    result = site.build("--keep-going")
    error_line(result, "posts/2025-01-02-odd.md", 4, fragment)
    assert not (site.out / "posts" / "odd").exists()


def test_pelican_status_is_case_insensitive_and_published_means_published() -> None:
    loaded, warnings = load_post("posts/a.md", post(status="Published").encode(), ZONE)
    assert loaded.front_matter.draft is False and warnings == []
    loaded, _ = load_post("posts/a.md", post(status="DRAFT").encode(), ZONE)
    assert loaded.front_matter.draft is True


def test_any_key_saying_unpublished_wins_over_another_saying_published() -> None:
    loaded, _ = load_post("posts/a.md", post(draft="false", published="false").encode(), ZONE)
    assert loaded.front_matter.draft is True


def test_selection_counts_drafts_and_future_posts_apart() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    posts = [
        load_post(f"posts/{path.rsplit('/', 1)[1]}", text.encode(), ZONE)[0]
        for path, text in UNPUBLISHED.items()
    ]
    selection = select_published(posts, include_drafts=False, now=now)
    assert (selection.posts, selection.drafts_left_out, selection.future_left_out) == ((), 4, 1)
    everything = select_published(posts, include_drafts=True, now=now)
    assert len(everything.posts) == 5 and everything.left_out_line() is None


# --- Hugo's publishDate and expiryDate (the CLI's "now" is 2026-01-01) -----------------------


def test_hugo_publish_date_in_the_future_holds_the_post_back_and_expiry_takes_it_down(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", "search = false\n")
    site.write(
        "posts/scheduled.md",
        post("Scheduled", "2024-05-01", "SCHEDULED-TEXT\n", publishDate="2099-06-01"),
    )
    site.write(
        "posts/expired.md",
        '+++\ntitle = "Expired"\ndate = 2020-05-02\nexpiryDate = 2021-01-01\n+++\nEXPIRED-TEXT\n',
    )
    site.write(
        "posts/alias.md", post("Alias", "2024-05-01", "ALIAS-TEXT\n", published="2099-01-01")
    )
    site.write("posts/live.md", post("Live", "2020-01-01", "LIVE-TEXT\n", expiryDate="2099-01-01"))
    result = site.build()
    assert_ok(result)
    everything = b"".join(snapshot(site.out).values())
    for word in (b"SCHEDULED-TEXT", b"EXPIRED-TEXT", b"ALIAS-TEXT"):
        assert word not in everything
    assert b"LIVE-TEXT" in everything
    assert "left out 3 posts: 2 dated in the future, 1 past its expiryDate" in result.stdout
    assert "publishDate" not in result.stderr and "did you mean" not in result.stderr
    shown = site.build("--drafts")
    assert_ok(shown)
    assert "SCHEDULED-TEXT" in site.page("posts/scheduled/index.html")


def test_a_value_of_the_wrong_kind_is_named_in_the_authors_terms_not_as_python() -> None:
    with pytest.raises(LemmaError) as caught:
        load_post("posts/a.md", post(draft="2099-06-01").encode(), ZONE)
    message = str(caught.value)
    assert "'draft' must be true or false, not a date (2099-06-01)" in message
    assert "datetime" not in message


def test_did_you_mean_proposes_a_key_that_takes_the_same_kind_of_value() -> None:
    _, warnings = load_post("posts/a.md", post(drafts="2099-06-01").encode(), ZONE)
    assert [w.hint for w in warnings] == [None]  # a quiet note: a date is no draft flag
    _, warnings = load_post("posts/a.md", post(drafts="true").encode(), ZONE)
    assert [w.hint for w in warnings] == ["did you mean 'draft'?"]
