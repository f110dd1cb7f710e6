"""pymdownx.highlight's options on a fence (`parse.highlight_options`): `linenums` numbers the
lines; a title and highlighted lines, which Lemma does not show, are warnings at the fence."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from lemma.load import load_post
from lemma.model import SnippetOptions
from lemma.parse import extract_snippets


def snippets_of(body: str) -> tuple[list[bool], list[str]]:
    text = f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}"
    post, _ = load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))
    snippets, problems = extract_snippets(post, SnippetOptions())
    numbered = [s.options.code_line_numbers for s in snippets]
    return numbered, [f"{p.location}: {p.message}" for p in problems]


def test_linenums_numbers_the_lines() -> None:
    numbered, problems = snippets_of('``` python linenums="1"\nx = 1\n```\n')
    assert numbered == [True] and problems == []


def test_a_title_highlighted_lines_and_another_start_are_warnings_at_the_fence() -> None:
    body = '\n``` py title="sort.py" linenums="5" hl_lines="2 3"\nx = 1\n```\n'
    numbered, problems = snippets_of(body)
    assert numbered == [True]
    assert problems == [
        "posts/p.md:6: the code block's title 'sort.py' is not shown",
        'posts/p.md:6: linenums="5": the lines are numbered from 1',
        'posts/p.md:6: hl_lines="2 3": Lemma does not highlight lines of code',
    ]


def test_highlight_options_beside_markdown_exec_options_are_read_by_both() -> None:
    # Material's and markdown-exec's attributes on one fence, in either quote: the fence runs
    # (exec), is numbered (linenums) and its title is named in the warning without its quotes.
    body = '``` python exec="on" linenums=\'1\' title=\'a "b".py\' source="above"\nx = 1\n```\n'
    numbered, problems = snippets_of(body)
    assert numbered == [True]
    assert problems == ["posts/p.md:5: the code block's title 'a \"b\".py' is not shown"]
