"""Page weight: a figure whose SVG would be megabytes is shown as PNG, with a warning at its
snippet; the notebook download embeds the same PNG; reprs with a memory address are not shown.

Built through the real CLI, with real matplotlib in the real child processes.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path

import pytest

from site_support import NO_SEARCH, Result, SiteDir, assert_ok, post, snapshot, warning_line

DENSE_SNIPPET = """\
```python
import numpy as np
import matplotlib.pyplot as plt
rng = np.random.default_rng(0)
x, y = rng.normal(size=(2, 200_000))
fig, ax = plt.subplots()
points = ax.scatter(x, y, s=1, c=x)
plt.colorbar(points)
```
"""
DENSE_LINE = 9  # the snippet's first code line in posts/dense.md
LIMIT_BYTES = 1024 * 1024  # the documented default, figure_svg_limit_kb = 1024


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteDir, Result]:
    site = SiteDir(tmp_path_factory.mktemp("dense"))
    site.write("site.toml", NO_SEARCH)
    site.write("posts/dense.md", post("Dense", "2025-01-15", "A cloud.\n\n" + DENSE_SNIPPET))
    return site, site.build()


def test_a_dense_scatter_is_shown_as_png_with_a_warning_at_its_snippet(
    dense: tuple[SiteDir, Result],
) -> None:
    site, result = dense
    assert_ok(result)
    line = warning_line(result, "posts/dense.md", DENSE_LINE, "snippet 1")
    assert "more than 1,024 kB as SVG" in line and "rasterized=True" in line
    assert "figure_svg_limit_kb" in line
    figures = list((site.out / "figures").iterdir())
    assert [f.suffix for f in figures] == [".png"]
    # 2x pixels for high-density screens, shown at the figure's own size (6.4 x 4.8 in at 100 dpi)
    width, height = struct.unpack(">II", figures[0].read_bytes()[16:24])
    assert (width, height) == (1280, 960)
    page = site.page("posts/dense/index.html")
    image = re.search(r'<img class="figure" src="/figures/([0-9a-f]{64})\.png"[^>]*>', page)
    assert image is not None
    assert 'width="640" height="480"' in image.group(0)


def test_the_dense_page_and_its_notebook_stay_under_the_limit(
    dense: tuple[SiteDir, Result],
) -> None:
    site, _ = dense
    page_bytes = (site.out / "posts/dense/index.html").stat().st_size
    figure_bytes = sum(f.stat().st_size for f in (site.out / "figures").iterdir())
    notebook = site.out / "posts/dense/dense.ipynb"
    assert page_bytes + figure_bytes < LIMIT_BYTES
    assert notebook.stat().st_size < LIMIT_BYTES
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    assert [sorted(o["data"]) for o in outputs] == [["image/png", "text/plain"]]
    assert outputs[0]["metadata"]["image/png"] == {"width": 640, "height": 480}


def test_a_colorbar_as_last_value_shows_no_address_and_two_builds_are_identical(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = (
        "```python\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
        "image = plt.imshow(np.arange(12.0).reshape(3, 4))\nplt.colorbar(image)\n```\n\n"
        "```python\nclass Plain:\n    pass\n\nPlain()\n```\n\n```python\n6 * 7\n```\n"
    )
    site.write("posts/bar.md", post("Colour bar", "2025-01-15", body))
    first = site.build()
    assert_ok(first)
    built = snapshot(site.out)
    page = site.page("posts/bar/index.html")
    assert " at 0x" not in page and "Colorbar" not in page
    assert "42" in page  # a value with a real repr is still shown
    assert b" at 0x" not in built["posts/bar/bar.ipynb"]
    shutil.rmtree(site.out)
    shutil.rmtree(site.root / ".lemma-cache")
    assert_ok(site.build())
    assert snapshot(site.out) == built


def test_the_svg_limit_is_a_site_setting(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    plot = "```python\nimport matplotlib.pyplot as plt\nplt.plot([0, 1, 4, 9])\n```\n"
    site.write("posts/line.md", post("Line", "2025-01-15", plot))
    site.write("site.toml", NO_SEARCH)
    assert_ok(site.build())
    assert [f.suffix for f in (site.out / "figures").iterdir()] == [".svg"]
    site.write("site.toml", NO_SEARCH + "figure_svg_limit_kb = 4\n")
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/line.md", 7, "more than 4 kB as SVG")
    assert [f.suffix for f in (site.out / "figures").iterdir()] == [".png"]
    site.write("site.toml", NO_SEARCH + "figure_svg_limit_kb = -1\n")
    refused = site.build()
    assert refused.code == 1
    assert "site.toml:2: figure_svg_limit_kb must be 0 (no limit) or more" in refused.stderr
