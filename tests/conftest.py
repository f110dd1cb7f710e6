"""Fixtures of the site tests: fresh sites in tmp_path, a site built once, the fixture blog."""

from __future__ import annotations

import compileall
import shutil
import signal
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from site_support import (
    BASE_FILES,
    NO_SEARCH,
    REPO,
    SRC,
    BuiltBlog,
    FileContent,
    Result,
    SiteDir,
    assert_ok,
    blog_copy,
    run_lemma,
)

# A suite started in the background by a shell without job control (`pytest &` in a script, some
# CI runners) inherits SIGINT as ignored, and so does every process it starts: the tests of Ctrl-C
# would then fail for a reason that is not Lemma's. A handler here, unlike "ignored", is reset to
# the default when a test starts a program, which then has Ctrl-C as a terminal would give it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_configure(config: pytest.Config) -> None:
    """Compile src/ to bytecode once, before any test starts the CLI (in the main process, not
    in each xdist worker).

    Nearly every test runs `python -m lemma` in a new process, which imports Lemma from src/. A
    fresh clone has no bytecode there, and with PYTHONDONTWRITEBYTECODE set (this project's
    machines set it) Python never writes any: each CLI run compiled Lemma's modules again, 0.45 s
    of CPU a run (test_render, test_conventions and test_charts took 177 s of CPU, now 155 s).
    What is written is what Python itself would write (`__pycache__/`, which git ignores); a
    module changed later is compiled again when the suite next starts."""
    if not hasattr(config, "workerinput"):
        compileall.compile_dir(SRC, quiet=1)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteDir]:
    """`make_site({"posts/a.md": "..."})`: a fresh site folder with these files.

    Without a site.toml in `files` it gets one that turns search off, unless `bare=True`.
    """
    counter = iter(range(1_000_000))

    def make(
        files: Mapping[str, FileContent] | None = None, *, name: str = "", bare: bool = False
    ) -> SiteDir:
        site = SiteDir(tmp_path / (name or f"site{next(counter)}"))
        site.root.mkdir(parents=True)
        files = dict(files or {})
        if not bare:
            files.setdefault("site.toml", NO_SEARCH)
        for relative, content in files.items():
            site.write(relative, content)
        return site

    return make


@pytest.fixture(scope="session")
def _built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base") / "site"
    site = SiteDir(root)
    root.mkdir()
    for relative, content in BASE_FILES.items():
        site.write(relative, content)
    result = site.build()
    assert_ok(result)
    return root


@pytest.fixture
def built_site(_built_base: Path, tmp_path: Path) -> Iterator[SiteDir]:
    """A copy of a site that built successfully once (BASE_FILES, its _site/ included)."""
    root = tmp_path / "built"
    shutil.copytree(_built_base, root, symlinks=True)
    yield SiteDir(root)


@pytest.fixture(scope="session")
def blog(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    """tests/fixtures/blog built once, into a folder outside the fixture (read-only for tests)."""
    root = blog_copy(tmp_path_factory.mktemp("blog-source"))
    out = tmp_path_factory.mktemp("blog") / "_site"
    result = Result(run_lemma("build", "--root", root, "--out", out, cwd=REPO))
    assert_ok(result)
    return BuiltBlog(out, result)
