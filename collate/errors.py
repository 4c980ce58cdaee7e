"""The project's exception types. Every bad input raises one of them; the CLI prints it as one line.

Offers:
    CollateError   base class; ``str()`` is the one-line message ``FILE:LINE:COL: message``
    InputError     a witness or other input file cannot be used (malformed, missing, unsafe, empty)
    UsageError     the options do not fit together (too few witnesses, duplicate sigla, unknown base)
    InputWarning   a witness was read, but something in it had to be assumed (``warnings.warn``; the CLI
                   prints it as one line ``warning: FILE:LINE: message``)
    InternalError  what a run raises when the toolkit itself failed (a bug): exit code 3, never 1 or 2
    printable(s)   ``s`` with what a terminal or an XML file cannot show safely written as escapes
    EXIT_OK, EXIT_FLAGGED, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED   the exit codes, in one place
"""

from __future__ import annotations

import re

__all__ = [
    "CollateError",
    "InputError",
    "UsageError",
    "InternalError",
    "InputWarning",
    "printable",
    "EXIT_OK",
    "EXIT_FLAGGED",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
]

# What a pipeline may rely on: 1 means "a document diverges" and nothing else; a bug is never 1 or 2.
EXIT_OK, EXIT_FLAGGED, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Code points that would act on a terminal (ESC, CSI, BEL, backspace, carriage return), that XML cannot hold,
# or that stand for an undecodable byte of a file name (os.fsdecode's surrogate escapes, U+DC80–U+DCFF).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte of the file name itself
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe for a terminal, a one-line message and an XML attribute: control characters, line
    separators, noncharacters and the surrogate escapes of undecodable file-name bytes become ``\\xNN``
    or ``\\uNNNN`` (a Latin-1 ``M\\xfcller.txt`` stays recognisable). Other text is returned unchanged."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


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
        # Escaped: a file name or siglum may hold ESC sequences or undecodable bytes, shown as data.
        message = " ".join(self.message.split())
        text = f"{self.location}: {message}" if self.location else message
        return printable(text)


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


class InternalError(CollateError):
    """The toolkit failed, not the input: reported with exit code 3 and a traceback file to send."""
