"""The `lemma` command: version, help with examples, exit codes, and build.py as `lemma build`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from lemma import __version__
from site_support import (
    EPOCH,
    NO_SEARCH,
    REPO,
    SiteDir,
    assert_ok,
    blog_copy,
    lemma_env,
    post,
    run_lemma,
    snapshot,
)

COMMANDS = ("build", "new", "check", "serve")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    result = run_lemma("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"lemma {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run_lemma("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_with_examples(tmp_path: Path, command: str) -> None:
    result = run_lemma(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "examples:" in result.stdout
    assert re.search(rf"^\s+lemma {command}\b", result.stdout, re.MULTILINE)
    assert "--root" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("bogus",),
        ("build", "--no-such-flag"),
        ("build", "--jobs", "many"),
        ("new",),
        ("check", "--format", "xml"),
    ],
    ids=["nothing", "unknown-command", "unknown-flag", "bad-int", "missing-title", "bad-choice"],
)
def test_usage_errors_exit_2_with_usage_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run_lemma(*args, cwd=tmp_path)
    assert result.returncode == 2, result
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_root_folder_is_an_error_without_traceback(tmp_path: Path) -> None:
    result = run_lemma("build", "--root", "does-not-exist", cwd=tmp_path)
    assert result.returncode in (1, 2)
    assert "does-not-exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_root_without_posts_folder_is_an_error_without_traceback(tmp_path: Path) -> None:
    result = run_lemma("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "no posts/ folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "_site").exists()


def test_build_defaults_to_the_current_folder_and_prints_a_summary(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A"), "posts/b.md": post("B")})
    result = site.build()
    assert_ok(result)
    assert "built 2 posts" in result.stdout
    assert (site.out / "index.html").is_file()


def test_quiet_build_prints_nothing_on_success(make_site: Callable[..., SiteDir]) -> None:
    config = NO_SEARCH + 'base_url = "https://example.org/"\n'  # without it, a warning says so
    site = make_site({"posts/a.md": post("A"), "site.toml": config})
    result = site.build("--quiet")
    assert_ok(result)
    assert result.stdout == ""
    assert result.stderr == ""


def test_build_with_root_from_another_folder(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = make_site({"posts/a.md": post("A")}, name="blog")
    result = run_lemma("build", "--root", "blog", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site.out / "posts/a/index.html").is_file()


def without_timings(text: str) -> str:
    return re.sub(r"\d+(\.\d+)? s\b", "N s", text)


def build_py(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` from the checkout, with no PYTHONPATH help."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SOURCE_DATE_EPOCH"] = str(EPOCH)
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_build_py_equals_lemma_build(tmp_path: Path) -> None:
    blog = blog_copy(tmp_path)
    via_script = build_py("--root", blog, "--out", tmp_path / "a", "--quiet", cwd=tmp_path)
    via_cli = run_lemma("build", "--root", blog, "--out", tmp_path / "b", "--quiet", cwd=tmp_path)
    assert via_script.returncode == via_cli.returncode == 0, via_script.stderr
    assert without_timings(via_script.stderr) == without_timings(via_cli.stderr)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a and a == b


def test_build_py_fails_like_lemma_build(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/a.md": "---\ntitle: A\n---\n"})
    via_script = build_py("--strict", cwd=site.root)
    via_cli = site.build("--strict")
    assert via_script.returncode == via_cli.code == 1
    assert without_timings(via_script.stderr) == without_timings(via_cli.stderr)
    assert "posts/a.md:1: front matter: missing required key 'date'" in via_script.stderr


def test_build_py_help_is_the_build_help(tmp_path: Path) -> None:
    result = build_py("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--drafts" in result.stdout and "examples:" in result.stdout


# Namespace URIs name vocabularies; nothing is fetched from them.
NAMESPACES = (
    "http://www.w3.org/",
    "http://www.sitemaps.org/schemas/",
    "http://purl.org/dc/",  # Dublin Core metadata in Matplotlib's SVG figures
    "http://creativecommons.org/ns#",
)


@pytest.mark.slow
def test_build_py_builds_the_sample_blog_with_no_external_host(tmp_path: Path) -> None:
    """The acceptance check on the repo's own posts/ (runs their snippets), in a copy."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "posts", root / "posts")
    config = (REPO / "site.toml").read_text() if (REPO / "site.toml").is_file() else ""
    config = re.sub(r"(?m)^search\s*=.*$", "", config)
    (root / "site.toml").write_text("search = false\n" + config)  # Pagefind is optional
    result = build_py("--root", root, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = root / "_site"
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', (out / "404.html").read_text())
    # Without base_url in site.toml, the pages name no address of their own at all.
    own = (canonical.group(1).removesuffix("404.html"),) if canonical else ()
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert len(list((out / "posts").glob("*/index.html"))) == len(
        list((root / "posts").glob("*.md"))
    )
    assert any("<math" in html for html in pages.values())
    assert any('class="highlight"' in html for html in pages.values())
    assert ET.fromstring((out / "feed.xml").read_bytes()).tag == "{http://www.w3.org/2005/Atom}feed"
    external = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            for url in re.findall(r"https?://[^\s\"'<>)\]}\\]+", text):
                if not url.startswith((*own, *NAMESPACES)):
                    external.append(f"{path.relative_to(out)}: {url}")
    # Links the author wrote in the posts and their bibliographies are theirs to make (a DOI
    # becomes its https://doi.org/ link).
    written = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (root / "posts").glob("*")
        if p.suffix in (".md", ".bib", ".json")
    )

    def authored(url: str) -> bool:
        return url in written or url.removeprefix("https://doi.org/") in written

    assert [e for e in external if not authored(e.split(": ", 1)[1])] == []


