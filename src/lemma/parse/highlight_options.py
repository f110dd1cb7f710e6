"""pymdownx.highlight's options on a fence's opening line (MkDocs Material):
```` ``` py title="sort.py" linenums="1" hl_lines="2 3" ````.

`linenums` numbers the code's lines, as Quarto's `code-line-numbers` does (from 1: a start other
than 1 is a warning). A title and highlighted lines are not shown by Lemma's snippets: each is a
warning at the fence's line that says what to write instead, never a silent drop.
"""

from __future__ import annotations

from dataclasses import replace

from lemma.errors import Problem
from lemma.fences import fence_attributes
from lemma.model import SnippetOptions, SourceLocation

# The keys read here; markdown-exec (`parse.markdown_exec`) leaves them to this module.
HIGHLIGHT_KEYS = ("title", "linenums", "hl_lines")


def apply_highlight_options(
    info: str, options: SnippetOptions, where: SourceLocation
) -> tuple[SnippetOptions, list[Problem]]:
    """`options` with the fence's `linenums`, and warnings for what Lemma does not show."""
    problems: list[Problem] = []
    for key, value in fence_attributes(info).items():
        if key not in HIGHLIGHT_KEYS:
            continue
        if key == "linenums":
            options = replace(options, code_line_numbers=True)
            if value.strip() not in ("1", ""):
                problems.append(
                    _warning(
                        f'linenums="{value}": the lines are numbered from 1',
                        where,
                        'write linenums="1", or leave it out',
                    )
                )
        elif key == "title":
            problems.append(
                _warning(
                    f"the code block's title '{value}' is not shown",
                    where,
                    "name the file in the sentence above the code, or caption it with "
                    "#| lst-label: lst-x and #| lst-cap: " + value,
                )
            )
        else:
            problems.append(
                _warning(
                    f'hl_lines="{value}": Lemma does not highlight lines of code',
                    where,
                    "point at them in the text, or with a comment on those lines",
                )
            )
    return options, problems


def _warning(message: str, where: SourceLocation, hint: str) -> Problem:
    return Problem(message, where, hint=hint, is_warning=True)
