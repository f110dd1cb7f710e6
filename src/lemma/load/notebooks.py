"""Jupyter notebooks as posts: cells to Markdown and snippets, front matter from the notebook.

A notebook's front matter is, as Quarto and the notebook blogging tools write it, a first raw
or Markdown cell holding a `---` YAML block, or else the `title`, `date`, ... keys of the
notebook's metadata (top level, or under `lemma`). Without a title, the first `# Heading` is
the title. Its outputs are run again like any post's, unless the front matter says
`outputs: stored`: then the outputs saved in the notebook are shown and nothing runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import yaml

from lemma.errors import FrontMatterError, Problem
from lemma.load.fastpages import cell_flag, header_yaml
from lemma.load.notebook_outputs import cell_text, stored_outputs
from lemma.model import (
    Error,
    Output,
    Post,
    SnippetResult,
    SourceLocation,
)
from lemma.wording import json_wording

_METADATA_KEYS = (
    "title",
    "date",
    "author",
    "authors",
    "tags",
    "categories",
    "description",
    "outputs",
    # pelican-jupyter's keys in the notebook's metadata, written as Pelican's headers are
    "slug",
    "category",
    "summary",
    "modified",
)
_FENCE = re.compile(r"^ {0,3}(?P<marker>`{3,}|~{3,})(?P<info>.*)$")  # CommonMark's code fences
_BACKTICKS = re.compile(r"^ {0,3}(`{3,})", re.MULTILINE)
STORED = "stored"  # the value of `outputs:` that shows the notebook's own outputs


# (line in the Markdown made of a notebook, cell number, line of that cell) where each cell
# starts; cell 0 is the notebook's metadata.
CellLines = tuple[tuple[int, int, int], ...]


@dataclass(frozen=True, slots=True)
class NotebookText:
    """A notebook as the text of a Markdown post, with the outputs saved in its code cells."""

    text: str
    stored_outputs: tuple[tuple[int, tuple[Output, ...]], ...]  # (fence line, outputs) per cell
    cell_lines: CellLines  # where each cell starts in `text`
    warnings: tuple[Problem, ...] = ()  # at the notebook's cells
    attachments: tuple[tuple[int, str, str, str], ...] = ()  # as `Post.attachments`
    language: str = "python"  # its kernel's: another's code cannot run here

    @property
    def runs(self) -> bool:
        """Whether Lemma can run its cells: else its stored outputs are what its page shows."""
        return self.language == "python"


def notebook_text(data: str, where: SourceLocation, header: str = "") -> NotebookText:
    """The notebook's cells as a Markdown post: Markdown cells as they are, code cells as fences;
    `header`, Pelican's lines from a file beside the notebook, stands for its front matter."""
    try:
        notebook = json.loads(data)
    except json.JSONDecodeError as exc:
        said = json_wording(exc)
        raise FrontMatterError(
            f"the notebook's JSON is broken here: {said.message}",
            where.at_line(said.line, said.column),
            hint=f"{said.hint}, or open and save the notebook again in Jupyter",
            detail=said.detail,
        ) from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise FrontMatterError("the file is not a Jupyter notebook (no cells)", where.at_line(1))
    language = _language(notebook)
    numbered = [(number, c) for number, c in enumerate(cells, start=1) if isinstance(c, dict)]
    if header.strip():  # pelican-ipynb's header file: the notebook's cells are all the body
        parts: list[str] = [header.rstrip("\n"), ""]
        from_cell = 0
    else:
        header, from_cell, numbered = _front_matter(notebook, numbered)
        parts = ["---", header.rstrip("\n"), "---", ""] if header.strip() else []
    # The front matter's lines are its cell's (which opens with ---), or the metadata's (cell 0).
    cell_lines: list[tuple[int, int, int]] = [(1, from_cell, 1)] if parts else []
    stored: list[tuple[int, tuple[Output, ...]]] = []
    warnings: list[Problem] = []
    attachments: list[tuple[int, str, str, str]] = []
    for number, cell in numbered:
        source = cell_text(cell.get("source"))
        kind = cell.get("cell_type")
        line = sum(part.count("\n") + 1 for part in parts) + 1  # where this cell's text starts
        cell_at = SourceLocation(where.path, 0, 0, number)
        if kind == "markdown":
            parts.append(source)
            cell_lines.append((line, number, 1))
            attachments += _attachments(cell, number)
            unclosed = _unclosed_fence(source)
            if unclosed is not None:  # in Jupyter a cell is a document of its own: close it
                fence_line, marker = unclosed
                parts.append(marker)
                warnings.append(_unclosed_warning(replace(cell_at, line=fence_line), marker))
            parts.append("")
        elif kind == "code" and source.strip():
            tags = _tags(cell)
            code_line = 1  # the cell's line the fence's code starts at
            flagged = cell_flag(source)
            if flagged is not None:  # fastpages' `#hide`: a tag, its line left out
                tags += [t for t in flagged[0] if t not in tags]
                source, code_line = flagged[1], 2
            fence = _fence_for(source)
            if tags:  # read as MyST's code cells are: `parse/myst.py` maps the tags to options
                parts += [f"{fence}{{code-cell}} {language}", f":tags: [{', '.join(tags)}]"]
                cell_lines += [(line, number, 1), (line + 1, number, 0)]  # line 0: the metadata
            else:
                parts += [f"{fence}{language}"]
                cell_lines += [(line, number, 1)]
            parts += [source, fence, ""]
            outputs, problems = stored_outputs(cell.get("outputs"), cell_at)
            stored.append((line, tuple(outputs)))
            warnings += problems
            cell_lines.append((line + 2 if tags else line + 1, number, code_line))  # the code
        elif kind == "raw" and source.strip():
            fence = _fence_for(source)
            parts += [f"{fence}text", source, fence, ""]
            cell_lines += [(line, number, 1), (line + 1, number, 1)]
    return NotebookText(
        "\n".join(parts),
        tuple(stored),
        tuple(cell_lines),
        tuple(warnings),
        tuple(attachments),
        language,
    )


