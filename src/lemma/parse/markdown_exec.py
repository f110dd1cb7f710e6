"""markdown-exec's fences (MkDocs): ```` ```python exec="on" source="above" ```` as Lemma's
snippet options.

MkDocs runs only the fences marked `exec` (any value but 0, no, off and false), shows only their
output unless `source` says where the code goes, and reads the output as Markdown unless
`result="text"` (any language: a code block) or `html="1"` (HTML, which Markdown keeps) says
otherwise. So in a post with such a fence, a python fence without `exec` is shown and not run,
as MkDocs shows it. `session` needs nothing: a post's snippets share one namespace. Lemma runs
Python only: a marked `bash`, `console`, `pycon` or `tree` fence is shown, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from markdown_it.token import Token

from lemma.errors import Problem
from lemma.fences import fence_attributes
from lemma.model import SnippetOptions, SourceLocation
from lemma.parse.highlight_options import HIGHLIGHT_KEYS

_OFF = ("0", "no", "off", "false")
_PYTHON = ("python", "py", "python3")
# Where `source` puts the code; Lemma shows it above the output, as "above" does.
_SOURCE_PLACES = ("above", "below", "material-block", "tabbed-left", "tabbed-right", "console")
# Options with nothing to do: the namespace is the post's, ids and tabs are the page's own.
# pymdownx.highlight's keys are read by `parse.highlight_options`.
_QUIET = ("session", "id", "idprefix", "tabs", "width", "updatetoc", "returncode", *HIGHLIGHT_KEYS)


def _runs(attributes: dict[str, str]) -> bool | None:
    """Whether the fence is marked to run (None: it says nothing)."""
    value = attributes.get("exec")
    return None if value is None else value.strip().lower() not in _OFF


def marks_execution(tokens: Sequence[Token]) -> bool:
    """Whether the post marks which fences run, as markdown-exec has it."""
    return any(t.type == "fence" and _runs(fence_attributes(t.info)) for t in tokens)


def apply_exec_options(
    info: str,
    language: str,
    options: SnippetOptions,
    where: SourceLocation,
    marked_post: bool,
) -> tuple[SnippetOptions, list[Problem]]:
    """`options` as the fence's markdown-exec attributes say, in a post that marks its runs."""
    if not marked_post:
        return options, []
    attributes = fence_attributes(info)
    runs = _runs(attributes)
    if not runs:
        return replace(options, eval=False), []  # MkDocs shows it and runs nothing
    if language not in _PYTHON:
        return options, [_warning(f"markdown-exec's {language or 'unnamed'} block", where)]
    problems: list[Problem] = []
    source = attributes.get("source", "")
    if source and source not in _SOURCE_PLACES:
        problems.append(
            Problem(
                f'markdown-exec\'s source="{source}" is not one Lemma knows; the code is shown'
                " above its output",
                where,
                hint='write source="above", or leave it out to show only the output',
                is_warning=True,
            )
        )
    options = replace(options, echo=bool(source))
    if attributes.get("html", "").lower() not in ("", *_OFF) or "result" not in attributes:
        options = replace(options, output=True, output_asis=True)  # Markdown, which keeps HTML
    for key in [k for k in attributes if k not in ("exec", "source", "html", "result", *_QUIET)]:
        problems.append(
            Problem(
                f"markdown-exec's option '{key}' is ignored",
                where,
                hint="a snippet runs in a copy of its post's folder, with one namespace per post",
                is_warning=True,
            )
        )
    return options, problems


def _warning(what: str, where: SourceLocation) -> Problem:
    return Problem(
        f"{what} is shown, not run: Lemma runs Python snippets only",
        where,
        hint="write it as a python block (subprocess.run for a shell command), or drop exec",
        is_warning=True,
    )
