"""The one error of TeX conversion, and the notes of one that converted with something left out."""

from __future__ import annotations

from dataclasses import dataclass


class MathError(ValueError):
    """The TeX could not be converted; the message names the command, `offset` where it is."""

    def __init__(self, message: str, offset: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.hint = hint  # how the author can fix it, when there is more to say than the message


@dataclass(frozen=True, slots=True)
class MathNote:
    """The formula converted, but something of it is not shown as written (\\style's CSS): the
    author hears of it as a warning at the formula's line."""

    message: str
    offset: int | None = None
    hint: str | None = None