def _fence_for(source: str) -> str:
    """A fence longer than any the cell's text opens with, so that the text cannot close it."""
    longest = max((len(m) for m in _BACKTICKS.findall(source)), default=2)
    return "`" * (longest + 1)


def _unclosed_fence(source: str) -> tuple[int, str] | None:
    """The line (in the cell) and marker of a code fence a Markdown cell leaves open."""
    opened: tuple[int, str] | None = None
    for line, text in enumerate(source.split("\n"), start=1):
        match = _FENCE.match(text)
        if match is None:
            continue
        marker, info = match["marker"], match["info"]
        if opened is None:
            if not (marker[0] == "`" and "`" in info):  # ``` `code` ``` is inline code
                opened = (line, marker)
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]) and not info.strip():
            opened = None
    return opened


def _unclosed_warning(where: SourceLocation, marker: str) -> Problem:
    return Problem(
        f"the code fence opened here with {marker} is never closed in its cell",
        where,
        hint=f"add a line with {marker} at the end of the cell: in a notebook each cell is "
        "a document of its own, so Lemma closes the fence there",
        is_warning=True,
    )


def _language(notebook: dict[str, Any]) -> str:
    metadata = notebook.get("metadata") or {}
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    language = str(info.get("name") or kernel.get("language") or "python").lower()
    return "python" if language.startswith("python") or language == "ipython" else language


_Numbered = list[tuple[int, dict[str, Any]]]  # cells with their numbers


def _front_matter(notebook: dict[str, Any], cells: _Numbered) -> tuple[str, int, _Numbered]:
    """The YAML of the first raw or Markdown cell that is a `---` block, or of the metadata;
    the number of the cell it came from (0: the metadata), and the cells after it."""
    if cells and cells[0][1].get("cell_type") in ("raw", "markdown"):
        source = cell_text(cells[0][1].get("source")).strip()
        lines = source.split("\n")
        if len(lines) >= 2 and lines[0].strip() == "---" and lines[-1].strip() == "---":
            return "\n".join(lines[1:-1]), cells[0][0], cells[1:]
        fastpages = header_yaml(source) if cells[0][1].get("cell_type") == "markdown" else None
        if fastpages is not None:
            return fastpages, cells[0][0], cells[1:]
    metadata = notebook.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    lemma_keys = metadata.get("lemma")
    keys: dict[str, Any] = lemma_keys if isinstance(lemma_keys, dict) else metadata
    # Pelican's spelling, `"Title"`, `"Date"` (pelican-jupyter), is the same key.
    lowered = {str(k).lower(): v for k, v in keys.items() if str(k).lower() not in keys}
    keys = {**keys, **lowered}
    found = {k: keys[k] for k in _METADATA_KEYS if k in keys}
    if not found:
        return "", 0, cells
    return yaml.safe_dump(found, sort_keys=False, allow_unicode=True), 0, cells


# The images a Markdown cell may keep in its `attachments`, and their files' suffixes.
ATTACHMENT_SUFFIXES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
}


