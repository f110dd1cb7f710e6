"""MyST's directives and roles as Jupyter Book authors write them (parse/directives.py,
parse/roles.py, render/roles.py): {math} and {figure} numbered with the post's equations and
figures, {admonition} classes, {eq}/{ref}/{numref} links, and a warning at its line for the rest;
in .md posts and in notebook Markdown cells, through `lemma build`."""

from __future__ import annotations

import re
from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell

from site_support import SiteDir, assert_ok, error_line, post, warning_line
from test_markup import render
from test_notebook_posts import PNG_1PX, new_site, write_notebook

BODY = """Intro with $$ a = b $$ {#eq-first} in a sentence.

```{math}
:label: energy
E = mc^2
```

```{figure} plot.png
:name: fig-plot
:width: 50%
:alt: A small plot
:align: center

The *loss* falls.
```

```{admonition} Try this
:class: tip
Body of the tip.
```

```{note}
:class: dropdown
Hidden until opened.
```

```{glossary}
term
: meaning
```

By {eq}`energy`, {numref}`fig-plot`, {numref}`Fig. %s <fig-plot>`, {ref}`the plot <fig-plot>`,
\\eqref{energy} and @eq-first; {doc}`other` and {math}`x^2`.
"""


def body_of(site: SiteDir, slug: str) -> str:
    page = site.page(f"posts/{slug}/index.html")
    body = page[page.index('<div class="post-body">') : page.index('<footer class="post-footer"')]
    return re.sub(r"<math.*?</math>", "<math/>", body, flags=re.DOTALL)


def test_myst_directives_and_roles_in_a_markdown_post(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write("posts/plot.png", PNG_1PX)
    site.write("posts/myst.md", post(title="MyST", body=BODY))
    result = site.build()
    assert_ok(result)
    body = body_of(site, "myst")
    # {math} with :label: is numbered after the labelled equation before it, not shown as code
    assert '<span class="math-display math-display--numbered" id="eq-first">' in body
    assert re.search(r'id="energy"><math/><span class="equation-number">\(2\)</span>', body)
    assert "E = mc^2" not in body and ":label:" not in body
    # {figure}: the captioned figure Lemma makes, numbered by its :name:, no style attribute
    figure = re.search(r'<figure class="lemma-figure" id="fig-plot">.*?</figure>', body, re.S)
    assert figure is not None
    assert 'alt="A small plot"' in figure.group() and "style=" not in figure.group()
    assert "<figcaption>Figure 1: The <em>loss</em> falls.</figcaption>" in figure.group()
    # {admonition} with :class: tip is a tip; :class: dropdown collapses
    assert re.search(r'class="callout callout-tip".*?>Try this<', body, re.S)
    assert '<details class="callout callout-note">' in body
    # roles link to what they name
    assert body.count('<a class="eqref" href="#energy">(2)</a>') == 2  # {eq} and \\eqref
    assert re.search(r'href="#fig-plot"[^>]*>Figure 1</a>', body)
    assert re.search(r'href="#fig-plot"[^>]*>Fig\. 1</a>', body)
    assert re.search(r'href="#fig-plot"[^>]*>the plot</a>', body)
    assert re.search(r'href="#eq-first"[^>]*>Equation 1</a>', body)
    assert "{#eq-first}" not in body and "{eq}" not in body
    # an unknown directive is a code block, an unknown role its text: both said at their line
    assert "term" in body and "other" in body
    warning_line(result, "posts/myst.md", 32, "MyST directive {glossary}")
    warning_line(result, "posts/myst.md", 37, "MyST role {doc}")
    assert len(re.findall(r"^posts/myst\.md:\d+: warning: MyST", result.stderr, re.M)) == 2


def test_myst_directives_in_notebook_cells_warn_at_cell_and_line(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write("posts/plot.png", PNG_1PX)
    markdown = (
        "Prose.\n\n```{math}\n:label: my-eq\nE = mc^2\n```\n\n"
        "```{figure} plot.png\n:name: fig-small\n\nA caption.\n```\n\n"
        "```{margin}\nAside.\n```\n\nSee {eq}`my-eq` and {numref}`fig-small`."
    )
    write_notebook(site, "habits", new_markdown_cell(markdown), new_code_cell("print(2 + 2)"))
    result = site.build()
    assert_ok(result)
    body = body_of(site, "habits")
    assert re.search(r'id="my-eq"><math/><span class="equation-number">\(1\)</span>', body)
    assert '<a class="eqref" href="#my-eq">(1)</a>' in body
    assert "<figcaption>Figure 1: A caption.</figcaption>" in body
    assert re.search(r'href="#fig-small"[^>]*>Figure 1</a>', body)
    assert "posts/habits.ipynb: cell 2, line 14: warning: MyST directive {margin}" in (
        result.stderr
    )


def test_unknown_labels_of_roles_are_errors_and_known_code_blocks_stay_quiet(
    tmp_path: Path,
) -> None:
    site = new_site(tmp_path)
    body = "See {numref}`fig-nowhere`.\n\n```{r}\nx <- 1\n```\n\n```{python}\n1 + 1\n```\n"
    site.write("posts/refs.md", post(title="Refs", body=body))
    result = site.build()
    assert result.code == 1
    error_line(result, "posts/refs.md", 6, "unknown cross-reference {numref}`fig-nowhere`")
    assert "directive" not in result.stderr  # {r} is R code, {python} a snippet


def test_figure_width_in_pixels_is_an_attribute_and_a_missing_image_an_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "x.png").write_bytes(PNG_1PX)
    shown = render("```{figure} x.png\n:width: 300px\n```\n", tmp_path)
    assert 'width="300"' in shown.html and "<figcaption>" not in shown.html
    missing = render("Text.\n\n```{figure} nowhere.png\nCaption.\n```\n", tmp_path)
    assert [str(p.location) for p in missing.problems] == ["posts/p.md:7"]
    assert "missing image" in missing.problems[0].message


def test_a_bad_formula_in_a_math_directive_warns_at_its_own_line(tmp_path: Path) -> None:
    rendered = render("```{math}\n:label: bad\n\nx = \\frac{1}{\n```\n", tmp_path)
    assert [str(p.location) for p in rendered.problems] == ["posts/p.md:8"]
