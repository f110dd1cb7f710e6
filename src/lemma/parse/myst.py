"""MyST's ```{code-cell} fences: their `:tags:` as Lemma's snippet options (their language is
`lemma/fences.py`'s)."""

from __future__ import annotations

import re

from lemma.errors import OptionError, Problem
from lemma.model import SourceLocation

# The MyST-NB tags Lemma has a meaning for, as the option lines they stand for.
TAG_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "hide-input": (("code-fold", "true"),),
    "hide-cell": (("code-fold", "true"),),
    "remove-input": (("echo", "false"),),
    "remove-output": (("output", "false"),),
    "remove-cell": (("echo", "false"), ("output", "false")),
    "raises-exception": (("error", "true"),),
    "skip-execution": (("eval", "false"),),
    "hide-output": (),  # Lemma shows outputs open; nothing to hide them behind
    "remove-stderr": (),
    "full-width": (),
    "margin": (),
}
_DIRECTIVE_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_YAML_KEY = re.compile(r"^(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")


def split_code_cell_options(
    code: str, first_line: SourceLocation
) -> tuple[list[tuple[int, str, str]], str, list[Problem]]:
    """A code cell's leading `:tags: [...]` lines, or `---`-fenced YAML, as Lemma option lines
    (offset, key, value) and the code after them. `first_line` is the fence's first code line."""
    lines = code.split("\n")
    options: list[tuple[int, str, str]] = []
    problems: list[Problem] = []
    if lines and lines[0].strip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if closing is None:
            raise OptionError(
                "the code cell's option block opened here is never closed",
                first_line,
                hint="add a line with '---' after the options",
            )
        block = [(offset, _YAML_KEY.match(lines[offset])) for offset in range(1, closing)]
        used = closing + 1
    else:
        block = []
        used = 0
        for offset, line in enumerate(lines):
            match = _DIRECTIVE_OPTION.match(line)
            if match is None:
                break
            block.append((offset, match))
            used = offset + 1
        if block and used < len(lines) and not lines[used].strip():
            used += 1  # the blank line MyST writes between options and code
    for offset, match in block:
        if match is None:
            continue
        key, value = match["key"], match["value"]
        where = first_line.at_line(first_line.line + offset)
        if key == "tags":
            tags = [t.strip().strip("'\"") for t in value.strip("[] ").split(",") if t.strip()]
            for tag in tags:
                if tag in TAG_OPTIONS:
                    options += [(offset, k, v) for k, v in TAG_OPTIONS[tag]]
                else:
                    problems.append(_ignored(f"code cell tag '{tag}'", where))
        else:
            problems.append(_ignored(f"code cell option '{key}'", where))
    return options, "\n".join(lines[used:]), problems


def _ignored(what: str, where: SourceLocation) -> Problem:
    known = ", ".join(t for t in TAG_OPTIONS if TAG_OPTIONS[t])
    return Problem(
        f"{what} has no meaning in Lemma and is ignored",
        where,
        hint=f"tags Lemma maps onto its options: {known}",
        is_warning=True,
    )
