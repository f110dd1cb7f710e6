"""Valid code runs in a post as it would in a script or a notebook, built for real with the CLI.

One site holds a post per case; it is built once with --keep-going, and each test reads the
report and the page of its post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from .conftest import Run, TrustSite, assert_no_traceback, needs_engine, post_text

pytestmark = [needs_engine, pytest.mark.slow]

CODE_LINE = 7  # post_text: 4 lines of front matter, a blank line, the fence, then the code

POSTS = {
    # Item 4: a post's process is not a daemon, and its pools are forks of it.
    "pools": "#| timeout: 60\n"
    "from multiprocessing import Pool\n"
    "from concurrent.futures import ProcessPoolExecutor\n"
    "def double(x):\n    return 2 * x\n"
    "with Pool(2) as pool:\n    print('POOL', pool.map(double, [1, 2, 3]))\n"
    "with ProcessPoolExecutor(2) as executor:\n"
    "    print('EXECUTOR', list(executor.map(double, [4, 5])))",
    # Item 5: a relative read beside the posts folder, and one above the site.
    "reads-above": "print('ABOVE', open('../data/x.csv').read().strip())\n"
    "print('OUTSIDE', open('../../outside.txt').read().strip())\n"
    "open('new.txt', 'w').write('scratch')\n"
    "print('WROTE', open('new.txt').read())",
    # Item 6: __file__ is the post's own file; %matplotlib inline is accepted; top-level await.
    "file": "from pathlib import Path\n"
    "print('FILE', Path(__file__).name, Path(__file__).is_absolute())\n"
    "print('BESIDE', (Path(__file__).parent.parent / 'data' / 'x.csv').read_text().strip())",
    # and so are a notebook's other set-up lines: display format, autoreload, completion.
    "inline": "%matplotlib inline\n%config InlineBackend.figure_format = 'retina'\n"
    "%load_ext autoreload\n%autoreload 2\n%config Completer.use_jedi = False  # tab\n"
    "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nprint('INLINE ok')",
    "await": "import asyncio\nawait asyncio.sleep(0)\nqueue = asyncio.Queue()\n"
    "await queue.put('AWAITED')\n"
    "```\n\n```python\nawait queue.get()",
    "timeit": "x = 1\n%timeit x + 1",
    "shell": "import os\nif os:\n    !ls -la",
    # Colab's first cell: a package already installed needs nothing; a missing one is named.
    "pip-present": "!pip install -q numpy 'matplotlib>=3'\n%pip install numpy\nprint('PIP ok')",
    "pip-missing": "import os\n!pip install -U numpy lemma-no-such-package==1.0",
}


@dataclass
class Built:
    site: TrustSite
    run: Run

    def page(self, name: str) -> str:
        return (self.site.out / f"posts/{name}/index.html").read_text()

    def reported(self, name: str) -> list[tuple[int, str]]:
        found = re.findall(rf"^posts/{name}\.md:(\d+)(?::\d+)?: (.*)$", self.run.stderr, re.M)
        return [(int(line), message) for line, message in found]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    base = tmp_path_factory.mktemp("valid")
    (base / "outside.txt").write_text("beyond the site\n")
    root, tmp = base / "site", base / "tmp"
    root.mkdir()
    tmp.mkdir()
    site = TrustSite(root, tmp)
    site.write("data/x.csv", "a,b\n")
    for name, code in POSTS.items():
        site.write(f"posts/{name}.md", post_text(name, f"```python\n{code}\n```\n"))
    try:
        yield Built(site, site.build("--keep-going", timeout_s=300))
    finally:
        site.kill_leftovers()


def test_multiprocessing_pool_and_process_pool_executor_work(built: Built) -> None:
    assert built.reported("pools") == [], str(built.run)
    page = built.page("pools")
    assert "POOL [2, 4, 6]" in page
    assert "EXECUTOR [8, 10]" in page


def test_relative_reads_reach_beside_and_above_the_posts_folder(built: Built) -> None:
    assert built.reported("reads-above") == [], str(built.run)
    page = built.page("reads-above")
    assert "ABOVE a,b" in page
    assert "OUTSIDE beyond the site" in page
    assert "WROTE scratch" in page
    assert not (built.site.root / "posts/new.txt").exists()  # writes still land in scratch


def test_dunder_file_is_the_posts_own_path(built: Built) -> None:
    assert built.reported("file") == [], str(built.run)
    page = built.page("file")
    assert "FILE file.md True" in page
    assert "BESIDE a,b" in page


def test_matplotlib_inline_and_other_set_up_magics_are_accepted(built: Built) -> None:
    assert built.reported("inline") == [], str(built.run)
    page = built.page("inline")
    assert "INLINE ok" in page
    assert re.search(r'<img class="figure" src="/figures/[0-9a-f]+\.svg"', page)


def test_top_level_await_runs_on_one_loop_for_the_post(built: Built) -> None:
    assert built.reported("await") == [], str(built.run)
    assert "AWAITED" in built.page("await")


def test_other_magics_and_shell_lines_are_named_at_their_line(built: Built) -> None:
    assert_no_traceback(built.run)
    [(line, message)] = built.reported("timeit")
    assert line == CODE_LINE + 1
    assert "IPython magic '%timeit' does not run in a post" in message
    [(line, message)] = built.reported("shell")
    assert line == CODE_LINE + 2
    assert "shell command '!ls -la' does not run in a post" in message
    assert "subprocess.run" in message


def test_pip_install_lines_need_the_packages_installed_where_lemma_runs(built: Built) -> None:
    assert built.reported("pip-present") == [], str(built.run)
    assert "PIP ok" in built.page("pip-present")
    [(line, message)] = built.reported("pip-missing")
    assert line == CODE_LINE + 1
    assert "a build never installs packages" in message
    assert "install lemma-no-such-package where Lemma runs" in message


def test_the_build_reports_only_the_magic_posts(built: Built) -> None:
    assert built.run.code == 1
    failed = set(re.findall(r"^(posts/[\w-]+\.md):\d+", built.run.stderr, re.M))
    assert failed == {"posts/timeit.md", "posts/shell.md", "posts/pip-missing.md"}, str(built.run)
