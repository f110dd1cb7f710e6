"""The cache is never stale: a change to anything a post looked at runs it again, and `lemma check`
never passes a post on a cached result without saying so (and never in CI).

One site holds a post per kind of dependency (its data in posts/data/, and a file outside the
site read by its absolute path). It is built, then each dependency changes outside Lemma, and the
next build must show the new value in every page.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import Run, TrustSite, needs_engine, post_text

pytestmark = [needs_engine, pytest.mark.slow]

POSTS = {
    "listing": "import glob, os\n"
    "print('GLOB', sorted(os.path.basename(p) for p in glob.glob('data/*.csv')))\n"
    "print('LISTDIR', sorted(os.listdir('data/more')))",
    "exists": "import os\nfrom pathlib import Path\n"
    "print('EXISTS', os.path.exists('data/flag.txt'), Path('data/flag2.txt').is_file())",
    "outside": "print('OUTSIDE', open({outside!r}).read().strip())",
    "sqlite": "import sqlite3\n"
    "db = sqlite3.connect('data/notes.db')\n"
    "print('ROWS', db.execute('select count(*) from notes').fetchone()[0])",
    "program": "import subprocess\n"
    "done = subprocess.run(['cat', 'data/read-by-a-program.txt'], capture_output=True,\n"
    "                      text=True)\n"
    "print('PROGRAM', done.stdout.strip())",
    "kept": "#| cache: keep\nimport subprocess\nsubprocess.run(['true'])\nprint('KEPT')",
}


@dataclass
class Builds:
    site: TrustSite
    first: Run
    second: Run
    third: Run
    pages_before: dict[str, str]

    def page(self, name: str) -> str:
        return (self.site.out / f"posts/{name}/index.html").read_text()


def _add_note(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("create table if not exists notes (text)")
        connection.execute("insert into notes values ('a note')")
    connection.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    base = tmp_path_factory.mktemp("fresh")
    outside = base / "outside.txt"
    outside.write_text("before\n")
    root, tmp = base / "site", base / "tmp"
    root.mkdir()
    tmp.mkdir()
    site = TrustSite(root, tmp)
    site.write("posts/data/a.csv", "1\n")
    site.write("posts/data/more/one.txt", "1\n")
    site.write("posts/data/read-by-a-program.txt", "before\n")
    _add_note(root / "posts/data/notes.db")
    for name, code in POSTS.items():
        code = code.replace("{outside!r}", repr(str(outside)))  # an absolute path
        site.write(f"posts/{name}.md", post_text(name, f"```python\n{code}\n```\n"))
    try:
        first = site.build(timeout_s=300)
        pages_before = {name: (site.out / f"posts/{name}/index.html").read_text() for name in POSTS}
        # Every dependency changes, outside Lemma.
        site.write("posts/data/b.csv", "2\n")
        site.write("posts/data/more/two.txt", "2\n")
        site.write("posts/data/flag.txt", "")
        site.write("posts/data/flag2.txt", "")
        outside.write_text("after\n")
        _add_note(root / "posts/data/notes.db")
        site.write("posts/data/read-by-a-program.txt", "after\n")
        second = site.build(timeout_s=300)
        third = site.build(timeout_s=300)
        yield Builds(site, first, second, third, pages_before)
    finally:
        site.kill_leftovers()


def test_the_first_build_shows_the_original_values(builds: Builds) -> None:
    assert builds.first.code == 0, str(builds.first)
    before = builds.pages_before
    assert "GLOB [&#39;a.csv&#39;]" in before["listing"]
    assert "LISTDIR [&#39;one.txt&#39;]" in before["listing"]
    assert "EXISTS False False" in before["exists"]
    assert "OUTSIDE before" in before["outside"]
    assert "ROWS 1" in before["sqlite"]
    assert "PROGRAM before" in before["program"]


def test_a_new_file_a_glob_or_listdir_would_find_runs_the_post_again(builds: Builds) -> None:
    assert builds.second.code == 0, str(builds.second)
    page = builds.page("listing")
    assert "GLOB [&#39;a.csv&#39;, &#39;b.csv&#39;]" in page
    assert "LISTDIR [&#39;one.txt&#39;, &#39;two.txt&#39;]" in page


def test_a_file_that_appears_where_exists_looked_runs_the_post_again(builds: Builds) -> None:
    assert "EXISTS True True" in builds.page("exists")


def test_a_changed_file_outside_the_site_runs_the_post_again(builds: Builds) -> None:
    assert "OUTSIDE after" in builds.page("outside")


def test_a_changed_sqlite_database_runs_the_post_again(builds: Builds) -> None:
    assert "ROWS 2" in builds.page("sqlite")


def test_a_post_that_runs_a_program_runs_every_build_and_says_so(builds: Builds) -> None:
    assert "PROGRAM after" in builds.page("program")
    line = r"^not cached: posts/program\.md runs again on every build: it ran the program 'cat'"
    for run in (builds.first, builds.second, builds.third):
        assert re.search(line, run.stdout, re.M), str(run)
        assert "posts/kept.md runs again" not in run.stdout  # `#| cache: keep` pins it


def test_unchanged_dependencies_are_cache_hits(builds: Builds) -> None:
    # Tracking more must not make the cache useless: only the program's post runs again.
    assert builds.third.code == 0, str(builds.third)
    assert re.search(r"1 executed, 5 from cache", builds.third.stdout), str(builds.third)


def test_check_says_cached_and_how_to_run_everything(builds: Builds) -> None:
    run = builds.site.lemma("check")
    assert run.code == 0, str(run)
    assert re.search(r"1 executed, 5 from cache", run.stdout), str(run)
    assert re.search(r"^cached: 5 posts passed from the cache, not run again", run.stdout, re.M)
    assert "lemma check --no-cache" in run.stdout


def test_check_in_ci_executes_every_post_and_keeps_the_cache_for_the_build(
    builds: Builds,
) -> None:
    run = builds.site.lemma("check", env={"CI": "true"})
    assert run.code == 0, str(run)
    assert re.search(r"6 executed, 0 from cache", run.stdout), str(run)
    assert not re.search(r"^cached:", run.stdout, re.M)
    reused = builds.site.lemma("check", "--cache", env={"CI": "true"})
    assert re.search(r"1 executed, 5 from cache", reused.stdout), str(reused)
