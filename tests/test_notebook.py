"""Posts as notebooks: valid nbformat 4, prose and snippets in order, outputs, Colab links."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from lemma.model import (
    Error,
    Figure,
    FrontMatter,
    Page,
    Post,
    PostRun,
    Rich,
    SnippetOptions,
    SnippetResult,
    Stream,
    Value,
)
from lemma.parse import BodyParses, extract_snippets
from lemma.render.notebook import Notebooks, colab_url, notebook_output_path, post_notebook
from lemma.reuse.figures import FigureStore

REPO = Path(__file__).resolve().parents[1]
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a1e0a8f60000000049454e44ae426082"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n'

BODY = """\
Intro with $x^2$ and a [link](other.md#part).

```python
#| sweep: a = [1, 2]
print("sweep", a)
```

Middle text.

```text
not a snippet
```

```python
#| echo: false
1 / 0
```

```python
import figures
```
"""


def make_post(body: str = BODY) -> Post:
    front = FrontMatter(
        title="Notebook post", date=datetime(2025, 3, 1, tzinfo=UTC), author="Ada", tags=("x",)
    )
    return Post("posts/nb.md", "nb", front, body, body_line=6, excerpt="Intro")


def make_run() -> PostRun:
    return PostRun(
        "posts/nb.md",
        (
            SnippetResult(
                0,
                (Stream("stdout", "sweep 1\n"),),
                0.1,
                variants=(
                    ("1", (Stream("stdout", "sweep 1\n"),)),
                    ("2", (Stream("stdout", "sweep 2\n"),)),
                ),
            ),
            SnippetResult(
                2,
                (Error("ZeroDivisionError", "division by zero", "posts/nb.md:22\n  1 / 0\n"),),
                0.1,
            ),
            SnippetResult(
                3,
                (
                    Value("42"),
                    Rich("text/html", "<b>bold</b>\n<i>two lines</i>"),
                    Rich("image/png", "iVBORw0KGgo="),
                    Figure("abc.svg", 10, 10, "A square"),
                    Figure("def.png", 1, 1, "A dot", caption="One pixel"),
                    Figure("gone.svg", 1, 1, "Missing from the store"),
                ),
                0.2,
            ),
        ),
        0.4,
    )


def read_figure(name: str) -> bytes | None:
    return {"abc.svg": SVG.encode(), "def.png": PNG_1PX}.get(name)


def build_notebook() -> dict:  # type: ignore[type-arg]
    post = make_post()
    snippets, problems = extract_snippets(post, SnippetOptions())
    assert problems == []
    data = post_notebook(
        post, snippets, make_run(), read_figure, {"posts/other.md": "https://x.org/posts/other/"}
    )
    return json.loads(data)  # type: ignore[no-any-return]


def test_notebook_is_valid_nbformat_4() -> None:
    notebook = nbformat.reads(json.dumps(build_notebook()), as_version=4)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.title == "Notebook post"


def test_prose_and_python_snippets_alternate_in_order() -> None:
    cells = build_notebook()["cells"]
    kinds = [c["cell_type"] for c in cells]
    assert kinds == ["markdown", "markdown", "code", "markdown", "code", "code"]
    assert "".join(cells[0]["source"]).startswith("# Notebook post")
    assert "$x^2$" in "".join(cells[1]["source"])
    # Other languages stay in the prose as fenced code.
    assert "```text\nnot a snippet\n```" in "".join(cells[3]["source"])


def test_code_only_shown_on_the_page_stays_in_the_prose_of_the_notebook() -> None:
    body = (
        "Shown:\n\n```{code-block} python\n:linenos:\nprint('never run')\n```\n\n"
        "Run:\n\n```python\nx = 1\n```\n\n"
        "Pandoc's:\n\n```{.python}\nsyntax error here(\n```\n"
    )
    post = make_post(body)
    snippets, _ = extract_snippets(post, SnippetOptions())
    cells = json.loads(post_notebook(post, snippets, None, read_figure))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert code == ["x = 1"]  # a reader's Run All runs what the post ran, nothing else
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "```python\nprint('never run')\n```" in prose
    assert "```python\nsyntax error here(\n```" in prose


def test_links_to_other_posts_become_absolute() -> None:
    intro = "".join(build_notebook()["cells"][1]["source"])
    assert "[link](https://x.org/posts/other/#part)" in intro


def test_sweep_cell_assigns_the_default_value_and_shows_its_output() -> None:
    sweep = build_notebook()["cells"][2]
    assert sweep["source"][0] == "a = 1  # sweep: try any of 1, 2\n"
    assert "".join(sweep["source"]).endswith('print("sweep", a)')
    assert "#|" not in "".join(sweep["source"])
    assert sweep["outputs"] == [{"name": "stdout", "output_type": "stream", "text": ["sweep 1\n"]}]
    assert sweep["execution_count"] == 1


def test_errors_and_hidden_code_are_kept() -> None:
    cell = build_notebook()["cells"][4]
    assert cell["metadata"] == {"jupyter": {"source_hidden": True}}
    (error,) = cell["outputs"]
    assert error["output_type"] == "error"
    assert (error["ename"], error["evalue"]) == ("ZeroDivisionError", "division by zero")
    assert error["traceback"] == ["posts/nb.md:22", "  1 / 0"]


def test_values_rich_outputs_and_figures_become_mime_bundles() -> None:
    cell = build_notebook()["cells"][5]
    outputs = cell["outputs"]
    assert [o["output_type"] for o in outputs] == [
        "execute_result",
        "display_data",
        "display_data",
        "display_data",
        "display_data",
    ]
    assert outputs[0]["data"] == {"text/plain": ["42"]}
    assert outputs[0]["execution_count"] == cell["execution_count"] == 3
    assert outputs[1]["data"]["text/html"] == ["<b>bold</b>\n", "<i>two lines</i>"]
    assert outputs[2]["data"]["image/png"] == "iVBORw0KGgo="
    assert "".join(outputs[3]["data"]["image/svg+xml"]) == SVG
    assert outputs[4]["data"]["text/plain"] == ["One pixel"]
    assert outputs[4]["metadata"]["image/png"] == {"width": 1, "height": 1}
    import base64

    assert base64.b64decode(outputs[4]["data"]["image/png"]) == PNG_1PX


def test_cell_ids_are_stable_and_unique() -> None:
    first, second = build_notebook(), build_notebook()
    ids = [c["id"] for c in first["cells"]]
    assert ids == [c["id"] for c in second["cells"]]
    assert len(set(ids)) == len(ids)


def test_unexecuted_snippets_have_no_outputs() -> None:
    post = make_post()
    snippets, _ = extract_snippets(post, SnippetOptions())
    notebook = json.loads(post_notebook(post, snippets, None, read_figure))
    nbformat.validate(nbformat.reads(json.dumps(notebook), as_version=4))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_notebook_lives_beside_the_post_page() -> None:
    assert notebook_output_path(make_post()) == "posts/nb/nb.ipynb"


@pytest.mark.parametrize(
    ("repo_url", "expected"),
    [
        ("https://github.com/me/blog", "me/blog/blob/gh-pages/posts/nb/nb.ipynb"),
        ("https://github.com/me/blog.git", "me/blog/blob/gh-pages/posts/nb/nb.ipynb"),
        ("https://github.com/me/blog/tree/site/out", "me/blog/blob/site/out/posts/nb/nb.ipynb"),
        ("https://gitlab.com/me/blog", None),
        ("https://github.com/me", None),
        ("", None),
    ],
)
def test_colab_url_points_at_the_published_notebook(repo_url: str, expected: str | None) -> None:
    url = colab_url(repo_url, "posts/nb/nb.ipynb")
    assert url == (f"https://colab.research.google.com/github/{expected}" if expected else None)


def test_built_site_has_a_valid_notebook_per_post_with_snippets(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "2025-01-01-run.md").write_text(
        "---\ntitle: Run\ndate: 2025-01-01\n---\n\nText.\n\n"
        '```python\nprint("hello notebook")\n6 * 7\n```\n',
        encoding="utf-8",
    )
    (root / "posts" / "2025-01-02-prose.md").write_text(
        "---\ntitle: Prose\ndate: 2025-01-02\n---\n\nNo code here.\n", encoding="utf-8"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH="1767225600")
    done = subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    path = root / "_site" / "posts" / "run" / "run.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    (code,) = [c for c in notebook.cells if c.cell_type == "code"]
    assert [o.output_type for o in code.outputs] == ["stream", "execute_result"]
    assert code.outputs[0].text == "hello notebook\n"
    assert code.outputs[1].data["text/plain"] == "42"
    assert not (root / "_site" / "posts" / "prose" / "prose.ipynb").exists()
    page = (root / "_site" / "posts" / "run" / "index.html").read_text(encoding="utf-8")
    assert 'href="/posts/run/run.ipynb"' in page


def test_pandocs_attributes_after_images_and_spans_are_left_out_of_the_notebook() -> None:
    body = (
        "![Before](before.png){#fig-before} and [the cut]{.aside} here; "
        "`[code]{.kept}` stays.\n\n```python\nx = 1\n```\n"
    )
    post = make_post(body)
    snippets, _ = extract_snippets(post, SnippetOptions())
    cells = json.loads(post_notebook(post, snippets, None, read_figure, {}))["cells"]
    prose = "".join(cells[1]["source"])
    assert "![Before](before.png) and the cut here; `[code]{.kept}` stays." in prose


MYST_PROSE = """(sec-rate)=
## The rate

We follow {cite:t}`boyd04` and {cite}`boyd04`.

```{prf:theorem} Rate
:label: thm-rate

Descent converges.
```

```{prf:lemma}
Unlabelled.
```

:::{prf:proof}
By {prf:ref}`thm-rate` and {ref}`sec-rate`.
:::

```{code-block} python
:linenos:
x = 1
```

## References

```{bibliography}
:filter: docname in docnames
```
"""


def test_myst_directives_and_roles_read_in_jupyter_as_on_the_page() -> None:
    from lemma.load.bibliography import Bibliography, Reference
    from lemma.render.notebook_prose import NotebookProse

    boyd = Reference("boyd04", ("Boyd", "Vandenberghe"), "2004", "Convex Optimization", "Boyd.")
    prose = NotebookProse(
        make_post(MYST_PROSE), (), Bibliography((boyd,), "author-year"), "https://x.org/p/"
    )
    text = prose.rewrite(MYST_PROSE)
    cite = '<a class="cite" href="https://x.org/p/#ref-boyd04">'
    assert text == (
        "## The rate\n\n"
        f'We follow <span class="citation">{cite}Boyd and Vandenberghe (2004)</a></span> and '
        f'<span class="citation">({cite}Boyd and Vandenberghe 2004</a>)</span>.\n\n'
        "**Theorem 1 (Rate).**\nDescent converges.\n\n"
        "**Lemma 1.**\nUnlabelled.\n\n"
        "*Proof.*\n"
        'By <a href="https://x.org/p/#thm-rate">Theorem 1</a> and '
        '<a href="https://x.org/p/#sec-rate">The rate</a>.\n∎\n\n'
        "```python\nx = 1\n```\n\n"
        "## References\n\n- Boyd.\n"
    )
    assert prose.references() == ""  # placed by the directive, not repeated in a cell


def test_a_notebook_made_after_its_parse_went_is_the_one_made_from_the_parse(
    tmp_path: Path,
) -> None:
    """A build lets each body's parse go once the body is rendered, before the notebooks are
    made; the notebook is made from what `Notebooks.outline` kept: its cells and numbers are
    those a notebook made from the parse has."""
    post = make_post(BODY + "\n" + MYST_PROSE)
    snippets, _ = extract_snippets(post, SnippetOptions())
    figures = FigureStore.in_cache(tmp_path)  # empty: the figures are missing in both
    urls = {post.source_path: "https://x.org/posts/nb/"}
    expected = post_notebook(post, snippets, make_run(), figures.read, urls)
    parses = BodyParses()
    notebooks = Notebooks({post.source_path: snippets}, figures, urls, parses=parses)
    parses.tokens(post.body, post.source_path)  # as the body's render parsed it
    notebooks.outline(post, make_run())
    parses.forget(post.body, post.source_path)
    page = notebooks.made(post, make_run())
    assert isinstance(page, Page)
    assert page.content == expected
    cells = json.loads(page.content)["cells"]
    assert [c["cell_type"] for c in cells].count("code") == 3  # not the {code-block}
    assert any("**Theorem 1 (Rate).**" in "".join(c["source"]) for c in cells)
