"""MkDocs' admonitions (`!!! note`), pymdownx's details (`??? tip`) and content tabs (`=== "A"`):
parsed into Lemma's callouts and tabs, and through the CLI, a post migrated from MkDocs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it.token import Token

from lemma.parse import parse_body
from lemma.parse.blocks import BlockInfo
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post


def blocks(body: str) -> list[BlockInfo]:
    return [t.meta["block"] for t in parse_body(body) if t.type == "div_open"]


def types(tokens: list[Token]) -> list[str]:
    return [t.type for t in tokens]


# --- parsing -----------------------------------------------------------------------------------


def test_admonition_body_is_markdown_not_a_code_block() -> None:
    tokens = parse_body('!!! note "Phasellus posuere"\n\n    Lorem \\( \\alpha \\).\n')
    assert types(tokens) == [
        "div_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "div_close",
    ]
    assert tokens[0].meta["block"] == BlockInfo("callout", "note", title="Phasellus posuere")
    assert [c.type for c in tokens[2].children or []] == ["text", "math_inline", "text"]
    assert tokens[0].map == [0, 3]


@pytest.mark.parametrize(
    ("marker", "kind", "title"),
    [
        ("!!! note", "note", "Note"),
        ("!!! abstract", "note", "Abstract"),
        ("!!! hint", "tip", "Hint"),
        ("!!! success", "tip", "Success"),
        ("!!! example", "important", "Example"),
        ("!!! attention", "warning", "Attention"),
        ("!!! failure", "warning", "Failure"),
        ("!!! danger", "caution", "Danger"),
        ("!!! bug", "caution", "Bug"),
        ("!!! my-own-type", "note", "My-own-type"),  # unknown: a note with its own title
        ('!!! info inline end "Aside"', "note", "Aside"),
        ('!!! DANGER "Shouted"', "caution", "Shouted"),
    ],
)
def test_material_types_become_callout_kinds_with_their_titles(
    marker: str, kind: str, title: str
) -> None:
    assert blocks(f"{marker}\n    Body.\n") == [BlockInfo("callout", kind, title=title)]


def test_details_markers_are_collapsible_callouts() -> None:
    body = '??? tip "Closed"\n    a\n\n???+ warning\n    b\n\n??? "No type"\n    c\n'
    assert blocks(body) == [
        BlockInfo("callout", "tip", title="Closed", collapse=True),
        BlockInfo("callout", "warning", title="Warning", collapse=False),
        BlockInfo("callout", "note", title="No type", collapse=True),
    ]


def test_an_empty_title_shows_no_title_bar_and_takes_no_heading() -> None:
    tokens = parse_body('!!! tip ""\n    ## A heading\n    Body.\n')
    assert tokens[0].meta["block"] == BlockInfo("callout", "tip", shows_title=False)
    assert "heading_open" in types(tokens)


def test_body_ends_at_the_first_line_indented_less() -> None:
    body = "!!! note\n    Inside,\n\n    still inside.\nOutside, no lazy continuation.\n"
    tokens = parse_body(body)
    assert types(tokens)[-4:] == ["div_close", "paragraph_open", "inline", "paragraph_close"]
    assert [t.content for t in tokens if t.type == "inline"][1:] == [
        "still inside.",
        "Outside, no lazy continuation.",
    ]


def test_admonitions_nest_and_hold_lists_math_and_fences() -> None:
    body = (
        "!!! example\n"
        "    - one\n"
        "    - two\n\n"
        "    $$\n    x^2\n    $$\n\n"
        "    !!! danger\n"
        "        ```python\n"
        "        print(1)\n"
        "        ```\n"
    )
    tokens = parse_body(body)
    assert [b.name for b in blocks(body)] == ["important", "caution"]
    assert "bullet_list_open" in types(tokens) and "math_block" in types(tokens)
    fence = next(t for t in tokens if t.type == "fence")
    assert (fence.content, fence.map) == ("print(1)\n", [9, 12])  # the lines of the post


def test_consecutive_content_tabs_are_one_set_of_tabs() -> None:
    tokens = parse_body('=== "Tab A"\n\n    First.\n\n===+ "Tab B"\n    Second.\n')
    assert blocks('=== "Tab A"\n    x\n') == [BlockInfo("tabset"), BlockInfo("tab", title="Tab A")]
    assert [t.content for t in tokens if t.type == "inline"] == ["First.", "Second."]
    assert blocks('=== "A"\n    a\n\n===+ "B"\n    b\n\n===! "C"\n    c\n\nText.\n') == [
        BlockInfo("tabset"),
        BlockInfo("tab", title="A"),
        BlockInfo("tab", title="B", classes=("selected",)),
        BlockInfo("tabset"),  # `===!` starts a new set
        BlockInfo("tab", title="C"),
    ]
    closings = [t for t in tokens if t.type == "div_close"]
    assert [t.meta.get("block") for t in closings][-1] == BlockInfo("tabset")


def test_a_title_has_inline_markup() -> None:
    title = parse_body('!!! note "The case $n = 1$"\n    x\n')[0].meta["title_inline"]
    assert [c.type for c in title.children] == ["text", "math_inline"]


@pytest.mark.parametrize(
    "body",
    [
        "Text.\n\n    indented code\n",
        "    !!! note\n        indented code too\n",
        '!!! "a title but no type"\n',
        "=== Tab without quotes\n",
        "!!!\n",
        "!!! wow! \n",
    ],
)
def test_what_is_not_a_marker_stays_as_it_was(body: str) -> None:
    assert blocks(body) == []


def test_indented_code_after_a_marker_body_stays_code() -> None:
    tokens = parse_body("!!! note\n    Inside.\n\nText.\n\n    code\n")
    assert types(tokens)[-1] == "code_block"


# --- a post migrated from MkDocs, through the CLI ----------------------------------------------

MKDOCS_POST = post(
    title="From MkDocs",
    date="2024-04-01",
    body="""\
