"""Faults of the build itself: signals, a damaged cache, two builds at once, bad disks."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import (
    SRC,
    TrustSite,
    assert_no_traceback,
    needs_engine,
    post_text,
    snapshot,
    wait_until,
)

GOOD = post_text(
    "Good",
    "```python\nimport matplotlib.pyplot as plt\nprint('GOOD-OUTPUT')\n"
    "plt.plot([0, 1], [0, 1])\nplt.show()\n```\n",
)


def executed(run_stdout: str) -> int:
    match = re.search(r"(\d+) executed", run_stdout)
    assert match, f"no 'N executed' in the summary:\n{run_stdout}"
    return int(match.group(1))


def slow_post(flag: Path, marker: str, release: Path | None = None) -> str:
    """A snippet that says it started (a flag file outside the site), starts a process of its own
    in a new session, then waits: for `release` to exist, or for a signal."""
    wait = (
        f"while not os.path.exists(r'{release}'):\n    time.sleep(0.02)\n"
        if release
        else "time.sleep(300)\n"
    )
    return post_text(
        "Slow",
        "```python\n#| timeout: 120\n#| cache: keep\nimport os, subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '{marker}-bg'],"
        " start_new_session=True)\n"
        f"open(r'{flag}', 'w').write('started')\n{wait}print('SLOW-DONE')\n```\n",
    )


def finish(process: subprocess.Popen[str], timeout_s: float = 60) -> int:
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
        pytest.fail(f"the build did not stop within {timeout_s} s of the signal")


@pytest.fixture
def built(trust_site: Callable[..., TrustSite]) -> TrustSite:
    """A site that built once with an executed post and a figure: the previous site."""
    site = trust_site(
        {"posts/2025-01-01-good.md": GOOD, "site.toml": "search = false\n"}, name="built"
    )
    run = site.build()
    assert run.code == 0, str(run)
    return site


# Signals ---------------------------------------------------------------------------------------


@needs_engine
def searched_posts() -> dict[str, str]:
    """150 posts of prose: Pagefind takes long enough over them to be caught running."""
    return {
        f"posts/2025-01-{1 + i % 28:02d}-post-{i}.md": post_text(
            f"Post {i}", f"## Heading {i}\n\n" + "Some words about sums. " * 200 + "\n"
        )
        for i in range(150)
    }


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_execution_leaves_no_child_and_the_previous_site(
    built: TrustSite, signum: int
) -> None:
    # Proves: KeyboardInterrupt (and SIGTERM made one by cli/scheduler) unwinds through the
    # scheduler's `finally` (group kill) and the reaper (the snippet's own new-session process).
    site = built
    previous, cache_before = snapshot(site.out), snapshot(site.cache / "entries")
    flag = site.tmp.parent / f"{site.root.name}-{signum}.flag"
    site.write("posts/2025-02-01-slow.md", slow_post(flag, site.marker))
    process = site.start("build")
    try:
        assert wait_until(lambda: flag.exists() or process.poll() is not None, 120)
        assert process.poll() is None, f"the build ended early:\n{site.started_output()}"
        process.send_signal(signum)
        code = finish(process)
    finally:
        if process.poll() is None:
            process.kill()
    output = site.started_output()
    assert code == 130, output
    assert "interrupted" in output and not re.search(r"^Traceback", output, re.M), output
    assert site.wait_no_processes() == [], "a process of the build outlived it"
    assert snapshot(site.out) == previous
    assert site.leftovers() == []
    assert snapshot(site.cache / "entries") == cache_before  # nothing half-written
    # The next build works, and the interrupted post was never cached as done.
    site.write("posts/2025-02-01-slow.md", post_text("Slow", "```python\nprint('FAST')\n```\n"))
    run = site.build()
    assert run.code == 0, str(run)
    assert executed(run.stdout) == 1  # the new post; the good post comes from the cache
    assert "FAST" in (site.out / "posts/slow/index.html").read_text()


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_writing_removes_the_staging_folder(
    trust_site: Callable[..., TrustSite], signum: int
) -> None:
    # Proves: write_site removes its staging folder on any interruption (BaseException), and
    # cli turns SIGTERM into that interruption (the default action would leave it behind).
    site = trust_site({**searched_posts(), "site.toml": "search = true\n"}, name="writing")
    first = site.build()
    assert first.code == 0, str(first)
    previous = snapshot(site.out)
    caught = False
    for attempt in range(5):  # the write phase is short: try again if the build outran us
        site.write("posts/2025-01-01-post-0.md", post_text("Post 0", f"Edit {attempt}.\n"))
        process = site.start("build", "--no-cache")
        wait_until(
            lambda p=process: staging_exists(site) or p.poll() is not None, 120, interval_s=0.002
        )
        if process.poll() is not None:
            previous = snapshot(site.out)  # it finished: that is the previous site now
            continue
        process.send_signal(signum)
        code = finish(process)
        if code == 0:  # the signal came after the swap
            previous = snapshot(site.out)
            continue
        caught = True
        output = site.started_output()
        assert code == 130, output
        assert not re.search(r"^Traceback", output, re.M), output
        break
    if not caught:
        pytest.skip("the write phase was too short to interrupt on this machine")
    assert site.leftovers() == [], site.started_output()
    assert snapshot(site.out) == previous
    assert site.wait_no_processes() == []  # Pagefind included
    run = site.build()
    assert run.code == 0, str(run)


@needs_engine
@pytest.mark.timeout(180)
def test_a_build_that_fails_once_its_pages_are_staged_stops_pagefind_and_leaves_no_folder(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: Pagefind starts on the staged pages before the build knows it will fail (a snippet
    # error stops the build after render); the failure stops Pagefind before the staging folder
    # is removed, so nothing of it is left, and the previous site stays as it was.
    site = trust_site({**searched_posts(), "site.toml": "search = true\n"}, name="failing")
    first = site.build()
    assert first.code == 0, str(first)
    previous = snapshot(site.out)
    site.write(
        "posts/broken.md", post_text("Broken", "```python\nraise ValueError('BROKEN')\n```\n")
    )
    run = site.build()
    assert run.code == 1, str(run)
    assert "BROKEN" in run.stderr, str(run)
    assert [p for p in site.processes() if "pagefind" in p[1]] == [], "Pagefind was left running"
    assert site.leftovers() == [], str(run)
    assert snapshot(site.out) == previous


def staging_exists(site: TrustSite) -> bool:
    return any(p.name.startswith("._site.new-") for p in site.root.iterdir())


# The cache -------------------------------------------------------------------------------------


@needs_engine
@pytest.mark.timeout(180)
def test_an_engine_started_for_nothing_ends_with_the_build(built: TrustSite) -> None:
    # Without the last build's record, a build guesses that posts with code will run and starts
    # the fork server at once (cli._start_early_for_code_edits); the cache then has every run.
    # The server, still importing numpy and matplotlib, must end with the build, not after it.
    site = built
    for attempt in range(3):
        (site.cache / "last-build.json").unlink()
        site.write("posts/2025-01-01-good.md", GOOD + f"\nProse edit {attempt}.\n")
        run = site.build()
        assert run.code == 0, str(run)
        assert "0 executed" in run.output, str(run)
        assert site.processes() == [], f"a process of the build outlived it: {run}"


@needs_engine
@pytest.mark.timeout(180)
def test_damaged_cache_entries_are_misses_never_crashes(built: TrustSite) -> None:
    # Proves: CacheStore.load and execute._load treat every damaged entry as a miss, and
    # reuse.memo_file a damaged memo file.
    site = built
    page_before = (site.out / "posts/good/index.html").read_bytes()
    entries = sorted((site.cache / "entries").glob("*.json"))
    assert entries, "the first build cached nothing"
    original = entries[0].read_bytes()
    entry = json.loads(original)
    damaged = {
        "truncated": original[: len(original) // 2],
        "garbage": b"\x00\xff not json at all",
        "empty": b"",
        "foreign-version": json.dumps({**entry, "format": 999}).encode(),
        "wrong-types": json.dumps(
            {**entry, "payload": {"results": [{"outputs": "nope"}], "duration_s": "x"}}
        ).encode(),
        "escaping-manifest": json.dumps(
            {**entry, "manifest": {**entry["manifest"], "files": [["../../etc/passwd", ""]]}}
        ).encode(),
        "list": b"[]",
    }
    for name, data in damaged.items():
        entries[0].write_bytes(data)
        for memo in site.cache.glob("build-memo.*"):
            memo.write_bytes(b"garbage pickle " + name.encode())
        run = site.build()
        assert run.code == 0, f"{name}:\n{run}"
        assert_no_traceback(run)
        assert executed(run.stdout) == 1, f"{name}: the damaged entry was not a miss"
        assert (site.out / "posts/good/index.html").read_bytes() == page_before, name
    # Rebuilt: the next build executes nothing.
    run = site.build()
    assert run.code == 0 and executed(run.stdout) == 0, str(run)


@needs_engine
@pytest.mark.timeout(180)
def test_a_missing_figure_in_the_cache_is_a_miss(built: TrustSite) -> None:
    # Proves: the manifest lists the run's figures and a lookup checks they are still there.
    site = built
    figures = list((site.cache / "figures").iterdir())
    assert figures
    for figure in figures:
        figure.unlink()
    run = site.build()
    assert run.code == 0, str(run)
    assert executed(run.stdout) == 1
    assert sorted(p.name for p in (site.out / "figures").iterdir()) == sorted(
        p.name for p in figures
    )


@needs_engine
@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_killed_build_leaves_scratch_folders_that_the_next_build_removes(
    built: TrustSite,
) -> None:
    # Proves: scratch.py's build folder lock: kill -9 cleans up nothing, the next build does.
    site = built
    flag = site.tmp.parent / "killed.flag"
    site.write("posts/2025-02-01-slow.md", slow_post(flag, site.marker))
    process = site.start("build")
    try:
        assert wait_until(lambda: flag.exists() or process.poll() is not None, 120)
        assert process.poll() is None, site.started_output()
    finally:
        process.kill()
        process.wait(timeout=30)
    site.wait_no_processes(timeout_s=5)
    site.kill_leftovers()  # the snippet's own new-session process: nobody left to adopt it
    ours = lambda: [name for name in site.leftovers() if name.startswith("TMPDIR/lemma-")]  # noqa: E731
    assert ours()
    site.write("posts/2025-02-01-slow.md", post_text("Slow", "```python\nprint('FAST')\n```\n"))
    run = site.build()
    assert run.code == 0, str(run)
    assert executed(run.stdout) == 1
    # Python's own pymp-* folder (the fork server's socket) of the killed build is not Lemma's.
    assert ours() == []


@needs_engine
@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_build_never_removes_the_scratch_folder_of_another_running_build(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: a running build's folder is locked; another site's build sharing TMPDIR sweeps
    # only unlocked ones. The slow post writes into its working folder after the other build.
    first = trust_site({"site.toml": "search = false\n"}, name="first")
    flag, release = first.tmp.parent / "first.flag", first.tmp.parent / "first.release"
    code = (
        "```python\n#| timeout: 120\nimport os, time\n"
        f"open(r'{flag}', 'w').write('started')\n"
        f"while not os.path.exists(r'{release}'):\n    time.sleep(0.02)\n"
        "open('after.txt', 'w').write('STILL-HERE')\nprint(open('after.txt').read())\n```\n"
    )
    first.write("posts/2025-02-01-slow.md", post_text("Slow", code))
    second = trust_site({"site.toml": "search = false\n", "posts/2025-01-01-good.md": GOOD})
    process = first.start("build")
    try:
        assert wait_until(lambda: flag.exists() or process.poll() is not None, 120)
        assert process.poll() is None, first.started_output()
        run = second.build(env={"TMPDIR": str(first.tmp)})
        assert run.code == 0 and executed(run.stdout) == 1, str(run)
        release.write_text("go")
        assert finish(process, 120) == 0, first.started_output()
    finally:
        release.write_text("go")
        if process.poll() is None:
            process.kill()
    assert "STILL-HERE" in (first.out / "posts/slow/index.html").read_text()
    assert first.leftovers() == []


# Two builds at once -----------------------------------------------------------------------------


@needs_engine
@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_second_build_at_once_stops_with_a_clear_message(built: TrustSite) -> None:
    # Proves: write.build_lock: without it both builds swap _site/ and one leaves ._site.old-*.
    site = built
    flag = site.tmp.parent / "concurrent.flag"
    release = site.tmp.parent / "concurrent.release"
    site.write("posts/2025-02-01-slow.md", slow_post(flag, site.marker, release))
    first = site.start("build")
    try:
        assert wait_until(lambda: flag.exists() or first.poll() is not None, 120)
        assert first.poll() is None, site.started_output()
        second = site.build(timeout_s=60)
        assert second.code == 1, str(second)
        assert "another build of this site is running" in second.stderr, str(second)
        assert_no_traceback(second)
        release.write_text("go")
        assert finish(first, 120) == 0, site.started_output()
    finally:
        release.write_text("go")
        if first.poll() is None:
            first.kill()
    assert site.leftovers() == []
    assert "SLOW-DONE" in (site.out / "posts/slow/index.html").read_text()
    again = site.build()
    assert again.code == 0 and executed(again.stdout) == 0, str(again)


def test_the_lock_is_released_when_a_build_dies(built: TrustSite) -> None:
    # Proves: an flock, not a pid file: a killed build never blocks the next one.
    site = built
    holder = subprocess.Popen(
        [
            "python",
            "-c",
            "import sys, time; sys.path.insert(0, sys.argv[1]);"
            "from pathlib import Path; from lemma.write import build_lock\n"
            "with build_lock(Path(sys.argv[2])):\n    print('held', flush=True); time.sleep(300)",
            str(SRC),
            str(site.cache),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        blocked = site.build()
        assert blocked.code == 1 and "another build" in blocked.stderr, str(blocked)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    run = site.build()
    assert run.code == 0, str(run)


# Disks -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): {done.stderr}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def test_a_full_disk_is_a_clear_error_and_keeps_the_previous_site(
    trust_site: Callable[..., TrustSite], tmp_path: Path
) -> None:
    # Proves: write_site turns ENOSPC into a LemmaError and removes its staging folder.
    site = trust_site(
        {"posts/a.md": post_text("A", "Small.\n"), "site.toml": "search = false\n"}, name="full"
    )
    with tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "_site"
        first = site.build("--out", out)
        assert first.code == 0, str(first)
        previous = snapshot(out)
        site.write("posts/b.md", post_text("B", "Many words. " * 150_000))  # ~1.8 MB page
        run = site.build("--out", out)
        assert run.code == 1, str(run)
        assert_no_traceback(run)
        assert "cannot write the site: No space left on device" in run.stderr, str(run)
        assert snapshot(out) == previous
        assert [p.name for p in disk.iterdir()] == ["_site"]


def test_a_read_only_output_disk_is_a_clear_error_and_keeps_the_previous_site(
    trust_site: Callable[..., TrustSite], tmp_path: Path
) -> None:
    # Proves: the same for EROFS (root ignores file modes, so a read-only mount stands in for
    # a folder the user may not write).
    site = trust_site(
        {"posts/a.md": post_text("A", "Small.\n"), "site.toml": "search = false\n"}, name="ro"
    )
    with tmpfs(tmp_path / "ro-disk", "4m") as disk:
        out = disk / "_site"
        first = site.build("--out", out)
        assert first.code == 0, str(first)
        previous = snapshot(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        site.write("posts/b.md", post_text("B", "More.\n"))
        run = site.build("--out", out)
        assert run.code == 1, str(run)
        assert_no_traceback(run)
        assert "cannot write the site: Read-only file system" in run.stderr, str(run)
        assert snapshot(out) == previous


def test_a_file_where_the_output_folder_should_be_is_a_clear_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: write_site's mkdir and mkdtemp are inside its error handling (was a traceback).
    site = trust_site({"posts/a.md": post_text("A", "Small.\n"), "blocker": "a file"})
    run = site.build("--out", site.root / "blocker" / "_site")
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    assert "cannot write the site" in run.stderr, str(run)
    assert (site.root / "blocker").read_text() == "a file"
