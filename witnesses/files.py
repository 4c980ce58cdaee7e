"""Reading input files: whole, bounded in size, regular files only, with errors that name the file.

Offers:
    read_bytes(path)      the bytes of a regular file (or of standard input for ``-``), refused past ``MAX_BYTES``
    reading_pipes()       a context in which named pipes and character devices are read too (``--allow-pipes``)
    MAX_BYTES             the size limit
    STDIN                 the name that stands for standard input (``-``)
    siglum_for(path)      the default siglum: the file name without its suffix, shown safely
    display_name(path)    a path as text that any terminal, report or XML file can hold

Only regular files are read unless asked otherwise: a FIFO given as a witness would block the run until
something writes to it (forever, in a batch folder), and a device may never end. The check is made on the
open file descriptor (opened without blocking), so a file swapped for a pipe between the check and the read
changes nothing. ``-`` reads standard input, and inside ``reading_pipes()`` (the CLI's ``--allow-pipes``)
pipes and devices are read in chunks up to the size limit, which is how ``<(command)`` works.

File names are data: a name of any bytes is handled as ``os.fsdecode`` gives it (undecodable bytes as
surrogate escapes) and shown through ``collate.errors.printable`` (``M\\xfcller.txt``).

Kept apart from the witness readers so that a command that only compares texts (``collate batch``) loads
no more than it needs.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import sys
from pathlib import Path
from typing import Iterator

from collate.errors import InputError, printable

__all__ = ["read_bytes", "reading_pipes", "MAX_BYTES", "STDIN", "siglum_for", "display_name"]

# Far beyond any book (the Origin's sixth edition is 1.1 MB); stops a runaway file from filling memory.
MAX_BYTES = 512 * 1024 * 1024
STDIN = "-"

_PIPES = contextvars.ContextVar("collate_read_pipes", default=False)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@contextlib.contextmanager
def reading_pipes() -> Iterator[None]:
    """Within this context ``read_bytes`` also reads pipes and character devices (up to ``MAX_BYTES``)."""
    token = _PIPES.set(True)
    try:
        yield
    finally:
        _PIPES.reset(token)


def display_name(path: str | os.PathLike[str]) -> str:
    return printable(os.fsdecode(path))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read_stream(handle, name: str) -> bytes:
    # A pipe or a device has no size to check beforehand and may never end: read it in chunks, up to the limit.
    chunks, total = [], 0
    while chunk := handle.read(1 << 20):
        total += len(chunk)
        if total > MAX_BYTES:
            raise InputError(f"file too large (more than {MAX_BYTES} bytes)", path=name)
        chunks.append(chunk)
    return b"".join(chunks)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    name = display_name(path)
    if os.fspath(path) == STDIN:
        return _read_stream(sys.stdin.buffer, "<stdin>")
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, possibly forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a witness file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, not a witness file", path=name)
        if not stat.S_ISREG(info.st_mode):
            if not _PIPES.get() or not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
                raise InputError(
                    f"is {_kind(info.st_mode)}, not a regular file; only regular files are read (give a pipe "
                    "as '-' on standard input, or pass --allow-pipes)",
                    path=name,
                )
            if stat.S_ISFIFO(info.st_mode):
                # Asked for: wait until a writer has come (opened without blocking, a FIFO whose writer has
                # not opened it yet would read as empty), then read to its end.
                import select

                poller = select.poll()
                poller.register(fd, select.POLLIN | select.POLLHUP)
                poller.poll()
            os.set_blocking(fd, True)
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return _read_stream(handle, name)
        if info.st_size > MAX_BYTES:
            raise InputError(f"file too large ({info.st_size} bytes; limit {MAX_BYTES})", path=name)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError("is a directory, not a witness file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    finally:
        os.close(fd)


def siglum_for(path: str | os.PathLike[str]) -> str:
    """The file name without its suffixes; ``stdin`` for ``-``. Undecodable bytes and control characters
    are written as escapes, so the siglum can be shown and written to XML (the original stays the path)."""
    raw = os.fsdecode(path)
    if raw == STDIN:
        return "stdin"
    name = Path(raw).name
    return printable(name.split(".")[0] or name)
