"""Pelican's `{% notebook %}` and `{% include_code %}`: a notebook's cells and stored outputs, or a
file's code, shown in the tag's place; a bad path or cell range is an error at the tag's line."""

from __future__ import annotations

import json
from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post


def notebook(*cells: dict[str, object]) -> str:
    meta = {"kernelspec": {"name": "python3", "language": "python"}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells})


def markdown(text: str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(source: str, *outputs: dict[str, object]) -> dict[str, object]:
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": source,
        "outputs": list(outputs),
    }


PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)
NOTEBOOK = notebook(
    markdown("# The notebook's title\n"),
    markdown("Least squares, *by hand*.\n"),
    code(
        "beta = solve(X.T @ X, X.T @ y)\nbeta",
        {
            "output_type": "execute_result",
            "metadata": {},
            "execution_count": 1,
            "data": {"text/plain": "array([0.5, 2. ])"},
        },
    ),
    code(
        "plt.plot(x, y)",
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
        },
    ),
    markdown("The end of the notebook.\n"),
)


def site_with(tmp_path: Path, body: str) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("notebooks/fit.ipynb", NOTEBOOK)
    site.write("code/fit.py", "import numpy as np\n\n\ndef fit(X, y):\n    return X\n")
    site.write("posts/fit.md", post("Fit", body=body))
    return site


def test_a_notebook_tag_shows_the_chosen_cells_with_their_stored_outputs(tmp_path: Path) -> None:
    site = site_with(tmp_path, "Before.\n\n{% notebook fit.ipynb cells[1:4] %}\n\nAfter.\n")
    result = site.build()
    assert_ok(result)
    page = site.page("posts/fit/index.html")
    assert "<em>by hand</em>" in page and "array([0.5, 2. ])" in page
    assert f'src="data:image/png;base64,{PNG}"' in page
    assert "The notebook&#39;s title" not in page and "The end of the notebook" not in page
    assert "{% notebook" not in page and "executed" in result.stdout
    assert "0 executed" in result.stdout  # the notebook's code is shown, never run


def test_include_code_shows_a_file_as_code_titled_and_cut_to_its_lines(tmp_path: Path) -> None:
    body = "{% include_code fit.py lang:python lines:4-5 The fit %}\n"
    site = site_with(tmp_path, body)
    assert_ok(site.build())
    page = site.page("posts/fit/index.html")
    assert "<strong>The fit</strong>" in page and "fit" in page and "import" not in page


def test_a_bad_notebook_tag_is_an_error_at_its_line(tmp_path: Path) -> None:
    body = (
        "Intro.\n\n{% notebook missing.ipynb %}\n\n{% notebook fit.ipynb cells[9:12] %}\n\n"
        "{% notebook ../../outside.ipynb %}\n\n{% notebook fit.ipynb cells[one] %}\n"
    )
    site = site_with(tmp_path, body)
    result = site.build("--keep-going")
    assert result.code == 1
    error_line(result, "posts/fit.md", 8, "{% notebook %}: there is no file posts/missing.ipynb")
    error_line(result, "posts/fit.md", 10, "selects none of its 5 cells")
    error_line(result, "posts/fit.md", 12, "outside the blog")
    error_line(result, "posts/fit.md", 14, "not a cell range")


def test_editing_the_embedded_notebook_rebuilds_the_post(tmp_path: Path) -> None:
    site = site_with(tmp_path, "{% notebook fit.ipynb cells[1:2] %}\n")
    assert_ok(site.build())
    site.write("notebooks/fit.ipynb", NOTEBOOK.replace("by hand", "with numpy"))
    assert_ok(site.build())
    assert "<em>with numpy</em>" in site.page("posts/fit/index.html")


def test_a_notebook_tags_language_names_the_language_its_code_is_shown_in(
    tmp_path: Path,
) -> None:
    site = site_with(tmp_path, "{% notebook fit.ipynb cells[2:3] language[text] %}\n")
    assert_ok(site.build())
    page = site.page("posts/fit/index.html")
    assert "beta = solve(X.T @ X, X.T @ y)" in page  # plain text: no Python highlighting
