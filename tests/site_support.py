"""Helpers of the site tests: sites in tmp_path, the real `lemma` CLI in a subprocess, snapshots."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# 2026-01-01T00:00:00Z: "now" for every CLI run, so that "future" and "today" never drift.
EPOCH = 1767225600

FileContent = str | bytes


def lemma_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI run: src/ first on PYTHONPATH, a fixed SOURCE_DATE_EPOCH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env["SOURCE_DATE_EPOCH"] = str(EPOCH)
    env.pop("GITHUB_ACTIONS", None)
    env.pop("CI", None)  # `lemma check` runs fresh under CI; a test asks for it explicitly
    env.update(extra or {})
    return env


def run_lemma(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (`python -m lemma ARGS`) in `cwd` and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "lemma", *map(str, args)],
        cwd=cwd,
        env=lemma_env(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative POSIX path -> bytes); empty when it does not exist."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()  # a link is not content the build wrote
    }


def post(
    title: str = "A post",
    date: str = "2025-01-15",
    body: str = "A first paragraph.\n",
    **keys: str,
) -> str:
    """The text of a post file; extra keys are written as they are (`tags="[a, b]"`)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in keys.items()]
    return "\n".join([*lines, "---", "", body])


@dataclass
class SiteDir:
    """A site folder under tmp_path, with helpers to write files and build it."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "_site"

    def write(self, relative: str, content: FileContent) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def lemma(self, *args: str | Path, env: Mapping[str, str] | None = None) -> Result:
        return Result(run_lemma(*args, cwd=self.root, env=env))

    def build(self, *args: str | Path, env: Mapping[str, str] | None = None) -> Result:
        return self.lemma("build", *args, env=env)

    def page(self, output_path: str) -> str:
        return (self.out / output_path).read_text(encoding="utf-8")

    def leftovers(self) -> list[str]:
        """Staging or old copies of the output folder left beside it."""
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith("._site."))


@dataclass
class Result:
    process: subprocess.CompletedProcess[str]

    @property
    def code(self) -> int:
        return self.process.returncode

    @property
    def stdout(self) -> str:
        return self.process.stdout

    @property
    def stderr(self) -> str:
        return self.process.stderr

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def assert_ok(result: Result) -> None:
    assert result.code == 0, str(result)
    assert "Traceback" not in result.stdout + result.stderr, str(result)


def error_line(result: Result, path: str, line: int, fragment: str) -> str:
    """The stderr error line `path:line[:col]: ...fragment...` (not a warning); fails if none."""
    pattern = re.compile(rf"^{re.escape(path)}:{line}(?::\d+)?: (?!warning:)(.*)$", re.MULTILINE)
    found = [m.group(0) for m in pattern.finditer(result.stderr) if fragment in m.group(1)]
    assert found, f"no error '{path}:{line}: ...{fragment}...' in\n{result}"
    return found[0]


def warning_line(result: Result, path: str, line: int, fragment: str) -> str:
    pattern = re.compile(rf"^{re.escape(path)}:{line}(?::\d+)?: warning: (.*)$", re.MULTILINE)
    found = [m.group(0) for m in pattern.finditer(result.stderr) if fragment in m.group(1)]
    assert found, f"no warning '{path}:{line}: warning: ...{fragment}...' in\n{result}"
    return found[0]


def assert_failed_cleanly(result: Result, site: SiteDir, before: Mapping[str, bytes]) -> None:
    """Exit 1, no traceback, and the previous site byte for byte, with no staging folder left."""
    assert result.code == 1, str(result)
    assert "Traceback" not in result.stdout + result.stderr, str(result)
    assert snapshot(site.out) == before, "the previous site changed"
    assert site.leftovers() == []


# Pagefind (optional) adds a second or more to every build, and its bundle is not what these
# tests are about: test sites turn search off unless a test says otherwise.
NO_SEARCH = "search = false\n"

# A small site that builds without the execution engine: no ```python fences that run.
BASE_FILES: dict[str, FileContent] = {
    "site.toml": NO_SEARCH,
    "posts/2025-01-10-first.md": post(
        "First post",
        "2025-01-10",
        "The first post's opening paragraph.\n\nSee [the second](2025-02-20-second.md).\n",
        tags="[math, notes]",
    ),
    "posts/2025-02-20-second.md": post(
        "Second post",
        "2025-02-20",
        "Euler: $e^{i\\pi} + 1 = 0$.\n\n```text\nplain text\n```\n",
        tags="math",
    ),
}


BLOG = FIXTURES / "blog"  # five published posts, a draft and a future post; base_url has /blog/
BLOG_BASE_URL = "https://example.org/blog/"


def blog_copy(folder: Path) -> Path:
    """A copy of BLOG in `folder`, without its cache: builds of it neither wait for another
    test's build of BLOG (the site's build lock) nor reuse its results."""
    root = folder / "blog"
    shutil.copytree(BLOG, root, ignore=shutil.ignore_patterns(".lemma-cache", "_site"))
    return root


@dataclass(frozen=True)
class BuiltBlog:
    out: Path
    result: Result

    def page(self, output_path: str) -> str:
        return (self.out / output_path).read_text(encoding="utf-8")

    def html_pages(self) -> dict[str, str]:
        return {
            p.relative_to(self.out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(self.out.rglob("*.html"))
        }