!!! note "Phasellus posuere"

    Lorem ipsum, with math \\( \\alpha + \\beta \\).

    ```python
    print("INSIDE-" + "ADMONITION")
    ```

    !!! danger ""

        Nested, without a title.

??? tip "Closed"

    Folded away.

???+ warning

    Open.

=== "C"

    ``` c
    #include <stdio.h>
    ```

=== "Python"

    ``` python
    print("INSIDE-" + "TAB")
    ```

Code as before:

    plain indented code
""",
)


class Built:
    def __init__(self, site: SiteDir) -> None:
        self.site = site
        page = site.page("posts/from-mkdocs/index.html")
        self.body = page[page.index('<div class="post-body">') : page.index("<footer")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    site = SiteDir(tmp_path_factory.mktemp("mkdocs") / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2024-04-01-from-mkdocs.md", MKDOCS_POST)
    assert_ok(site.build("--strict"))
    yield Built(site)


def test_admonitions_render_as_callouts_with_their_math(built: Built) -> None:
    body = built.body
    assert re.search(
        r'<div class="callout callout-note" role="note" aria-labelledby="(callout-\d+-title)">'
        r'\s*<p class="callout-title" id="\1">Phasellus posuere</p>'
        r'\s*<div class="callout-body">\s*<p>Lorem ipsum, with math (<span class="nowrap">)?<math',
        body,
    )
    assert re.search(
        r'<div class="callout callout-caution" role="note" aria-label="Caution">'
        r'\s*<div class="callout-body">\s*<p>Nested, without a title.',
        body,
    )
    assert re.search(r'<details class="callout callout-tip">\s*<summary[^>]*>Closed<', body)
    assert re.search(r'<details class="callout callout-warning" open>\s*<summary[^>]*>Warn', body)
    assert "!!!" not in body and "???" not in body and "===" not in body
    assert "\\(" not in body
    assert "<pre><code>plain indented code" in body


def test_snippets_inside_admonitions_and_tabs_run(built: Built) -> None:
    assert "INSIDE-ADMONITION" in built.body
    assert "INSIDE-TAB" in built.body
    assert re.search(r'<div class="tab">\s*<p class="tab-label">Python</p>', built.body)
    assert re.search(r'<div class="tab">\s*<p class="tab-label">C</p>', built.body)
    tab_set = (
        r'<div class="tabset" data-lemma-tabset>\s*<div class="tab">\s*<p class="tab-label">C<'
    )
    assert re.search(tab_set, built.body)  # one set, which lemma.js makes switch


def test_notebook_download_outdents_admonition_bodies(built: Built) -> None:
    notebook = json.loads(built.site.page("posts/from-mkdocs/from-mkdocs.ipynb"))
    cells = [("".join(c["source"]), c["cell_type"]) for c in notebook["cells"]]
    markdown = "\n".join(source for source, kind in cells if kind == "markdown")
    assert "**Phasellus posuere**\n\nLorem ipsum" in markdown
    assert "**Closed**\n\nFolded away." in markdown
    assert "!!!" not in markdown and "\n    Lorem" not in markdown
    assert "    plain indented code" in markdown
    code = [source for source, kind in cells if kind == "code"]
    assert code == ['print("INSIDE-" + "ADMONITION")', 'print("INSIDE-" + "TAB")']


def test_an_error_inside_an_admonition_points_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    body = '!!! warning "Careful"\n\n    Text.\n\n    ```python\n    1 / 0\n    ```\n'
    site.write("posts/2024-04-02-broken.md", post(title="Broken", body=body))
    result = site.build("--strict")
    assert result.code == 1
    error_line(result, "posts/2024-04-02-broken.md", 11, "ZeroDivisionError")


def test_notebook_download_keeps_titles_bodies_and_what_follows_apart(tmp_path: Path) -> None:
    # Each block written tight, as MkDocs, Quarto and MyST allow: on the page the title, the
    # body and the line after it are three things, and so they must be in Jupyter.
    body = (
        '!!! note "Title one"\n    Body one.\nAfter one.\n\n'
        "::: {.callout-tip}\n## Title two\nBody two.\n:::\nAfter two.\n\n"
        "```{note} Title three\nBody three.\n```\nAfter three.\n\n"
        "```python\nprint(1)\n```\n"
    )
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2024-04-03-tight.md", post(title="Tight", body=body))
    assert_ok(site.build())
    notebook = json.loads(site.page("posts/tight/tight.ipynb"))
    markdown = "".join(notebook["cells"][1]["source"])
    paragraphs = markdown.split("\n\n")
    for n in ("one", "two", "three"):
        assert f"**Title {n}**" in paragraphs, markdown
        assert f"Body {n}." in paragraphs, markdown
        assert f"After {n}." in paragraphs, markdown
    assert "\n\n\n" not in markdown
