"""MkDocs Material's Markdown (Python-Markdown with pymdownx) in a post, rewritten as what Lemma
reads, in the order MkDocs reads it: snippets first (`load.pymdown_snippets`, a preprocessor there),
then pymdownx's `///` blocks (`load.pymdown_blocks`), md_in_html's `<div markdown>`
(`load.md_in_html`) and the annotations and lone attribute lists (`load.annotations`).
Every line keeps its number. Emoji, marks, keys and critic are read by the parser
(`parse.emoji`, `parse.marks`).
"""

from __future__ import annotations

from lemma.errors import Problem
from lemma.load.annotations import rewrite_annotations
from lemma.load.md_in_html import rewrite_md_in_html
from lemma.load.pymdown_blocks import rewrite_blocks
from lemma.load.pymdown_snippets import rewrite_snippets
from lemma.load.quarto_shortcodes import QuartoValues


def rewrite_mkdocs(
    body: str, body_line: int, source_path: str, values: QuartoValues
) -> tuple[str, list[Problem]]:
    """`body` as Lemma reads it, and what the author is told."""
    body, problems = rewrite_snippets(body, body_line, source_path, values)
    body, more = rewrite_blocks(body, body_line, source_path)
    problems.extend(more)
    body, more = rewrite_md_in_html(body, body_line, source_path)
    problems.extend(more)
    return rewrite_annotations(body), problems
