"""Distill's elements (al-folio's `layout: distill`), rewritten line for line."""

from __future__ import annotations

from lemma.load.distill import rewrite_distill
from lemma.load.shortcodes import rewrite_tags


def test_every_line_keeps_its_number() -> None:
    body = (
        'Intro.\n\nA note.<d-footnote>One\ntwo.</d-footnote> <d-cite key="a,b"></d-cite>\n\n'
        '<d-code block language="python">\nx = 1\n</d-code>\n<d-math block>\na\n</d-math>\n'
    )
    rewritten = rewrite_distill(body)
    assert rewritten.count("\n") == body.count("\n")
    lines = rewritten.split("\n")
    assert lines[2] == "A note.^[One" and lines[3] == "two.] [@a; @b]"
    assert lines[5:8] == ["~~~python", "x = 1", "~~~"]
    assert lines[8:11] == ["$$", "a", "$$"]


def test_code_keeps_the_elements_as_written() -> None:
    body = (
        "The `<d-footnote>` tag, then a real one.<d-footnote>Note.</d-footnote>\n\n"
        '```html\n<d-cite key="x"></d-cite>\n```\n'
    )
    rewritten = rewrite_distill(body)
    assert rewritten.startswith("The `<d-footnote>` tag, then a real one.^[Note.]\n")
    assert '```html\n<d-cite key="x"></d-cite>\n```' in rewritten


def test_jekyll_scholar_citations_become_pandoc_citations() -> None:
    body, problems = rewrite_tags(
        "By {% cite bishop2006 %}, {% cite a b --locator 23 -L chapter %} and "
        '{% cite knuth84 --file other -l "12-14" %}.\n\n{% bibliography --cited %}\n',
        5,
        "posts/x.md",
    )
    assert problems == []
    first, _, last, _ = body.split("\n")
    assert first == "By [@bishop2006], [@a, chap. 23; @b] and [@knuth84, p. 12-14]."
    assert last == ""
