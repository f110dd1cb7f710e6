"""Quarto's shortcodes: `meta` and `var` give their values, `kbd` and `pagebreak` their HTML,
`video` a link with a warning; a key that is not there is a warning at its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lemma.load.quarto_shortcodes import PAGEBREAK, QuartoValues
from lemma.load.shortcodes import rewrite_tags
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post, warning_line

VALUES = QuartoValues(
    meta={
        "title": "Spectral clustering",
        "date": dt.date(2025, 3, 14),
        "author": [{"name": "Ada"}, {"name": "Alan"}],
        "params": {"n": 4},
    },
    variables={"version": "1.4.2", "course": {"name": "Math 221", "term": {"year": 2025}}},
)


def rewritten(body: str, values: QuartoValues = VALUES) -> tuple[str, list[str]]:
    text, problems = rewrite_tags(body, 5, "posts/a.qmd", values)
    return text, [str(p) for p in problems]


def test_meta_and_var_give_their_values_with_dotted_keys() -> None:
    text, problems = rewritten(
        "{{< meta title >}} ({{< meta date >}}) by {{< meta author >}}, n = {{< meta params.n >}}"
        "\n\nFor {{< var course.name >}} {{< var course.term.year >}}, v{{< var version >}}.\n"
    )
    assert text == (
        "Spectral clustering (2025-03-14) by Ada, Alan, n = 4\n\nFor Math 221 2025, v1.4.2.\n"
    )
    assert problems == []


def test_a_missing_key_or_file_is_a_warning_at_its_line_and_stays_text() -> None:
    body = "One.\n\n{{< meta subtitle >}} and {{< var course.term >}}\n\n{{< var x >}}\n"
    text, problems = rewritten(body)
    assert "{{< meta subtitle >}}" in text and "{{< var course.term >}}" in text
    assert problems[0].startswith("posts/a.qmd:7: 'subtitle' is not in the front matter")
    assert "'course.term' in _variables.yml is not a text" in problems[1]
    _, problems = rewritten("{{< var version >}}\n", QuartoValues())
    assert problems[0].startswith("posts/a.qmd:5: there is no _variables.yml")


def test_kbd_pagebreak_and_video() -> None:
    text, problems = rewritten(
        "Press {{< kbd Ctrl-C >}} or {{< kbd mac=Cmd-C win=Ctrl-C >}}.\n\n{{< pagebreak >}}\n\n"
        '{{< video https://www.youtube.com/embed/wo5dMEP_BbI title="A talk" >}}\n\n'
        "{{< video https://vimeo.com/548291297 >}}\n\n{{< video clip.mp4 >}}\n"
    )
    lines = text.split("\n")
    assert lines[0] == "Press <kbd>Ctrl-C</kbd> or <kbd>Cmd-C</kbd>."
    assert lines[2] == PAGEBREAK
    assert lines[4] == (
        '<iframe class="lemma-video" src="https://www.youtube-nocookie.com/embed/wo5dMEP_BbI" '
        'title="A talk" width="560" height="315" loading="lazy" allowfullscreen></iframe>'
    )
    assert 'src="https://player.vimeo.com/video/548291297" title="Video"' in lines[6]
    assert lines[8] == "[Video: clip.mp4](clip.mp4)"
    [warning] = problems
    assert warning.startswith("posts/a.qmd:13: Quarto's video 'clip.mp4' is shown as a link")


def test_kbd_escapes_what_it_shows() -> None:
    text, _ = rewritten("{{< kbd <script> >}}\n")
    assert "<script>" not in text


def test_variables_file_in_a_real_build(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("_variables.yml", "course:\n  name: Math 221\n")
    body = "Notes for {{< var course.name >}}: {{< meta title >}}.\n\n{{< pagebreak >}}\n"
    site.write("posts/2025-03-14-notes.qmd", post("Week 1", body=body))
    assert_ok(site.build())
    page = site.page("posts/notes/index.html")
    assert "<p>Notes for Math 221: Week 1.</p>" in page
    assert '<div class="pagebreak" aria-hidden="true"></div>' in page
    site.write("_variables.yml", "course:\n  name: Math 222\n")  # a change rebuilds the post
    assert_ok(site.build())
    assert "<p>Notes for Math 222: Week 1.</p>" in site.page("posts/notes/index.html")
    site.write("_variables.yml", "course:\n  name: [unclosed\n")
    result = site.build()
    error_line(result, "_variables.yml", 2, "invalid YAML: a list opened with [ is never closed")
    warning_line(result, "posts/2025-03-14-notes.qmd", 6, "'course.name' is not in _variables")
