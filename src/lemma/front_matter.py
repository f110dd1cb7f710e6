"""Front matter dialects: YAML between `---`, TOML between `+++` (Hugo), Pelican's `Key: value`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from lemma.errors import FrontMatterError
from lemma.model import SourceLocation
from lemma.wording import toml_wording

Dialect = Literal["yaml", "toml", "pelican", "none"]

_YAML_FENCE = re.compile(r"^---[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
# Pelican's Markdown reader: `Key: value` lines at the top, ended by a blank line; a value may
# continue on indented lines.
_PELICAN_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$")
_PELICAN_KEYS_NEEDED = ("title", "date")  # one of them makes the block a header, not prose
_PELICAN_LISTS = ("tags", "authors")  # Pelican never splits a value on spaces


@dataclass(frozen=True, slots=True)
class Header:
    """The front matter block of a post, still unparsed, and the body after it."""

    dialect: Dialect
    text: str  # the block without its fences
    first_line: int  # line of the file on which `text` starts (1-based)
    body: str
    body_line: int  # line of the file on which `body` starts (1-based)


def split_header(text: str, where: SourceLocation) -> Header:
    """Find the front matter block at the top of `text`, in whichever dialect it is written."""
    lines = text.split("\n")
    for dialect, fence in (("yaml", _YAML_FENCE), ("toml", _TOML_FENCE)):
        if not fence.match(lines[0]):
            continue
        closing = next((i for i in range(1, len(lines)) if fence.match(lines[i])), None)
        if closing is None:
            marker = lines[0].strip()
            raise FrontMatterError(
                "the front matter block opened here is never closed",
                where.at_line(1),
                hint=f"add a line with '{marker}' after the last front matter key",
            )
        return Header(
            dialect,  # type: ignore[arg-type]  # one of the two literals above
            "\n".join(lines[1:closing]),
            2,
            "\n".join(lines[closing + 1 :]),
            closing + 2,
        )
    end = _pelican_header_end(lines)
    if end:
        return Header("pelican", "\n".join(lines[:end]), 1, "\n".join(lines[end:]), end + 1)
    return Header("none", "", 1, text, 1)


def _pelican_header_end(lines: list[str]) -> int:
    """How many lines the Pelican header takes, or 0 when the file does not open with one."""
    keys: list[str] = []
    count = 0
    for line in lines:
        if not line.strip():
            break
        match = _PELICAN_LINE.match(line)
        if match:
            keys.append(match.group(1).lower())
        elif not (line[:1] in " \t" and keys):
            return 0  # prose, not a header
        count += 1
    return count if any(k in keys for k in _PELICAN_KEYS_NEEDED) else 0


def parse_toml(header: Header, where: SourceLocation) -> dict[str, Any]:
    """Hugo's TOML front matter; TOML dates become the same values as YAML's."""
    try:
        raw = tomllib.loads(header.text)
    except tomllib.TOMLDecodeError as exc:
        said = toml_wording(exc)
        # A mistake found only at the end (an unclosed list) is reported at the block's first line
        line = header.first_line + said.line - 1 if said.line else header.first_line
        raise FrontMatterError(
            f"front matter: invalid TOML: {said.message}",
            where.at_line(line, said.column),
            hint=said.hint,
            detail=said.detail,
        ) from exc
    return {key: _plain_toml(value) for key, value in raw.items()}


def _plain_toml(value: Any) -> Any:
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, list):
        return [_plain_toml(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain_toml(v) for k, v in value.items()}
    return value


def parse_pelican(header: Header) -> dict[str, Any]:
    """Pelican's `Key: value` lines: keys are case-insensitive, every value is text."""
    raw: dict[str, Any] = {}
    last: str | None = None
    for line in header.text.split("\n"):
        match = _PELICAN_LINE.match(line)
        if match:
            last = match.group(1).lower()
            raw[last] = (match.group(2) or "").strip()
        elif last is not None:
            raw[last] = f"{raw[last]} {line.strip()}".strip()
    for key in _PELICAN_LISTS:  # Pelican's rule: split on ';' when there is one, else on ','
        if key in raw:
            raw[key] = raw[key].split(";" if ";" in raw[key] else ",")
    return raw


def key_line(header: Header, key: str) -> int:
    """The line of the file on which `key` is written, or 1 when it is not found."""
    separator = "=" if header.dialect == "toml" else ":"
    flags = re.MULTILINE | (re.IGNORECASE if header.dialect == "pelican" else 0)
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*{separator}", header.text, flags)
    if match is None:
        match = re.search(
            rf"^[ \t]*[\"']{re.escape(key)}[\"'][ \t]*{separator}", header.text, flags
        )
    if match is None:
        return 1
    return header.first_line + header.text.count("\n", 0, match.start())
