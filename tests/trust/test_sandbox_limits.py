"""What a post may not do to the author's files and disk, and how its processes start; real CLI
builds of small sites."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import TrustSite, assert_no_traceback, needs_engine, post_text

pytestmark = [needs_engine, pytest.mark.slow]

CODE_LINE = 7  # post_text: 4 lines of front matter, a blank line, the fence, then the code
FILE_LIMIT = 256 * 1024 * 1024  # sandbox.FILE_LIMIT_MB


def _rows(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute("select count(*) from notes").fetchone()[0])
    finally:
        connection.close()


def test_a_sqlite_write_to_a_database_in_the_site_is_refused(
    trust_site: Callable[..., TrustSite],
) -> None:
    code = (
        "import sqlite3\n"
        "db = sqlite3.connect('data/notes.db')\n"
        "print('ROWS', db.execute('select count(*) from notes').fetchone()[0])\n"
        "db.execute(\"insert into notes values ('from the build')\")  # refused\n"
        "db.commit()"
    )
    site = trust_site({"posts/notes.md": post_text("Notes", f"```python\n{code}\n```\n")})
    database = site.root / "posts/data/notes.db"
    database.parent.mkdir()
    with sqlite3.connect(database) as connection:
        connection.execute("create table notes (text)")
        connection.execute("insert into notes values ('by the author')")
    connection.close()
    before = database.read_bytes()
    for _ in range(2):  # the issue: a row more on every build
        run = site.build("--keep-going")
        assert run.code == 1, str(run)
        assert_no_traceback(run)
        assert _rows(database) == 1
    assert database.read_bytes() == before
    [(line, message)] = re.findall(r"^posts/notes\.md:(\d+): (.*)$", run.stderr, re.M)
    assert int(line) == CODE_LINE + 3
    assert "data/notes.db is read-only during a build" in message
    assert "ROWS 1" in (site.out / "posts/notes/index.html").read_text()


def test_a_sqlite_database_in_the_current_folder_can_be_written(
    trust_site: Callable[..., TrustSite],
) -> None:
    code = (
        "import sqlite3\n"
        "db = sqlite3.connect('scratch.db')\n"
        "db.execute('create table t (x)')\n"
        "db.execute('insert into t values (1)')\n"
        "print('SCRATCH', db.execute('select count(*) from t').fetchone()[0])"
    )
    site = trust_site({"posts/scratch.md": post_text("Scratch", f"```python\n{code}\n```\n")})
    run = site.build()
    assert run.code == 0, str(run)
    assert "SCRATCH 1" in (site.out / "posts/scratch/index.html").read_text()
    assert not (site.root / "posts/scratch.db").exists()


def test_output_written_straight_to_descriptor_1_is_bounded_on_disk(
    trust_site: Callable[..., TrustSite],
) -> None:
    # 300 MB through a program's stdout, which is a file under TMPDIR: the file stops growing at
    # the bound (the program is stopped by SIGXFSZ) and the post goes on.
    code = (
        "import os, subprocess\n"
        "done = subprocess.run(['head', '-c', '300M', '/dev/zero'])\n"
        "print('SIZE', os.fstat(1).st_size, 'CODE', done.returncode)"
    )
    site = trust_site({"posts/flood.md": post_text("Flood", f"```python\n{code}\n```\n")})
    run = site.build()
    assert run.code == 0, str(run)
    page = (site.out / "posts/flood/index.html").read_text()
    [size] = re.findall(r"SIZE (\d+) CODE", page)
    assert int(size) <= FILE_LIMIT
    assert "output truncated" in page
    assert site.leftovers() == []


def test_a_program_writing_forever_to_stdout_stops_at_the_bound(
    trust_site: Callable[..., TrustSite],
) -> None:
    # The case: `yes` used to fill TMPDIR at about 1 GB/s until the snippet's timeout.
    code = (
        "#| timeout: 120\n"
        "import subprocess\n"
        "done = subprocess.run(['yes'])\n"
        "print('STOPPED', done.returncode)"
    )
    site = trust_site({"posts/yes.md": post_text("Yes", f"```python\n{code}\n```\n")})
    run = site.build()
    assert run.code == 0, str(run)
    assert "STOPPED -25" in (site.out / "posts/yes/index.html").read_text()  # SIGXFSZ


def test_a_post_writing_past_the_bound_gets_a_clear_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    code = "import os\nfor _ in range(300):\n    os.write(1, bytes(1024 * 1024))"
    site = trust_site({"posts/big.md": post_text("Big", f"```python\n{code}\n```\n")})
    run = site.build()
    assert run.code == 1
    assert_no_traceback(run)
    [(line, message)] = re.findall(r"^posts/big\.md:(\d+): (.*)$", run.stderr, re.M)
    assert int(line) == CODE_LINE + 2
    assert "a post may write files of at most 256 MB" in message


POOL_POST = (
    "#| timeout: 120\n"
    "import numpy as np\n"
    "from concurrent.futures import ProcessPoolExecutor\n"
    "def square(x):\n    return x * x\n"
    "with ProcessPoolExecutor(2) as executor:\n"
    "    print('SQUARES', list(executor.map(square, [1, 2, 3])), np.arange(3).sum())"
)


def test_the_start_method_can_be_forced_to_spawn(trust_site: Callable[..., TrustSite]) -> None:
    site = trust_site({"posts/pool.md": post_text("Pool", f"```python\n{POOL_POST}\n```\n")})
    run = site.build(env={"LEMMA_START_METHOD": "spawn"})
    assert run.code == 0, str(run)
    assert "SQUARES [1, 4, 9] 3" in (site.out / "posts/pool/index.html").read_text()
    assert site.wait_no_processes() == []


def test_an_unknown_start_method_is_a_clear_error(trust_site: Callable[..., TrustSite]) -> None:
    site = trust_site({"posts/pool.md": post_text("Pool", "```python\n1 + 1\n```\n")})
    run = site.build(env={"LEMMA_START_METHOD": "teleport"})
    assert run.code != 0
    assert_no_traceback(run)
    assert "LEMMA_START_METHOD='teleport' is not a start method of this system" in run.stderr
    assert not site.out.exists()
