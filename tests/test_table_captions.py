"""pandoc's `: Caption {#tbl-x}` beside a Markdown table: its caption, numbered for @tbl-x."""

from __future__ import annotations

import re
from pathlib import Path

from lemma.parse import parse_body
from test_markup import render

TABLES = """\
| graph | $\\lambda_2$ |
|---|---|
| path | small |

: Algebraic *connectivity* {#tbl-conn}

: Before the table {#tbl-before}

| a | b |
|---|---|
| 1 | 2 |

| x | y |
|---|---|
| 3 | 4 |
Table: Right under it, no label

See @tbl-conn and @tbl-before.
"""


def test_a_caption_beside_a_table_is_its_numbered_caption(tmp_path: Path) -> None:
    result = render(TABLES, tmp_path)
    assert result.problems == ()
    html = result.html
    captions = re.findall(r'<table( id="[\w-]+")?>\s*<caption>(.*?)</caption>', html)
    assert captions == [
        (' id="tbl-conn"', "Table 1: Algebraic <em>connectivity</em>"),
        (' id="tbl-before"', "Table 2: Before the table"),
        ("", "Right under it, no label"),
    ]
    assert "<p>:" not in html and "Table:" not in html
    links = re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', html)
    assert links == [("tbl-conn", "Table 1"), ("tbl-before", "Table 2")]


def test_the_caption_row_is_taken_out_of_the_table() -> None:
    tokens = parse_body("| x | y |\n|---|---|\n| 3 | 4 |\n: Caption\n")
    cells = [t.content for t in tokens if t.type == "inline"]
    assert cells == ["Caption", "x", "y", "3", "4"]


def test_a_colon_paragraph_away_from_a_table_stays_a_paragraph() -> None:
    tokens = parse_body(": not a caption\n\nText.\n")
    assert [t.type for t in tokens][:3] == ["paragraph_open", "inline", "paragraph_close"]


def test_a_table_div_numbers_its_subtables_under_one_caption_above(tmp_path: Path) -> None:
    body = (
        "::: {#tbl-panel layout-ncol=2}\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        ": First {#tbl-first}\n\n"
        "| C | D |\n|---|---|\n| 3 | 4 |\n\n: Second {#tbl-second}\n\nTwo tables.\n:::\n\n"
        "See @tbl-panel and @tbl-second.\n"
    )
    result = render(body, tmp_path)
    assert result.problems == ()
    html = result.html
    assert html.startswith(
        '<figure class="figure-panel table-panel figure-layout figure-layout--2" id="tbl-panel">\n'
        "<figcaption>Table 1: Two tables.</figcaption>\n<table"
    )
    assert re.findall(r"<caption>(.*?)</caption>", html) == [
        "(a) First",
        "(b) Second",
    ]
    links = re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', html)
    assert links == [("tbl-panel", "Table 1"), ("tbl-second", "Table 1 (b)")]
