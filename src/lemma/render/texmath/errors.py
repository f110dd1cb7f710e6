"""The one error of TeX conversion: what went wrong, and where in the formula."""

from __future__ import annotations


class MathError(ValueError):
    """The TeX could not be converted; the message names the command, `offset` where it is."""

    def __init__(self, message: str, offset: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.hint = hint  # how the author can fix it, when there is more to say than the message
