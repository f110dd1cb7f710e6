"""Pages written to disk as they are made, and linked into the site by the write step."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lemma.cli.serve_http import ServeState
from lemma.config import load_config
from lemma.errors import OutputError
from lemma.model import KeptPage, Page, Site
from lemma.pipeline import assemble_site
from lemma.reuse.memo import content_digest
from lemma.spool import SPOOL_DIR, Spool
from lemma.write import write_site
from site_support import SiteDir, assert_ok, post


def test_a_spooled_page_is_on_disk_not_in_memory_and_lands_in_the_site(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "cache")
    page = spool.keep("posts/a/a.ipynb", b'{"cells": []}\n')
    assert not hasattr(page, "content")
    assert Path(page.source).read_bytes() == b'{"cells": []}\n'
    assert page.digest == content_digest(b'{"cells": []}\n')
    write_site(Site((page,), ()), tmp_path / "out")
    spool.close()
    assert (tmp_path / "out/posts/a/a.ipynb").read_bytes() == b'{"cells": []}\n'
    assert not (tmp_path / "cache" / SPOOL_DIR).exists()


def test_a_cache_deleted_during_the_build_is_said_in_words_not_a_traceback(
    tmp_path: Path,
) -> None:
    spool = Spool(tmp_path / "cache")
    first = spool.keep("posts/a/a.ipynb", b"first")
    shutil.rmtree(tmp_path / "cache")  # `rm -rf .lemma-cache` while the build runs
    second = spool.keep("posts/b/b.ipynb", b"second")  # the folder is made again
    assert Path(second.source).read_bytes() == b"second"
    with pytest.raises(OutputError, match="went away during the build"):
        write_site(Site((first, second), ()), tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_a_spool_left_by_a_killed_build_is_emptied_by_the_next(tmp_path: Path) -> None:
    Spool(tmp_path).keep("x.ipynb", b"left behind")  # never closed: the build was killed
    Spool(tmp_path)
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_a_build_writes_its_notebooks_through_the_spool_and_removes_it(
    make_site: Callable[..., SiteDir],
) -> None:
    code = '```python\nprint("spooled " * 2)\n```\n'
    files = {"posts/2025-01-20-code.md": post("Code", "2025-01-20", code)}
    site = make_site(files | {"site.toml": "search = false\n"})
    assert_ok(site.build())
    written = (site.root / "_site/posts/code/code.ipynb").read_bytes()
    outputs = [o for cell in json.loads(written)["cells"] for o in cell.get("outputs", [])]
    assert any("spooled spooled" in "".join(o.get("text", "")) for o in outputs)
    assert not (site.root / ".lemma-cache" / SPOOL_DIR).exists()
    # Made again from nothing (no memo), through the spool: the same bytes.
    assert_ok(site.build("--no-cache"))
    assert (site.root / "_site/posts/code/code.ipynb").read_bytes() == written
    assert not (site.root / ".lemma-cache" / SPOOL_DIR).exists()


def test_post_pages_go_to_the_spool_with_the_bytes_they_have_in_memory(tmp_path: Path) -> None:
    for day in (1, 2, 3):
        prose = f"Post {day}: $e^{{i\\pi}} = -1$ and *words*.\n"
        (tmp_path / "posts").mkdir(exist_ok=True)
        (tmp_path / f"posts/2025-01-0{day}-p{day}.md").write_text(
            post(f"P{day}", f"2025-01-0{day}", prose)
        )
    config = load_config(tmp_path)
    in_memory = {p.output_path: p for p in assemble_site(config).site.pages}
    spool = Spool(tmp_path / "cache")
    spooled = {p.output_path: p for p in assemble_site(config, spool=spool).site.pages}
    assert spooled.keys() == in_memory.keys()
    post_pages = [path for path in spooled if path.startswith("posts/")]
    assert len(post_pages) == 3
    for path in post_pages:
        kept, page = spooled[path], in_memory[path]
        assert isinstance(kept, KeptPage) and isinstance(page, Page)
        assert Path(kept.source).parent == spool.folder
        assert Path(kept.source).read_bytes() == page.content
    spool.close()


def test_serve_publishes_a_page_kept_in_a_file_with_its_bytes(tmp_path: Path) -> None:
    # serve's pages are in memory today; one kept in a file must not go missing from it.
    spool = Spool(tmp_path / "cache")
    kept = spool.keep("posts/a/index.html", b"<p>from the spool</p>")
    state = ServeState()
    state.publish(Site((kept, Page("index.html", b"<p>home</p>")), ()), (), 0, took_s=0.0)
    assert state.pages == {
        "posts/a/index.html": b"<p>from the spool</p>",
        "index.html": b"<p>home</p>",
    }
    spool.close()


def test_a_link_in_place_of_the_spool_is_removed_and_its_target_kept(tmp_path: Path) -> None:
    # The spool is emptied when a build starts: a link planted in its place (or made by hand)
    # must never lead that to the author's files.
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "draft.md").write_text("keep me")
    cache = tmp_path / ".lemma-cache"
    cache.mkdir()
    (cache / SPOOL_DIR).symlink_to(precious)
    spool = Spool(cache)
    spool.keep("a/index.html", b"<p>a</p>")
    spool.close()
    assert (precious / "draft.md").read_text() == "keep me"
    assert sorted(p.name for p in precious.iterdir()) == ["draft.md"]
    assert not (cache / SPOOL_DIR).exists()
