"""A build with nothing changed does nothing, and any change at all makes a full build again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lemma.reuse.last_build import RECORD_FILE, read_record
from site_support import (
    BASE_FILES,
    EPOCH,
    NO_SEARCH,
    REPO,
    SRC,
    SiteDir,
    assert_ok,
    lemma_env,
    post,
    snapshot,
)

NOTHING_CHANGED = "nothing changed since the last build"
RACY_POST = "posts/2025-01-10-first.md"
IGNORED = shutil.ignore_patterns("__pycache__")


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "blog")
    for relative, content in BASE_FILES.items():
        site.write(relative, content)
    # The racy post's time is ahead of every build's start, so each build counts it as modified
    # within FRESH_NS of its start, however long the first build took to start on a loaded
    # machine (3 s once, and its same-size edit went unseen).
    ahead = time.time_ns() + 3600 * 10**9
    os.utime(site.root / RACY_POST, ns=(ahead, ahead))
    assert_ok(site.build())
    return site


def test_a_second_build_with_nothing_changed_writes_nothing(site: SiteDir) -> None:
    before = snapshot(site.out)
    stats = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    again = site.build()
    assert_ok(again)
    assert NOTHING_CHANGED in again.stdout
    assert "built 2 posts" in again.stdout
    assert snapshot(site.out) == before
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == stats


# Builds, and prints which of the build's stages and their libraries it imported.
BUILD_AND_LIST_IMPORTS = """
import sys
from lemma.cli import main
code = main(sys.argv[1:])
heavy = ("lemma.load", "lemma.parse", "lemma.render", "lemma.pipeline", "lemma.execute",
         "markdown_it", "jinja2", "pygments", "yaml")
print("IMPORTED", *sorted(m for m in sys.modules if m in heavy))
sys.exit(code)
"""


def test_a_second_build_with_nothing_changed_imports_none_of_the_stages(site: SiteDir) -> None:
    # What makes it fast (about 0.1 s): only the configuration and the record are read. Once,
    # a module the record needs lived in the load stage's package, so every such build imported
    # markdown-it, YAML and all of load (70 ms more).
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_LIST_IMPORTS, "build"],
        cwd=site.root,
        env=lemma_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert NOTHING_CHANGED in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "IMPORTED"


def _edit_post_same_size_and_time(site: SiteDir) -> None:
    # The racy case: same size, same modification time, other bytes. The post was written
    # moments before the recorded build started, so its bytes are compared too.
    path = site.root / RACY_POST
    info = path.stat()
    path.write_text(path.read_text().replace("opening", "OPENING"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _remove_output_page(site: SiteDir) -> None:
    (site.out / "index.html").unlink()


def _touch_output_page(site: SiteDir) -> None:
    with (site.out / "index.html").open("a") as file:
        file.write("<!-- edited by hand -->")


CHANGES: dict[str, Callable[[SiteDir], object]] = {
    "a post edited (same size and time)": _edit_post_same_size_and_time,
    "a post added": lambda s: s.write("posts/2025-03-01-third.md", post("Third", "2025-03-01")),
    "a template added": lambda s: s.write("templates/footer.html", "<footer>mine</footer>\n"),
    "site.toml edited": lambda s: s.write("site.toml", 'search = false\ntitle = "Renamed"\n'),
    "a static file added": lambda s: s.write("static/robots-extra.txt", "hello\n"),
    # Hidden, so not walked: it says the tags `post` and `posts` are Eleventy's collections.
    "Eleventy's .eleventy.js added": lambda s: s.write(".eleventy.js", "module.exports = {};\n"),
    # Hidden too: it makes posts/ a vault, where a callout type of the author's own is one.
    "an Obsidian vault's folder added": lambda s: s.write("posts/.obsidian/workspace.json", "{}"),
    "a page of the site removed": _remove_output_page,
    "a page of the site edited": _touch_output_page,
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_makes_a_full_build(site: SiteDir, change: str) -> None:
    CHANGES[change](site)
    again = site.build()
    assert_ok(again)
    assert NOTHING_CHANGED not in again.stdout
    assert "pages written" in again.stdout and ": 0 pages written" not in again.stdout
    third = site.build()  # and the build after it has nothing to do again
    assert_ok(third)
    assert NOTHING_CHANGED in third.stdout


def test_the_full_build_after_a_change_shows_it(site: SiteDir) -> None:
    _edit_post_same_size_and_time(site)
    assert_ok(site.build())
    assert "OPENING" in site.page("posts/first/index.html")


def test_flags_that_change_the_output_or_the_verdict_make_a_full_build(site: SiteDir) -> None:
    site.write("posts/2025-04-01-draft.md", post("Draft", "2025-04-01", draft="true"))
    first = site.build()
    assert_ok(first)
    assert "left out 1 post: 1 draft" in first.stdout
    skipped = site.build("--jobs", "1")  # how many posts run at once changes nothing
    assert NOTHING_CHANGED in skipped.stdout
    assert "left out 1 post: 1 draft" in skipped.stdout
    with_drafts = site.build("--drafts")
    assert_ok(with_drafts)
    assert NOTHING_CHANGED not in with_drafts.stdout
    assert (site.out / "posts/draft/index.html").is_file()


def test_flags_that_only_decide_how_a_build_runs_skip_a_clean_build(site: SiteDir) -> None:
    site.write("site.toml", NO_SEARCH + 'base_url = "https://example.org/"\n')  # no warning left
    assert_ok(site.build())
    before = snapshot(site.out)
    for flags in (["--strict"], ["--keep-going"], ["--strict", "--keep-going", "--jobs", "1"]):
        again = site.build(*flags)
        assert_ok(again)
        assert NOTHING_CHANGED in again.stdout, flags
    assert snapshot(site.out) == before


def test_warnings_are_said_again_and_strict_still_fails(site: SiteDir) -> None:
    site.write("posts/2025-03-01-typo.md", post("Typo", "2025-03-01", tittle="x"))
    first = site.build()
    assert_ok(first)
    again = site.build()
    assert NOTHING_CHANGED in again.stdout
    assert again.stderr == first.stderr  # the same warnings, word for word
    assert "unknown key 'tittle'" in again.stderr
    strict = site.build("--strict")
    assert strict.code == 1, str(strict)


def test_a_snippet_that_runs_a_program_runs_on_every_build(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("site.toml", "search = false\n")
    code = "import subprocess\nsubprocess.run(['true'], check=True)\nprint('ran')\n"
    site.write("posts/2025-01-10-prog.md", post("Prog", body=f"```python\n{code}```\n"))
    assert_ok(site.build())
    again = site.build()
    assert_ok(again)
    assert NOTHING_CHANGED not in again.stdout
    assert "1 executed" in again.stdout


def test_a_file_a_snippet_read_outside_the_root_is_checked(tmp_path: Path) -> None:
    # Outside the root, only the run's own record knows the file. (Lemma does not record the
    # temporary folder: TMPDIR points elsewhere so that tmp_path counts as an ordinary folder.)
    temp = tmp_path / "tmp"
    temp.mkdir()
    site = SiteDir(tmp_path / "blog")
    site.write("site.toml", "search = false\n")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("4 5\n")
    code = f"print(sum(map(int, open({str(outside)!r}).read().split())))\n"
    site.write("posts/2025-01-10-data.md", post("Data", body=f"```python\n{code}```\n"))
    env = {"TMPDIR": str(temp)}
    assert_ok(site.build(env=env))
    assert NOTHING_CHANGED in site.build(env=env).stdout
    outside.write_text("4 6\n")
    again = site.build(env=env)
    assert_ok(again)
    assert "1 executed" in again.stdout
    assert "10" in site.page("posts/data/index.html")


# Asks the CLI's own copy of Lemma (src/, as in `lemma_env`) whether a build at `now` (seconds)
# would do nothing: the record holds a digest of Lemma's files, and CI installs another copy.
UNCHANGED_AT = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from lemma.config import load_config
from lemma.reuse.last_build import unchanged
config = load_config(
    Path(sys.argv[1]), use_cache=True, strict=False, in_ci=False, include_drafts=False,
    keep_going=False,
)
print(unchanged(config, datetime.fromtimestamp(int(sys.argv[2]), UTC)) is not None)
"""


