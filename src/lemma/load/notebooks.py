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
from dataclasses import dataclass
from typing import Any

import yaml

from lemma.errors import FrontMatterError
from lemma.model import (
    Error,
    Output,
    Rich,
    SnippetResult,
    SourceLocation,
    Stream,
    Value,
    is_address_repr,
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
)
_RICH_MIMES = ("text/html", "image/svg+xml", "image/png", "text/latex", "text/markdown")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # IPython colours its tracebacks
STORED = "stored"  # the value of `outputs:` that shows the notebook's own outputs


@dataclass(frozen=True, slots=True)
class NotebookText:
    """A notebook as the text of a Markdown post, with the outputs saved in its code cells."""

    text: str
    stored_outputs: tuple[tuple[int, tuple[Output, ...]], ...]  # (fence line, outputs) per cell


def notebook_text(data: str, where: SourceLocation) -> NotebookText:
    """The notebook's cells as a Markdown post: Markdown cells as they are, code cells as fences."""
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
    cells = [c for c in cells if isinstance(c, dict)]
    header, cells = _front_matter(notebook, cells)
    parts: list[str] = ["---", header.rstrip("\n"), "---", ""] if header.strip() else []
    stored: list[tuple[int, tuple[Output, ...]]] = []
    for cell in cells:
        source = _text(cell.get("source"))
        kind = cell.get("cell_type")
        if kind == "markdown":
            parts += [source, ""]
        elif kind == "code" and source.strip():
            fence_line = sum(part.count("\n") + 1 for part in parts) + 1
            fence = "````" if "```" in source else "```"
            parts += [f"{fence}{language}", source, fence, ""]
            stored.append((fence_line, tuple(_outputs(cell.get("outputs")))))
        elif kind == "raw" and source.strip():
            parts += ["```text", source, "```", ""]
    return NotebookText("\n".join(parts), tuple(stored))


def _language(notebook: dict[str, Any]) -> str:
    metadata = notebook.get("metadata") or {}
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    language = str(info.get("name") or kernel.get("language") or "python").lower()
    return "python" if language.startswith("python") or language == "ipython" else language


def _front_matter(
    notebook: dict[str, Any], cells: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """The YAML of the first raw or Markdown cell that is a `---` block, or of the metadata."""
    if cells and cells[0].get("cell_type") in ("raw", "markdown"):
        source = _text(cells[0].get("source")).strip()
        lines = source.split("\n")
        if len(lines) >= 2 and lines[0].strip() == "---" and lines[-1].strip() == "---":
            return "\n".join(lines[1:-1]), cells[1:]
    metadata = notebook.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    lemma_keys = metadata.get("lemma")
    keys: dict[str, Any] = lemma_keys if isinstance(lemma_keys, dict) else metadata
    found = {k: keys[k] for k in _METADATA_KEYS if k in keys}
    if not found:
        return "", cells
    return yaml.safe_dump(found, sort_keys=False, allow_unicode=True), cells


def _text(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(s) for s in source)
    return str(source or "")


def _outputs(outputs: Any) -> list[Output]:
    """The outputs saved in a code cell, as Lemma's output kinds (text reprs with an address
    such as `<Figure at 0x7f...>` are left out: they change on every run)."""
    found: list[Output] = []
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            text = _text(output.get("text"))
            found.append(
                Stream("stderr", text) if output.get("name") == "stderr" else Stream("stdout", text)
            )
        elif kind in ("execute_result", "display_data"):
            bundle = output.get("data") or {}
            mime = next((m for m in _RICH_MIMES if m in bundle), None)
            if mime is not None:
                data = _text(bundle[mime])
                found.append(Rich(mime, data.replace("\n", "") if mime == "image/png" else data))
            elif "text/plain" in bundle:
                text = _text(bundle["text/plain"])
                if not is_address_repr(text):
                    found.append(Value(text))
        elif kind == "error":
            lines = output.get("traceback") or []
            traceback = _ANSI.sub("", "\n".join(str(line) for line in lines))
            found.append(
                Error(str(output.get("ename", "")), str(output.get("evalue", "")), traceback)
            )
    return found


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
