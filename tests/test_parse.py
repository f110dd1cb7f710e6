"""Parsing a post's body: fence languages, snippets with their .md lines and options, excerpts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from lemma.fences import fence_language
from lemma.load import load_post
from lemma.model import FrontMatter, Post, SnippetOptions
from lemma.parse import extract_snippets, first_paragraph_text, parse_body


def make_post(body: str) -> Post:
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body  # body starts on line 5
    post, _ = load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))
    return post


def test_fence_language_accepts_plain_braced_and_attributed_info() -> None:
    assert fence_language("python") == "python"
    assert fence_language("{python}") == "python"
    assert fence_language("{.python}") == "python"
    assert fence_language('Python title="x.py"') == "python"
    assert fence_language("") == ""
    assert fence_language("   ") == ""


def test_materials_spaced_attribute_form_is_python_shown_not_run() -> None:
    post = make_post("``` { .python .annotate }\nprint(1)  # (1)\n```\n")
    (snippet,), _ = extract_snippets(post, SnippetOptions())
    assert snippet.language == "python" and snippet.options.eval is False


def test_snippet_location_is_its_first_code_line_in_the_md_file() -> None:
    post = make_post("Intro.\n\n```python\nx = 1\n```\n")
    (snippet,), problems = extract_snippets(post, SnippetOptions())
    assert problems == []
    assert snippet.fence_line == 7
    assert str(snippet.location) == "posts/p.md:8"
    assert snippet.code == "x = 1"
    assert snippet.language == "python"


def test_option_lines_are_removed_and_shift_the_code_location() -> None:
    post = make_post("```python\n#| echo: false\n#| timeout: 5\ny = 2\n```\n")
    (snippet,), _ = extract_snippets(post, SnippetOptions())
    assert snippet.code == "y = 2"
    assert str(snippet.location) == "posts/p.md:8"
    assert snippet.options.echo is False
    assert snippet.options.timeout_s == 5.0


def test_a_multi_line_option_block_shifts_the_code_location_by_all_its_lines() -> None:
    post = make_post('```{python}\n#| fig-cap:\n#|   - "A"\n#|   - "B"\nplot()\n```\n')
    (snippet,), problems = extract_snippets(post, SnippetOptions())
    assert problems == []
    assert (snippet.code, str(snippet.location)) == ("plot()", "posts/p.md:9")
    assert snippet.options.fig_caps == ("A", "B")


def test_pandoc_class_fence_is_python_shown_and_never_run() -> None:
    post = make_post('```{.python}\nraise SystemExit("no")\n```\n\n```{python}\nx\n```\n')
    shown, run = extract_snippets(post, SnippetOptions())[0]
    assert (shown.language, shown.executable) == ("python", False)
    assert (run.language, run.executable) == ("python", True)


def test_snippets_are_numbered_in_order_across_languages() -> None:
    post = make_post("```text\na\n```\n\n```\nb\n```\n\n```python\nc\n```\n")
    snippets, _ = extract_snippets(post, SnippetOptions())
    assert [(s.index, s.language, s.code) for s in snippets] == [
        (0, "text", "a"),
        (1, "", "b"),
        (2, "python", "c"),
    ]
    assert [s.executable for s in snippets] == [False, False, True]


def test_python_snippet_with_eval_false_is_not_executable() -> None:
    post = make_post("```python\n#| eval: false\nboom()\n```\n")
    (snippet,), _ = extract_snippets(post, SnippetOptions())
    assert not snippet.executable


def test_defaults_apply_when_a_snippet_sets_nothing() -> None:
    post = make_post("```python\nx\n```\n")
    (snippet,), _ = extract_snippets(post, SnippetOptions(echo=False, timeout_s=3.0))
    assert snippet.options == SnippetOptions(echo=False, timeout_s=3.0)


def test_unknown_option_is_a_problem_at_its_line_with_closest_name() -> None:
    post = make_post("Text.\n\n```python\n#| echo: true\n#| evall: false\nx\n```\n")
    _, problems = extract_snippets(post, SnippetOptions())
    (problem,) = problems
    assert str(problem.location) == "posts/p.md:9"
    assert "unknown snippet option 'evall'" in problem.message
    assert problem.hint == "did you mean 'eval'?"
    assert not problem.is_warning


def test_fence_never_closed_is_a_warning_at_its_opening_line() -> None:
    post = make_post("Text.\n\n```python\nx = 1\nmore text\n")
    _, problems = extract_snippets(post, SnippetOptions())
    (problem,) = problems
    assert problem.is_warning
    assert str(problem.location) == "posts/p.md:7"
    assert "never closed" in problem.message


def test_closed_fence_at_end_of_file_gives_no_warning() -> None:
    post = make_post("```python\nx = 1\n```")
    _, problems = extract_snippets(post, SnippetOptions())
    assert problems == []


def test_first_paragraph_text_skips_headings_and_strips_markup_but_keeps_formulas() -> None:
    body = "## Title\n\nA *b* [link](x.md) `c` $d$ and \\(e\\).\n\nNext.\n"
    assert first_paragraph_text(body) == "A b link c $d$ and $e$."


def test_first_paragraph_text_is_empty_without_a_paragraph() -> None:
    assert first_paragraph_text("```text\ncode\n```\n") == ""


def test_headings_get_stable_slug_ids_and_repeats_get_suffixes() -> None:
    tokens = parse_body("# Gradient Descent\n\n## Gradient Descent\n\n## Über ∂L\n")
    ids = [t.attrGet("id") for t in tokens if t.type == "heading_open"]
    assert ids == ["gradient-descent", "gradient-descent-1", "uber-l"]
    again = [
        t.attrGet("id") for t in parse_body("## Gradient Descent\n") if t.type == "heading_open"
    ]
    assert again == ["gradient-descent"]


def test_gfm_tables_strikethrough_footnotes_and_math_are_parsed() -> None:
    body = "| a |\n|---|\n| 1 |\n\n~~gone~~ and $x$ and a note[^1].\n\n$$\ny\n$$\n\n[^1]: Note.\n"
    types = {t.type for t in parse_body(body)}
    assert {"table_open", "footnote_block_open", "math_block"} <= types
    inline = {c.type for t in parse_body(body) for c in (t.children or [])}
    assert {"s_open", "math_inline", "footnote_ref"} <= inline


def test_front_matter_is_not_part_of_the_body() -> None:
    post = make_post("Body.\n")
    assert isinstance(post.front_matter, FrontMatter)
    assert "title:" not in post.body


def test_myst_code_cell_tags_become_snippet_options_at_their_lines() -> None:
    body = (
        "```{code-cell} ipython3\n---\ntags: [skip-execution, remove-input]\n---\nnot python\n```\n"
        "\n```{code-cell}\n:tags: [raises-exception, thebe-init]\n\n1 / 0\n```\n"
        "\n```{code-cell} r\nx <- 1\n```\n"
    )
    (skipped, raising, other), problems = extract_snippets(make_post(body), SnippetOptions())
    assert skipped.language == "python" and skipped.code == "not python"
    assert (skipped.options.eval, skipped.options.echo) == (False, False)
    assert raising.options.expects_error and raising.code == "1 / 0"
    assert other.language == "r" and not other.executable
    (warning,) = problems
    assert warning.is_warning and "code cell tag 'thebe-init'" in warning.message


def test_quartos_cells_in_other_languages_and_diagrams_are_warnings_at_their_line() -> None:
    body = "```{r}\nsummary(cars)\n```\n\n```{mermaid}\nflowchart LR\n```\n\n```{.r}\nx\n```\n"
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    post, _ = load_post("posts/p.qmd", text.encode(), ZoneInfo("UTC"))
    _, problems = extract_snippets(post, SnippetOptions())
    assert [(str(p.location), p.is_warning) for p in problems] == [
        ("posts/p.qmd:5", True),
        ("posts/p.qmd:9", True),
    ]
    assert problems[0].message == "Quarto's {r} cell is shown, not run: Lemma runs Python"
    assert "```{.r}" in str(problems[0].hint)
    assert problems[1].message.startswith("Quarto's {mermaid} diagram is not drawn")
