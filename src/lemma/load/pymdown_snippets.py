"""pymdownx.snippets' `--8<-- "includes/part.md"` (MkDocs Material): another file of the blog read
in the line's place, through the one include mechanism Quarto's `{{< include >}}` uses
(`load.includes`): the same checks, the same errors, every line of the post keeping its number.

The path is from the blog's folder, as MkDocs names it from its docs folder. A part of a file:
lines `file.md:3:10` (`:3` from line 3 on, `::10` up to line 10, `1:3,7:9` several ranges), or
a section `file.md:name` between `--8<-- [start:name]` and `--8<-- [end:name]` lines, which
are themselves never shown. The block form names one file a line between two `--8<--` lines.
`;--8<--` is the line shown as written, without its `;`.

Inside a code block the file's lines become the block's code, as in pymdownx, which reads them
before anything else: the whole block then stands on its first line, and is shown, never run
(MkDocs never ran it either). A file on the web (`--8<-- "https://…"`) is not fetched: a
warning at its line, which stays as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lemma.errors import Problem
from lemma.load.includes import Included, include_file, included_text_line, read_included
from lemma.load.quarto_shortcodes import QuartoValues
from lemma.model import SourceLocation
from lemma.parse import parse_body

_SINGLE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<escape>;*)-+8<-+[ \t]+"
    r"(?P<quote>[\"'])(?P<spec>[^\"'\n]+)(?P=quote)[ \t]*$"
)
_ANY_LINE = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?P<escape>;*)-+8<-+[ \t]*$")
_SECTION = re.compile(
    r"(?<!;)-+8<-+[ \t]+\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>[A-Za-z][-\w]*)[ \t]*\]"
)
_LINES = re.compile(r"(?P<path>.+?)(?P<ranges>(?::-?\d*){1,2}(?:,-?\d*(?::-?\d*)?)*)")
_SECTION_SPEC = re.compile(r"(?P<path>.+\.\w+):(?P<name>[A-Za-z][-\w]*)")


def rewrite_snippets(
    body: str, body_line: int, source_path: str, values: QuartoValues
) -> tuple[str, list[Problem]]:
    """`body` with each `--8<--` line standing for its file, and what the author is told."""
    if "8<-" not in body or not _ANY_LINE.search(body):
        return body, []  # most posts: no parse for code lines
    lines = body.split("\n")
    problems: list[Problem] = []
    fences = _fence_spans(body)
    out: list[str] = []
    index = 0
    while index < len(lines):
        where = SourceLocation(source_path, body_line + index)
        fence_end = fences.get(index)
        if fence_end is not None:
            block = lines[index:fence_end]
            if any(_SINGLE.match(line) or _BLOCK.match(line) for line in block[1:-1]):
                out.extend(_fence(block, values, where, problems))
            else:
                out.extend(block)
            index = fence_end
            continue
        line = lines[index]
        single, block_start = _SINGLE.match(line), _BLOCK.match(line)
        if single is not None:
            out.append(_single(single, values, where, problems))
        elif block_start is not None and not block_start["escape"]:
            end = _block_end(lines, index)
            if end is None:
                out.append(line)
            else:
                out.append("")
                for offset, name in enumerate(lines[index + 1 : end], start=1):
                    at = SourceLocation(source_path, body_line + index + offset)
                    out.append(_block_file(name, block_start["indent"], values, at, problems))
                out.append("")
                index = end
        elif block_start is not None:
            out.append(line.replace(";", "", 1))
        else:
            out.append(line)
        index += 1
    return "\n".join(out), problems


def snippet_paths(text: str) -> list[str]:
    """The files a text's `--8<--` lines name, from the blog's folder (for a memo's key)."""
    found: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if (single := _SINGLE.match(line)) is not None and not single["escape"]:
            found.append("/" + _split_spec(single["spec"])[0])
        elif (block := _BLOCK.match(line)) is not None and not block["escape"]:
            end = _block_end(lines, index)
            for name in lines[index + 1 : end] if end is not None else ():
                if name.strip() and not name.strip().startswith(";"):
                    found.append("/" + _split_spec(name.strip())[0])
    return found


def _single(
    match: re.Match[str], values: QuartoValues, where: SourceLocation, problems: list[Problem]
) -> str:
    line = match.group(0)
    if match["escape"]:
        return line.replace(";", "", 1)  # `;--8<--`: the line as written
    spec = match["spec"].strip()
    if re.match(r"[a-z]+://", spec):
        problems.append(
            Problem(
                f"--8<--: '{spec}' is on the web, which Lemma does not fetch; shown as text",
                where,
                hint="save the file in the blog (includes/part.md) and name it from there",
                is_warning=True,
            )
        )
        return line
    included = _include(spec, line.strip(), values, where)
    problems.extend(included.problems)
    return match["indent"] + included.line


def _block_file(
    name: str, indent: str, values: QuartoValues, where: SourceLocation, problems: list[Problem]
) -> str:
    spec = name.strip()
    if not spec or spec.startswith(";"):
        return ""
    included = _include(spec, f'--8<-- "{spec}"', values, where)
    problems.extend(included.problems)
    return indent + included.line


def _include(spec: str, written: str, values: QuartoValues, where: SourceLocation) -> Included:
    path, select = _split_spec(spec)
    included = include_file("/" + path, written, values, where, values.include_depth, select)
    return included


def _fence(
    block: list[str], values: QuartoValues, where: SourceLocation, problems: list[Problem]
) -> list[str]:
    """A code block whose `--8<--` lines name files: the block, its code read from them, as one
    line standing for it, and blank lines after it for the lines it took."""
    indent = block[0][: len(block[0]) - len(block[0].lstrip())]
    code: list[str] = []
    relative = ""
    index = 1
    while index < len(block) - 1:
        line = block[index]
        at = where.at_line(where.line + index)
        single, start = _SINGLE.match(line), _BLOCK.match(line)
        names: list[tuple[str, str]] = []
        if single is not None and single["escape"]:
            code.append(line.replace(";", "", 1))
        elif single is not None:
            names = [(single["indent"], single["spec"].strip())]
        elif start is not None and not start["escape"] and (end := _block_end(block, index)):
            names = [(start["indent"], n.strip()) for n in block[index + 1 : end] if n.strip()]
            index = end
        else:
            code.append(line)
        for line_indent, spec in names:
            path, select = _split_spec(spec)
            read = read_included("/" + path, f'--8<-- "{spec}"', values, at, 0, select)
            if isinstance(read, Included):
                problems.extend(read.problems)
                code.append(line)
                continue
            relative = relative or read[0]
            code.extend(line_indent + text for text in read[1].rstrip("\n").split("\n"))
        index += 1
    text = "\n".join(_dedent([block[0], *code, block[-1]], indent))
    included = included_text_line(relative or "code", text, where, [])
    problems.extend(included.problems)
    return [indent + included.line, *([""] * (len(block) - 1))]


def _dedent(lines: list[str], indent: str) -> Iterator[str]:
    for line in lines:
        yield line[len(indent) :] if line.startswith(indent) else line.lstrip()


def _split_spec(spec: str) -> tuple[str, Callable[[str], str]]:
    """The path of `file.md:3:10` or `file.md:name`, and what picks the part it names."""
    lines = _LINES.fullmatch(spec)
    if lines is not None:
        ranges = lines["ranges"]
        return lines["path"], lambda text: _pick_lines(text, ranges)
    section = _SECTION_SPEC.fullmatch(spec)
    if section is not None:
        name = section["name"]
        return section["path"], lambda text: _pick_section(text, name)
    return spec, _without_markers


def _pick_lines(text: str, ranges: str) -> str:
    lines = text.split("\n")
    picked: list[str] = []
    for written in ranges.removeprefix(":").split(","):
        start_text, _, end_text = written.partition(":")
        start = int(start_text) if start_text.lstrip("-").isdigit() else 1
        end = int(end_text) if end_text.lstrip("-").isdigit() else len(lines)
        if start < 1 or start > len(lines):
            raise ValueError(f"it has {len(lines)} lines, not a line {start}")
        picked.extend(lines[start - 1 : max(end, start)])
    return _without_markers("\n".join(picked))


def _pick_section(text: str, name: str) -> str:
    inside: list[str] | None = None
    for line in text.split("\n"):
        marker = _SECTION.search(line)
        if marker is not None and marker["name"] == name:
            if marker["kind"] == "start":
                inside = []
                continue
            if inside is not None:
                return _without_markers("\n".join(inside))
        if inside is not None:
            inside.append(line)
    if inside is not None:
        return _without_markers("\n".join(inside))
    raise ValueError(
        f"it has no section '{name}' (mark one with '--8<-- [start:{name}]' and "
        f"'--8<-- [end:{name}]' lines)"
    )


def _without_markers(text: str) -> str:
    """The text without its section markers' lines, as pymdownx shows it."""
    if "8<-" not in text:
        return text
    return "\n".join(line for line in text.split("\n") if _SECTION.search(line) is None)


def _block_end(lines: list[str], start: int) -> int | None:
    for index in range(start + 1, len(lines)):
        if _BLOCK.match(lines[index]):
            return index
        if not lines[index].strip():
            return None  # the block form's files are on consecutive lines
    return None


def _fence_spans(body: str) -> dict[int, int]:
    """First line -> the line after the last of each fenced code block."""
    return {
        token.map[0]: token.map[1]
        for token in parse_body(body)
        if token.type == "fence" and token.map is not None
    }