def build_one_post_with(script: str, root: Path, body: str) -> subprocess.CompletedProcess[str]:
    """`lemma build` of a one-post site in ROOT, through `script` (Python that ends in run())."""
    site = SiteDir(root)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2025-01-10-p.md", post("P", "2025-01-10", body))
    return subprocess.run(
        [sys.executable, "-c", script, "build", "--root", str(root)],
        env=lemma_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


RUN_WITH_A_CALLBACK = """
import atexit, sys
atexit.register(lambda: print("exit callback ran"))
from lemma.cli import run
run(sys.argv[1:])
"""


@pytest.mark.parametrize("body", ["Prose.\n", "```python\n1 / 0\n```\n"], ids=["ok", "failing"])
def test_the_command_ends_with_main_s_code_its_output_and_exit_callbacks(
    tmp_path: Path, body: str
) -> None:
    # `run` ends the process without Python's teardown: what the teardown would do that
    # matters (exit callbacks, the output flushed into a pipe, the exit code) must still happen.
    done = build_one_post_with(RUN_WITH_A_CALLBACK, tmp_path, body)
    failing = "1 / 0" in body
    assert done.returncode == (1 if failing else 0), done.stderr
    if failing:
        assert "failed posts/2025-01-10-p.md" in done.stdout and "build failed" in done.stderr
    else:
        assert "0 failed" in done.stdout
    assert done.stdout.endswith("exit callback ran\n"), done.stdout


RUN_SIGNALLED_AS_MAIN_RETURNS = """
import os, signal, sys
import lemma.cli
built = lemma.cli.main
def main(argv):
    code = built(argv)
    os.kill(os.getpid(), signal.SIGTERM)  # as `kill` would, once the site and its report are out
    return code
lemma.cli.main = main
lemma.cli.run(sys.argv[1:])
"""


def test_a_sigterm_as_the_build_ends_is_no_crash(tmp_path: Path) -> None:
    # Between main's end and the process's, SIGTERM neither kills it (-15) nor prints a traceback.
    done = build_one_post_with(RUN_SIGNALLED_AS_MAIN_RETURNS, tmp_path, "Prose.\n")
    assert done.returncode == 130, done.stderr
    assert "built 1 post" in done.stdout
    assert "Traceback" not in done.stderr
    assert (tmp_path / "_site/index.html").is_file()
