"""MyST's directives and roles as Jupyter Book authors write them (parse/directives.py,
parse/roles.py, render/roles.py): {math} and {figure} numbered with the post's equations and
figures, {admonition} classes, {eq}/{ref}/{numref} links, and a warning at its line for the rest;
in .md posts and in notebook Markdown cells, through `lemma build`."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from lemma.load import load_post
from lemma.model import SnippetOptions
from lemma.parse import extract_snippets
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

```{versionadded}
term
: meaning
```

By {eq}`energy`, {numref}`fig-plot`, {numref}`Fig. %s <fig-plot>`, {ref}`the plot <fig-plot>`,
\\eqref{energy} and @eq-first; {command}`other` and {math}`x^2`.
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
    warning_line(result, "posts/myst.md", 32, "MyST directive {versionadded}")
    warning_line(
        result, "posts/myst.md", 38, "MyST role {command}"
    )  # its own line of the paragraph
    assert len(re.findall(r"^posts/myst\.md:\d+: warning: MyST", result.stderr, re.M)) == 2


@pytest.mark.parametrize("fence", ["```", ":::"])
def test_myst_directives_in_notebook_cells_warn_at_cell_and_line(
    tmp_path: Path, fence: str
) -> None:
    site = new_site(tmp_path)
    site.write("posts/plot.png", PNG_1PX)
    markdown = (
        "Prose.\n\n```{math}\n:label: my-eq\nE = mc^2\n```\n\n"
        "```{figure} plot.png\n:name: fig-small\n\nA caption.\n```\n\n"
        "```{versionadded}\nAside.\n```\n\n"
        "```{admonition} Exercise\n:class: tip\nTry $x^3$.\n```\n\n"
        "See {eq}`my-eq` and {numref}`fig-small`."
    ).replace("```", fence)
    write_notebook(site, "habits", new_markdown_cell(markdown), new_code_cell("print(2 + 2)"))
    result = site.build()
    assert_ok(result)
    body = body_of(site, "habits")
    assert re.search(r'id="my-eq"><math/><span class="equation-number">\(1\)</span>', body)
    assert '<a class="eqref" href="#my-eq">(1)</a>' in body
    assert "<figcaption>Figure 1: A caption.</figcaption>" in body
    assert re.search(r'href="#fig-small"[^>]*>Figure 1</a>', body)
    assert re.search(r'class="callout callout-tip".*?>Exercise<', body, re.S)
    assert ":class:" not in body and ":name:" not in body
    assert "posts/habits.ipynb: cell 2, line 14: warning: MyST directive {versionadded}" in (
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


# Every directive of BODY but {versionadded}, in MyST's colon-fence spelling (its options as `---`
# YAML once), and a callout holding a figure and an equation: the longer fence is the outer one.
COLON_BODY = """Intro with $$ a = b $$ {#eq-first} in a sentence.

:::{math}
:label: energy
E = mc^2
:::

:::{figure} plot.png
---
name: fig-plot
width: 50%
alt: "A small plot"
align: center
---

The *loss* falls.
:::

:::{admonition} Try this
:class: tip
Body of the tip.
:::

:::{note}
:class: dropdown
Hidden until opened.
:::

By {eq}`energy`, {numref}`fig-plot`, {numref}`Fig. %s <fig-plot>`, {ref}`the plot <fig-plot>`,
\\eqref{energy} and @eq-first; {math}`x^2`.
"""


def test_colon_fences_are_the_same_directives_as_backtick_fences(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write("posts/plot.png", PNG_1PX)
    backtick = BODY.replace("{command}`other` and ", "")
    backtick = (
        backtick[: backtick.index("```{versionadded}")] + backtick[backtick.index("By {eq}") :]
    )
    site.write("posts/backtick.md", post(title="MyST", body=backtick))
    site.write("posts/colon.md", post(title="MyST", body=COLON_BODY))
    result = site.build()
    assert_ok(result)
    assert "warning" not in result.stderr
    colon = body_of(site, "colon")
    assert colon == body_of(site, "backtick")
    assert '<figure class="lemma-figure" id="fig-plot"><img' in colon
    assert re.search(r'class="callout callout-tip".*?>Try this<', colon, re.S)
    assert ":label:" not in colon and ":class:" not in colon and "name:" not in colon


def test_nested_colon_fences_and_their_lines(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "d.png").write_bytes(PNG_1PX)
    body = (
        "::::{tip} Outer\n"  # line 5
        ":class: dropdown\n\n"
        ":::{figure} d.png\n"  # line 8
        ":name: fig-d\n"
        ":width: 200px\n\n"
        "A caption.\n"
        ":::\n\n"
        ":::{math}\n"  # line 15
        ":label: bad\n"
        "x = \\frac{1}{\n"  # line 17
        ":::\n\n"
        ":::{versionadded}\n"  # line 20
        ":class: aside\n"
        "An *aside*.\n"
        ":::\n"
        "::::\n\n"
        "See {numref}`fig-d`.\n"
    )
    shown = render(body, tmp_path)
    html = shown.html
    assert html.startswith('<details class="callout callout-tip">')
    assert re.search(r'<figure class="lemma-figure" id="fig-d"><img [^>]*width="200"', html)
    assert "<figcaption>Figure 1: A caption.</figcaption>" in html
    assert re.search(r'href="#fig-d"[^>]*>Figure 1</a>', html)
    # its Markdown; its class, Quarto's aside too, sets it in the margin
    assert '<div class="margin-note">\n<p>An <em>aside</em>.</p>' in html
    assert ":name:" not in html and ":class:" not in html and ":::" not in html
    assert [str(p.location) for p in shown.problems] == ["posts/p.md:17"]
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    snippets, problems = extract_snippets(
        load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))[0], SnippetOptions()
    )
    assert snippets == ()
    assert [(str(p.location), p.message) for p in problems] == [
        (
            "posts/p.md:20",
            "MyST directive {versionadded} is not one Lemma knows; "
            "it is shown as a div of its Markdown",
        )
    ]


def test_a_backtick_directive_inside_another_is_a_directive_too(tmp_path: Path) -> None:
    shown = render("````{note}\n```{tip} Inner\nBody.\n```\n````\n", tmp_path)
    assert re.search(r"callout-note.*callout-tip.*?>Inner<.*<p>Body\.</p>", shown.html, re.S)
    assert "<pre" not in shown.html and not shown.problems


# --- sphinx-proof's theorems and proofs ----------------------------------------------------------

PROOF_BODY = """```{prf:definition} Smoothness of $f$
:label: def-smooth

$f$ is $L$-smooth when its gradient is $L$-Lipschitz.
```

```{prf:theorem} Rate
:label: rate

Gradient descent converges.
```

```{prf:proof}
By {prf:ref}`def-smooth`.
```

::: {#thm-quarto}
A Quarto theorem in the same sequence.
:::

```{prf:theorem}
Unlabelled, numbered all the same.
```

```{prf:remark}
:nonumber:
:label: rem-aside

Not numbered.
```

:::{prf:algorithm} Descent
:label: alg-gd
:class: dropdown

1. Step.
:::

See {prf:ref}`rate`, {prf:ref}`the algorithm <alg-gd>`, {prf:ref}`rem-aside`, {ref}`thm-quarto`
and @thm-quarto.
"""


def test_sphinx_proof_directives_are_numbered_theorems_like_quartos(tmp_path: Path) -> None:
    shown = render(PROOF_BODY, tmp_path)
    html = re.sub(r"<math.*?</math>", "<math/>", shown.html, flags=re.DOTALL)
    assert not shown.problems, [str(p) for p in shown.problems]
    # the title argument is Markdown, with its math; the kind has its own counter
    assert (
        '<div class="theorem theorem-def" id="def-smooth">\n<p class="theorem-heading">'
        '<strong class="theorem-label">Definition 1</strong> '
        '<span class="theorem-name">(Smoothness of <math/>)</span>.</p>'
    ) in html
    # one sequence with Quarto's theorems; an unlabelled one is numbered but has no id
    assert re.search(r'id="rate">\n<p class="theorem-heading">.*?>Theorem 1</strong>', html)
    assert re.search(r'id="thm-quarto">\n<p class="theorem-heading">.*?>Theorem 2</strong>', html)
    assert '<div class="theorem theorem-thm">\n<p class="theorem-heading"><strong ' in html
    assert ">Theorem 3</strong>.</p>\n<p>Unlabelled" in html
    # a proof ends with its ∎; a remark without a number is named by its kind alone
    assert re.search(r'<div class="proof">.*?∎</span></p>\n</div>', html, re.S)
    assert '<strong class="theorem-label">Remark</strong>.</p>' in html
    # :class: dropdown collapses the block behind its heading
    assert re.search(
        r'<details class="theorem theorem-algorithm" id="alg-gd">\n'
        r'<summary class="theorem-heading">'
        r'<strong class="theorem-label">Algorithm 1</strong> '
        r'<span class="theorem-name">\(Descent\)</span>\.</summary>\n<ol>.*?</ol>\n</details>',
        html,
        re.S,
    )
    # {prf:ref} reads as the number, or the text given; {ref} and @ reach the same targets
    for label, text in [
        ("def-smooth", "Definition 1"),
        ("rate", "Theorem 1"),
        ("alg-gd", "the algorithm"),
        ("rem-aside", "Remark"),
        ("thm-quarto", "Theorem 2"),
    ]:
        assert f'href="#{label}" data-lemma-card="{label}">{text}</a>' in html, label
    assert "prf:" not in html and ":label:" not in html and ":nonumber:" not in html


def test_an_unknown_proof_reference_is_an_error_with_the_closest_label(tmp_path: Path) -> None:
    body = "```{prf:lemma}\n:label: lem-chord\nChords.\n```\n\n```{prf:lemma}\nNo label.\n```\n\n"
    shown = render(body + "By {prf:ref}`lem-chrd`.\n", tmp_path)
    assert [(str(p.location), p.message, p.hint) for p in shown.problems] == [
        (
            "posts/p.md:14",
            "unknown cross-reference {prf:ref}`lem-chrd`",
            "did you mean 'lem-chord'?",
        )
    ]


def test_an_unknown_prf_kind_is_a_warning_at_its_line(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2025-01-01\n---\nText.\n\n```{prf:lemmma}\nBody.\n```\n"
    loaded = load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))[0]
    _, problems = extract_snippets(loaded, SnippetOptions())
    assert [(str(p.location), p.is_warning) for p in problems] == [("posts/p.md:7", True)]
    assert "{prf:lemmma}" in problems[0].message


# --- MyST's (label)= targets -------------------------------------------------------------------

TARGETS_BODY = """(sec-intro)=
## The $\\lambda$ intro

(thm-named)=
```{prf:theorem}
Named by the target above it.
```

(para)=
A paragraph one may link to.

```{math}
:label: energy
E = mc^2
```

See {ref}`sec-intro`, [](sec-intro), [the intro](sec-intro), [again](#sec-intro),
{prf:ref}`thm-named`, [](thm-named), {ref}`that paragraph <para>`, [](energy).
"""


def test_myst_targets_name_the_heading_or_block_after_them(tmp_path: Path) -> None:
    shown = render(TARGETS_BODY, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    html = re.sub(r"<math.*?</math>", "<math/>", shown.html, flags=re.DOTALL)
    assert html.startswith('<h2 id="sec-intro">The <math/> intro <a class="header-anchor" href')
    assert '<div class="theorem theorem-thm" id="thm-named">' in html
    assert '<div id="para"></div>\n<p>A paragraph one may link to.</p>' in html
    assert "(sec-intro)=" not in html and ")=" not in html
    link = '<a class="xref" href="#{0}" data-lemma-card="{0}">{1}</a>'
    for label, text in [
        ("sec-intro", "The λ intro"),  # {ref} and [](label) read the heading's text
        ("sec-intro", "the intro"),
        ("sec-intro", "again"),
        ("thm-named", "Theorem 1"),
        ("para", "that paragraph"),
    ]:
        assert link.format(label, text) in html, (label, text)
    assert html.count(link.format("sec-intro", "The λ intro")) == 2
    assert html.count(link.format("thm-named", "Theorem 1")) == 2
    assert '<a class="eqref" href="#energy">(1)</a>' in html  # an equation's link reads "(1)"


def test_a_reference_to_a_target_that_names_no_heading_needs_its_text(tmp_path: Path) -> None:
    shown = render("(para)=\nA paragraph.\n\nSee {ref}`para`.\n", tmp_path)
    assert [(str(p.location), p.message) for p in shown.problems] == [
        ("posts/p.md:8", "{ref}`para` names no heading, theorem or figure: it needs its text")
    ]
    assert 'href="#para" data-lemma-card="para">para</a>' in shown.html


# --- docutils' admonitions, sphinx-design's dropdown, {code-block} -------------------------------


def test_every_docutils_admonition_is_a_callout_titled_by_its_name(tmp_path: Path) -> None:
    names = ["seealso", "attention", "error", "hint", "danger", "caution", "important"]
    body = "\n".join(f"```{{{name}}}\nBody of {name}.\n```\n" for name in names)
    body += "\n```{danger} Mind $x$\nTitled.\n```\n"
    shown = render(body, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    titles = re.findall(
        r'<div class="callout callout-(\w+)" role="note" aria-labelledby="[^"]+">\n'
        r'<p class="callout-title" id="[^"]+">(.*?)</p>',
        re.sub(r"<math.*?</math>", "<math/>", shown.html, flags=re.DOTALL),
    )
    assert titles == [
        ("note", "See also"),
        ("warning", "Attention"),
        ("caution", "Error"),
        ("tip", "Hint"),
        ("caution", "Danger"),
        ("caution", "Caution"),
        ("important", "Important"),
        ("caution", "Mind <math/>"),  # the argument is a title, with its Markdown
    ]
    assert "```" not in shown.html


def test_sphinx_design_dropdown_is_a_collapsed_callout_open_with_its_option(
    tmp_path: Path,
) -> None:
    body = "```{dropdown} The derivation\nHidden.\n```\n\n:::{dropdown} Shown\n:open:\nOpen.\n:::\n"
    shown = render(body, tmp_path)
    assert not shown.problems
    assert (
        '<details class="callout callout-note">\n<summary class="callout-title">The derivation'
        '</summary>\n<div class="callout-body">\n<p>Hidden.</p>'
    ) in shown.html
    assert '<details class="callout callout-note" open>\n<summary class="callout-title">Shown' in (
        shown.html
    )
    assert ":open:" not in shown.html
    # sphinx-togglebutton's {toggle} (`:show:` opens it) and `:class: toggle` fold the same way
    body = "```{toggle}\nHidden.\n```\n\n```{admonition} Click\n:class: toggle\nX.\n```\n\n"
    toggles = render(body + "```{toggle}\n:show:\nShown.\n```\n", tmp_path).html
    assert re.findall(
        r'<details class="callout callout-note"( open)?>\n<summary[^>]*>(\w+)', toggles
    ) == [
        ("", "Show"),
        ("", "Click"),
        (" open", "Show"),
    ]


def test_a_code_block_directive_is_highlighted_never_run_and_its_options_warn(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: T\ndate: 2025-01-01\n---\n"
        "```{code-block} python\n:linenos:\n:caption: Step\n\nx = x - lr * grad(x)\n```\n"
    )
    loaded = load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))[0]
    snippets, problems = extract_snippets(loaded, SnippetOptions())
    assert [(s.language, s.code, s.options.eval, str(s.location)) for s in snippets] == [
        ("python", "x = x - lr * grad(x)", False, "posts/p.md:9")
    ]
    assert [(str(p.location), p.message, p.is_warning) for p in problems] == [
        (
            "posts/p.md:6",
            "{code-block} option ':linenos:' has no meaning in Lemma and is ignored",
            True,
        ),
        (
            "posts/p.md:7",
            "{code-block} option ':caption:' has no meaning in Lemma and is ignored",
            True,
        ),
    ]


# --- sphinx-design's tabs, Jupyter Book's margin and sidebar, docutils' epigraph ----------------


def test_tabs_asides_and_epigraphs_hold_their_markdown(tmp_path: Path) -> None:
    body = (
        "::::{tab-set}\n:::{tab-item} First $x$\nOne.\n:::\n:::{tab-item} Second\n:selected:\n"
        "Two.\n:::\n::::\n\n"
        "```{margin}\nA *note*.\n```\n\n```{sidebar} Aside\nText.\n```\n\n"
        "```{epigraph}\nInsight, not numbers.\n\n-- Richard Hamming\n```\n"
    )
    shown = render(body, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    html = re.sub(r"<math.*?</math>", "<math/>", shown.html, flags=re.DOTALL)
    assert html.startswith(
        '<div class="tabset" data-lemma-tabset>\n<div class="tab">\n'
        '<p class="tab-label">First <math/></p>\n'
        '<p>One.</p>\n</div>\n<div class="tab" data-selected>\n<p class="tab-label">Second</p>\n'
        "<p>Two.</p>\n</div>\n</div>\n"
    )
    assert '<aside class="margin-note myst-margin">\n<p>A <em>note</em>.</p>\n</aside>' in html
    assert (
        '<aside class="margin-note myst-sidebar">\n<p class="margin-note-title">Aside</p>\n'
        "<p>Text.</p>"
    ) in html
    assert (
        '<blockquote class="epigraph">\n<p>Insight, not numbers.</p>\n'
        '<p class="attribution">— Richard Hamming</p>\n</blockquote>'
    ) in html
    assert ":selected:" not in html and "--" not in html


def test_sphinx_exercise_numbers_exercises_and_links_solutions_to_them(tmp_path: Path) -> None:
    body = (
        "::: {#exr-quarto}\nQuarto's exercise.\n:::\n\n"
        "```{exercise} Norms\n:label: ex-norm\n\nShow that norms are convex.\n```\n\n"
        "```{solution} ex-norm\n:class: dropdown\n\nThe triangle inequality.\n```\n\n"
        "```{solution} ex-nrm\nA typo.\n```\n"
    )
    shown = render(body, tmp_path)
    assert (
        '<div class="theorem theorem-exr" id="ex-norm">\n<p class="theorem-heading">'
        '<strong class="theorem-label">Exercise 2</strong> '
        '<span class="theorem-name">(Norms)</span>.</p>'
    ) in shown.html  # counted with Quarto's exercises
    assert (
        '<details class="proof solution">\n<summary class="proof-heading"><strong>Solution to '
        '<a class="xref" href="#ex-norm" data-lemma-card="ex-norm">Exercise 2</a></strong>'
        "</summary>\n<p>The triangle inequality.</p>\n</details>"
    ) in shown.html
    assert [(str(p.location), p.message, p.hint) for p in shown.problems] == [
        (
            "posts/p.md:21",
            "{solution} of an unknown exercise 'ex-nrm'",
            "did you mean 'ex-norm'?",
        )
    ]


def test_an_image_directive_is_an_unnumbered_figure_and_inline_roles_their_elements(
    tmp_path: Path,
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "d.png").write_bytes(PNG_1PX)
    body = (
        "```{image} d.png\n:alt: A dot\n:width: 120px\n:name: dot\n```\n\n"
        "```{figure} d.png\n:name: fig-d\n\nCaptioned.\n```\n\n"
        "H{sub}`2`O, $e${sup}`x`, {kbd}`Ctrl+C` and {abbr}`SGD (stochastic gradient descent)`.\n"
    )
    shown = render(body, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    assert re.search(
        r'<figure class="lemma-figure" id="dot"><img src="[^"]+" alt="A dot" width="120"',
        shown.html,
    )
    assert "Figure 1: Captioned." in shown.html  # the image took no number
    assert "H<sub>2</sub>O" in shown.html and "<sup>x</sup>" in shown.html
    assert "<kbd>Ctrl+C</kbd>" in shown.html
    assert '<abbr title="stochastic gradient descent">SGD</abbr>' in shown.html


def test_a_list_table_is_a_numbered_table_and_a_malformed_one_a_warning(tmp_path: Path) -> None:
    body = (
        "```{list-table} Step sizes\n:header-rows: 1\n:name: tbl-steps\n\n"
        "* - Method\n  - Step\n* - GD\n  - $1/L$\n* - Nesterov\n  - Two\n\n    paragraphs\n```\n\n"
        "See {numref}`tbl-steps`.\n\n"
        "```{list-table}\nNot a list.\n```\n"
    )
    shown = render(body, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    html = re.sub(r"<math.*?</math>", "<math/>", shown.html, flags=re.DOTALL)
    assert html.startswith(
        '<table id="tbl-steps">\n<caption>Table 1: Step sizes</caption>\n<thead>\n<tr>\n'
        "<th>Method</th><th>Step</th></tr>\n</thead>\n<tbody>\n<tr>\n<td>GD</td><td><math/></td>"
        "</tr>\n<tr>\n<td>Nesterov</td><td><p>Two</p>\n<p>paragraphs</p>\n</td></tr>\n</tbody>\n"
        "</table>\n"
    )
    assert 'href="#tbl-steps" data-lemma-card="tbl-steps">Table 1</a>' in html
    assert "<p>Not a list.</p>" in html  # its Markdown, shown
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    _, problems = extract_snippets(
        load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))[0], SnippetOptions()
    )
    assert [(str(p.location), p.is_warning) for p in problems] == [("posts/p.md:21", True)]
    assert "{list-table}: its body is not a list of rows" in problems[0].message


def test_a_download_role_links_to_the_file_published_beside_the_post(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "data.csv").write_text("x,y\n1,2\n")
    shown = render("Get {download}`data.csv` or {download}`the CSV <data.csv>`.\n", tmp_path)
    assert not shown.problems
    links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', shown.html)
    assert [text for _, text in links] == ["data.csv", "the CSV"]
    assert links[0][0] == links[1][0] and links[0][0].endswith("-data.csv")
    assert [a.output_path for a in shown.assets] == [links[0][0].lstrip("/")]
    missing = render("Get {download}`gone.csv`.\n", tmp_path)
    assert [(str(p.location), p.message) for p in missing.problems] == [
        ("posts/p.md:5", "missing download: 'gone.csv' does not exist beside the post")
    ]


def test_mystmd_spellings_label_and_proof_domain(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "d.png").write_bytes(PNG_1PX)
    body = (
        ":::{figure} d.png\n:label: fig-dot\n\nA dot.\n:::\n\n"
        ":::{proof:lemma} Chords\n:label: lem-chord\nChords lie above.\n:::\n\n"
        "```{math}\n:name: eq-named\nE = mc^2\n```\n\n"
        "See {numref}`fig-dot`, {prf:ref}`lem-chord` and {eq}`eq-named`.\n"
    )
    shown = render(body, tmp_path)
    assert not shown.problems, [str(p) for p in shown.problems]
    assert '<figure class="lemma-figure" id="fig-dot">' in shown.html
    assert "<figcaption>Figure 1: A dot.</figcaption>" in shown.html
    assert '<div class="theorem theorem-lem" id="lem-chord">' in shown.html
    assert 'id="eq-named"' in shown.html
    for text in (">Figure 1</a>", ">Lemma 1</a>", ">(1)</a>"):
        assert text in shown.html


def test_an_excerpt_reads_roles_as_text_and_leaves_out_references_it_cannot_name() -> None:
    from lemma.parse import first_paragraph_text

    text = first_paragraph_text(
        "H{sub}`2`O by {prf:ref}`thm-x`, as {ref}`the intro <intro>` says: "
        "{abbr}`SGD (stochastic gradient descent)` and {kbd}`Ctrl`.\n"
    )
    assert text == "H2O by, as the intro says: SGD and Ctrl."


def test_a_jupyter_book_notebook_numbers_cites_and_refers_across_its_cells(
    tmp_path: Path,
) -> None:
    site = new_site(tmp_path)
    site.write("site.toml", 'title = "T"\nsearch = false\nbibliography = "refs.bib"\n')
    site.write(
        "refs.bib",
        "@book{boyd04,\n  author = {Boyd, Stephen},\n  title = {Convex},\n  year = {2004}\n}\n",
    )
    write_notebook(
        site,
        "book",
        new_markdown_cell("(sec-normal)=\n"),  # a target alone in its cell: the next one's heading
        new_markdown_cell(
            "## Normal equations\n\nAs {cite:t}`boyd04` show:\n\n"
            "```{prf:theorem} Normal equations\n:label: thm-normal\n\nA unique minimiser.\n```"
        ),
        new_code_cell("x = 1\nprint(x)"),
        new_markdown_cell(
            "By {prf:ref}`thm-normal` ({ref}`sec-normal`).\n\n```{versionadded}\nterm\n```"
        ),
    )
    result = site.build()
    assert_ok(result)
    body = body_of(site, "book")
    assert '<h2 id="sec-normal">Normal equations' in body
    assert re.search(r'id="thm-normal">\n<p class="theorem-heading">.*?>Theorem 1</strong>', body)
    assert 'data-lemma-card="ref-boyd04">Boyd (2004)</a>' in body
    assert 'href="#thm-normal" data-lemma-card="thm-normal">Theorem 1</a>' in body
    assert 'href="#sec-normal" data-lemma-card="sec-normal">Normal equations</a>' in body
    assert '<li id="ref-boyd04" class="reference">' in body
    assert (
        "posts/book.ipynb: cell 5, line 3: warning: MyST directive {versionadded}" in result.stderr
    )
