"""Other libraries' error messages (TOML, YAML, JSON, BibTeX) said in an author's terms.

A parser's own words ("found character '\\t' that cannot start any token", "Expecting value")
describe its state, not the author's mistake. Each function here turns one library's error into
what an author can act on, with the place it names; the library's words stay available as a
detail for whoever wants them.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Wording:
    message: str  # what is wrong, in the author's terms
    hint: str  # how to fix it
    line: int  # 1-based, in the text that was parsed; 0 when the library named none
    column: int  # 1-based; 0 when unknown
    detail: str  # the library's own words


_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")
_TOML_WORDS = (
    ("Illegal character '\\n'", "a quoted value is not closed on its line", 'end it with "'),
    (
        "Expected '=' after a key",
        "a key without '=': TOML writes key = value",
        'write title = "My post"; key: value is YAML, between --- lines',
    ),
    (
        "Invalid value",
        "the value after '=' is not one TOML knows",
        'quote text ("like this"); dates as 2025-01-02; lists as ["a", "b"]',
    ),
    ("Cannot overwrite a value", "a key is given twice", "keep one of them"),
    ("Cannot declare", "a table is given twice", "keep one of them"),
    ("Unclosed array", "a list opened with [ is never closed", "end it with ]"),
    ("Unclosed inline table", "a table opened with { is never closed", "end it with }"),
    (
        "Expected newline or end of document after a statement",
        "something follows the value on the same line",
        'one key = value per line; quote text that has spaces: title = "My post"',
    ),
    ("Invalid statement", "this line is not key = value", 'write keys as key = "value"'),
    (
        "Unescaped '\\'",
        "a backslash inside double quotes starts an escape, and this one is not an escape"
        " (TeX such as $\\alpha$ in a double-quoted title?)",
        "use single quotes around the value (title = '... $\\alpha$ ...'), or double each"
        " backslash",
    ),
)


def toml_wording(exc: tomllib.TOMLDecodeError) -> Wording:
    """What a TOML syntax error means; `line` is in the parsed text (0: at its end)."""
    text = str(exc)
    place = _TOML_PLACE.search(text)
    line = int(place.group(1)) if place and place.group(1) else 0
    column = int(place.group(2)) if place and place.group(2) else 0
    said = _TOML_PLACE.sub("", text)
    for start, message, hint in _TOML_WORDS:
        if said.startswith(start):
            return Wording(message, hint, line, column, said)
    return Wording("this is not valid TOML", 'write keys as key = "value"', line, column, said)


_YAML_WORDS = (
    # "": the words are Lemma's own
    ("is not a valid date", "", "write a date that exists, as year-month-day: 2025-12-20"),
    (
        "found character '\\t'",
        "a tab in the indentation: YAML indents with spaces only",
        "replace the tab with spaces",
    ),
    (
        "that cannot start any token",
        "a value cannot start with this character in YAML",
        'quote the value: title: "@home"',
    ),
    (
        "mapping values are not allowed here",
        "a ': ' inside a value, or a line indented more than the key above it",
        'quote values that contain ": " (title: "Part 1: the start") and line keys up',
    ),
    (
        "found unexpected end of stream",
        "a quote is opened but never closed",
        "close the quote on the same line",
    ),
    (
        "could not find expected ':'",
        "a line that is not key: value",
        "write it as key: value, with a space after the colon",
    ),
    ("found undefined alias", "a value starting with * is read as a YAML alias", "quote it"),
    (
        "expected ',' or ']'",
        "a list opened with [ is never closed",
        "end it with ], or write one - item per line",
    ),
    (
        "expected ',' or '}'",
        "a mapping opened with { is never closed",
        "end it with }",
    ),
    (
        "expected <block end>",
        "this line's indentation does not match the lines above it",
        "line keys up at the same indentation, with spaces",
    ),
    (
        "found unknown escape character",
        "a backslash inside double quotes starts an escape, and this one is not an escape"
        " (TeX such as $\\pi$ in a double-quoted title?)",
        "use single quotes around the value ('... $\\pi$ ...'), or double each backslash",
    ),
    (
        "did not find expected key",
        "this line's indentation does not match the lines above it",
        "line keys up at the same indentation, with spaces",
    ),
)


def yaml_wording(exc: Any) -> Wording:
    """What a PyYAML error means; `line` is in the parsed text (0 when it names none)."""
    said = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None)
    if "end of stream" in said or "<stream end>" in said:
        # Found only at the end: the quote or bracket left open is where the author must look.
        mark = getattr(exc, "context_mark", None) or mark
    line = mark.line + 1 if mark is not None else 0
    column = mark.column + 1 if mark is not None else 0
    for fragment, message, hint in _YAML_WORDS:
        if fragment in said:
            return Wording(message or said, hint, line, column, f"{context} {said}".strip())
    return Wording(
        "this is not valid YAML",
        "check quotes and indentation; quote values that contain ': '",
        line,
        column,
        f"{context} {said}".strip(),
    )


_JSON_WORDS = (
    (
        "Expecting property name enclosed in double quotes",
        "a comma before } or a name not in double quotes",
        'remove the trailing comma; JSON names are written "like this"',
    ),
    (
        "Expecting value",
        "a value is missing (a comma before ] or } or an empty file?)",
        "remove the trailing comma",
    ),
    ("Expecting ',' delimiter", "a comma is missing, or a bracket is not closed", "add it"),
    ("Expecting ':' delimiter", "a name without ':' and a value", 'write "name": value'),
    ("Extra data", "something follows the end of the document", "remove it"),
    ("Unterminated string", "a string is opened but never closed", 'close it with "'),
    ("Invalid control character", "a line break inside a string", "write \\n instead"),
)


def json_wording(exc: json.JSONDecodeError) -> Wording:
    for start, message, hint in _JSON_WORDS:
        if exc.msg.startswith(start):
            return Wording(message, hint, exc.lineno, exc.colno, exc.msg)
    return Wording("this is not valid JSON", "check it", exc.lineno, exc.colno, exc.msg)


_BIBTEX_WORDS = (
    (
        "'}' expected",
        "an entry is not closed where it should be: a '}', or a ',' between two of its fields, "
        "is missing",
        "each field ends with a comma, each { with a }",
    ),
    ("'=' expected", "a field without '='", "write fields as title = {The title},"),
    (
        "field value expected",
        "a field without a value",
        "write its value in braces or quotes: year = {2020}",
    ),
    (
        "premature end of file",
        "the file ends inside an entry: a '}' is missing",
        "close the last entry with }",
    ),
    (
        "undefined string",
        "a field value that is neither in braces, in quotes nor a number",
        "put the value in braces: title = {The title}",
    ),
    ("repeated bibliography entry", "two entries have the same key", "rename one of them"),
)


def bibtex_wording(text: str, line: int, source: str) -> Wording:
    """What a pybtex error means; `text` is its message, `line` the line it names (0: none),
    `source` the file's text."""
    said = re.sub(r"^(syntax error|undefined string) in line \d+: ", r"\1: ", text)
    for fragment, message, hint in _BIBTEX_WORDS:
        if fragment in said:
            key = said.rsplit(": ", 1)[-1] if "repeated" in said else ""
            message = f"{message} ('{key}')" if key else message
            if fragment in ("'}' expected", "premature end of file"):
                # pybtex notices only where the next entry or the file begins: the entry to
                # fix is the one opened last before that.
                line = _entry_start(source, line)
            return Wording(message, hint, line, 0, said)
    return Wording("this BibTeX entry cannot be read", "check its braces", line, 0, said)


def _entry_start(source: str, line: int) -> int:
    """The line of the last `@type{` opened before `line`; `line` when there is none."""
    lines = source.split("\n")[: max(line - 1, 0)]
    for number in range(len(lines), 0, -1):
        if lines[number - 1].lstrip().startswith("@"):
            return number
    return line


_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(
    r"^'(?P<kind>[^']+?)(?: object)?' has no (?:attribute|element) (?P<name>.+)$"
)


def jinja_undefined_wording(text: str) -> Wording:
    """What Jinja2's UndefinedError ("'dict object' has no attribute 'titel'") means."""
    hint = "check the spelling: every template gets site and page, a post's page also post"
    match = _UNDEFINED.match(text)
    if match:
        return Wording(
            f"the template uses '{match['name']}', which is not defined", hint, 0, 0, text
        )
    match = _NO_ATTRIBUTE.match(text)
    if match:
        what = "value" if match["kind"] in ("dict", "list", "str") else f"'{match['kind']}'"
        return Wording(
            f"the template asks for {match['name']}, which this {what} does not have",
            hint,
            0,
            0,
            text,
        )
    return Wording(f"the template uses something undefined: {text}", hint, 0, 0, text)
