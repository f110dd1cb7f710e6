"""Writing the site: refused output folders, paths kept inside, and an all-or-nothing swap."""

from __future__ import annotations

import errno
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from lemma.cli import main
from lemma.cli.console import Console
from lemma.errors import LemmaError
from lemma.model import Asset, KeptPage, Page, Site
from lemma.reuse.memo import content_digest
from lemma.write import (
    MARKER,
    Staging,
    check_output_dir,
    safe_output_path,
    write_site,
)
from site_support import SiteDir, assert_ok, post, snapshot

# --- check_output_dir ------------------------------------------------------------------------


def refusal(root: Path, out: Path, *, explicit: bool = True) -> str:
    with pytest.raises(LemmaError) as info:
        check_output_dir(root, out, explicit=explicit)
    return str(info.value)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "site/posts").mkdir(parents=True)
    return tmp_path / "site"


def test_output_folder_may_not_be_the_root(root: Path) -> None:
    assert "site root" in refusal(root, root)
    assert "site root" in refusal(root, root / ".")


def test_output_folder_may_not_contain_the_root(root: Path) -> None:
    assert "site root" in refusal(root, root.parent)


def test_output_folder_may_not_be_or_lie_inside_posts(root: Path) -> None:
    assert "posts/" in refusal(root, root / "posts")
    assert "posts/" in refusal(root, root / "posts/out")


def test_output_folder_outside_the_root_needs_to_be_explicit(root: Path) -> None:
    outside = root.parent / "elsewhere"
    assert "outside the site root" in refusal(root, outside, explicit=False)
    check_output_dir(root, outside, explicit=True)


def test_non_empty_folder_not_built_by_lemma_is_refused(root: Path) -> None:
    (root / "_site").mkdir()
    (root / "_site/notes.txt").write_text("mine")
    assert "not built by Lemma" in refusal(root, root / "_site")
    (root / "_site" / MARKER).write_text("")
    check_output_dir(root, root / "_site", explicit=False)


def test_output_path_that_is_a_file_is_refused(root: Path) -> None:
    (root / "_site").write_text("a file")
    assert "is a file" in refusal(root, root / "_site")


def test_empty_or_missing_folder_is_accepted(root: Path) -> None:
    check_output_dir(root, root / "_site", explicit=False)
    (root / "_site").mkdir()
    check_output_dir(root, root / "_site", explicit=False)


# --- safe_output_path --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../x.html", "a/../../x", "/etc/passwd", "a\\b", "C:x", ".."])
def test_output_paths_that_could_escape_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(LemmaError, match="outside the output folder"):
        safe_output_path(tmp_path, path)


def test_plain_output_paths_stay_inside(tmp_path: Path) -> None:
    assert (
        safe_output_path(tmp_path, "tags/c-1234/index.html") == tmp_path / "tags/c-1234/index.html"
    )


# --- write_site --------------------------------------------------------------------------------


def site_of(*pages: tuple[str, bytes], assets: tuple[Asset, ...] = ()) -> Site:
    return Site(tuple(Page(p, c) for p, c in pages), assets)


def test_write_site_writes_pages_assets_and_a_marker(tmp_path: Path) -> None:
    source = tmp_path / "style.css"
    source.write_text("body{}")
    out = tmp_path / "out"
    count = write_site(
        site_of(("index.html", b"<p>hi</p>"), assets=(Asset("assets/style.css", str(source)),)),
        out,
    )
    assert count == 2
    assert snapshot(out) == {
        MARKER: (out / MARKER).read_bytes(),
        "assets/style.css": b"body{}",
        "index.html": b"<p>hi</p>",
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def kept(out: Path, output_path: str) -> KeptPage:
    """What the memo hands out for a page of the previous site (reuse/codec.py)."""
    info = (out / output_path).stat()
    digest = content_digest((out / output_path).read_bytes())
    stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
    return KeptPage(output_path, digest, stamp, str(out / output_path))


def test_a_kept_page_is_linked_from_the_previous_site_not_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"<p>v1</p>")), out)
    inode = (out / "index.html").stat().st_ino
    write_site(Site((kept(out, "index.html"), Page("new.html", b"new")), ()), out)
    assert (out / "index.html").read_bytes() == b"<p>v1</p>"
    assert (out / "index.html").stat().st_ino == inode
    assert (out / "new.html").read_bytes() == b"new"


