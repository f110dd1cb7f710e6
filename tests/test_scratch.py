"""A post's scratch folder, handed on to a later post, shows it nothing an earlier post left."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest

from engine_support import write_post
from lemma.execute import ExecutionSettings, execute_posts
from lemma.execute.sandbox import populate_scratch
from lemma.execute.scratch import MIRROR, Scratch, scratch_for_session
from lemma.model import Stream


def listing(top: Path) -> dict[str, str]:
    """Every path under `top`, with where it links to ("dir" for a folder, "file" for a file)."""
    found = {}
    for folder, names, files in os.walk(top):
        for name in [*names, *files]:
            path = Path(folder, name)
            kind = str(path.readlink()) if path.is_symlink() else "dir" if path.is_dir() else "file"
            found[str(path.relative_to(top))] = kind
    return found


def names(folder: str | Path) -> list[str]:
    return sorted(path.name for path in Path(folder).iterdir())


def blog(root: Path) -> Path:
    (root / "posts" / "2023").mkdir(parents=True)
    (root / "posts" / "data").mkdir()
    (root / "data").mkdir()
    for post in ("posts/a.md", "posts/b.md", "posts/2023/c.md"):
        (root / post).write_text("---\ntitle: x\n---\n")
    return root


def test_a_handed_on_mirror_is_the_mirror_a_new_folder_gets(tmp_path: Path) -> None:
    root = blog(tmp_path / "home" / "blog")
    used = tmp_path / "scratch" / "used"  # the scratch folders are not above the blog
    work = Path(populate_scratch(str(used), str(root / "posts"), "a.md", []))
    # What post a leaves behind: files by relative paths, here and above, and a folder of them.
    (work / "out.csv").write_text("1")
    (work / "made" / "deep").mkdir(parents=True)
    (work / "made" / "deep" / "x").write_text("1")
    (work.parent / "above.txt").write_text("1")
    (work / "data").unlink()
    (work / "data").symlink_to(tmp_path)  # a link that points elsewhere now

    steps = [("posts", "b.md", ["2023", "b.md", "data"]), ("posts/2023", "c.md", ["c.md"])]
    for index, (post_dir, name, seen) in enumerate(
        [*steps, ("posts", "a.md", ["2023", "a.md", "data"])]
    ):
        cwd = populate_scratch(str(used), str(root / post_dir), name, [])
        new = tmp_path / "scratch" / f"new-{index}"
        fresh = populate_scratch(str(new), str(root / post_dir), name, [])
        # Compared below this test's own folder: the folders above it (/tmp) are mirrored too,
        # and other tests running meanwhile add and remove entries there.
        assert listing(Path(f"{used}{tmp_path}")) == listing(Path(f"{new}{tmp_path}"))
        assert Path(cwd).relative_to(used) == Path(fresh).relative_to(new)
        assert names(cwd) == seen


def test_a_post_folder_is_handed_on_emptied_but_for_its_mirror(tmp_path: Path) -> None:
    with Scratch() as scratch:
        folder = Path(scratch.post_folder())
        assert names(folder) == [MIRROR]
        (folder / "stdout").write_text("the last post's output")
        (folder / MIRROR / "kept").mkdir()
        scratch.hand_on_later(str(folder))
        emptied = threading.Event()
        scratch.later(emptied.set)  # runs after the hand-on queued before it
        assert emptied.wait(30)
        assert scratch.post_folder() == str(folder)
        assert names(folder) == [MIRROR]
        assert names(folder / MIRROR) == ["kept"]  # the next post brings it up to date
        assert Path(scratch.post_folder()) != folder  # handed on once only


def test_a_scratch_folder_that_is_a_link_is_refused_and_its_target_untouched(
    tmp_path: Path,
) -> None:
    root = blog(tmp_path / "home" / "blog")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    scratch = tmp_path / "scratch"
    scratch.symlink_to(precious)  # what a post could leave in place of its mirror
    with pytest.raises(OSError):
        populate_scratch(str(scratch), str(root / "posts"), "a.md", [])
    assert names(precious) == ["keep.txt"]


def test_runs_in_a_session_hand_post_folders_on_and_the_session_removes_them(
    tmp_path: Path,
) -> None:
    # lemma serve's rebuilds: a code edit's run takes the folder the last run left, mirror and all.
    settings = ExecutionSettings(
        tmp_path, tmp_path / ".lemma-cache", tmp_path / "_site", 2, 2048, False
    )
    with scratch_for_session() as session:
        for value in (1, 2):
            job = write_post(tmp_path, "post", [f"print({value} * 10)"])
            run = execute_posts([job], settings)[job.source_path]
            shown = [output for result in run.results for output in result.outputs]
            assert run.failure is None and shown == [Stream("stdout", f"{value * 10}\n")]
            folders = sorted(p.name for p in session.folder.glob("post-*"))
            assert len(folders) == 1, folders  # the second run took the first run's folder
            assert names(session.folder / folders[0]) == [MIRROR]  # emptied, its mirror kept
    assert not session.folder.exists()


def test_a_build_starting_beside_another_never_takes_its_new_folder_for_a_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another build's sweep of leftovers (in its own process) comes at the worst moment: while
    this build's scratch folder is being locked. The folder must survive it."""
    import fcntl
    import subprocess
    import sys

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    real_flock = fcntl.flock
    swept: list[str] = []

    def flock_after_a_sweep(fd: int, operation: int) -> None:
        if not swept:
            sweep = "from lemma.execute.scratch import remove_leftovers; print(remove_leftovers())"
            done = subprocess.run(
                [sys.executable, "-c", sweep], capture_output=True, text=True, check=True
            )
            swept.append(done.stdout.strip())
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock_after_a_sweep)
    with Scratch() as scratch:
        assert swept == ["[]"]  # the other build removed nothing
        assert Path(scratch.post_folder()).is_dir()


def test_a_write_by_the_name_of_a_link_to_nothing_lands_in_scratch(tmp_path: Path) -> None:
    # A link that points nowhere beside the posts (an editor's lock file, an unmounted drive):
    # a post writing by its name must not make the link's target, outside the site.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "blog"
    site.mkdir()
    (site / "output.csv").symlink_to(elsewhere / "made.csv")
    settings = ExecutionSettings(site, site / ".lemma-cache", site / "_site", 1, 2048, False)
    code = "open('../output.csv', 'w').write('1,2')\nprint(open('../output.csv').read())"
    job = write_post(site, "post", [code])
    run = execute_posts([job], settings)[job.source_path]
    shown = [output for result in run.results for output in result.outputs]
    assert run.failure is None and shown == [Stream("stdout", "1,2\n")]
    assert names(elsewhere) == []
    assert (site / "output.csv").is_symlink()  # the author's link is left as it was
