"""Quarto's `::: {.panel-tabset}`: its headings become tabs, not sections of the post."""

from __future__ import annotations

import re
from pathlib import Path

from lemma.parse import parse_body
from lemma.parse.blocks import BlockInfo
from test_markup import render

TABSET = """\
## Setup {#sec-setup}

::: {.panel-tabset group="language"}
Both tabs compute $L$.

## NumPy

```text
np.linalg.eigh(L)
```

### Notes inside a tab

Still NumPy.

## By *hand* {#by-hand .active}

Expand the square.
:::

## Proofs {#sec-proofs}

See @sec-proofs.
"""


def blocks(body: str) -> list[tuple[str, str, str]]:
    found = []
    for token in parse_body(body):
        info = token.meta.get("block")
        if token.type == "div_open" and isinstance(info, BlockInfo):
            found.append((info.kind, info.title, info.group))
    return found


def test_headings_of_a_tabset_become_its_tabs() -> None:
    assert blocks(TABSET) == [
        ("tabset", "", "language"),
        ("tab", "NumPy", ""),
        ("tab", "By *hand*", ""),
    ]


def test_deeper_headings_stay_headings_inside_their_tab() -> None:
    tokens = parse_body(TABSET)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Setup", "Notes inside a tab", "Proofs"]


def test_nested_tabsets_split_their_own_headings() -> None:
    body = (
        "::::: {.panel-tabset}\n## Outer A\n\n::: {.panel-tabset}\n### Inner 1\nx\n\n"
        "### Inner 2\ny\n:::\n\n## Outer B\nz\n:::::\n"
    )
    titles = [(kind, title) for kind, title, _ in blocks(body)]
    assert titles == [
        ("tabset", ""),
        ("tab", "Outer A"),
        ("tabset", ""),
        ("tab", "Inner 1"),
        ("tab", "Inner 2"),
        ("tab", "Outer B"),
    ]


def test_a_tabset_renders_each_tab_under_its_label_and_keeps_it_out_of_the_contents(
    tmp_path: Path,
) -> None:
    rendered = render(TABSET, tmp_path)
    html = rendered.html
    assert '<div class="tabset" data-lemma-tabset data-group="language">' in html
    labels = re.findall(r'<div class="tab">\s*<p class="tab-label">(.*?)</p>', html)
    assert labels == ["NumPy", "By <em>hand</em>"]
    assert html.index("Both tabs compute") < html.index('<div class="tab">')
    assert [title for _, _, title in rendered.toc] == ["Setup", "Proofs"]
    # The tabs, and the headings inside them, are no sections: the one after is Section 2.
    assert '<a class="xref" href="#sec-proofs" data-lemma-card="sec-proofs">Section 2</a>' in html
    assert rendered.problems == ()


def test_headings_inside_tabs_take_no_section_number(tmp_path: Path) -> None:
    body = (
        "## Setup\n\n::: {.panel-tabset}\n## A\n\n### Inside A\n\nx\n\n## B\n\ny\n:::\n\n"
        "### Details {#sec-details}\n\nSee @sec-details.\n"
    )
    html = render(body, tmp_path).html
    assert '<a class="xref" href="#sec-details" data-lemma-card="sec-details">Section 1.1</a>' in (
        html
    )
