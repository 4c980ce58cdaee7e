"""The project's exception types. Every bad input raises one of them; the CLI prints it as one line.

Offers:
    CollateError   base class; ``str()`` is the one-line message ``FILE:LINE:COL: message``
    InputError     a witness or other input file cannot be used (malformed, missing, unsafe, empty)
    UsageError     the options do not fit together (too few witnesses, duplicate sigla, unknown base)
    InputWarning   a witness was read, but something in it had to be assumed (``warnings.warn``; the CLI
                   prints it as one line ``warning: FILE:LINE: message``)
"""

from __future__ import annotations

__all__ = ["CollateError", "InputError", "UsageError", "InputWarning"]


class CollateError(Exception):
    """Base class. ``path``, ``line`` and ``column`` locate the problem when known (1-based)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        # One line, always: a message with a newline in it would break `error: FILE:LINE:COL: message`.
        message = " ".join(self.message.split())
        return f"{self.location}: {message}" if self.location else message


class InputError(CollateError):
    """An input file is missing, unreadable, malformed, unsafe or empty."""


class UsageError(CollateError):
    """The request itself is wrong: fewer than two witnesses, duplicate sigla, an unknown base."""


class InputWarning(UserWarning):
    """A construct the reader could not place as written, and what it assumed instead (the run goes on).

    ``str()`` is one line, ``FILE:LINE: message``, as for the errors."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        if self.path is None:
            return message
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {message}"
