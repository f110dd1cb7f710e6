"""The previous site's folders, made ahead in the staging folder by another process: a rebuild's
site has exactly the folders and files of a clean build, whatever the previous site had."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from site_support import SiteDir, assert_ok, post, snapshot


def folders(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()}


def clean_build_of(site: SiteDir, make_site: Callable[..., SiteDir]) -> SiteDir:
    clean = make_site(name=f"{site.root.name}-clean")
    for item in site.root.iterdir():
        if item.name not in {"_site", ".lemma-cache"}:
            copy = shutil.copytree if item.is_dir() else shutil.copy2
            copy(item, clean.root / item.name)
    assert_ok(clean.build())
    return clean


def test_a_rebuild_has_the_folders_of_a_clean_build(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        {
            "posts/2025-01-05-kept.md": post("Kept", "2025-01-05", tags="[kept]"),
            "posts/2025-01-06-gone.md": post("Gone", "2025-01-06", tags="[gone, deep]"),
            "static/files/old/notes.txt": "old notes\n",
        }
    )
    assert_ok(site.build())
    assert {"posts/gone", "tags/gone", "files/old"} <= folders(site.out)
    (site.root / "posts/2025-01-06-gone.md").unlink()
    shutil.rmtree(site.root / "static/files/old")
    site.write("static/files/new.txt", "new\n")
    assert_ok(site.build())
    clean = clean_build_of(site, make_site)
    assert folders(site.out) == folders(clean.out)  # no folder of the gone post, tag or file
    assert "posts/gone" not in folders(site.out)
    assert snapshot(site.out) == snapshot(clean.out)


def test_a_folder_of_the_previous_site_can_be_a_file_of_the_next(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(
        {
            "posts/2025-01-05-one.md": post("One", "2025-01-05"),
            "static/data/table.csv": "a,b\n1,2\n",
        }
    )
    assert_ok(site.build())
    assert (site.out / "data").is_dir()
    shutil.rmtree(site.root / "static/data")
    site.write("static/data", "now a file\n")  # where the folder was
    assert_ok(site.build())
    assert (site.out / "data").read_text() == "now a file\n"
    clean = clean_build_of(site, make_site)
    assert folders(site.out) == folders(clean.out)
    assert snapshot(site.out) == snapshot(clean.out)
