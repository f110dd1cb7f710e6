"""al-folio's Distill elements and kramdown callouts, rewritten line for line."""

from __future__ import annotations

from lemma.load.al_folio import rewrite_al_folio
from lemma.load.shortcodes import rewrite_tags


def test_every_line_keeps_its_number() -> None:
    body = (
        "Intro.\n\n> ##### WARNING\n>\n> Mind the step.\n{: .block-warning }\n\n"
        'A note.<d-footnote>One\ntwo.</d-footnote> <d-cite key="a,b"></d-cite>\n\n'
        '<d-code block language="python">\nx = 1\n</d-code>\n<d-math block>\na\n</d-math>\n'
    )
    rewritten = rewrite_al_folio(body)
    assert rewritten.count("\n") == body.count("\n")
    lines = rewritten.split("\n")
    assert lines[2] == "> [!WARNING]" and lines[5] == ""
    assert lines[7] == "A note.^[One" and lines[8] == "two.] [@a; @b]"
    assert lines[10:13] == ["~~~python", "x = 1", "~~~"]
    assert lines[13:16] == ["$$", "a", "$$"]


def test_code_keeps_the_elements_as_written() -> None:
    body = (
        "The `<d-footnote>` tag, then a real one.<d-footnote>Note.</d-footnote>\n\n"
        '```html\n<d-cite key="x"></d-cite>\n{: .block-tip }\n```\n'
    )
    rewritten = rewrite_al_folio(body)
    assert rewritten.startswith("The `<d-footnote>` tag, then a real one.^[Note.]\n")
    assert '<d-cite key="x"></d-cite>\n{: .block-tip }' in rewritten


def test_a_callout_with_its_own_title_keeps_it_under_the_marker() -> None:
    body = "Text.\n\n> ##### Watch the learning rate\n>\n> Too large diverges.\n"
    body += "{: .block-danger }\n"
    lines = rewrite_al_folio(body).split("\n")
    assert lines[1:4] == ["> [!CAUTION]", "> ##### Watch the learning rate", ">"]
    # A quote with no line free for the marker stays a quote, its marker line as written.
    tight = "> ##### Careful\n> Text.\n{: .block-tip }\n"
    assert rewrite_al_folio(tight) == tight


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
