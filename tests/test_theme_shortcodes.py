"""Hugo themes' shortcodes and Jekyll themes' includes, as posts written for Blowfish, Hextra,
Docsy, LoveIt, hugo-book and minimal-mistakes use them: callouts, tabs, details, links, and a
warning at its line for what Lemma cannot honour."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lemma.load.quarto_shortcodes import QuartoValues
from lemma.load.shortcodes import rewrite_tags
from site_support import NO_SEARCH, SiteDir, assert_ok, warning_line


def build(tmp_path: Path, body: str, toml: str = NO_SEARCH) -> tuple[SiteDir, str, str]:
    site = SiteDir(tmp_path)
    site.write("site.toml", toml)
    site.write("posts/theme.md", f"---\ntitle: Theme\ndate: 2024-01-01\nauthor: Ada\n---\n{body}")
    result = site.build()
    assert_ok(result)
    return site, site.page("posts/theme/index.html"), result.stderr


def callouts(html: str) -> list[tuple[str, str, str]]:
    """(kind, title, body text) of each callout of a page, open or collapsible."""
    found = re.findall(
        r'<(?:div|details) class="callout callout-(\w+)"[^>]*>\s*'
        r'<(?:p|summary) class="callout-title"[^>]*>(.*?)</(?:p|summary)>(.*?)</(?:div|details)>',
        html,
        re.S,
    )
    return [(kind, title, re.sub(r"<[^>]+>|\s+", " ", body).strip()) for kind, title, body in found]


def test_theme_callouts_take_their_kind_title_and_fold(tmp_path: Path) -> None:
    body = """
{{< alert >}}
BLOWFISH alert.
{{< /alert >}}

{{< callout type="error" >}}
HEXTRA error.
{{< /callout >}}

{{% alert title="Careful" color="warning" %}}
DOCSY warning.
{{% /alert %}}

{{< admonition type=success title="Converges" open=false >}}
LOVEIT success.
{{< /admonition >}}

{{< admonition question >}}
LOVEIT question.
{{< /admonition >}}

{{< hint danger >}}
BOOK danger.
{{< /hint >}}
"""
    _, html, stderr = build(tmp_path, body)
    assert "warning" not in stderr and "{{" not in html
    assert callouts(html) == [
        ("note", "Note", "BLOWFISH alert."),
        ("caution", "Caution", "HEXTRA error."),
        ("warning", "Careful", "DOCSY warning."),
        ("tip", "Converges", "LOVEIT success."),
        ("note", "Question", "LOVEIT question."),
        ("caution", "Caution", "BOOK danger."),
    ]
    assert re.search(r'<details class="callout callout-tip">\s*<summary', html)  # open=false


def test_details_of_hugo_hugo_book_and_hextra_fold_as_written(tmp_path: Path) -> None:
    body = """
{{< details summary="See the proof" >}}
HUGO closed.
{{< /details >}}

{{< details "Sketch" open >}}
BOOK open.
{{< /details >}}

{{< details title="Why" closed="true" >}}
HEXTRA closed.
{{< /details >}}

{{< expand >}}
BOOK expand.
{{< /expand >}}
"""
    _, html, _ = build(tmp_path, body)
    summaries = re.findall(
        r'<details class="callout callout-note"( open)?>\s*<summary[^>]*>(.*?)<', html
    )
    assert summaries == [("", "See the proof"), (" open", "Sketch"), ("", "Why"), ("", "Expand")]


def test_tabs_of_hextra_hugo_book_and_docsy_are_tabs_whose_snippets_run(tmp_path: Path) -> None:
    body = """
{{< tabs items="NumPy,Operator" >}}
  {{< tab >}}
  ```python
  print(2 * 21)
  ```
  {{< /tab >}}
  {{< tab >}}
  OPERATOR tab.
  {{< /tab >}}
{{< /tabs >}}

{{< tabs "id" >}}
{{< tab "Primal" >}}
PRIMAL tab.
{{< /tab >}}
{{< /tabs >}}

{{< tabpane text=true >}}
{{% tab header="**Languages**:" disabled=true /%}}
{{% tab header="English" %}}
ENGLISH tab.
{{% /tab %}}
{{< /tabpane >}}
"""
    _, html, stderr = build(tmp_path, body)
    assert html.count("data-lemma-tabset") == 3
    assert re.findall(r'class="tab-label">([^<]*)<', html) == [
        "NumPy",
        "Operator",
        "Primal",
        "English",
    ]
    assert "<pre>42" in html and "OPERATOR tab." in html and "Languages" not in html
    assert "warning" not in stderr and "{{" not in html


def test_hextra_tabs_written_on_one_line_are_the_tabs_written_on_many(tmp_path: Path) -> None:
    body = """
{{< tabs items="JSON,YAML" >}}
  {{< tab >}}
  **JSON**: text with $x^2$ and {{< badge >}}new{{< /badge >}}.
  {{< /tab >}}
  {{< tab >}}
  **YAML**: `{{< tab >}}` stays code.
  {{< /tab >}}
{{< /tabs >}}

