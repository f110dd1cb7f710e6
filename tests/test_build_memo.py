"""The on-disk build memo: reused by the next build, and never trusted to run code."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

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
