"""Quarto's figures in Markdown: `{#fig-x}` images, figure divs of subfigures, layout grids."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from lemma.load import load_post
from lemma.model import Figure, SnippetOptions
from lemma.parse import extract_snippets, parse_body
from lemma.render.body import RenderedBody
from lemma.render.outputs import outputs_for_template
from lemma.reuse.figures import FigureStore
from test_markup import render

SUBFIGURES = """\
::: {#fig-pair layout-ncol=2}
![Before $t = 0$](before.png){#fig-before}

![After](after.png){#fig-after}

Attention before and after training.
:::

![Keys](keys.png){#fig-keys}

::: {layout-ncol=3}
![Q](q.png)

![K](k.png)

![V](v.png)
:::

@fig-pair shows @fig-before and @fig-after; @fig-keys stands alone.
"""


def rendered(tmp_path: Path) -> RenderedBody:
    posts = tmp_path / "posts"
    posts.mkdir(exist_ok=True)
    for name in ("before", "after", "keys", "q", "k", "v"):
        (posts / f"{name}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return render(SUBFIGURES, tmp_path)


def test_figure_div_numbers_its_subfigures_and_captions_the_whole(tmp_path: Path) -> None:
    result = rendered(tmp_path)
    assert result.problems == ()
    html = re.sub(r"<math.*?</math>", "<math/>", result.html, flags=re.DOTALL)
    panel = html[html.index('<figure class="figure-panel') : html.index('id="fig-keys"')]
    assert panel.startswith(
        '<figure class="figure-panel figure-layout figure-layout--2" id="fig-pair">'
    )
    assert re.findall(r"<figcaption>(.*?)</figcaption>", panel) == [
        "(a) Before <math/>",
        "(b) After",
        "Figure 1: Attention before and after training.",
    ]
    assert '<figure class="lemma-figure figure-layout-cell" id="fig-before"><img' in panel
    links = re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', html)
    assert links == [
        ("fig-pair", "Figure 1"),
        ("fig-before", "Figure 1 (a)"),
        ("fig-after", "Figure 1 (b)"),
        ("fig-keys", "Figure 2"),
    ]


def test_labelled_image_is_a_figure_captioned_by_its_alt_text(tmp_path: Path) -> None:
    html = rendered(tmp_path).html
    figure = html[html.index('<figure class="lemma-figure" id="fig-keys">') :]
    figure = figure[: figure.index("</figure>")]
    assert 'alt="Keys"' in figure
    assert "<figcaption>Figure 2: Keys</figcaption>" in figure
    assert "{#fig-keys}" not in html


def test_layout_div_is_a_grid_of_captioned_images(tmp_path: Path) -> None:
    html = rendered(tmp_path).html
    grid = html[html.index('<div class="figure-layout figure-layout--3">') :]
    grid = grid[: grid.index("</div>")]
    assert re.findall(r"<figcaption>(.*?)</figcaption>", grid) == ["Q", "K", "V"]
    assert grid.count('class="lemma-figure figure-layout-cell"') == 3


def test_images_without_a_figure_label_stay_images() -> None:
    tokens = parse_body("![A plot](plot.png){.wide}\n\nText ![inline](i.png){#fig-x} here.\n")
    assert [t.type for t in tokens] == [
        "paragraph_open",
        "inline",
        "paragraph_close",
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]
    image = (tokens[1].children or [])[0]
    assert image.attrGet("class") == "wide"


def test_an_image_attribute_the_pages_cannot_keep_is_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = render('Text.\n\n![A plot](plot.png){width="50%" fig-align="center"}\n', tmp_path)
    [problem] = result.problems
    assert problem.is_warning
    assert str(problem).startswith(
        "posts/p.md:7: image attribute 'width', 'fig-align' of 'plot.png' is ignored"
    )
    assert "width=" not in result.html


def test_pandocs_unquoted_width_is_a_warning_not_text(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = render("![A plot](plot.png){#fig-plot width=50%}\n\nSee @fig-plot.\n", tmp_path)
    [problem] = result.problems
    assert problem.is_warning and "image attribute 'width'" in problem.message
    assert "{#fig-plot" not in result.html and "50%" not in result.html
    assert "<figcaption>Figure 1: A plot</figcaption>" in result.html


def test_a_margin_image_is_a_margin_figure(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "m.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    html = render("Text.\n\n![A margin plot](m.png){.column-margin}\n", tmp_path).html
    assert '<figure class="lemma-figure margin-note"><img src=' in html
    assert "<figcaption>A margin plot</figcaption>" in html


def test_a_layout_lemma_cannot_set_is_a_warning_at_its_line() -> None:
    body = '::: {layout="[[1,1],[1]]"}\n![A](a.png)\n:::\n\n::: {layout-ncol=9}\nx\n:::\n'
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    post, _ = load_post("posts/p.qmd", text.encode(), ZoneInfo("UTC"))
    _, problems = extract_snippets(post, SnippetOptions())
    assert [(str(p.location), p.is_warning) for p in problems] == [
        ("posts/p.qmd:5", True),
        ("posts/p.qmd:9", True),
    ]
    assert 'Quarto\'s layout="[[1,1],[1]]" is not supported' in problems[0].message
    assert "layout-ncol=9 (1 to 6 columns)" in problems[1].message


def test_a_figure_alt_text_reads_its_formulas_as_text(tmp_path: Path) -> None:
    # matplotlib titles and Quarto's fig-alt are written with TeX, captions with Markdown: the
    # page's alt says what a screen reader can read; a lone dollar sign is left alone.
    outputs = [
        Figure(f"{'a' * 64}.svg", 640, 480, "Figure: $\\sigma(z)$; $\\lambda = 0.1$"),
        Figure(f"{'b' * 64}.svg", 640, 480, "A curve of $f(x_k)$ falling to zero"),
        Figure(f"{'c' * 64}.svg", 640, 480, "Costs in $ per day"),
        Figure(f"{'d' * 64}.svg", 640, 480, "The **loss** of $x$", "The **loss** of $x$"),
    ]
    views = outputs_for_template(outputs, str, FigureStore.in_cache(tmp_path), {}, str)
    assert [view["alt"] for view in views] == [
        "Figure: σ(z); λ = 0.1",
        "A curve of f(xₖ) falling to zero",
        "Costs in $ per day",
        "The loss of x",  # the caption (Markdown) as its plain text
    ]