{{< tabs items="JSON,YAML" >}}

  {{< tab >}}**JSON**: text with $x^2$ and {{< badge >}}new{{< /badge >}}.{{< /tab >}}
  {{< tab >}}**YAML**: `{{< tab >}}` stays code.{{< /tab >}}

{{< /tabs >}}

WHOLE

{{< callout type="info" >}}**One-line** callout.{{< /callout >}}

{{< unknown >}}
"""
    whole = (  # the whole tabs on one line
        '{{< tabs items="JSON,YAML" >}}'
        "{{< tab >}}**JSON**: text with $x^2$ and {{< badge >}}new{{< /badge >}}.{{< /tab >}}"
        "{{< tab >}}**YAML**: `{{< tab >}}` stays code.{{< /tab >}}"
        "{{< /tabs >}}"
    )
    body = body.replace("WHOLE", whole)
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/theme.md", f"---\ntitle: Theme\ndate: 2024-01-01\n---\n{body}")
    result = site.build()
    assert_ok(result)
    html = site.page("posts/theme/index.html")
    tabsets = re.findall(r"<div class=\"tabset\" data-lemma-tabset>.*?</div>\n</div>", html, re.S)
    assert len(tabsets) == 3 and tabsets[1] == tabsets[0] and tabsets[2] == tabsets[0]
    assert re.findall(r'class="tab-label">([^<]*)<', tabsets[0]) == ["JSON", "YAML"]
    assert "<strong>JSON</strong>: text with <math" in tabsets[0] and "and new." in tabsets[0]
    assert "<code>{{&lt; tab &gt;}}</code> stays code." in tabsets[0]
    assert [kind for kind, _, _ in callouts(html)] == ["note"]
    assert '<div class="callout-body">\n<p><strong>One-line</strong> callout.</p>' in html
    assert html.count("{{") == 3 + 1  # the code spans, and the unknown shortcode
    # every line keeps its number: the warning after them is at its own line
    warning_line(result, "posts/theme.md", 26, "'{{< unknown >}}' is not supported")
    assert result.stderr.count("warning") == 1


def test_a_one_line_tab_is_in_the_notebook_download(tmp_path: Path) -> None:
    body = """
{{< tabs items="Code,Answer" >}}
  {{< tab >}}
  ```python
  print(6 * 7)
  ```
  {{< /tab >}}
  {{< tab >}}The ANSWER tab.{{< /tab >}}
{{< /tabs >}}
"""
    site, html, _ = build(tmp_path, body)
    notebook = json.loads((site.out / "posts/theme/theme.ipynb").read_text("utf-8"))
    text = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "The ANSWER tab." in html and "The ANSWER tab." in text and "lemma-include" not in text


def test_hextra_file_trees_icons_and_badges(tmp_path: Path) -> None:
    body = """
{{< filetree/container >}}
  {{< filetree/folder name="content" >}}
    {{< filetree/file name="_index.md" >}}
    {{< filetree/folder name="docs" state="closed" >}}
      {{< filetree/file name="_index.md" >}}
    {{< /filetree/folder >}}
  {{< /filetree/folder >}}
  {{< filetree/file name="hugo.toml" >}}
{{< /filetree/container >}}

{{< icon "academic-cap" >}} Read the {{< badge "New" >}} and {{< badge content="Beta" >}} notes.

{{< pdf "https://example.org/notes.pdf" >}}

{{< unknown >}}
"""
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/theme.md", f"---\ntitle: Theme\ndate: 2024-01-01\n---\n{body}")
    result = site.build()
    assert_ok(result)
    html = site.page("posts/theme/index.html")
    tree = re.search(r'<div class="filetree">(.*?)</div>', html, re.S)
    assert tree is not None
    names = re.sub(r"\s+", "", re.sub(r"</?(?:ul|li|code)>", " ", tree.group(1)))
    assert names == "content/_index.mddocs/_index.mdhugo.toml"
    assert tree.group(1).count("<ul>") == 3  # content/ and docs/ hold their files
    assert "<p>Read the New and Beta notes.</p>" in html and "{{&lt; icon" not in html
    warning_line(result, "posts/theme.md", 16, "Hextra's icon 'academic-cap' is not drawn")
    warning_line(result, "posts/theme.md", 20, "'{{< unknown >}}' is not supported")
    assert result.stderr.count("warning") == 2
    assert result.stderr.index("icon") < result.stderr.index("unknown")  # in line order
    assert '<a href="https://example.org/notes.pdf" rel="noopener">notes.pdf</a>' in html


def test_layout_shortcodes_keep_their_text_and_buttons_are_links(tmp_path: Path) -> None:
    body = """
{{< katex >}}