def _attachments(cell: dict[str, Any], number: int) -> list[tuple[int, str, str, str]]:
    """The images a Markdown cell keeps in its `attachments` (an SVG as text, others base64)."""
    found = cell.get("attachments")
    kept = []
    for name, bundle in found.items() if isinstance(found, dict) else ():
        mime = next(
            (m for m in ATTACHMENT_SUFFIXES if isinstance(bundle, dict) and m in bundle), None
        )
        if mime is not None:
            kept.append((number, str(name), mime, cell_text(bundle[mime])))
    return kept


def _tags(cell: dict[str, Any]) -> list[str]:
    """The cell's `metadata.tags`, as Jupyter and Jupyter Book write them."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return [str(t) for t in tags if str(t).strip()] if isinstance(tags, list) else []


def stored_results(
    stored: tuple[tuple[int, tuple[Output, ...]], ...], fence_lines: list[int]
) -> tuple[SnippetResult, ...]:
    """The stored outputs as results of the snippets whose fences start at `fence_lines`."""
    by_line = dict(stored)
    return tuple(
        SnippetResult(index, by_line[line], 0.0)
        for index, line in enumerate(fence_lines)
        if line in by_line
    )


def cell_location(location: SourceLocation, cell_lines: CellLines) -> SourceLocation:
    """A place in the Markdown made of a notebook as the cell and line the author sees."""
    if not cell_lines or location.line <= 0 or location.cell:
        return location
    starts = [entry for entry in cell_lines if entry[0] <= location.line]
    if not starts:
        return location
    start, cell, first = starts[-1]
    if cell == 0:  # the front matter came from the notebook's metadata: no line to show
        return SourceLocation(location.path)
    return SourceLocation(location.path, first + location.line - start, location.column, cell)


def in_cells(problems: Iterable[Problem], posts: Iterable[Post]) -> list[Problem]:
    """`problems` with their places in notebook posts given as cells, tracebacks included."""
    maps = {post.source_path: post.cell_lines for post in posts if post.cell_lines}
    return [
        problem_in_cells(problem, maps[problem.location.path])
        if problem.location is not None and problem.location.path in maps
        else problem
        for problem in problems
    ]


def problem_in_cells(problem: Problem, cell_lines: CellLines) -> Problem:
    """`problem`, when it is in the Markdown made of a notebook, at the notebook's cell."""
    location = problem.location
    if location is None or not cell_lines:
        return problem
    detail = problem.detail
    if detail:
        detail = traceback_in_cells(detail, location.path, cell_lines)
        detail = _frame_in_cell(detail, cell_location(location, cell_lines).cell, cell_lines)
    return replace(problem, location=cell_location(location, cell_lines), detail=detail)


def traceback_in_cells(text: str, path: str, cell_lines: CellLines) -> str:
    """Traceback frames in a notebook post (`File "posts/x.ipynb", line 57`) with its cells."""
    if not cell_lines:
        return text
    pattern = re.compile(rf'("{re.escape(path)}", )line (\d+)')

    def frame(match: re.Match[str]) -> str:
        where = cell_location(SourceLocation(path, int(match[2])), cell_lines)
        return f"{match[1]}cell {where.cell}, line {where.line}" if where.cell else match[0]

    return pattern.sub(frame, text)


def outputs_in_cells(
    outputs: tuple[Output, ...], path: str, cell_lines: CellLines
) -> tuple[Output, ...]:
    """A notebook post's outputs as its page shows them: errors at their cells."""
    if not cell_lines:
        return outputs
    return tuple(
        replace(
            output,
            location=cell_location(output.location, cell_lines) if output.location else None,
            traceback=traceback_in_cells(output.traceback, path, cell_lines),
        )
        if isinstance(output, Error)
        else output
        for output in outputs
    )


_FRAME_LINE = re.compile(r"^([> ] +)(\d+)( \| )(.*)$")  # errors.code_frame's numbered lines


def _frame_in_cell(detail: str, cell: int, cell_lines: CellLines) -> str:
    """A code frame of the Markdown made of a notebook as lines of the cell: the fences Lemma
    wrote and the lines of other cells left out, the numbers the cell's own."""
    kept = []
    closed = False  # past the cell's closing fence: the blank line before the next cell
    for text in detail.split("\n"):
        match = _FRAME_LINE.match(text)
        if match is None:
            kept.append(text)
            continue
        where = cell_location(SourceLocation("", int(match[2])), cell_lines)
        fence = match[4].startswith("```")
        closed = closed or (fence and where.cell == cell and where.line > 1)
        if where.cell != cell or where.line <= 0 or fence or closed:
            continue
        number = str(where.line).rjust(len(match[2]))
        kept.append(f"{match[1]}{number}{match[3]}{match[4]}")
    return "\n".join(kept)
