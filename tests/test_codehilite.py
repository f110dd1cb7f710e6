"""Python-Markdown's CodeHilite headers in indented code (Pelican, MkDocs), as shown fences."""

from __future__ import annotations

from pathlib import Path

from lemma.load.codehilite import rewrite_codehilite
from site_support import NO_SEARCH, SiteDir, assert_ok


def test_a_header_line_names_the_language_and_every_line_keeps_its_number() -> None:
    body = "Text.\n\n    :::python\n    print(1)\n\n        nested\n\nAfter.\n"
    rewritten = rewrite_codehilite(body)
    assert rewritten.count("\n") == body.count("\n")
    assert rewritten.split("\n")[2:8] == ["~~~py", "print(1)", "", "    nested", "~~~", "After."]


def test_a_shebang_stays_in_the_code_and_plain_blocks_are_left_alone() -> None:
    shebang = rewrite_codehilite("Text.\n\n    #!/usr/bin/env python\n    print(2)\n\nEnd")
    assert shebang == "Text.\n~~~py\n#!/usr/bin/env python\nprint(2)\n~~~\nEnd"
    plain = "Text.\n\n    :::not a header\n    code\n\nEnd"
    assert rewrite_codehilite(plain) == plain
    assert rewrite_codehilite("    #!python\n    x = 1") == "~~~py\nx = 1\n~~~"


def test_a_pelican_post_shows_its_codehilite_block_highlighted_and_never_runs_it(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(
        "posts/a.md",
        "Title: A\nDate: 2021-06-14\nTemplate: article\n\nCode:\n\n"
        "    :::python\n    print('RAN' + '-IT')\n\nDone.\n",
    )
    assert_ok(site.build())  # Pelican's `Template: article` is its default: Lemma's post page
    page = site.page("posts/a/index.html")
    assert ":::python" not in page and "RAN-IT" not in page
    assert '<span class="nb">print</span>' in page and 'data-language="py"' in page
