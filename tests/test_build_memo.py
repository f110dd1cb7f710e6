"""The on-disk build memo: reused by the next build, and never trusted to run code."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from lemma.errors import Problem
from site_support import SiteDir, assert_ok, post


class _RunsAShell:
    """Unpickling this would run a shell command: what a crafted memo file could try."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_second_build_shows_a_prose_edit_made_after_the_first(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A", body="First version of the prose.\n")})
    assert_ok(site.build())
    assert (site.root / ".lemma-cache" / "build-memo.json").is_file()

    site.write("posts/a.md", post("A", body="Second version of the prose.\n"))
    assert_ok(site.build())

    page = site.page("posts/a/index.html")
    assert "Second version" in page
    assert "First version" not in page


def test_an_edit_of_the_front_matter_alone_is_shown_as_a_clean_build_shows_it(
    make_site: Callable[..., SiteDir],
) -> None:
    def text(title: str, description: str) -> str:
        return (
            f"---\ntitle: {title}\ndate: 2024-01-01\ndescription: {description}\n"
            "tags: [rates]\n---\n\nBody.\n"
        )

    site = make_site({"posts/a.md": text("Rate $x$", "Old words, $a$.")})
    assert_ok(site.build())
    site.write("posts/a.md", text("Rate $y$", "New words, $b$."))
    assert_ok(site.build())
    page, home = site.page("posts/a/index.html"), site.page("index.html")
    assert "<mi>y</mi>" in page and "<mi>x</mi>" not in page  # the title's formula
    assert "New words" in home and "Old words" not in home  # the listing's excerpt
    clean = make_site({"posts/a.md": text("Rate $y$", "New words, $b$.")})
    assert_ok(clean.build())
    assert clean.page("index.html") == home and clean.page("posts/a/index.html") == page
    for listing in ("archive/index.html", "tags/rates/index.html"):  # every list of the post
        assert "<mi>y</mi>" in site.page(listing)
        assert site.page(listing) == clean.page(listing)
    feed = site.page("feed.xml")
    assert "<title>Rate y</title>" in feed and "New words, b." in feed
    assert feed == clean.page("feed.xml")


