"""pymdownx.snippets' `--8<--` lines (`load.pymdown_snippets`): files of the blog, named from its
folder, read in place through Quarto's include mechanism; never a file outside the blog."""

from __future__ import annotations

from pathlib import Path

from lemma.load.pymdown_snippets import rewrite_snippets, snippet_paths
from lemma.load.quarto_shortcodes import QuartoValues
from lemma.parse import parse_body
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post

PART = "One\nTwo\nThree\nFour\n# --8<-- [start:middle]\nIn the middle.\n# --8<-- [end:middle]\n"


def rewrite(tmp_path: Path, body: str) -> tuple[str, list[str]]:
    (tmp_path / "includes").mkdir(exist_ok=True)
    (tmp_path / "includes/part.md").write_text(PART, encoding="utf-8")
    values = QuartoValues(root=tmp_path, post_dir="posts")
    text, problems = rewrite_snippets(body, 5, "posts/a.md", values)
    return text, [f"{p.location}: {p.message}" for p in problems]


def shown(text: str) -> str:
    """The text of the post's paragraphs, the included ones too."""
    return " ".join(t.content for t in parse_body(text) if t.type == "inline")


def test_a_file_is_read_from_the_blogs_folder_and_lines_keep_their_numbers(
    tmp_path: Path,
) -> None:
    text, problems = rewrite(tmp_path, 'Intro.\n\n--8<-- "includes/part.md"\n\nAfter.\n')
    assert problems == []
    assert text.split("\n")[4] == "After."
    assert "One\nTwo" in shown(text) and "After." in shown(text)
    assert "[start:middle]" not in shown(text)  # section markers are never shown


def test_line_ranges_and_sections_pick_their_part(tmp_path: Path) -> None:
    lines, _ = rewrite(tmp_path, '--8<-- "includes/part.md:2:3"\n')
    assert shown(lines) == "Two\nThree"
    tail, _ = rewrite(tmp_path, '--8<-- "includes/part.md:4"\n')
    assert shown(tail).startswith("Four\nIn the middle.")
    head, _ = rewrite(tmp_path, '--8<-- "includes/part.md::2,4:4"\n')
    assert shown(head) == "One\nTwo\nFour"
    section, _ = rewrite(tmp_path, '--8<-- "includes/part.md:middle"\n')
    assert shown(section) == "In the middle."


def test_an_escaped_line_is_shown_without_its_semicolon(tmp_path: Path) -> None:
    text, problems = rewrite(tmp_path, ';--8<-- "includes/part.md"\n')
    assert text == '--8<-- "includes/part.md"\n' and problems == []


def test_the_block_form_reads_each_file_on_its_line(tmp_path: Path) -> None:
    body = "--8<--\nincludes/part.md:1:1\nincludes/part.md:2:2\n--8<--\n"
    text, _ = rewrite(tmp_path, body)
    assert len(text.split("\n")) == len(body.split("\n"))
    assert shown(text) == "One Two"


def test_a_snippet_in_a_code_block_is_its_code_shown_not_run(tmp_path: Path) -> None:
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes/f.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    values = QuartoValues(root=tmp_path, post_dir="posts")
    body = '```python\n--8<-- "includes/f.py"\n```\n\nAfter.\n'
    text, problems = rewrite_snippets(body, 5, "posts/a.md", values)
    fences = [t for t in parse_body(text) if t.type == "fence"]
    assert fences[0].content == "def f():\n    return 1\n" and "included" in fences[0].meta
    assert text.split("\n")[4] == "After."
    assert [p.message for p in problems] == ["the snippets of includes/f.py are shown, not run"]


def test_a_path_leaving_the_blog_or_missing_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    (tmp_path / "secret.md").write_text("SECRET-TEXT\n", encoding="utf-8")
    body = 'A.\n\n--8<-- "../secret.md"\n\n--8<-- "includes/nothing.md"\n'
    site.write("posts/a.md", post("A", body=body))
    result = site.build("--keep-going")
    assert result.code == 1
    line = error_line(result, "posts/a.md", 8, "'../secret.md' is outside the blog's folder")
    assert "named from the blog's folder" in line
    error_line(result, "posts/a.md", 10, "there is no file includes/nothing.md")
    assert "SECRET-TEXT" not in site.page("posts/a/index.html")


def test_a_file_on_the_web_is_not_fetched(tmp_path: Path) -> None:
    text, problems = rewrite(tmp_path, '--8<-- "https://example.org/x.md"\n')
    assert text == '--8<-- "https://example.org/x.md"\n'
    assert problems == [
        "posts/a.md:5: --8<--: 'https://example.org/x.md' is on the web, which Lemma does not "
        "fetch; shown as text"
    ]


def test_an_edit_to_an_included_file_rebuilds_the_post(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("includes/abbreviations.md", "*[SGD]: Stochastic Gradient Descent\n")
    body = 'SGD is simple.\n\n--8<-- "includes/abbreviations.md"\n'
    site.write("posts/a.md", post("A", body=body))
    assert_ok(site.build())
    assert '<abbr title="Stochastic Gradient Descent">SGD</abbr>' in site.page("posts/a/index.html")
    site.write("includes/abbreviations.md", "*[SGD]: Stochastic gradient descent, again\n")
    assert_ok(site.build())
    assert 'title="Stochastic gradient descent, again"' in site.page("posts/a/index.html")
    assert snippet_paths('--8<-- "includes/x.md:1:2"\n;--8<-- "y.md"\n') == ["/includes/x.md"]


def test_an_unknown_section_is_an_error_naming_the_markers(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("includes/part.md", PART)
    site.write("posts/a.md", post("A", body='--8<-- "includes/part.md:nowhere"\n'))
    result = site.build("--keep-going")
    line = error_line(result, "posts/a.md", 6, "it has no section 'nowhere'")
    assert "--8<-- [start:nowhere]" in line
