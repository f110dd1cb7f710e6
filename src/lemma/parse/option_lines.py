"""The `#|` lines at the top of a snippet as Quarto writes them: `key: value` lines, whose value
may be YAML (quoted, a list, a block over the following indented `#|` lines).

A plain value is kept as typed (`#| fig-cap: A: colon`, `#| sweep: n = [1, 2]`, `#| fig-cap: yes`):
read as YAML, the first is an error and the last is True. Values that start with a quote or a
bracket, and values continued on indented lines, are read with YAML's safe composer: no object
is ever constructed, and each text is the scalar's own (`"12:30"` stays 12:30).
"""

from __future__ import annotations

import re

import yaml

from lemma.errors import OptionError
from lemma.model import SourceLocation
from lemma.wording import yaml_wording

# A value: one text, or the texts of a YAML list (`#| fig-cap:` then `#|   - "Sine"` lines).
OptionValue = str | tuple[str, ...]
# (offset of the key's line from the first option line, key, the value's text as written: the
# key line's value and, for a block, its continuation lines joined by "\n", without their `#|`)
OptionLine = tuple[int, str, str]

_OPTION_LINE = re.compile(r"^#\|(?P<indent>\s*)(?P<key>[A-Za-z][\w.-]*)\s*:\s*(?P<value>.*?)\s*$")
_BLOCK_START = re.compile(r"^(?:[|>][+-]?\d*)?$")  # nothing, or YAML's | and > indicators
_YAML_START = ('"', "'", "[")


def split_option_lines(code: str) -> tuple[list[OptionLine], str]:
    """Leading `#| key: value` lines as (offset, key, value), and the code after them."""
    lines = code.split("\n")
    options: list[OptionLine] = []
    offset = 0
    while offset < len(lines) and lines[offset].startswith("#|"):
        line = lines[offset]
        match = _OPTION_LINE.match(line)
        if match is None:
            options.append((offset, line[2:].strip() or "#|", ""))
            offset += 1
            continue
        value = match["value"]
        end = offset + 1
        if _BLOCK_START.match(value):
            end = _block_end(lines, end, len(match["indent"]))
        block = [value, *(text[2:] for text in lines[offset + 1 : end])]
        options.append((offset, match["key"], "\n".join(block)))
        offset = end
    return options, "\n".join(lines[offset:])


def _block_end(lines: list[str], start: int, key_indent: int) -> int:
    """The index after the `#|` lines that continue a key's value: indented past the key, or
    list items (`#| - x`) under it."""
    end = start
    while end < len(lines) and lines[end].startswith("#|"):
        text = lines[end][2:]
        indent = len(text) - len(text.lstrip())
        if not text.strip() or not (indent > key_indent or text.lstrip().startswith("- ")):
            break
        end += 1
    return end


def option_value(key: str, text: str, where: SourceLocation) -> OptionValue:
    """The value of a `key: text` option line at `where`: its text as typed, or what its YAML
    says (a quoted text, a list of texts); a YAML mistake is an error at its own line."""
    if "\n" not in text and not text.startswith(_YAML_START):
        return text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        if "\n" not in text and text.startswith("["):
            return text  # `#| fig-cap: [draft] loss`: plain text, as it always was
        said = yaml_wording(exc)
        raise OptionError(
            f"option '{key}': invalid YAML: {said.message}",
            where.at_line(where.line + max(said.line - 1, 0)),
            hint=said.hint,
            detail=said.detail,
        ) from exc
    if node is None:
        return ""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(item, yaml.ScalarNode) for item in node.value
    ):
        return tuple(str(item.value).strip() for item in node.value)
    raise OptionError(
        f"option '{key}' takes a text or a list of texts",
        where,
        hint='quote a text that holds ": " ("Loss: training"); a list has one "#|   - text" '
        "line per item",
    )
