"""Quarto's `{{< include >}}`: a file of the blog read in the post's place, never one outside it,
with every line of the post keeping its number."""

from __future__ import annotations

from pathlib import Path

from lemma.load.includes import include_file, resolve_include
from lemma.load.quarto_shortcodes import QuartoValues
from lemma.model import SourceLocation
from lemma.parse import parse_body
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post, warning_line

WHERE = SourceLocation("posts/spectral/index.qmd", 12)

MACROS = """::: {.hidden}
$$
\\newcommand{\\Lap}{\\mathcal{L}}
$$
:::

The Rayleigh quotient of $\\Lap$ is {{< meta title >}}'s subject.
"""


def site_with(tmp_path: Path, body: str) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/spectral/_macros.qmd", MACROS)
    site.write("posts/spectral/index.qmd", post("Spectral", body=body))
    return site


def test_an_included_file_is_read_in_place_and_later_lines_keep_their_numbers(
    tmp_path: Path,
) -> None:
    body = (
        "Intro.\n\n{{< include _macros.qmd >}}\n\nThen $\\Lap x$ and @nothing-here.\n\n"
        "```python\nx = 1\n```\n"
    )
    site = site_with(tmp_path, body)
    site.write("posts/spectral/index.qmd", post("Spectral", body=body, bibliography="refs.bib"))
    site.write("posts/spectral/refs.bib", "@book{a, title={A}, author={B}, year={2000}}\n")
    result = site.build("--keep-going")
    # Line 11 of the post, as written: the included file's 7 lines did not push it down.
    error_line(result, "posts/spectral/index.qmd", 11, "nothing-here")
    page = site.page("posts/spectral/index.html")
    assert "The Rayleigh quotient of" in page and "Spectral&#39;s subject" in page
    assert "lemma-include" not in page and "\\newcommand" not in page
    assert page.count('mathvariant="script"') + page.count("ℒ") >= 2  # \Lap, both times
    notebook = site.page("posts/spectral/spectral.ipynb")
    assert "The Rayleigh quotient of" in notebook and "lemma-include" not in notebook


def test_an_include_outside_the_blog_is_an_error_at_its_line(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP-SECRET\n", encoding="utf-8")
    body = (
        "{{< include ../../../secret.txt >}}\n\n"
        f"{{{{< include {outside} >}}}}\n\n"
        "{{< include _nothing.qmd >}}\n"
    )
    site = site_with(tmp_path, body)
    (site.root / "posts/spectral/_link.qmd").symlink_to(outside)
    site.write(
        "posts/spectral/index.qmd", post("Spectral", body=body + "\n{{< include _link.qmd >}}\n")
    )
    result = site.build("--keep-going")
    assert result.code == 1
    error_line(result, "posts/spectral/index.qmd", 6, "'../../../secret.txt' is outside the blog")
    # A leading / names a file from the blog's folder, as in Quarto: never the disk's root.
    error_line(result, "posts/spectral/index.qmd", 8, f"there is no file {str(outside)[1:]}")
    error_line(result, "posts/spectral/index.qmd", 10, "there is no file posts/spectral/_nothing")
    error_line(result, "posts/spectral/index.qmd", 12, "'_link.qmd' is outside the blog")
    page = site.page("posts/spectral/index.html")
    assert "TOP-SECRET" not in page
    assert "{{&lt; include _nothing.qmd &gt;}}" in page  # shown where it was


def test_snippets_of_an_included_file_are_shown_not_run(tmp_path: Path) -> None:
    site = site_with(tmp_path, "{{< include _code.qmd >}}\n\n```python\nprint('POST-RAN')\n```\n")
    site.write("posts/spectral/_code.qmd", "```python\nprint('INCLUDED-RAN')\n```\n")
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/spectral/index.qmd", 6, "snippets of posts/spectral/_code.qmd")
    page = site.page("posts/spectral/index.html")
    assert "INCLUDED-RAN</pre>" not in page and "POST-RAN\n</pre>" in page
    assert "INCLUDED" in page  # its code is shown


def test_a_problem_in_an_included_file_is_at_its_own_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, "{{< include _part.qmd >}}\n")
    site.write("posts/spectral/_part.qmd", "One.\n\n{{< var missing >}}\n")
    result = site.build()
    warning_line(result, "posts/spectral/_part.qmd", 3, "no _variables.yml")


def test_an_include_of_itself_stops() -> None:
    root = Path(__file__).parent / "fixtures"
    values = QuartoValues(root=root, post_dir="writing/posts")
    included = include_file("refs.bib", "{{< include refs.bib >}}", values, WHERE, depth=8)
    [problem] = included.problems
    assert "includes itself, or too deeply" in problem.message and not problem.is_warning


def test_resolving_never_leaves_the_root(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    assert resolve_include("_a.qmd", tmp_path, "posts") == (tmp_path / "posts/_a.qmd").resolve()
    assert resolve_include("/posts/_a.qmd", tmp_path, "posts/x") is not None
    assert resolve_include("../../a", tmp_path, "posts") is None
    assert resolve_include("/etc/passwd", tmp_path, "posts") is not None  # under the root
    assert resolve_include("", tmp_path, "posts") is None


def test_the_included_text_parses_on_the_line_of_its_shortcode() -> None:
    root = Path(__file__).parent / "fixtures"
    values = QuartoValues(root=root, post_dir="quarto-layout/posts")
    included = include_file("2025-04-01-tabs-and-margins.qmd", "{{< include x >}}", values, WHERE)
    tokens = parse_body(f"Before.\n\n{included.line}\n\nAfter.\n")
    inline = [(t.content[:20], t.map) for t in tokens if t.type == "inline"]
    assert inline[0] == ("Before.", [0, 1])
    assert inline[-1] == ("After.", [4, 5])
    assert all(mapped == [2, 3] for _, mapped in inline[1:-1])
    assert any(t.meta.get("block") is not None for t in tokens)  # its tabset, parsed


def test_editing_a_file_included_by_an_included_file_rebuilds_the_post(tmp_path: Path) -> None:
    site = site_with(tmp_path, "{{< include _outer.qmd >}}\n")
    site.write("posts/spectral/_outer.qmd", "{{< include _inner.qmd >}}\n")
    site.write("posts/spectral/_inner.qmd", "INNER-ONE\n")
    assert_ok(site.build())
    assert "INNER-ONE" in site.page("posts/spectral/index.html")
    site.write("posts/spectral/_inner.qmd", "INNER-TWO\n")
    assert_ok(site.build())
    assert "INNER-TWO" in site.page("posts/spectral/index.html")


def test_an_include_inside_a_list_item_stays_in_the_item(tmp_path: Path) -> None:
    site = site_with(tmp_path, "- First.\n\n  {{< include _item.qmd >}}\n\nAfter.\n")
    site.write("posts/spectral/_item.qmd", "Included *inside*.\n")
    assert_ok(site.build())
    page = site.page("posts/spectral/index.html")
    assert "<li>\n<p>First.</p>\n<p>Included <em>inside</em>.</p>\n</li>" in page