{{< lead >}}
LEAD text with \\\\(x^2\\\\).
{{< /lead >}}

A {{< badge >}}new{{< /badge >}} rule by {{< param author >}}.

{{< button href="https://example.org/notes.pdf" target="_self" >}}
The notes
{{< /button >}}

{{< columns >}}
LEFT column.
<--->
RIGHT column.
{{< /columns >}}

{{< cards >}}
  {{< card link="https://example.org/" title="Elsewhere" subtitle="A site" >}}
{{< /cards >}}
"""
    _, html, stderr = build(tmp_path, body)
    assert "warning" not in stderr and "{{" not in html and "&lt;---" not in html
    assert '<div class="lead">' in html and "<msup>" in html
    assert "A new rule by Ada." in html
    assert '<a href="https://example.org/notes.pdf" rel="noopener">The notes</a>' in html
    assert "LEFT column." in html and "RIGHT column." in html
    assert '<a href="https://example.org/" rel="noopener">Elsewhere</a> — A site' in html


def test_what_lemma_cannot_honour_is_a_warning_at_its_line(tmp_path: Path) -> None:
    body = """
{{< mermaid >}}
graph LR; A --> B
{{< /mermaid >}}

{{< style "text-align:right;" >}}
STYLED text.
{{< /style >}}

{{< qr text="https://example.org/" />}}

Before {{< callout >}}inside a sentence{{< /callout >}} after.
"""
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/theme.md", f"---\ntitle: Theme\ndate: 2024-01-01\n---\n{body}")
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/theme.md", 6, "mermaid shortcode is not drawn")
    warning_line(result, "posts/theme.md", 10, "the pages allow no inline style")
    warning_line(result, "posts/theme.md", 14, "draws no QR code")
    warning_line(result, "posts/theme.md", 16, "read only on a line of its own")
    html = site.page("posts/theme/index.html")
    assert 'data-language="mermaid"' in html and "graph LR; A --&gt; B" in html
    assert "STYLED text." in html and "text-align" not in html
    assert '<a href="https://example.org/" rel="noopener">https://example.org/</a>' in html


def test_minimal_mistakes_includes_are_a_figure_a_player_and_a_warned_gallery() -> None:
    body = (
        '{% include figure image_path="/assets/images/x.png" alt="A plot" caption="Fig." %}\n'
        '{% include video id="XsxDH4HcOWA" provider="youtube" %}\n'
        "{% include toc %}\n"
        '{% include gallery caption="Two." %}\n'
    )
    rewritten, problems = rewrite_tags(body, 5, "posts/x.md")
    lines = rewritten.split("\n")
    assert lines[0] == '![A plot](/assets/images/x.png "Fig.")'
    assert lines[1].startswith('<iframe class="lemma-video" src="https://www.youtube-nocookie')
    assert lines[2] == "" and lines[3].startswith("{% include gallery")
    assert [(p.location.line, "gallery" in p.message) for p in problems] == [(8, True)]


def test_a_minimal_mistakes_gallery_shows_the_images_its_front_matter_lists() -> None:
    meta = {
        "gallery": [{"image_path": "/a.png", "alt": "A"}],
        "more": [{"url": "/b.png", "title": "B's"}],
    }
    body = '{% include gallery caption="Two." %}\n{% include gallery id="more" %}\n'
    rewritten, problems = rewrite_tags(body, 1, "posts/x.md", QuartoValues(meta=meta))
    assert rewritten.split("\n")[:2] == ["![A](/a.png) *Two.*", "![B's](/b.png \"B's\")"]
    assert problems == []


def test_loveit_images_and_links_and_blowfish_cards_are_figures_links_and_players() -> None:
    body = (
        '{{< image src="/images/lighthouse.jpg" caption="Lighthouse" src_s="/s.jpg" >}}\n'
        'See {{< link "https://assemble.io" Assemble >}} and {{< link href="mailto:a@b.c" >}}.\n'
        '{{< github repo="nunocoracao/blowfish" >}}\n'
        '{{< youtubeLite id="SgXhGb-7QbU" label="Blowfish" >}}\n'
        'Watch {{< youtubeLite id="SgXhGb-7QbU" >}} here.\n'
    )
    rewritten, problems = rewrite_tags(body, 1, "posts/x.md")
    lines = rewritten.split("\n")
    assert lines[0] == '![Lighthouse](/images/lighthouse.jpg "Lighthouse")'
    assert lines[1] == "See [Assemble](<https://assemble.io>) and [a@b.c](<mailto:a@b.c>)."
    assert lines[2] == "[nunocoracao/blowfish on GitHub](https://github.com/nunocoracao/blowfish)"
    assert 'src="https://www.youtube-nocookie.com/embed/SgXhGb-7QbU"' in lines[3]
    assert [p.location.line for p in problems] == [5]  # a player inside a sentence