def test_a_kept_page_edited_during_the_build_fails_and_keeps_the_previous_site(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"<p>v1</p>")), out)
    page = kept(out, "index.html")
    (out / "index.html").write_bytes(b"<p>edited by hand</p>")  # after the memo checked it
    before = snapshot(out)
    with pytest.raises(LemmaError, match="changed or went away during the build"):
        write_site(Site((page,), ()), out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_kept_page_touched_but_unchanged_is_still_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"<p>v1</p>")), out)
    page = kept(out, "index.html")
    (out / "index.html").unlink()  # a new file with the same bytes: another inode
    (out / "index.html").write_bytes(b"<p>v1</p>")
    write_site(Site((page,), ()), out)
    assert (out / "index.html").read_bytes() == b"<p>v1</p>"


def test_write_site_replaces_the_previous_site_entirely(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("old.html", b"old")), out)
    write_site(site_of(("new.html", b"new")), out)
    assert set(snapshot(out)) == {"new.html", MARKER}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failed_write_leaves_the_previous_site_and_no_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"v1")), out)
    before = snapshot(out)
    broken = site_of(
        ("index.html", b"v2"), assets=(Asset("figures/gone.svg", str(tmp_path / "gone.svg")),)
    )
    with pytest.raises(LemmaError, match="cannot write the site"):
        write_site(broken, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failed_finalize_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"v1")), out)
    before = snapshot(out)

    def finalize(staging: Path) -> None:
        assert (staging / "index.html").read_bytes() == b"v2"
        raise LemmaError("search: index failed")

    with pytest.raises(LemmaError, match="index failed"):
        write_site(site_of(("index.html", b"v2")), out, finalize)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_site_staged_in_parts_is_the_last_site_given(tmp_path: Path) -> None:
    # A build stages its HTML pages first and the whole site at the end: what was staged
    # already is written once, and a page whose bytes changed in between is written again.
    out = tmp_path / "out"
    with Staging(out) as staging:
        folder = staging.fill(site_of(("index.html", b"v1"), ("a/page.html", b"same")))
        inode = (folder / "a" / "page.html").stat().st_ino
        staging.fill(site_of(("index.html", b"v2"), ("a/page.html", b"same"), ("a/a.ipynb", b"{}")))
        assert (folder / "a" / "page.html").stat().st_ino == inode
        assert staging.swap() == 3
    assert snapshot(out) == {
        MARKER: (out / MARKER).read_bytes(),
        "a/a.ipynb": b"{}",
        "a/page.html": b"same",
        "index.html": b"v2",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_site_staged_but_never_swapped_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site_of(("index.html", b"v1")), out)
    before = snapshot(out)
    with pytest.raises(LemmaError, match="a content error"), Staging(out) as staging:
        staging.fill(site_of(("index.html", b"v2")))
        raise LemmaError("a content error")  # what a build raises once the pages are staged
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def built_then_edited(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "blog")
    site.write("site.toml", "search = false\n")
    site.write("posts/a.md", post("A", body="Version one.\n"))
    assert main(["build", "--root", str(site.root)]) == 0
    site.write("posts/a.md", post("A", body="Version two.\n"))
    return site


def test_ctrl_c_while_the_old_site_is_removed_says_the_new_site_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The old site is removed on another thread while the build goes on; Ctrl-C comes to the
    # main thread, which is waiting for that removal.
    site = built_then_edited(tmp_path)
    real_rmtree = shutil.rmtree

    def waiting_for_removal() -> bool:
        frame = sys._current_frames().get(threading.main_thread().ident or 0)
        while frame is not None and frame.f_code.co_name != "removed":
            frame = frame.f_back
        return frame is not None

    def rmtree_interrupted(path: str | Path, *args: object, **kwargs: object) -> None:
        if "._site.old-" in str(path):
            while not waiting_for_removal():  # the build has gone on and waits for this
                pass
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        real_rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "rmtree", rmtree_interrupted)
    capsys.readouterr()
    assert main(["build", "--root", str(site.root)]) == 130
    assert "interrupted after the new site was in place" in capsys.readouterr().err
    assert "Version two." in site.page("posts/a/index.html")


