"""Reading input files: whole, bounded in size, with errors that name the file.

Offers:
    read_bytes(path)   the bytes of a file, a pipe or a device, refused past ``MAX_BYTES``
    MAX_BYTES          the size limit
    siglum_for(path)   the default siglum: the file name without its suffix

Kept apart from the witness readers so that a command that only compares texts (``collate batch``) loads
no more than it needs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from collate.errors import InputError

__all__ = ["read_bytes", "MAX_BYTES", "siglum_for"]

# Far beyond any book (the Origin's sixth edition is 1.1 MB); stops a runaway file from filling memory.
MAX_BYTES = 512 * 1024 * 1024


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a directory, not a witness file", path=str(path))
        info = p.stat()
        if stat.S_ISREG(info.st_mode):
            if info.st_size > MAX_BYTES:
                raise InputError(f"file too large ({info.st_size} bytes; limit {MAX_BYTES})", path=str(path))
            return p.read_bytes()
        # A pipe or a device (``<(command)``, /dev/stdin, /dev/zero) has no size to check beforehand, and may
        # never end: read it in chunks, up to the limit.
        chunks, total = [], 0
        with p.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise InputError(f"file too large (more than {MAX_BYTES} bytes)", path=str(path))
                chunks.append(chunk)
        return b"".join(chunks)
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a witness file", path=str(path)) from None


def siglum_for(path: str | os.PathLike[str]) -> str:
    return Path(path).name.split(".")[0] or Path(path).name