def test_a_crafted_memo_file_is_ignored_and_never_runs_code(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = make_site({"posts/a.md": post("A", body="Some prose.\n")})
    marker = tmp_path / "pwned"
    for name in ("build-memo.pickle", "build-memo.json"):  # the old name, and the current one
        memo = site.root / ".lemma-cache" / name
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_bytes(pickle.dumps({"fingerprint": _RunsAShell(marker)}))

    assert_ok(site.build())

    assert not marker.exists()
    assert "Some prose." in site.page("posts/a/index.html")


def read_memos(memo_file: Path) -> tuple[bytes, dict[str, dict[str, object]]]:
    """The memo file's first line, and each memo's entries decoded (the format is in memo_file)."""
    header, *lines = memo_file.read_bytes().split(b"\n")
    memos: dict[str, dict[str, object]] = {}
    for line in filter(None, lines):
        head, value = line.split(b"\t", 1)
        name, key = json.loads(head)
        memos.setdefault(name, {})[key] = json.loads(value)
    return header, memos


def write_memos(memo_file: Path, header: bytes, memos: dict[str, dict[str, object]]) -> None:
    lines = [header]
    for name, entries in memos.items():
        lines += [
            json.dumps([name, k]).encode() + b"\t" + json.dumps(v).encode()
            for k, v in entries.items()
        ]
    memo_file.write_bytes(b"\n".join(lines) + b"\n")


def _mark_memoized_bodies(memo_file: Path, word: str, marker: str) -> None:
    """Rewrite `word` in the memo's rendered bodies: a page shows `marker` only if it was reused."""
    header, memos = read_memos(memo_file)

    def rewrite(value: object) -> object:
        if isinstance(value, str):
            return value.replace(word, marker)
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        return value

    memos["bodies"] = {key: rewrite(value) for key, value in memos["bodies"].items()}
    # A post page is memoized by its body's key: without this, the page memo would give back
    # the page as it was, and no page would show whether the body memo was reused.
    memos["pages"] = {}
    write_memos(memo_file, header, memos)


def test_flags_that_do_not_change_output_keep_the_memo(
    make_site: Callable[..., SiteDir],
) -> None:
    # A base_url: --strict fails a site without one (its warning becomes an error).
    site_toml = 'search = false\nbase_url = "https://example.org/"\n'
    site = make_site(
        {"site.toml": site_toml, "posts/a.md": post("A", body="Some distinctive prose.\n")}
    )
    assert_ok(site.build("--jobs", "1"))
    memo_file = site.root / ".lemma-cache" / "build-memo.json"
    _mark_memoized_bodies(memo_file, "distinctive", "memoized")

    assert_ok(site.build("--jobs", "2", "--keep-going", "--strict", "--quiet"))

    # The body came from the memo of the `--jobs 1` build, not from rendering the post again.
    assert "Some memoized prose." in site.page("posts/a/index.html")


def test_a_setting_that_changes_output_throws_the_memo_away(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A", body="Some distinctive prose.\n")})
    assert_ok(site.build())
    memo_file = site.root / ".lemma-cache" / "build-memo.json"
    _mark_memoized_bodies(memo_file, "distinctive", "memoized")

    assert_ok(site.build("--drafts"))

    assert "Some distinctive prose." in site.page("posts/a/index.html")


def test_a_damaged_memo_line_costs_its_entry_alone(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(
        {
            "posts/a.md": post("A", body="First prose.\n"),
            "posts/b.md": post("B", body="Some distinctive words.\n"),
            "posts/c.md": post("C", body="Other distinctive words.\n"),
        }
    )
    assert_ok(site.build())
    memo_file = site.root / ".lemma-cache" / "build-memo.json"
    _mark_memoized_bodies(memo_file, "distinctive", "memoized")
    # Cut the line of b's body short, as a crash while writing, or a bad disk block, would.
    lines = memo_file.read_bytes().split(b"\n")
    damaged = [i for i, line in enumerate(lines) if b"Some memoized words" in line]
    assert len(damaged) == 1
    lines[damaged[0]] = lines[damaged[0]][:-40]
    memo_file.write_bytes(b"\n".join(lines))
    site.write("posts/a.md", post("A", body="Edited prose.\n"))

    assert_ok(site.build())

    assert "Edited prose." in site.page("posts/a/index.html")
    assert "Some distinctive words." in site.page("posts/b/index.html")  # made again
    assert "Other memoized words." in site.page("posts/c/index.html")  # the rest was read


PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def test_an_image_added_after_a_build_that_missed_it_is_shown_by_the_next(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A", body="Look:\n\n![a dot](dot.png)\n")})
    first = site.build("--keep-going")
    assert first.code == 1 and "missing image" in site.page("posts/a/index.html")
    site.write("posts/dot.png", PIXEL)
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert "missing image" not in page and 'alt="a dot"' in page
    feed = site.page("feed.xml")  # it holds the post's content too
    assert "missing image" not in feed and "a dot" in feed


def test_serve_s_memos_see_an_image_added_or_removed_beside_a_post(tmp_path: Path) -> None:
    from lemma.config import load_config
    from lemma.memos import Memos
    from lemma.pipeline import assemble_site

    site = SiteDir(tmp_path)
    site.write("posts/a.md", post("A", body="Look:\n\n![a dot](dot.png)\n"))
    config = load_config(tmp_path)
    memos = Memos()  # what `lemma serve` keeps from one rebuild to the next

    def missing() -> list[str]:
        return [p.message for p in assemble_site(config, memos).problems if "image" in p.message]

    assert missing()
    site.write("posts/dot.png", PIXEL)
    assert missing() == []
    (tmp_path / "posts/dot.png").unlink()
    assert missing()


def test_highlighted_code_is_kept_for_every_post_across_prose_edits(
    make_site: Callable[..., SiteDir],
) -> None:
    def text(name: str, prose: str, code: str) -> str:
        return post(name, body=f"{prose}\n\n```python\n{code}\n```\n")

    site = make_site(
        {
            "posts/a.md": text("A", "One.", "print('alpha')"),
            "posts/b.md": text("B", "Two.", "x = 1"),
        }
    )
    assert_ok(site.build())
    site.write("posts/a.md", text("A", "One, edited.", "print('alpha')"))
    assert_ok(site.build())  # b's body comes from the memo: its highlighted code must stay
    _, memos = read_memos(site.root / ".lemma-cache" / "build-memo.json")
    assert len(memos["highlights"]) == 2
    site.write("posts/b.md", text("B", "Two.", "y = 2"))
    assert_ok(site.build())
    page = site.page("posts/b/index.html")
    assert '<span class="n">y</span>' in page and '<span class="n">x</span>' not in page


def test_a_body_whose_spilled_html_cannot_be_read_back_is_rendered_again(
    make_site: Callable[..., SiteDir],
) -> None:
    # `lemma build` keeps each rendered body on disk until its page is made; should that file be
    # gone by then, the page still gets its body, made again.
    from lemma.config import load_config
    from lemma.memos import memos_in, open_memo_file
    from lemma.pipeline import prepare_posts
    from lemma.render import PostBodies
    from lemma.reuse.figures import FigureStore

    site = make_site({"posts/a.md": post("A", body="Euler: $e^{i\\pi} + 1 = 0$, *exactly*.\n")})
    config = load_config(site.root)
    memo_file = open_memo_file(config)
    memos = memos_in(memo_file)
    prepared = prepare_posts(config, memos)
    figures = FigureStore.in_cache(config.cache_dir)
    bodies = PostBodies(config, prepared.posts, prepared.snippets, figures, memos.render)
    item = bodies.rendered(prepared.posts[0], None)
    assert not isinstance(item, Problem) and item.body.html == ""  # spilled: not held
    html = bodies.html(item)
    assert "<math" in html and "<em>exactly</em>" in html
    memo_file.close()  # its spill file goes with it
    assert bodies.html(item) == html
