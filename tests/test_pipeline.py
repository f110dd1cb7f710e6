"""The whole build: which posts are published, "now" from SOURCE_DATE_EPOCH, reproducible output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lemma.config import build_now
from site_support import SiteDir, assert_ok, blog_copy, post, run_lemma, snapshot


def test_build_now_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_now() == datetime.fromtimestamp(1700000000, UTC)


def test_build_now_ignores_a_malformed_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert build_now().year >= 2025


DRAFTS = {
    "posts/2025-01-01-public.md": post("Public", "2025-01-01", tags="[shared]"),
    "posts/2025-01-02-draft.md": post("Draft", "2025-01-02", draft="true", tags="[shared, hidden]"),
    "posts/2025-01-03-future.md": post("Future", "2026-06-01", tags="[shared]"),
}


def test_drafts_and_future_posts_are_left_out(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(DRAFTS)
    assert_ok(site.build())
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["public"]
    everything = b"".join(snapshot(site.out).values())
    assert b"Draft" not in everything
    assert b"Future" not in everything
    assert not (site.out / "tags/hidden").exists()


def test_drafts_flag_includes_drafts_and_future_posts(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(DRAFTS)
    assert_ok(site.build("--drafts"))
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["draft", "future", "public"]
    assert (site.out / "tags/hidden/index.html").is_file()
    assert "Future" in site.page("index.html")


def test_future_is_relative_to_source_date_epoch(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(DRAFTS)
    later = str(int(datetime(2026, 7, 1, tzinfo=UTC).timestamp()))
    assert_ok(site.build(env={"SOURCE_DATE_EPOCH": later}))
    assert sorted(p.name for p in (site.out / "posts").iterdir()) == ["future", "public"]


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run, seed in (("one", "1"), ("two", "2")):
        out = tmp_path / run / "_site"
        root = blog_copy(tmp_path / run)
        result = run_lemma(
            "build", "--root", root, "--out", out, cwd=tmp_path, env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(out))
    first, second = outputs
    assert len(first) > 20
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []


def test_rebuild_without_changes_gives_the_same_site(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": post("A", tags="[x, y]"), "posts/b.md": post("B")})
    assert_ok(site.build())
    first = snapshot(site.out)
    assert_ok(site.build())
    assert snapshot(site.out) == first


def test_warnings_do_not_fail_a_build_but_strict_does(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": post("A", tittle="post", hero="x")})
    lenient = site.build()
    assert_ok(lenient)
    assert "posts/a.md:4: warning: front matter: unknown key 'tittle'" in lenient.stderr
    assert "posts/a.md:5: note: front matter: 'hero' is not a key Lemma uses" in lenient.stderr
    strict = site.build("--strict")
    assert strict.code == 1
    assert "posts/a.md:4: front matter: unknown key 'tittle'" in strict.stderr
    # A note says what Lemma does with a key it does not use: --strict leaves it a note.
    assert "posts/a.md:5: note: front matter: 'hero'" in strict.stderr


def test_pages_rendered_as_runs_arrive_equal_pages_rendered_from_the_cache(
    make_site: Callable[..., SiteDir],
) -> None:
    # A cold build renders each executed post's body while the other posts still run; a build
    # whose runs all come from the cache renders them at the end: the same bytes either way.
    code = "```python\nimport numpy as np\nprint(np.arange({n}).sum())\n```\n"
    files = {
        f"posts/p{n}.md": post(f"P{n}", f"2025-01-{n + 10}", body=f"See $x^{n}$.\n\n" + code)
        for n in range(4)
    }
    files = {path: text.replace("{n}", path[7]) for path, text in files.items()}
    files["posts/p0.md"] = files["posts/p0.md"].replace("print(", "1 / 0\nprint(")
    site = make_site(files)
    first = site.build("--keep-going")
    assert first.code == 1 and "posts/p0.md:10: ZeroDivisionError" in first.stderr, str(first)
    assert "4 executed" in first.stdout, str(first)
    built = snapshot(site.out)
    shutil.rmtree(site.out)
    (site.root / ".lemma-cache" / "build-memo.json").unlink()
    second = site.build("--keep-going")
    assert "1 executed" in second.stdout and "3 from cache" in second.stdout, str(
        second
    )  # p0 failed
    assert snapshot(site.out) == built
