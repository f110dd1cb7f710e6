"""TeX in a double-quoted front matter value that YAML or TOML read as escapes.

`title: "The $\\theta$ of it"` parses: YAML and TOML both read `\\t` as a tab, so the title
shows "heta" (`\\alpha` is a bell character in YAML, `\\nabla` a line break, `\\beta` a
backspace, `\\frac` a form feed). Jekyll and Hugo print such a title as it comes. Where the
backslash is not an escape (`$\\sum$`) the parser fails, and the error says so (wording.py);
this finds the silent case and warns where the formula is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from lemma.errors import Problem
from lemma.front_matter import Header
from lemma.model import SourceLocation

# The escapes a letter starts, by dialect, and what each becomes.
_BECOMES = {
    "yaml": {
        "a": "a bell character",
        "b": "a backspace",
        "e": "an escape character",
        "f": "a form feed",
        "n": "a line break",
        "r": "a carriage return",
        "t": "a tab",
        "v": "a vertical tab",
        "N": "a line break",
        "L": "a line break",
        "P": "a paragraph break",
    },
    "toml": {
        "b": "a backspace",
        "f": "a form feed",
        "n": "a line break",
        "r": "a carriage return",
        "t": "a tab",
    },
}
# A backslash that is not itself escaped (an odd run of them), then a command's letters.
_COMMAND = re.compile(r"(?<!\\)(?:\\\\)*\\([A-Za-z]+)")
_MATH = re.compile(r"\$\$?[^$]+\$\$?")
# A TOML basic string written on one line after `key =`.
_TOML_BASIC = re.compile(r'^[ \t]*[^=\n]+?[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)


def escaped_tex(header: Header, where: SourceLocation) -> list[Problem]:
    """A warning for each double-quoted value whose formula lost a command to an escape."""
    if header.dialect not in _BECOMES or "\\" not in header.text:
        return []
    becomes = _BECOMES[header.dialect]
    dialect = header.dialect.upper()
    problems = []
    for start, raw in _double_quoted(header):
        found = _first_escape(raw, becomes)
        if found is None:
            continue
        offset, command = found
        index = start + offset
        line = header.first_line + header.text.count("\n", 0, index)
        column = index - header.text.rfind("\n", 0, index)
        quote = "'" if header.dialect == "yaml" else "title = '"
        problems.append(
            Problem(
                f"front matter: in double quotes, {dialect} reads the \\{command[0]} of"
                f" \\{command} as {becomes[command[0]]}: the value shows '{command[1:]}',"
                " not the formula",
                where.at_line(line, column),
                hint=f"use single quotes around the value ({quote}... $\\{command}$ ...'),"
                " or double each backslash",
                is_warning=True,
            )
        )
    return problems


def _first_escape(raw: str, becomes: dict[str, str]) -> tuple[int, str] | None:
    """(offset of the backslash in `raw`, the command) of the first escape inside a formula."""
    for math in _MATH.finditer(raw):
        for command in _COMMAND.finditer(math.group(0)):
            if command.group(1)[0] in becomes:
                return math.start() + command.start(1) - 1, command.group(1)
    return None


def _double_quoted(header: Header) -> Iterator[tuple[int, str]]:
    """(index in the header's text where the quoted text starts, that text as written)."""
    if header.dialect == "toml":
        for match in _TOML_BASIC.finditer(header.text):
            yield match.start(1), match.group(1)
        return
    try:
        tokens = list(yaml.scan(header.text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return  # the parse reports it
    for token in tokens:
        if isinstance(token, yaml.ScalarToken) and token.style == '"':
            begin, end = token.start_mark.index + 1, token.end_mark.index - 1
            yield begin, header.text[begin:end]
