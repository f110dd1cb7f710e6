"""Search: a Pagefind index built inside the site before the swap, or a clear warning without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lemma.errors import LemmaError
from lemma.write.search import index_site, unavailable_reason

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_pagefind() -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: search must be tested)", pytrace=False)
    pytest.skip(reason)


def write_site(root: Path, *, search: bool = True) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'title = "Search test"\nsearch = {"true" if search else "false"}\n', encoding="utf-8"
    )
    (root / "posts" / "2025-01-01-hello.md").write_text(
        "---\ntitle: Hello\ndate: 2025-01-01\ntags: [a]\n---\n\n"
        "The word quixotically appears here.\n",
        encoding="utf-8",
    )


def build(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH="1767225600")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_build_writes_a_pagefind_index_inside_the_site(tmp_path: Path) -> None:
    require_pagefind()
    write_site(tmp_path)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "_site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "index").glob("*.pf_index"))
    assert list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/pagefind.js"' in search_page
    assert "assets/search.js" in search_page
    # Only post bodies are indexed: one fragment, for the one post.
    assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) == 1
    assert not list(tmp_path.glob("._site.new-*")), "no staging folder is left behind"


def test_index_is_the_same_for_the_same_site(tmp_path: Path) -> None:
    require_pagefind()
    write_site(tmp_path)
    assert build(tmp_path, "--out", str(tmp_path / "one")).returncode == 0
    assert build(tmp_path, "--out", str(tmp_path / "two")).returncode == 0
    one, two = tmp_path / "one" / "pagefind", tmp_path / "two" / "pagefind"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_search_false_builds_no_index_and_no_search_page(tmp_path: Path) -> None:
    write_site(tmp_path, search=False)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "_site" / "pagefind").exists()
    assert not (tmp_path / "_site" / "search").exists()
    assert 'role="search"' not in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")


def test_missing_pagefind_is_one_warning_and_no_search_ui(tmp_path: Path) -> None:
    write_site(tmp_path)
    # An empty module named pagefind, first on the path, hides the real one.
    fake = tmp_path / "fake"
    (fake / "pagefind").mkdir(parents=True)
    (fake / "pagefind" / "__init__.py").write_text("", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(fake)])}
    done = build(tmp_path, "--strict", env=env)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "search" in line]
    assert len(warnings) == 1 and "pagefind" in warnings[0] and "warning" in warnings[0]
    assert not (tmp_path / "_site" / "search").exists()
    assert 'role="search"' not in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")


def test_failed_indexing_raises_and_names_the_folder(tmp_path: Path) -> None:
    require_pagefind()
    with pytest.raises(LemmaError) as caught:
        index_site(tmp_path / "does-not-exist")
    assert "Pagefind" in caught.value.problem.message
