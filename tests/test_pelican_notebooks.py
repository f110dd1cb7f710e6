"""pelican-ipynb's `post.ipynb-meta` and pelican-jupyter's `post.nbdata`: a notebook post's
Pelican header lines in a file beside it; and Pelican's capitalised keys in its metadata."""

from __future__ import annotations

import json
from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line


def notebook(metadata: dict[str, object] | None = None) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "Title: not a header here\n"},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "source": "print(6 * 7)",
            "outputs": [],
        },
    ]
    meta = {"kernelspec": {"name": "python3", "language": "python"}, **(metadata or {})}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells})


HEADER = "Title: Ridge regression\nDate: 2015-06-02 08:00\nTags: statistics; ridge\nSlug: ridge\n"


def site_with(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/ridge.ipynb", notebook())
    return site


def test_an_ipynb_meta_file_is_the_notebook_posts_front_matter(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    site.write("posts/ridge.ipynb-meta", HEADER)
    assert_ok(site.build())
    page = site.page("posts/ridge/index.html")
    assert '<h1 class="post-title">Ridge regression</h1>' in page
    assert 'href="/tags/statistics/"' in page and 'href="/tags/ridge/"' in page
    assert "Title: not a header here" in page and "42" in page  # every cell is the body


def test_an_nbdata_file_is_read_too_and_an_edit_to_it_rebuilds_the_post(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    site.write("posts/ridge.nbdata", HEADER)
    assert_ok(site.build())
    site.write("posts/ridge.nbdata", HEADER.replace("Ridge regression", "Ridge, revised"))
    assert_ok(site.build())
    assert '<h1 class="post-title">Ridge, revised</h1>' in site.page("posts/ridge/index.html")


def test_a_header_file_line_that_is_no_header_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    site.write("posts/ridge.ipynb-meta", "Title: Ridge\nDate: 2015-06-02\nthis is prose\n")
    result = site.build()
    assert result.code == 1
    error_line(result, "posts/ridge.ipynb-meta", 3, "'this is prose' is not a 'Key: value' line")


def test_pelican_keys_in_the_notebooks_metadata_are_its_front_matter(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    site.write("posts/ridge.ipynb", notebook({"Title": "Ridge", "Date": "2015-06-02"}))
    assert_ok(site.build())
    assert '<h1 class="post-title">Ridge</h1>' in site.page("posts/ridge/index.html")