def ctrl_c(*args: object) -> None:
    raise KeyboardInterrupt


def ctrl_c_then_a_failed_close(*args: object) -> None:
    # shutil.rmtree's shape: Ctrl-C, then its `finally` closes a folder already closed.
    try:
        raise KeyboardInterrupt
    finally:
        raise OSError(errno.EBADF, "Bad file descriptor")


@pytest.mark.parametrize("interrupted", [ctrl_c, ctrl_c_then_a_failed_close])
def test_ctrl_c_while_the_report_is_printed_says_the_new_site_is_in_place(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    interrupted: Callable[..., None],
) -> None:
    # The build is over, its site in place; the interruption comes as its summary is printed.
    site = built_then_edited(tmp_path)
    monkeypatch.setattr(Console, "summary", interrupted)
    capsys.readouterr()
    assert main(["build", "--root", str(site.root)]) == 130
    said = capsys.readouterr().err
    assert "interrupted after the new site was in place" in said
    assert "unchanged" not in said
    assert "Version two." in site.page("posts/a/index.html")


def test_ctrl_c_before_the_swap_says_the_previous_site_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = built_then_edited(tmp_path)
    monkeypatch.setattr(Staging, "swap", ctrl_c)
    capsys.readouterr()
    assert main(["build", "--root", str(site.root)]) == 130
    assert "interrupted; the previous site is unchanged" in capsys.readouterr().err
    assert "Version one." in site.page("posts/a/index.html")
    assert site.leftovers() == []


def test_page_with_escaping_path_is_never_written(tmp_path: Path) -> None:
    out = tmp_path / "site/out"
    with pytest.raises(LemmaError):
        write_site(site_of(("../../evil.html", b"x")), out)
    assert not (tmp_path / "evil.html").exists()
    assert not out.exists()


# --- through the CLI ---------------------------------------------------------------------------


def refused(site: SiteDir, *args: str | Path) -> str:
    posts_before = snapshot(site.root / "posts")
    result = site.build(*args)
    assert result.code == 1, str(result)
    assert "Traceback" not in result.stderr
    assert snapshot(site.root / "posts") == posts_before
    return result.stderr


def test_cli_refuses_the_root_as_output(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": post("A")})
    assert "site root" in refused(site, "--out", ".")
    assert "site root" in refused(site, "--out", "..")
    assert sorted(p.name for p in site.root.iterdir()) == ["posts", "site.toml"]


def test_cli_refuses_an_output_folder_in_posts(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": post("A")})
    assert "posts/" in refused(site, "--out", "posts")
    assert "posts/" in refused(site, "--out", "posts/site")
    assert sorted(p.name for p in (site.root / "posts").iterdir()) == ["a.md"]


def test_cli_refuses_an_implicit_output_outside_the_root(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = make_site({"posts/a.md": post("A")})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / "_site").symlink_to(elsewhere, target_is_directory=True)
    assert "outside the site root" in refused(site)
    assert list(elsewhere.iterdir()) == []


def test_cli_builds_outside_the_root_when_told_explicitly(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = make_site({"posts/a.md": post("A")})
    assert_ok(site.build("--out", tmp_path / "public"))
    assert (tmp_path / "public/posts/a/index.html").is_file()
    assert not site.out.exists()


def test_cli_refuses_a_non_empty_folder_not_built_by_lemma(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A"), "mine/notes.txt": "keep me", "_site/x": "mine"})
    assert "not built by Lemma" in refused(site, "--out", "mine")
    assert "not built by Lemma" in refused(site)
    assert (site.root / "mine/notes.txt").read_text() == "keep me"
    assert snapshot(site.out) == {"x": b"mine"}


def test_rebuild_removes_pages_of_deleted_posts(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": post("A"), "posts/b.md": post("B")})
    assert_ok(site.build())
    (site.root / "posts/b.md").unlink()
    assert_ok(site.build())
    assert (site.out / "posts/a/index.html").is_file()
    assert not (site.out / "posts/b").exists()
    assert site.leftovers() == []