def would_do_nothing(site: SiteDir, now: datetime) -> bool:
    run = subprocess.run(
        [sys.executable, "-c", UNCHANGED_AT, str(site.root), str(int(now.timestamp()))],
        env=lemma_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip() == "True"


def test_a_post_dated_in_the_future_is_published_when_it_is_due(site: SiteDir) -> None:
    due = datetime(2026, 3, 1, tzinfo=UTC)  # EPOCH, the tests' "now", is 2026-01-01
    site.write("posts/2026-03-01-later.md", post("Later", "2026-03-01"))
    assert_ok(site.build())
    record = read_record(site.root / ".lemma-cache" / RECORD_FILE)
    assert record is not None and record.valid_until_ns == int(due.timestamp()) * 10**9
    assert would_do_nothing(site, datetime.fromtimestamp(EPOCH, UTC))
    assert not would_do_nothing(site, due)


def test_a_damaged_record_means_a_full_build(site: SiteDir) -> None:
    (site.root / ".lemma-cache" / RECORD_FILE).write_text('{"format": 1, "inputs": 3}')
    again = site.build()
    assert_ok(again)
    assert NOTHING_CHANGED not in again.stdout


def test_an_edit_of_the_theme_in_a_source_checkout_makes_a_full_build(tmp_path: Path) -> None:
    # From a checkout, the default theme is the top-level templates/, beside src/lemma/.
    checkout = tmp_path / "checkout"
    shutil.copytree(SRC / "lemma", checkout / "src" / "lemma", ignore=IGNORED)
    shutil.copytree(REPO / "templates", checkout / "templates", ignore=IGNORED)
    site = SiteDir(tmp_path / "blog")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/a.md", post("A", "2025-01-01", "Text."))
    env = {"PYTHONPATH": str(checkout / "src")}
    assert_ok(site.build(env=env))
    style = checkout / "templates" / "assets" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n.edited-theme {}\n", encoding="utf-8")
    again = site.build(env=env)
    assert_ok(again)
    assert NOTHING_CHANGED not in again.stdout
    assert ".edited-theme {}" in (site.out / "assets" / "style.css").read_text(encoding="utf-8")
