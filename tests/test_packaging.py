"""The release: sdist and wheel build, pass `twine check`, and the wheel alone builds a blog."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from site_support import EPOCH, REPO, post

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # -P: the checkout's build.py must not shadow the `build` package. No isolation: the backend
    # (hatchling) comes with the test extra, so this needs no network.
    subprocess.run(
        [sys.executable, "-P", "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    files = [only(dist, "*.whl"), only(dist, "*.tar.gz")]
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_metadata_names_the_free_distribution_and_the_project(dist: Path) -> None:
    wheel = only(dist, "lemma_blog-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(name))
        entry_points = archive.read(name.replace("METADATA", "entry_points.txt")).decode()
    assert metadata["Name"] == "lemma-blog"
    assert "executable math posts" in metadata["Summary"]
    assert any(c.startswith("Topic :: ") for c in metadata.get_all("Classifier", []))
    urls = metadata.get_all("Project-URL", [])
    assert any(u.startswith("Changelog, ") for u in urls), urls
    assert "lemma = lemma.cli:run" in entry_points


def test_the_wheel_alone_builds_a_blog_that_has_only_posts(dist: Path, tmp_path: Path) -> None:
    # Installed outside the checkout, the theme must come from inside the wheel.
    target, wheel = tmp_path / "installed", only(dist, "*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    blog = tmp_path / "blog"
    (blog / "posts").mkdir(parents=True)
    body = "Some prose and $x^2$.\n\n```python\nprint(6 * 7)\n```\n"
    (blog / "posts" / "hello.md").write_text(post("Hello", "2025-01-02", body))
    env = {**os.environ, "PYTHONPATH": str(target), "SOURCE_DATE_EPOCH": str(EPOCH)}
    result = subprocess.run(
        [sys.executable, "-m", "lemma", "build"],
        cwd=blog,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = blog / "_site"
    page = next(site.glob("posts/hello*/index.html")).read_text()
    assert "42" in page and "<math" in page
    assert (site / "assets" / "style.css").is_file()
    assert str(REPO) not in page
