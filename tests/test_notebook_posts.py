"""Jupyter notebooks as posts (load/notebooks.py): cell tags, self-contained Markdown cells,
stored outputs and attachments, as an author who saved the notebook in Jupyter relies on them."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from site_support import NO_SEARCH, SiteDir, assert_ok

FRONT = "---\ntitle: {title}\ndate: 2025-01-02\n{extra}---"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a1e0a8f60000000049454e44ae426082"
)
PNG_B64 = base64.b64encode(PNG_1PX).decode()


def _jpeg_base64() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


JPEG_B64 = _jpeg_base64()


def tagged(source: str, *tags: str) -> Any:
    cell = new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def write_notebook(site: SiteDir, name: str, *cells: Any, stored: bool = False) -> None:
    """A notebook as Jupyter saves one, opening with a raw front matter cell."""
    extra = "outputs: stored\n" if stored else ""
    front = new_raw_cell(FRONT.format(title=name.title(), extra=extra))
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = new_notebook(cells=[front, *cells], metadata={"kernelspec": kernel})
    nbformat.validate(notebook)
    site.write(f"posts/{name}.ipynb", nbformat.writes(notebook))


def new_site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    return site


# --- cell tags --------------------------------------------------------------------------------


def test_cell_tags_hide_fold_and_expect_errors_as_myst_code_cell_tags_do(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "tags",
        tagged("SETUP_CODE = 'REMOVED-CELL-OUTPUT'\nprint(SETUP_CODE)", "remove-cell"),
        tagged("print('FOLDED-' + 'OUTPUT')", "hide-input"),
        tagged("raise ValueError('expected failure')", "raises-exception"),
        tagged("print('ONLY-' + 'OUTPUT')", "remove-input"),
        tagged("print('REMOVED-' + 'OUTPUT')", "remove-output"),
        tagged("print('NEVER-' + 'RUN')", "skip-execution"),
        tagged("print('FOLDED-' + 'CELL')", "hide-cell", "hide-output"),
        tagged("1 + 1", "papermill-parameters"),
        new_code_cell("x = 1\ny = x / 0"),
    )
    result = site.build("--keep-going")
    assert result.code == 1, str(result)  # only the untagged failing cell fails the build
    assert "expected failure" not in result.stderr
    # The cells after tagged ones keep their numbers and lines.
    assert "posts/tags.ipynb: cell 10, line 2: ZeroDivisionError" in result.stderr
    assert "    >  2 | y = x / 0" in result.stderr and ":tags:" not in result.stderr
    warning = "posts/tags.ipynb: cell 9: warning: code cell tag 'papermill-parameters'"
    assert warning in result.stderr
    page = site.page("posts/tags/index.html")
    assert "SETUP_CODE" not in page and "REMOVED-CELL-OUTPUT" not in page
    assert "FOLDED-OUTPUT" in page and page.count("lemma-fold") >= 2
    assert "ValueError" in page and "expected failure" in page
    assert "ONLY-OUTPUT" in page and "ONLY-" not in page.replace("ONLY-OUTPUT", "")
    assert "REMOVED-" in page and "REMOVED-OUTPUT" not in page
    assert "NEVER-" in page and "NEVER-RUN" not in page
    assert "FOLDED-CELL" in page
    assert ":tags:" not in page and "{code-cell}" not in page


def test_cell_tags_apply_to_stored_outputs(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    shown = new_code_cell("print('a')", outputs=[new_output("stream", text="SHOWN-STORED\n")])
    hidden = tagged("print('b')", "remove-output")
    hidden.outputs = [new_output("stream", text="REMOVED-STORED\n")]
    removed = tagged("SECRET_SETUP = 1", "remove-cell")
    write_notebook(site, "stored", removed, shown, hidden, stored=True)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/stored/index.html")
    assert "SHOWN-STORED" in page and "REMOVED-STORED" not in page
    assert "SECRET_SETUP" not in page


# --- Markdown cells are documents of their own ----------------------------------------------


def test_a_fence_left_open_in_a_markdown_cell_ends_with_its_cell(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "fences",
        new_markdown_cell("Unclosed fence:\n\n```text\nIN-THE-FENCE"),
        new_markdown_cell("NEXT-CELL prose, with $a^2$."),
        new_raw_cell("a raw cell quoting\n```\nRAW-FENCED\n```\nand more"),
        new_code_cell("print('RAN-' + 'CODE')\nx = 1 / 0"),
    )
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    warning = "posts/fences.ipynb: cell 2, line 3: warning: the code fence opened here with ```"
    assert warning in result.stderr
    assert "add a line with ``` at the end of the cell" in result.stderr
    assert "posts/fences.ipynb: cell 5, line 2: ZeroDivisionError" in result.stderr
    assert "SyntaxError" not in result.stderr
    page = site.page("posts/fences/index.html")
    assert "<p>NEXT-CELL prose" in page and "<math" in page
    assert "IN-THE-FENCE" in page and "RAW-FENCED" in page and "RAN-CODE" in page


# --- stored outputs ---------------------------------------------------------------------------

PLOTLY_HTML = '<div id="f"></div><script type="text/javascript">Plotly.newPlot("f")</script>'
PLOTLY = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 1]}], "layout": {}}
VEGA = {"mark": "line", "data": {"values": [{"x": 1}]}, "encoding": {}}


def display(data: dict[str, Any]) -> Any:
    return new_output("display_data", data=data)


def stored_cell(source: str, *outputs: Any) -> Any:
    return new_code_cell(source, outputs=list(outputs), execution_count=1)


@pytest.mark.parametrize(
    ("kernel", "language", "label"),
    [
        ({"name": "ir", "display_name": "R", "language": "R"}, {"name": "R"}, "R"),
        ({"name": "julia-1.10", "display_name": "Julia", "language": "julia"}, {}, "Julia"),
    ],
)
def test_a_notebook_in_another_language_shows_its_stored_outputs(
    tmp_path: Path, kernel: dict[str, str], language: dict[str, str], label: str
) -> None:
    # Lemma runs Python only: an R or Julia notebook shows what Jupyter saved in it, as Quarto
    # renders an .ipynb, without `outputs: stored`; nothing of it runs.
    site = new_site(tmp_path)
    cells = [
        new_raw_cell(FRONT.format(title="Other", extra="")),
        stored_cell(
            "summary(fit)",
            new_output("stream", name="stdout", text="R-SAID-THIS\n"),
            display({"image/png": PNG_B64, "text/plain": "<plot>"}),
            # Jupyter wraps a long base64 string into lines; IPython's Image(width=...) saves
            # the size in the output's metadata
            new_output(
                "display_data",
                data={"image/jpeg": "\n".join(re.findall(".{1,76}", JPEG_B64)), "text/plain": ""},
                metadata={"image/jpeg": {"width": 20, "alt": "A red square"}},
            ),
        ),
        stored_cell("x <- 1", new_output("execute_result", data={"text/latex": "$\\frac{1}{2}$"})),
    ]
    metadata: dict[str, Any] = {"kernelspec": kernel}
    if language:
        metadata["language_info"] = language
    notebook = new_notebook(cells=cells, metadata=metadata)
    site.write("posts/other.ipynb", nbformat.writes(notebook))
    result = site.build()
    assert_ok(result)
    assert "0 executed" in result.stdout
    page = site.page("posts/other/index.html")
    assert "R-SAID-THIS" in page
    assert f'src="data:image/png;base64,{PNG_B64}"' in page  # the stored figure
    jpeg = f'src="data:image/jpeg;base64,{JPEG_B64}" width="20" alt="A red square"'
    assert jpeg in page  # the stored photo, one string again, at its saved size
    assert "<mfrac>" in page  # the stored LaTeX output, typeset
    assert f'class="lemma-lang">{label}<' in page


def test_stored_charts_are_drawn_from_their_json_and_script_html_is_a_warning(
    tmp_path: Path,
) -> None:
    pytest.importorskip("plotly")
    site = new_site(tmp_path)
    write_notebook(
        site,
        "charts",
        stored_cell(
            "fig", display({"application/vnd.plotly.v1+json": PLOTLY, "text/html": PLOTLY_HTML})
        ),
        stored_cell("alt_chart", display({"application/vnd.vegalite.v5+json": VEGA})),
        stored_cell("html_png", display({"text/html": PLOTLY_HTML, "image/png": PNG_B64})),
        stored_cell("html_text", display({"text/html": PLOTLY_HTML, "text/plain": "TEXT-FORM"})),
        stored=True,
    )
    result = site.build()
    assert result.code == 0, str(result)
    page = site.page("posts/charts/index.html")
    found = re.findall(
        r'<script type="application/json" class="lemma-chart-data">(.*?)</script>', page
    )
    assert [json.loads(text).get("mark") for text in found] == [None, "line"]
    assert json.loads(found[0])["data"][0]["type"] == "scatter"
    assert re.search(r'<script src="/assets/js/plotly-[0-9a-f]{16}\.js"', page)
    assert "Plotly.newPlot" not in page  # the producer's inline script never reaches the page
    assert f'src="data:image/png;base64,{PNG_B64}"' in page
    assert "TEXT-FORM" in page
    blocked = "warning: a stored output is HTML that needs its own <script>"
    assert f"posts/charts.ipynb: cell 4: {blocked}" in result.stderr
    assert "its image/png is shown instead" in result.stderr
    assert f"posts/charts.ipynb: cell 5: {blocked}" in result.stderr
    assert "its text is shown instead" in result.stderr
    assert "cell 2:" not in result.stderr and "cell 3:" not in result.stderr
    # The downloadable notebook keeps each chart under its own MIME type.
    notebook = json.loads(site.page("posts/charts/charts.ipynb"))
    bundles = [o["data"] for c in notebook["cells"] for o in c.get("outputs", [])]
    assert bundles[0]["application/vnd.plotly.v1+json"] == PLOTLY
    assert bundles[1]["application/vnd.vegalite.v5+json"] == VEGA


def test_stored_reprs_made_only_of_addresses_are_left_out(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    line2d = "[<matplotlib.lines.Line2D at 0x7f3a2c1d5e10>]"
    result_of = {"text/plain": line2d}
    write_notebook(
        site,
        "addresses",
        stored_cell("plt.plot([1, 2])", new_output("execute_result", data=result_of)),
        stored_cell("[1, 2]", new_output("execute_result", data={"text/plain": "[1, 2]"})),
        stored=True,
    )
    assert_ok(site.build())
    page = site.page("posts/addresses/index.html")
    assert "0x7f3a2c1d5e10" not in page and "Line2D" not in page.replace("plt.plot", "")
    assert "[1, 2]" in page


# --- attachments ------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect/></svg>'


def with_attachments(source: str, **images: dict[str, str]) -> Any:
    cell = new_markdown_cell(source)
    cell["attachments"] = {name.replace("_", "."): bundle for name, bundle in images.items()}
    return cell


def test_markdown_cell_attachments_become_media_files_and_stay_in_the_download(
    tmp_path: Path,
) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "attached",
        with_attachments(
            "A plot:\n\n![a plot](attachment:image.png)", image_png={"image/png": PNG_B64}
        ),
        with_attachments(
            "Same name:\n\n![other](attachment:image.png)", image_png={"image/svg+xml": SVG}
        ),
        new_code_cell("print(1)"),
    )
    result = site.build()
    assert_ok(result)
    assert "Content-Security-Policy" not in result.stderr
    page = site.page("posts/attached/index.html")
    sources = re.findall(r'<img src="(/media/[0-9a-f]{16}-image\.png)" alt="([^"]+)"', page)
    assert [alt for _, alt in sources] == ["a plot", "other"]
    assert (site.out / sources[0][0].lstrip("/")).read_bytes() == PNG_1PX
    assert (site.out / sources[1][0].lstrip("/")).read_text() == SVG  # each cell's own
    notebook = json.loads(site.page("posts/attached/attached.ipynb"))
    nbformat.validate(nbformat.from_dict(notebook))
    kept = [c["attachments"] for c in notebook["cells"] if "attachments" in c]
    # Both cells' prose is one cell of the download: the second image.png takes its cell's number.
    assert kept == [{"image.png": {"image/png": PNG_B64}, "3-image.png": {"image/svg+xml": SVG}}]
    prose = "".join(next(c for c in notebook["cells"] if "attachments" in c)["source"])
    assert "](attachment:image.png)" in prose and "](attachment:3-image.png)" in prose


def test_an_attachment_replaced_in_jupyter_leaves_no_old_copy_in_the_cache(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    attachments = tmp_path / ".lemma-cache" / "attachments"
    svg_cell = with_attachments("![p](attachment:p.svg)", p_svg={"image/svg+xml": SVG})
    write_notebook(site, "pasted", svg_cell, new_code_cell("print(1)"))
    assert_ok(site.build())
    first = sorted(p.name for p in attachments.iterdir())
    assert len(first) == 1 and first[0].endswith(".svg")
    png_cell = with_attachments("![p](attachment:p.png)", p_png={"image/png": PNG_B64})
    write_notebook(site, "pasted", png_cell, new_code_cell("print(1)"))
    assert_ok(site.build())
    assert_ok(site.build())  # a build that changes nothing keeps what the page shows
    kept = sorted(p.name for p in attachments.iterdir())
    assert len(kept) == 1 and kept[0].endswith(".png")
    assert (attachments / kept[0]).read_bytes() == PNG_1PX
    shown = re.findall(r'<img src="/(media/[^"]+)"', site.page("posts/pasted/index.html"))
    assert [(site.out / path).read_bytes() for path in shown] == [PNG_1PX]


def test_an_attachment_the_cell_does_not_have_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "missing",
        with_attachments("Text.\n\n![plot](attachment:plot.png)", other_png={"image/png": PNG_B64}),
    )
    result = site.build()
    assert result.code == 1, str(result)
    assert (
        "posts/missing.ipynb: cell 2, line 3: missing image: the cell has no attachment named "
        "'plot.png' (this cell has other.png)"
    ) in result.stderr
    assert "drag or paste the image into this cell in Jupyter" in result.stderr


def test_a_colab_notebook_without_a_date_is_told_how_to_give_it_one(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    notebook = new_notebook(
        cells=[new_markdown_cell("# Gradient descent\n\nWe minimise $x^2$."), new_code_cell("1")],
        metadata={"colab": {"provenance": []}, "accelerator": "GPU"},
    )
    site.write("posts/gradient_descent.ipynb", nbformat.writes(notebook))
    result = site.build()
    assert result.code == 1
    line = next(x for x in result.stderr.splitlines() if "missing required key 'date'" in x)
    assert line.startswith("posts/gradient_descent.ipynb: cell 1, line 1: ")
    assert "a first raw cell between '---' lines" in line
    assert "name the file 2025-12-20-gradient_descent.ipynb" in line
