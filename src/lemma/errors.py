"""Errors and warnings a user can act on: where, what, and how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lemma.model import SourceLocation


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning, printed as `path:line:col: message`."""

    message: str
    location: SourceLocation | None = None
    hint: str | None = None  # how to fix it
    detail: str | None = None  # a code frame or traceback, printed under the message
    is_warning: bool = False
    is_note: bool = False  # informational (a warning that --strict leaves alone)

    @property
    def label(self) -> str:
        return "note: " if self.is_note else "warning: " if self.is_warning else ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_error(self) -> Problem:
        if self.is_note:
            return self
        return Problem(self.message, self.location, self.hint, self.detail, is_warning=False)


class LemmaError(Exception):
    """A mistake in the user's content or configuration, with its location."""

    def __init__(
        self,
        message: str,
        location: SourceLocation | None = None,
        *,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.problem = Problem(message, location, hint, detail)
        super().__init__(str(self.problem))

    @property
    def location(self) -> SourceLocation | None:
        return self.problem.location


# The kinds of LemmaError. Callers that treat one kind differently catch its class; nothing
# branches on a message's text.


class ConfigError(LemmaError):
    """site.toml, the command line or the environment (SOURCE_DATE_EPOCH)."""


class FrontMatterError(LemmaError):
    """A post's file or its front matter."""


class OptionError(LemmaError):
    """A snippet option (`#| key: value`, or `execute:` defaults)."""


class TemplateError(LemmaError):
    """A template: its syntax, or an error while it renders."""


class TemplateNotFound(TemplateError):
    """A template that does not exist; `name` is the one looked for (a page's or an include's)."""

    def __init__(
        self, name: str, message: str, location: SourceLocation | None = None, *, hint: str
    ) -> None:
        super().__init__(message, location, hint=hint)
        self.name = name


class OutputError(LemmaError):
    """The output folder, the cache folder, the build lock, or the search index of the site."""


class BuildFailed(Exception):
    """Carries every error of a build at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def code_frame(source: str, line: int, *, column: int = 0, context: int = 2) -> str:
    """A few numbered lines of `source` around `line` (1-based), with a marker on it."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    first, last = max(1, line - context), min(len(lines), line + context)
    width = len(str(last))
    out = []
    for number in range(first, last + 1):
        marker = ">" if number == line else " "
        out.append(f"{marker} {number:>{width}} | {lines[number - 1]}")
        if number == line and column > 0:
            out.append(f"  {' ' * width} | {' ' * (column - 1)}^")
    return "\n".join(out)
